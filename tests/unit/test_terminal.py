"""The terminal interview: line editing on a TTY, wrapping, Ctrl-C, the per-answer limit, option limits."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.cli.practice import run_loop, turn_lines
from interviewer.service import MAX_ANSWER_CHARS, MAX_TECHNICAL_QUESTIONS, InterviewPlan, Turn

runner = CliRunner()
LONG = ("Explain how the key value cache avoids recomputation during autoregressive decoding and what "
        "its memory footprint depends on, including sequence length, number of layers and attention heads.")


def test_long_lines_wrap_between_words_and_chinese_fills_the_line() -> None:
    from rich.cells import cell_len

    lines = turn_lines(Turn(stage="technical", kind="question", text=LONG, at="t"), "en", 40)
    assert len(lines) > 2 and all(cell_len(line) <= 40 for line in lines)
    assert " ".join(line.strip() for line in lines) == f"Interviewer: {LONG}", "no word is cut"
    chinese = "你好，欢迎参加这场大模型算法工程师模拟面试。整个过程和真实面试一样，结束后会给你一份评分报告。"
    lines = turn_lines(Turn(stage="technical", kind="question", text=chinese, at="t"), "zh", 30)
    assert all(cell_len(line) <= 30 for line in lines) and cell_len(lines[0]) >= 28, "no jump to a new line"
    assert "".join(line.strip() for line in lines) == f"面试官: {chinese}"


def _service_session(hash_store, make_service, language: str):  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    return service, service.start(InterviewPlan(stages=["technical"], technical_questions=1, language=language))


@pytest.mark.parametrize(("language", "expected", "absent"), [("zh", "已暂停并保存", "paused and saved"),
                                                              ("en", "paused and saved", "已暂停")])
def test_ctrl_c_pauses_in_the_session_language(hash_store, make_service, capsys, language: str, expected: str,  # type: ignore[no-untyped-def]
                                               absent: str) -> None:
    service, view = _service_session(hash_store, make_service, language)

    def interrupted(prompt: str, draft: str) -> str:
        raise KeyboardInterrupt

    run_loop(service, view, interrupted)
    out = capsys.readouterr().out
    assert expected in out and absent not in out and "Traceback" not in out
    assert service.list_sessions()[0].status == "paused"


def test_an_answer_over_the_limit_is_refused_and_given_back_to_edit(hash_store, make_service, capsys) -> None:  # type: ignore[no-untyped-def]
    service, view = _service_session(hash_store, make_service, "zh")
    too_long = "我的回答" * (MAX_ANSWER_CHARS // 4 + 1)
    drafts: list[str] = []
    lines = iter([too_long, "缓存 key 和 value。"])

    def reader(prompt: str, draft: str) -> str:
        drafts.append(draft)
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    run_loop(service, view, reader)
    out = capsys.readouterr().out
    assert drafts[1] == too_long, "the refused answer comes back on the line, nothing typed is lost"
    assert f"上限 {MAX_ANSWER_CHARS} 字" in out
    answers = [turn.text for turn in service.view(view.session_id).turns if turn.kind == "answer"]
    assert answers == ["缓存 key 和 value。"]


def test_the_limits_are_documented_and_the_same_as_the_web_slider(indexed_home: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_INTERVIEWER_EMBEDDINGS", "hash")
    assert str(MAX_ANSWER_CHARS) in runner.invoke(app, ["practice", "--help"], env={"COLUMNS": "200"}).output
    too_many = runner.invoke(app, ["practice", "--questions", str(MAX_TECHNICAL_QUESTIONS + 1)], input="")
    assert too_many.exit_code == 2 and "questions" in too_many.output
    too_many = runner.invoke(app, ["simulate", "--questions", str(MAX_TECHNICAL_QUESTIONS + 1)])
    assert too_many.exit_code == 2


@pytest.mark.slow  # a child process on a pseudo-terminal
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_terminal_gets_line_editing_and_history() -> None:
    import pty

    script = ("from interviewer.cli.practice import terminal_reader; read = terminal_reader(); "
              "first = read('> ', ''); second = read('> ', ''); print('GOT', repr(first), repr(second))")
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdin and stdout are the pseudo-terminal
        os.execv(sys.executable, [sys.executable, "-c", script])
    try:
        output = b""

        def read_until(marker: bytes, seconds: float = 120, after: bytes = b"") -> None:
            nonlocal output
            deadline = time.monotonic() + seconds
            while marker not in output[output.find(after):] and time.monotonic() < deadline:
                try:
                    output += os.read(fd, 1024)
                except OSError:
                    break

        read_until(b"> ")
        os.write(fd, b"abc\x1b[Dd\r")  # type "abc", Left arrow, "d": the cursor moved, so "abdc"
        read_until(b"> ", 30)
        os.write(fd, b"\x1b[A!\r")  # Up recalls the previous answer
        read_until(b"GOT", 30)
        read_until(b"\n", 30, after=b"GOT")  # the whole line, not only its start
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    assert b"GOT 'abdc' 'abdc!'" in output, output
