"""One replica's operations: /healthz, JSON logs with the session id, and a SIGTERM that lets the turn
in progress finish (the candidate gets the reply, the answer is kept) before the process exits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from gradio_client import Client

from tests.integration.servers import free_port, wait_for_http
from ui.state import decode_state, encode_state


def health(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_sigterm_finishes_the_turn_in_progress(home: Path, fake_openai, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "replica.log").open("w")
    environment = {**os.environ, "OPENAI_API_KEY": "test-key", "OPENAI_BASE_URL": fake_openai.base_url,
                   "MOCK_INTERVIEWER_LLM_TIMEOUT": "30"}
    process = subprocess.Popen([sys.executable, "-c", "from interviewer.cli import main; main()", "web", "--port",
                                str(port), "--replica", "r1"], stdout=log, stderr=subprocess.STDOUT, env=environment)
    try:
        wait_for_http(f"{url}/healthz", 240, process)
        assert health(url) == (200, {"status": "ok", "replica": "r1", "database": "ok"})
        client = Client(url, verbose=False)
        fresh = encode_state({"session_id": None, "language": "zh"})
        state = decode_state(client.predict("interview", ["opening", "technical"], 1, [], 2, "", "zh", fresh,
                                            api_name="/start")[-2])

        fake_openai.delay = 4.0  # the LLM takes its time: the turn is still running when SIGTERM arrives
        answer = "我负责推荐系统的召回，最近在做基于 RAG 的客服问答。"
        before = len(fake_openai.requests)
        job = client.submit(answer, encode_state(state), api_name="/answer")
        deadline = time.monotonic() + 30
        while len(fake_openai.requests) == before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(fake_openai.requests) > before, "the turn never reached the LLM"
        process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert health(url)[0] == 503  # draining: a proxy or orchestrator stops sending new candidates
        outputs = job.result(timeout=60)
        assert answer[:10] in json.dumps(outputs[0], ensure_ascii=False)
        assert process.wait(60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        log.close()
    lines = [json.loads(line) for line in (tmp_path / "replica.log").read_text().splitlines() if line.startswith("{")]
    turns = [line for line in lines if line.get("message") == "turn"]
    assert turns and all(line["replica"] == "r1" and line["session_id"] == state["session_id"] for line in turns)
    assert [line["message"] for line in lines if line.get("event") == "shutdown"] == ["draining", "stopped"]
