"""Time per interview turn, offline: an answer in, the next interviewer message out.

    python benchmarks/interview_latency.py [--interviews 6] [--questions 4] [--history 30] [--slowest 8]

Runs whole simulated interviews (strong and partial candidates in turn) through the service, as the
terminal and the web app do: SQLite checkpoints with durability "sync", the real offline embedder
and grader. `--history` first fills the sessions database with that many finished interviews, so
the figures include a user who has practised before. Prints p50 / p95 / max turn latency.
Target (issue 5): p95 under 300 ms on 2 cores.

The simulated candidate answers at once, so work the service prepares between turns (interviewer/ahead.py)
is still running when the next answer arrives, and that turn waits for it: the figures are what a
candidate would see who needs no time to think (a real one hides that work entirely).

Wall-clock figures depend on what else the machine runs (the load average is printed with them). What
a turn does is printed too, and does not: per kind of turn (the question or follow-up answered), how many
texts it embedded and the CPU time it took, and the slowest turns one by one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer.ahead import AHEAD_THREAD
from interviewer.plan import InterviewPlan
from interviewer.service import InterviewService, create_service
from interviewer.simulate import SimulatedCandidate, run_simulation


@dataclass
class TurnRecord:
    kind: str  # e.g. "technical question", "project follow_up": what the answer replied to
    question_id: str
    answer_chars: int
    ms: float  # wall clock
    cpu_ms: float  # CPU time of the whole process (every thread) during the turn
    embedded: int  # texts embedded by the turn itself
    ahead: int  # texts embedded during the turn by the preparation thread (the last turn's, waited for)
    next_kinds: str  # what the interviewer said next


class EmbeddingCounter:
    """Counts the texts the embedder computes (query-cache misses), apart for the preparation thread."""

    def __init__(self, service: InterviewService) -> None:
        self.turn = self.ahead = 0
        if service.store is None:
            return
        cache = service.store.embedder.query_cache
        vectors = cache.vectors

        def counted(texts: Sequence[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
            def counting(missing: list[str]) -> np.ndarray:
                if threading.current_thread().name.startswith(AHEAD_THREAD):
                    self.ahead += len(missing)
                else:
                    self.turn += len(missing)
                return embed(missing)
            return vectors(texts, counting)

        cache.vectors = counted  # type: ignore[method-assign]

    def take(self) -> tuple[int, int]:
        counts = self.turn, self.ahead
        self.turn = self.ahead = 0
        return counts


def forget_answers(service: InterviewService) -> None:
    """Simulated candidates reuse reference answers and one invented project; a real candidate's words
    are new to the model, so each timed interview starts with no sentence vectors cached."""
    if service.store is not None:
        service.store.embedder.query_cache.clear()


def timed_interview(service: InterviewService, persona: str, plan: InterviewPlan, seed: int,
                    counter: EmbeddingCounter) -> list[TurnRecord]:
    candidate = SimulatedCandidate(persona, service.bank, service.rubric_lookup, seed)  # type: ignore[arg-type]
    forget_answers(service)
    view = service.start(plan)
    records = []
    while view.awaiting_answer:
        prompt = next(turn for turn in reversed(view.turns) if turn.kind in ("question", "follow_up", "redirect"))
        last_grade = next((turn.grade for turn in reversed(view.turns)
                         if turn.kind == "answer" and turn.grade), None)
        reply = candidate.reply(prompt, last_grade)
        counter.take()  # what the preparation did while the candidate wrote is no part of the turn
        started, cpu = time.perf_counter(), time.process_time()
        view = service.answer(view.session_id, reply)
        ms, cpu_ms = 1000 * (time.perf_counter() - started), 1000 * (time.process_time() - cpu)
        embedded, ahead = counter.take()
        records.append(TurnRecord(f"{prompt.stage} {prompt.kind}", prompt.question_id or "", len(reply), ms, cpu_ms,
                                  embedded, ahead, ",".join(turn.kind for turn in view.new_turns)))
    return records


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def report(records: list[TurnRecord], slowest: int) -> None:
    by_kind: defaultdict[str, list[TurnRecord]] = defaultdict(list)
    for record in records:
        by_kind[record.kind].append(record)
    print("per kind of turn (wall ms noisy; texts embedded and CPU ms are the work done):")
    print(f"  {'turn':<22} {'n':>3} {'p50':>5} {'p95':>5} {'max':>5}  {'texts mean/max':>14}  {'cpu ms p50':>10}")
    for kind, group in sorted(by_kind.items(), key=lambda item: -max(r.ms for r in item[1])):
        walls = sorted(r.ms for r in group)
        texts = [r.embedded for r in group]
        print(f"  {kind:<22} {len(group):>3} {statistics.median(walls):>5.0f} {percentile(walls, 0.95):>5.0f} "
              f"{walls[-1]:>5.0f}  {statistics.mean(texts):>9.1f}/{max(texts):<4} "
              f"{statistics.median(r.cpu_ms for r in group):>10.0f}")
    print(f"slowest {slowest} turns:")
    for record in sorted(records, key=lambda r: -r.ms)[:slowest]:
        print(f"  {record.ms:5.0f} ms  cpu {record.cpu_ms:4.0f} ms  embedded {record.embedded:2d} texts "
              f"(+{record.ahead} prepared ahead)  {record.kind:<20} {record.question_id:<24} "
              f"answer {record.answer_chars:3d} chars -> {record.next_kinds}")
    print(f"texts embedded per turn: mean {statistics.mean(r.embedded for r in records):.1f}, "
          f"max {max(r.embedded for r in records)}; CPU per turn: p50 "
          f"{statistics.median(r.cpu_ms for r in records):.0f} ms, "
          f"p95 {percentile(sorted(r.cpu_ms for r in records), 0.95):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=6)
    parser.add_argument("--questions", type=int, default=4, help="technical questions per interview")
    parser.add_argument("--history", type=int, default=30, help="finished interviews already in the database")
    parser.add_argument("--slowest", type=int, default=8, help="slowest turns to list")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as directory:
        service = create_service(Path(directory))
        plan = InterviewPlan(technical_questions=args.questions)
        started = time.perf_counter()
        for index in range(args.history):
            run_simulation(service, "partial", InterviewPlan(technical_questions=1, project_questions=2), index)
        if args.history:
            print(f"history: {args.history} finished interviews in {time.perf_counter() - started:.0f} s")
        counter = EmbeddingCounter(service)
        records: list[TurnRecord] = []
        for index in range(args.interviews):
            records += timed_interview(service, ("strong", "partial")[index % 2], plan, 100 + index, counter)
    ordered = sorted(record.ms for record in records)
    report(records, args.slowest)
    print(f"load average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on "
          f"{len(os.sched_getaffinity(0))} cores")
    print(f"turns: {len(ordered)} over {args.interviews} interviews ({args.questions} technical questions each)")
    print(f"turn latency: p50 {statistics.median(ordered):.0f} ms, p95 {percentile(ordered, 0.95):.0f} ms, "
          f"max {ordered[-1]:.0f} ms")


if __name__ == "__main__":
    main()
