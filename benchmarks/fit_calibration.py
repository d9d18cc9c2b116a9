"""Fit the embedding grader's calibration on the labelled development set and save it.

    python benchmarks/fit_calibration.py [--home DIR]

Fits on every other question of benchmarks/grading_devset.yaml (the rest stays held out for
benchmarks/grading_eval.py): the baseline quantile, the lexical weight and the covered / partial
thresholds maximise pairwise ordering plus key-point agreement; then the flag thresholds are chosen
to flag bad answers without flagging good ones (a false flag costs three caught ones):

- misconception (similarity, margin over the correction, similarity without a distinctive word):
  wrong answers and the wrong side of the misconception pairs against strong / partial / short
  answers and the correct side of the pairs;
- off-topic margin: another question's strong answer against strong / partial / short answers and
  the sibling-question answers;
- unrelated (project / behavioural / opening): small talk against those questions' real answers;
- question match: the raw similarity that separates questions in the bank from questions outside it.

Writes interviewer/grading/data/calibration.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.devset import PAIRS, Answer, fit_half, load_answers, load_examples, load_question_texts, question_ids
from interviewer.grading.calibration import CALIBRATION_PATH, Calibration, family, rescale
from interviewer.grading.embedding_grader import STATUS_CREDIT, Candidate, EmbeddingGrader, GradingItem
from question_bank.loader import questions_by_id
from rubrics.embeddings import Embedder, default_embedder
from rubrics.loader import rubric_for
from rubrics.store import open_store

QUANTILES = (0.9, 0.95, 0.99)
LEXICAL_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
THRESHOLDS = np.round(np.arange(0.1, 0.85, 0.025), 3)


class CachingEmbedder:
    """Embeds each distinct text once: the fit grades the same answers under many settings."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.cache: dict[str, np.ndarray] = {}

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.inner.embed_queries(missing), strict=True))
        return np.vstack([self.cache[text] for text in texts]) if texts else self.inner.embed_queries([])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)


def placeholder(quantile: float, **overrides: object) -> Calibration:
    start = {"lexical_weight": 0.3, "covered": 0.5, "partial": 0.3}
    values = {"embedder": default_embedder().name, "baseline_quantile": quantile, "technical": start,
              "structural": start, "misconception": 0.5, "off_topic_margin": 0.02, "fitted_on": 0,
              "agreement": 0.0, **overrides}
    return Calibration.model_validate(values)


def score(signals: list[tuple[np.ndarray, np.ndarray, float]] | None, weights: list[int], lexical: float,
          covered: float, partial: float) -> tuple[float, list[str]]:
    if signals is None:
        return 0.0, []
    statuses, earned = [], 0.0
    for (raw, lex, baseline), weight in zip(signals, weights, strict=True):
        value = float(max((1 - lexical) * rescale(float(r), baseline) + lexical * float(x)
                          for r, x in zip(raw, lex, strict=True)))
        status = "covered" if value >= covered else "partial" if value >= partial else "missing"
        statuses.append(status)
        earned += weight * (STATUS_CREDIT[status][0] + STATUS_CREDIT[status][1] * value)
    return 100 * earned / sum(weights), statuses


def objective(answers: list[Answer], signals: list, weights: dict[str, list[int]], lexical: float, covered: float,
              partial: float) -> tuple[float, float, float, int]:
    scores: dict[tuple[str, str], float] = {}
    agree = total = 0.0
    for answer, signal in zip(answers, signals, strict=True):
        value, statuses = score(signal, weights[answer.question_id], lexical, covered, partial)
        scores[(answer.question_id, answer.tier)] = value
        if answer.covered is not None and statuses:
            for index, status in enumerate(statuses):
                truth = index in answer.covered
                agree += 1.0 if (status == "covered") == truth else (0.5 if status == "partial" else 0.0)
                total += 1
    pairs = [(scores[(q, a)], scores[(q, b)]) for (q, tier) in scores for a, b in PAIRS
             if tier == a and (q, b) in scores]
    pairwise = sum(x > y for x, y in pairs) / len(pairs)
    agreement = agree / total if total else 0.0
    return pairwise + 0.5 * agreement, pairwise, agreement, int(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "mock-interviewer-bench")
    args = parser.parse_args()
    args.home.mkdir(parents=True, exist_ok=True)
    embedder = CachingEmbedder(default_embedder())
    store = open_store(args.home, default_embedder())
    bank = questions_by_id()
    ids = question_ids(known=bank)
    answers = [answer for answer in load_answers(known=bank) if fit_half(answer.question_id, ids)]
    rubrics = {qid: rubric_for(bank[qid]) for qid in ids}
    weights = {qid: [point.weight for point in rubric.key_points] for qid, rubric in rubrics.items() if rubric}

    families = {name: [i for i, a in enumerate(answers) if family(rubrics[a.question_id].kind) == name]
                for name in ("technical", "structural")}
    best: tuple = (-1.0,)
    for quantile in QUANTILES:
        grader = EmbeddingGrader(embedder, store, placeholder(quantile))
        signals = [grader.point_signals(GradingItem(bank[a.question_id].text, a.text, rubrics[a.question_id],
                                                    a.question_id)) for a in answers]
        fitted, total_value = {}, 0.0
        for name, members in families.items():
            subset, subset_signals = [answers[i] for i in members], [signals[i] for i in members]
            top: tuple = (-1.0,)
            for lexical, covered, partial in itertools.product(LEXICAL_WEIGHTS, THRESHOLDS, THRESHOLDS):
                if partial < covered:
                    result = objective(subset, subset_signals, weights, lexical, covered, partial)
                    if result[0] > top[0]:
                        top = (*result, lexical, float(covered), float(partial))
            fitted[name] = top
            total_value += top[0] * len(members)
        if total_value > best[0]:
            best = (total_value, quantile, fitted)
    _, quantile, fitted = best
    thresholds = {name: {"lexical_weight": f[4], "covered": f[5], "partial": f[6]} for name, f in fitted.items()}
    labelled = sum(f[3] for f in fitted.values())
    agreement = sum(f[2] * f[3] for f in fitted.values()) / max(1, labelled)
    for name, f in fitted.items():
        print(f"fit {name}: quantile={quantile} {thresholds[name]} pairwise={f[1]:.3f} agreement={f[2]:.3f}")

    flags = fit_flags(answers, embedder, store, bank, rubrics, placeholder(quantile, **thresholds))
    flags["question_match"] = fit_question_match(store)
    calibration = placeholder(quantile, **thresholds, **flags, fitted_on=labelled, agreement=round(agreement, 3))
    CALIBRATION_PATH.write_text(json.dumps(calibration.model_dump(), indent=1) + "\n", encoding="utf-8")
    print(" ".join(f"{name}={value}" for name, value in flags.items()) + f" → {CALIBRATION_PATH}")


