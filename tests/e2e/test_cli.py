"""The terminal commands end to end: practice through a pipe, sessions, simulate, report and progress."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.cli.messages import say
from question_bank.loader import questions_by_id
from tests.conftest import session_of

runner = CliRunner()


@pytest.fixture(autouse=True)
def hash_embeddings(monkeypatch: pytest.MonkeyPatch, indexed_home: Path) -> None:
    monkeypatch.setenv("MOCK_INTERVIEWER_EMBEDDINGS", "hash")


def test_practice_reads_answers_from_a_pipe_and_pauses_at_the_end_of_input() -> None:
    first = runner.invoke(app, ["practice", "--questions", "1", "--stage", "opening", "--stage", "technical"],
                          input="我是算法工程师，做过 RAG 项目。\n")
    assert first.exit_code == 0, first.output
    session_id = session_of(first.output)
    assert "面试官" in first.output and say("paused", "zh", session_id=session_id) in first.output
    listed = json.loads(runner.invoke(app, ["sessions", "list", "--json"]).stdout)
    assert listed[0]["session_id"] == session_id and listed[0]["status"] == "paused"

    second = runner.invoke(app, ["practice", "--resume", session_id], input="缓存 key 和 value。\n/end\n")
    assert second.exit_code == 0, second.output
    shown = json.loads(runner.invoke(app, ["sessions", "show", session_id, "--json"]).stdout)
    answers = [turn["text"] for turn in shown["turns"] if turn["kind"] == "answer"]
    assert answers[:2] == ["我是算法工程师，做过 RAG 项目。", "缓存 key 和 value。"]
    assert shown["status"] == "finished"
    again = runner.invoke(app, ["practice", "--resume", session_id], input="")
    assert again.exit_code == 0 and say("finished", "zh", session_id=session_id) in again.output


def test_practice_takes_comma_separated_topics_and_stages() -> None:
    result = runner.invoke(app, ["practice", "--questions", "1", "--stages", "technical,closing",
                                 "--topics", "rag,peft"], input="")
    assert result.exit_code == 0, result.output
    shown = json.loads(runner.invoke(app, ["sessions", "show", session_of(result.output), "--json"]).stdout)
    asked = [turn for turn in shown["turns"] if turn["kind"] == "question"]
    assert asked[0]["stage"] == "technical" and "项目就先聊到这里" not in result.output
    assert questions_by_id()[asked[0]["question_id"]].topic in {"rag", "peft"}


def test_practice_rejects_bad_options_clearly() -> None:
    result = runner.invoke(app, ["practice", "--topic", "astrology"], input="")
    assert result.exit_code == 1 and "topics" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["practice", "--resume", "nope"], input="")
    assert result.exit_code == 1 and "nope" in result.output


@pytest.mark.slow  # a whole simulated interview and every report format, PDF included
def test_simulate_json_report_and_progress(tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", "--persona", "partial", "--questions", "1", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"session_id", "overall_score", "turns", "report"} <= set(payload)
    assert payload["report"]["overall_score"] == payload["overall_score"]
    for fmt in ("md", "html", "json", "pdf"):
        out = tmp_path / f"r.{fmt}"
        made = runner.invoke(app, ["report", payload["session_id"], "--format", fmt, "--out", str(out)])
        assert made.exit_code == 0, made.output
        assert out.stat().st_size > 200
    default = runner.invoke(app, ["report", payload["session_id"], "--format", "md"])
    written = Path(default.stdout.strip())  # one line, however long the path: it is there to be copied
    assert written.parent.name == "reports" and written.is_file()
    progress = json.loads(runner.invoke(app, ["progress", "--json"]).stdout)
    assert progress["sessions"][0]["session_id"] == payload["session_id"]
    assert runner.invoke(app, ["report", payload["session_id"], "--format", "docx"]).exit_code == 1


def test_sessions_delete() -> None:
    session_id = json.loads(runner.invoke(app, ["simulate", "--persona", "silent", "--questions", "1",
                                                "--json"]).stdout)["session_id"]
    assert runner.invoke(app, ["sessions", "delete", session_id, "--yes"]).exit_code == 0
    assert session_id not in runner.invoke(app, ["sessions", "list", "--json"]).stdout
    assert runner.invoke(app, ["sessions", "show", session_id]).exit_code == 1


@pytest.mark.slow  # a real process: the interpreter and the CLI start from cold
def test_console_script_runs_in_a_real_process(home: Path) -> None:
    script = Path(sys.executable).parent / "mock-interview"  # installed next to this interpreter
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0 and "practice" in result.stdout and "web" in result.stdout


@pytest.mark.slow  # six real processes, one per broken setting
def test_broken_settings_end_with_one_clear_line(home: Path, tmp_path: Path, fake_openai) -> None:  # type: ignore[no-untyped-def]
    import os

    script = Path(sys.executable).parent / "mock-interview"
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("x", encoding="utf-8")
    corrupt = tmp_path / "corrupt"
    (corrupt / "chroma").mkdir(parents=True)
    (corrupt / "chroma" / "chroma.sqlite3").write_text("garbage", encoding="utf-8")
    cases = [
        ({"MOCK_INTERVIEWER_HOME": str(not_a_directory)}, ["bank", "stats"], "data directory"),
        ({"MOCK_INTERVIEWER_EMBEDDINGS": "opnai"}, ["bank", "search", "LoRA"], "MOCK_INTERVIEWER_EMBEDDINGS"),
        ({"MOCK_INTERVIEWER_EMBEDDINGS": "openai"}, ["index"], "OPENAI_API_KEY"),
        ({"MOCK_INTERVIEWER_EMBEDDINGS": "openai", "OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"},
         ["bank", "search", "LoRA"], "failed"),
        ({"MOCK_INTERVIEWER_LLM_TIMEOUT": "soon"}, ["grade", "--question", "什么是 LoRA", "--answer", "低秩"], "seconds"),
        ({"MOCK_INTERVIEWER_HOME": str(corrupt)}, ["index"], "unreadable"),
    ]
    for overrides, args, expected in cases:
        env = {**os.environ, "MOCK_INTERVIEWER_HOME": str(home), **overrides}
        result = subprocess.run([str(script), *args], capture_output=True, text=True, timeout=300, env=env,
                                check=False)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert expected in result.stderr and "Traceback" not in result.stderr + result.stdout, result.stderr
