"""Time per interview turn, offline: an answer in, the next interviewer message out.

    python benchmarks/interview_latency.py [--interviews 6] [--questions 4] [--history 30]

Runs whole simulated interviews (strong and partial candidates in turn) through the service, as the
terminal and the web app do: SQLite checkpoints with durability "sync", the real offline embedder
and grader. `--history` first fills the sessions database with that many finished interviews, so
the figures include a user who has practised before. Prints p50 / p95 / max turn latency.
Target (issue 5): p95 under 300 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer.plan import InterviewPlan
from interviewer.service import InterviewService, create_service
from interviewer.simulate import SimulatedCandidate, run_simulation


def forget_answers(service: InterviewService) -> None:
    """Simulated candidates reuse reference answers and one invented project; a real candidate's words
    are new to the model, so each timed interview starts with no sentence vectors cached."""
    if service.store is not None:
        service.store.embedder.query_cache.clear()


def timed_interview(service: InterviewService, persona: str, plan: InterviewPlan, seed: int) -> list[float]:
    candidate = SimulatedCandidate(persona, service.bank, service.rubric_lookup, seed)  # type: ignore[arg-type]
    forget_answers(service)
    view = service.start(plan)
    latencies = []
    while view.awaiting_answer:
        prompt = next(turn for turn in reversed(view.turns) if turn.kind in ("question", "follow_up", "redirect"))
        last_grade = next((turn.grade for turn in reversed(view.turns)
                         if turn.kind == "answer" and turn.grade), None)
        reply = candidate.reply(prompt, last_grade)
        started = time.perf_counter()
        view = service.answer(view.session_id, reply)
        latencies.append(1000 * (time.perf_counter() - started))
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=6)
    parser.add_argument("--questions", type=int, default=4, help="technical questions per interview")
    parser.add_argument("--history", type=int, default=30, help="finished interviews already in the database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        service = create_service(Path(directory))
        plan = InterviewPlan(technical_questions=args.questions)
        started = time.perf_counter()
        for index in range(args.history):
            run_simulation(service, "partial", InterviewPlan(technical_questions=1, project_questions=2), index)
        if args.history:
            print(f"history: {args.history} finished interviews in {time.perf_counter() - started:.0f} s")
        latencies: list[float] = []
        for index in range(args.interviews):
            latencies += timed_interview(service, ("strong", "partial")[index % 2], plan, seed=100 + index)
    ordered = sorted(latencies)
    print(f"turns: {len(ordered)} over {args.interviews} interviews ({args.questions} technical questions each)")
    print(f"turn latency: p50 {statistics.median(ordered):.0f} ms, p95 {ordered[int(len(ordered) * 0.95)]:.0f} ms, "
          f"max {ordered[-1]:.0f} ms")


if __name__ == "__main__":
    main()
