"""The interview with an LLM configured: turn latency and LLM round trips per turn.

    python benchmarks/llm_path.py --fake-delay 1.0            # a responsive API: the fake server answers in 1 s
    python benchmarks/llm_path.py --base-url http://127.0.0.1:8765/v1 --model gemma3-270m   # a real server

Runs simulated strong-candidate interviews (3 technical questions by default) through the service with
the real offline embedder. Prints the whole interview's time, turn latency p50 / p95 / max, LLM calls per
turn, LLM round trips on each turn's critical path (the longest chain of calls of which each started after
the one before it ended: calls that overlap count once), the slowest single call and the structured-output
method negotiated. With --fake-delay it also prints the same interview offline, so "offline latency plus
at most one LLM round trip" can be read off.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, get_args

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer.grading import build_grader
from interviewer.grading import text as answer_text
from interviewer.grading.judge import PointVerdict
from interviewer.llm import LLMClient, make_llm_client
from interviewer.llm.client import CallRecord
from interviewer.plan import InterviewPlan
from interviewer.service import InterviewService
from interviewer.settings import LLMSettings
from interviewer.simulate import SimulatedCandidate
from question_bank.loader import load_bank
from rubrics.embeddings import make_embedder
from rubrics.store import open_store

ABSENT = next(value for value in get_args(PointVerdict.model_fields["verdict"].annotation)
              if value in ("absent", "missing"))


def fake_reply(body: dict[str, Any]) -> Any:
    """A plausible reply to any request: verdicts for the judge, a question for everything else."""
    prompt = json.dumps(body.get("messages", []), ensure_ascii=False)
    if body.get("response_format") or body.get("tools") or "JSON" in prompt:
        points = len(re.findall(r"\\n\d+: ", prompt)) or 6
        return {"points": [{"index": i, "verdict": ABSENT, "quote": "", "reason": "未提到"} for i in range(points)]}
    return "能具体展开讲讲这一点吗？"


def critical_path(calls: list[CallRecord]) -> int:
    """The most calls in a chain where each starts after the previous one ended (overlapping calls count once)."""
    ordered = sorted(calls, key=lambda call: call.started)
    longest: list[int] = []
    for index, call in enumerate(ordered):
        before = [longest[i] for i in range(index) if ordered[i].ended <= call.started + OVERLAP_SLACK]
        longest.append(1 + max(before, default=0))
    return max(longest, default=0)


OVERLAP_SLACK = 0.005  # seconds: a call that starts as another ends follows it


def run(service: InterviewService, plan: InterviewPlan, seeds: range,
        client: LLMClient | None = None) -> tuple[list[float], list[int], list[int], float]:
    latencies: list[float] = []
    calls_per_turn: list[int] = []
    trips_per_turn: list[int] = []
    outside_llm: list[float] = []  # ms of each turn with no LLM call running: the offline part
    started_all = time.perf_counter()
    for seed in seeds:
        candidate = SimulatedCandidate("strong", service.bank, service.rubric_lookup, seed)  # type: ignore[arg-type]
        if service.store is not None:
            service.store.embedder.query_cache.clear()
        view = service.start(plan)
        while view.awaiting_answer:
            prompt = next(t for t in reversed(view.turns) if t.kind in ("question", "follow_up", "redirect"))
            last = next((t.grade for t in reversed(view.turns) if t.kind == "answer" and t.grade), None)
            reply = candidate.reply(prompt, last)
            if client is not None:
                client.calls.clear()
            started = time.perf_counter()
            view = service.answer(view.session_id, reply)
            latencies.append(1000 * (time.perf_counter() - started))
            calls = list(client.calls) if client is not None else []
            calls_per_turn.append(len(calls))
            trips_per_turn.append(critical_path(calls))
            outside_llm.append(latencies[-1] - 1000 * llm_wall_time(calls))
    return latencies, calls_per_turn, trips_per_turn, outside_llm, time.perf_counter() - started_all


def llm_wall_time(calls: list[CallRecord]) -> float:
    """Seconds in which at least one LLM call was running (overlapping calls count once)."""
    total, reached = 0.0, float("-inf")
    for call in sorted(calls, key=lambda call: call.started):
        start = max(call.started, reached)
        if call.ended > start:
            total += call.ended - start
        reached = max(reached, call.ended)
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def describe(label: str, latencies: list[float], calls: list[int], trips: list[int], outside: list[float],
             elapsed: float) -> None:
    print(f"{label}: {len(latencies)} turns in {elapsed:.1f} s; turn p50 {statistics.median(latencies):.0f} ms, "
          f"p95 {percentile(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms; "
          f"time with no LLM call running p50 {statistics.median(outside):.0f} ms; "
          f"LLM calls per turn mean {statistics.mean(calls):.2f}, max {max(calls)}; "
          f"round trips on the critical path per turn mean {statistics.mean(trips):.2f}, max {max(trips)} "
          f"(turns by round trips: {dict(sorted(Counter(trips).items()))})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fake-delay", type=float, default=None, help="use the fake server with this delay (s)")
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--model", default="local")
    parser.add_argument("--interviews", type=int, default=1)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--stages", default="opening,technical,closing",
                        help="comma-separated stages (add 'project' for the project deep-dive, 2 questions)")
    args = parser.parse_args()
    if (args.fake_delay is None) == (args.base_url is None):
        parser.error("give exactly one of --fake-delay or --base-url")
    plan = InterviewPlan(stages=args.stages.split(","), technical_questions=args.questions, project_questions=2)
    with tempfile.TemporaryDirectory() as directory:
        home = Path(directory)
        embedder = make_embedder()
        store = open_store(home, embedder)
        # Warm up as the app does at start (rubric vectors, jieba), so no run pays for loading them.
        store.point_matrix()
        answer_text.terms("预热")
        bank = load_bank(home)
        fake = None
        if args.fake_delay is not None:
            from tests.fake_openai import FakeOpenAIServer

            fake = FakeOpenAIServer()
            fake.delay, fake.responder = args.fake_delay, fake_reply
            fake.start()
            base_url = fake.base_url
        else:
            base_url = args.base_url
        settings = LLMSettings(api_key="local", base_url=base_url, model=args.model, timeout_seconds=30, max_retries=0)
        client = make_llm_client(settings, home)
        offline_grader = build_grader(embedder, store, settings=LLMSettings(api_key=None, base_url=None, model="x"))
        if fake is not None:
            offline = InterviewService(home, grader=offline_grader, store=store, bank=bank)
            describe("offline", *run(offline, plan, range(args.interviews)))
        service = InterviewService(home, grader=build_grader(embedder, store, llm=client, settings=settings),
                                   store=store, bank=bank, chat_model=client)
        describe("with LLM", *run(service, plan, range(args.interviews), client))
        print(f"structured output method: {client.method if client else None}; endpoint paused: "
              f"{client.paused if client else None}")
        if fake is not None:
            fake.stop()


if __name__ == "__main__":
    main()
