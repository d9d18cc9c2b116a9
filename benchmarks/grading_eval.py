"""Grading quality and speed on the labelled development set (offline grader).

    python benchmarks/grading_eval.py [--home DIR]

Prints pairwise ordering accuracy (all questions and the held-out half that calibration never saw),
mean score per tier, the highest non-answer and injection scores, key-point agreement, and
throughput: batch (answers/s) and single-answer latency p50/p95.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.devset import PAIRS, TIERS, fit_half, load_answers, question_ids
from interviewer.grading import build_grader
from interviewer.grading.embedding_grader import GradingItem
from interviewer.settings import LLMSettings
from question_bank.loader import questions_by_id
from rubrics.embeddings import default_embedder
from rubrics.loader import rubric_for
from rubrics.store import open_store


def pairwise(scores: dict[tuple[str, str], int], keep: set[str]) -> float:
    pairs = [(scores[(q, a)], scores[(q, b)]) for (q, tier) in scores for a, b in PAIRS
             if tier == a and (q, b) in scores and q in keep]
    return sum(x > y for x, y in pairs) / len(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "mock-interviewer-bench")
    args = parser.parse_args()
    args.home.mkdir(parents=True, exist_ok=True)
    embedder = default_embedder()
    store = open_store(args.home, embedder)
    grader = build_grader(embedder, store, settings=LLMSettings(api_key=None, base_url=None, model="none"))
    bank = questions_by_id()
    ids = question_ids()
    answers = load_answers()

    scores: dict[tuple[str, str], int] = {}
    agree = total = 0.0
    latencies = []
    for answer in answers:
        question = bank[answer.question_id]
        started = time.perf_counter()
        result = grader.grade(question, answer.text)
        latencies.append(time.perf_counter() - started)
        scores[(answer.question_id, answer.tier)] = result.score
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
    fresh = build_grader(embedder, store, settings=LLMSettings(api_key=None, base_url=None, model="none"))
    batch = [GradingItem(bank[a.question_id].text, a.text, rubric_for(bank[a.question_id]), a.question_id)
             for a in answers]
    started = time.perf_counter()
    fresh.embedding.grade_many(batch)
    batch_rate = len(batch) / (time.perf_counter() - started)
    weakest = sorted((value, qid) for (qid, tier), value in scores.items() if tier == "strong")[:3]

    latencies.sort()
    print(f"answers: {len(answers)} over {len(ids)} questions ({len(held_out)} held out from calibration)")
    print(f"pairwise ordering accuracy: all {pairwise(scores, set(ids)):.3f}, "
          f"held-out {pairwise(scores, held_out):.3f}")
    for tier in TIERS:
        values = by_tier.get(tier, [])
        if values:
            print(f"  {tier:<11} mean {statistics.mean(values):5.1f}  min {min(values):3d}  "
                  f"max {max(values):3d}  n={len(values)}")
    print(f"highest non-answer score: {max(by_tier['non_answer'])}")
    print(f"highest injection score: {max(by_tier['injection'])}")
    print(f"key-point agreement: {agree / total:.3f} over {int(total)} labelled points")
    print(f"lowest strong answers: {weakest}")
    print(f"batch throughput: {batch_rate:.1f} answers/s ({len(batch)} distinct answers, cold cache)")
    print(f"single-answer latency: p50 {1000 * latencies[len(latencies) // 2]:.0f} ms, "
          f"p95 {1000 * latencies[int(len(latencies) * 0.95)]:.0f} ms")


if __name__ == "__main__":
    main()