def fit_flags(answers: list[Answer], embedder: CachingEmbedder, store: object, bank: dict, rubrics: dict,
              base: Calibration) -> dict[str, float]:
    """Flag thresholds that catch the most bad answers, a false flag on a good one costing three."""
    ids = question_ids(known=bank)
    examples = [e for e in load_examples(known=bank) if e.question_id not in ids or fit_half(e.question_id, ids)]
    good_tiers = ("strong", "partial", "short")

    def item(question_id: str, text: str) -> GradingItem:
        question = bank[question_id]
        return GradingItem(question.text, text, rubric_for(question), question_id, topic=question.topic)

    # Misconceptions: candidates once, thresholds searched over them.
    grader = EmbeddingGrader(embedder, store, base)  # type: ignore[arg-type]
    labelled: list[tuple[bool, list[Candidate]]] = (
        [(a.tier == "wrong", grader.misconception_signals(item(a.question_id, a.text)))
         for a in answers if a.tier in ("wrong", *good_tiers)]
        + [(e.label == "wrong", grader.misconception_signals(item(e.question_id, e.text)))
           for e in examples if e.label in ("wrong", "correct")])

    def misconception_value(setting: tuple[float, float, float]) -> tuple[float, float, float, float]:
        calibration = base.model_copy(update=dict(zip(("misconception", "misconception_margin",
                                                       "misconception_sure"), setting, strict=True)))
        caught = sum(bad and any(c.is_hit(calibration) for c in cands) for bad, cands in labelled)
        false = sum(not bad and any(c.is_hit(calibration) for c in cands) for bad, cands in labelled)
        return caught - 3 * false, *setting  # ties: the strictest setting

    settings = itertools.product(np.round(np.arange(0.3, 0.85, 0.05), 2), (0.0, 0.005, 0.01, 0.02, 0.03),
                                 (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0))
    _, misconception, misconception_margin, sure = max(misconception_value(tuple(map(float, s))) for s in settings)
    base = base.model_copy(update={"misconception": misconception, "misconception_margin": misconception_margin,
                                   "misconception_sure": sure})

    def flagged(calibration: Calibration, flag: str, bad: list[tuple[str, str]], good: list[tuple[str, str]]) -> int:
        grader = EmbeddingGrader(embedder, store, calibration)  # type: ignore[arg-type]
        def hit(pair: tuple[str, str]) -> bool:
            return flag in grader.grade_many([item(*pair)])[0].flags
        return sum(map(hit, bad)) - 3 * sum(map(hit, good))

    technical = [a for a in answers if family(rubrics[a.question_id].kind) == "technical"]
    off_bad = [(a.question_id, a.text) for a in technical if a.tier == "offtopic"]
    off_good = ([(a.question_id, a.text) for a in technical if a.tier in good_tiers]
                + [(e.question_id, e.text) for e in examples if e.label == "sibling"])
    margin = max((0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.08), key=lambda m: (flagged(
        base.model_copy(update={"off_topic_margin": m}), "off_topic", off_bad, off_good), m))
    structural = [a for a in answers if family(rubrics[a.question_id].kind) == "structural"]
    unrelated_bad = [(a.question_id, a.text) for a in structural if a.tier == "unrelated"]
    unrelated_good = [(a.question_id, a.text) for a in structural if a.tier in good_tiers]
    unrelated = max((float(t) for t in np.round(np.arange(0.0, 0.5, 0.025), 3)), key=lambda t: (flagged(
        base.model_copy(update={"unrelated": t}), "off_topic", unrelated_bad, unrelated_good), -t))
    return {"misconception": misconception, "misconception_margin": misconception_margin,
            "misconception_sure": sure, "off_topic_margin": margin, "unrelated": unrelated}


def fit_question_match(store: object) -> float:
    """The middle of the widest threshold interval that matches bank questions and rejects the rest."""
    scored = []
    for question in load_question_texts():
        hits = store.search_questions(question.text, k=1)  # type: ignore[attr-defined]
        qid, similarity = hits[0] if hits else (None, 0.0)
        scored.append((similarity, bool(question.match), qid in question.match))
    candidates = np.round(np.arange(0.70, 0.95, 0.0025), 4)
    accuracy = [sum((s >= t and right) if inside else s < t for s, inside, right in scored) for t in candidates]
    best = [float(t) for t, value in zip(candidates, accuracy, strict=True) if value == max(accuracy)]
    print(f"question match: {max(accuracy)}/{len(scored)} correct for thresholds {best[0]}–{best[-1]}")
    return round((best[0] + best[-1]) / 2, 4)


if __name__ == "__main__":
    main()
