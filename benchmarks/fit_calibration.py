"""Fit the embedding grader's calibration on the labelled development set and save it.

    python benchmarks/fit_calibration.py [--home DIR]

Fits on every other question of benchmarks/grading_devset.yaml (the rest stays held out for
benchmarks/grading_eval.py): the baseline quantile, the lexical weight and the covered / partial
thresholds maximise pairwise ordering plus key-point agreement; then the misconception threshold
and the off-topic margin are chosen to flag wrong / off-topic answers without flagging good ones.
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

from benchmarks.devset import PAIRS, Answer, fit_half, load_answers, question_ids
from interviewer.grading.calibration import CALIBRATION_PATH, Calibration, family, rescale
from interviewer.grading.embedding_grader import STATUS_CREDIT, EmbeddingGrader, GradingItem
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
    ids = question_ids()
    answers = [answer for answer in load_answers() if fit_half(answer.question_id, ids)]
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

    misconception, margin = fit_flags(answers, embedder, store, bank, rubrics, placeholder(quantile, **thresholds))
    calibration = placeholder(quantile, **thresholds, misconception=misconception, off_topic_margin=margin,
                              fitted_on=labelled, agreement=round(agreement, 3))
    CALIBRATION_PATH.write_text(json.dumps(calibration.model_dump(), indent=1) + "\n", encoding="utf-8")
    print(f"misconception={misconception} off_topic_margin={margin} → {CALIBRATION_PATH}")


def fit_flags(answers: list[Answer], embedder: CachingEmbedder, store: object, bank: dict, rubrics: dict,
              base: Calibration) -> tuple[float, float]:
    """Thresholds that flag the most wrong / off-topic answers while flagging no good answer."""
    def flagged(calibration: Calibration, flag: str, tiers: tuple[str, ...]) -> tuple[int, int]:
        grader = EmbeddingGrader(embedder, store, calibration)  # type: ignore[arg-type]
        hits = bad = 0
        for answer in answers:
            if answer.tier not in tiers:
                continue
            result = grader.grade_with_rubric(bank[answer.question_id].text, rubrics[answer.question_id],
                                              answer.text, answer.question_id)
            if flag in result.flags:
                hits += answer.tier == tiers[0]
                bad += answer.tier != tiers[0]
        return hits, bad

    misconception = max(
        (float(t) for t in np.round(np.arange(0.2, 0.8, 0.05), 2)),
        key=lambda t: (lambda h, b: h - 3 * b)(*flagged(base.model_copy(update={"misconception": t}), "misconception",
                                                          ("wrong", "strong", "partial"))))
    margin = max(
        (float(m) for m in (0.0, 0.01, 0.02, 0.03, 0.05, 0.08)),
        key=lambda m: (lambda h, b: h - 3 * b)(*flagged(base.model_copy(update={"off_topic_margin": m}), "off_topic",
                                                          ("offtopic", "strong", "partial"))))
    return misconception, margin


if __name__ == "__main__":
    main()
