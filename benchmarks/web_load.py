"""Concurrent candidates against the web app over loopback, offline: turn latency and errors.

    python benchmarks/web_load.py [--candidates 20] [--think 10] [--questions 3] [--minutes 5]

Starts the real app (offline embedder and grader, SQLite sessions) on 127.0.0.1, then runs
`--candidates` simulated candidates at once, each with its own gradio_client connection, through
whole interviews: /start, then one /answer per interviewer turn, pausing `--think` seconds between
answers (10 s is a very fast typist: real candidates think and type for 30 s or more; small values
are a stress test that saturates the two cores). A turn's latency
runs from sending the answer to the first update of the reply (the interviewer's next message
starts to appear); the whole event (typing effect, report and PDF) is printed too. Bounded by `--minutes`.
Target (issue 6): 20 concurrent candidates, p95 under 1 s, zero errors, on 2 cores.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gradio_client import Client

from interviewer.service import InterviewService, create_service
from interviewer.simulate import PERSONAS, SimulatedCandidate
from ui.app import build_app, decode_state, encode_state
from ui.server import launch

BROWSER_STATE = -2  # position of the browser state among the /start and /answer outputs


def candidate(url: str, service: InterviewService, index: int, args: argparse.Namespace, deadline: float,
              latencies: list[float], completions: list[float], errors: list[str]) -> None:
    persona = ("strong", "partial")[index % 2] if index % 5 else random.Random(index).choice(PERSONAS)
    simulated = SimulatedCandidate(persona, service.bank, service.rubric_lookup, seed=index)  # type: ignore[arg-type]
    try:
        client = Client(url, verbose=False)
        fresh = encode_state({"session_id": None, "language": "zh"})
        outputs = client.predict("interview", ["opening", "project", "technical", "behavioral", "closing"],
                                 args.questions, [], 2, "", "zh", fresh, api_name="/start")
        state = decode_state(outputs[BROWSER_STATE])
        session_id = state["session_id"]
        while time.monotonic() < deadline:
            view = service.view(session_id)
            if view.finished or not view.awaiting_answer:
                return
            prompt = next(turn for turn in reversed(view.turns) if turn.kind in ("question", "follow_up", "redirect"))
            last = next((turn.grade for turn in reversed(view.turns)
                         if turn.kind == "answer" and turn.grade), None)
            reply = simulated.reply(prompt, last)
            time.sleep(args.think * random.uniform(0.5, 1.5))
            started = time.perf_counter()
            job = client.submit(reply, encode_state(state), api_name="/answer")
            for _ in job:  # the first update arrives once the reply is graded and the next message is ready
                latencies.append(1000 * (time.perf_counter() - started))
                break
            job.result()
            completions.append(1000 * (time.perf_counter() - started))
            answers = [turn.text for turn in service.view(session_id).turns if turn.kind == "answer"]
            if not answers or answers[-1] != reply:
                errors.append(f"candidate {index}: answer not recorded")
                return
    except Exception as error:  # every failure counts; the benchmark goes on with the others
        errors.append(f"candidate {index}: {type(error).__name__}: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--think", type=float, default=10.0, help="mean seconds between answers")
    parser.add_argument("--questions", type=int, default=3, help="technical questions per interview")
    parser.add_argument("--minutes", type=float, default=5.0, help="stop after this long")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        home = Path(directory)
        service = create_service(home)
        demo = build_app(service, home)
        _, url, _ = launch(demo, home, port=None, prevent_thread_lock=True, quiet=True)
        latencies: list[float] = []
        completions: list[float] = []
        errors: list[str] = []
        deadline = time.monotonic() + 60 * args.minutes
        started = time.perf_counter()
        threads = [threading.Thread(target=candidate, args=(url, service, index, args, deadline, latencies, completions,
                                                                 errors))
                   for index in range(args.candidates)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        demo.close()
    ordered = sorted(latencies)
    print(f"{args.candidates} concurrent candidates, think time ~{args.think:g} s, {len(ordered)} answers "
          f"in {elapsed:.0f} s ({len(ordered) / elapsed:.1f} answers/s)")
    for label, values in (("turn latency (answer sent → interviewer's reply starts)", ordered),
                          ("whole event (reply streamed, report and PDF included)", sorted(completions))):
        if values:
            print(f"{label}: p50 {statistics.median(values):.0f} ms, "
                  f"p95 {values[int(len(values) * 0.95)]:.0f} ms, max {values[-1]:.0f} ms")
    print(f"errors: {len(errors)}")
    for error in errors[:10]:
        print("  " + error)


if __name__ == "__main__":
    main()
