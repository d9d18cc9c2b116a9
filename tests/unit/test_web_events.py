"""The web app's events without a browser: buttons found by their elem_id, their handlers called directly."""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from interviewer.service import MAX_TECHNICAL_QUESTIONS, InterviewPlan, Turn
from ui import handlers
from ui.i18n import text
from ui.state import encode_state, fresh_state, with_session


def component(demo: Any, elem_id: str) -> Any:
    return next(block for block in demo.blocks.values() if getattr(block, "elem_id", None) == elem_id)


def click_handler(demo: Any, elem_id: str) -> Any:
    target = component(demo, elem_id)
    return next(fn.fn for fn in demo.fns.values()
                if any(block_id == target._id and event == "click" for block_id, event in fn.targets))


@pytest.fixture
def app_and_service(hash_store, make_service, home: Path, no_report_warmup: None):  # type: ignore[no-untyped-def]
    from ui.app import build_app

    service = make_service(hash_store)
    demo = build_app(service, home)
    yield demo, service
    demo.close()


def test_during_an_interview_one_can_pause_and_leave_or_start_a_new_one(app_and_service) -> None:  # type: ignore[no-untyped-def]
    demo, service = app_and_service
    assert component(demo, "pause") is not None and component(demo, "new-during") is not None
    for button in ("pause", "new-during"):
        view = service.start(InterviewPlan(stages=["technical"], technical_questions=1))
        state = with_session(fresh_state("zh"), view.session_id)
        updates = click_handler(demo, button)(encode_state(state))
        shown = {getattr(block, "elem_id", None): value for block, value in updates.items()}
        assert service.view(view.session_id).status == "paused", button
        assert shown["setup"]["visible"] is True and shown["interview"]["visible"] is False
        assert view.session_id in [s.session_id for s in service.list_sessions()], "nothing is ended or lost"
    assert not shown.get("setup-message")  # "new interview" just opens the setup
    updates = click_handler(demo, "pause")(encode_state(with_session(fresh_state("en"), view.session_id)))
    assert text("en", "paused") in {getattr(b, "elem_id", None): v for b, v in updates.items()}["setup-message"]


def test_the_slider_and_the_cli_allow_the_same_number_of_questions(app_and_service) -> None:  # type: ignore[no-untyped-def]
    demo, _ = app_and_service
    assert component(demo, "questions").maximum == MAX_TECHNICAL_QUESTIONS


def test_practice_feedback_is_shown_once_and_the_reference_is_one_list() -> None:
    turns = [Turn(stage="technical", kind="question", text="什么是 LoRA？", at="t"),
             Turn(stage="technical", kind="answer", text="低秩", at="t"),
             Turn(stage="technical", kind="feedback", text="得分：40\n参考答案：**冻结**原权重", at="t")]
    assert [m["content"] for m in handlers.chat_messages(turns)] == ["什么是 LoRA？", "低秩"]
    reference = handlers.reference_markdown("分三步：\n\n1. **冻结**原权重\n只训练 A、B。\n\n2.**初始化**\nB 为零。\n\n3. 合并")
    markdown_it = pytest.importorskip("markdown_it")
    page = markdown_it.MarkdownIt("commonmark").render(reference)
    assert page.count("<ol") == 1 and page.count("<li>") == 3 and page.count("<strong>") == 2


def test_a_finished_interview_shows_the_closing_reply_and_summary(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    from tests.unit.test_session_api import _finish_with_closing

    view = _finish_with_closing(service)
    shown = handlers.closing_markdown(view.turns, "zh")
    reply = next(turn.text for turn in view.turns if turn.event == "closing_reply")
    summary = next(turn.text for turn in view.turns if turn.event == "summary")
    assert handlers.literal(reply) in shown and handlers.literal(summary.splitlines()[0]) in shown
    assert "团队平时主要做什么方向" in shown


def test_a_local_install_shows_sessions_started_in_the_terminal(hash_store, make_service, indexed_home: Path,  # type: ignore[no-untyped-def]
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from interviewer.cli import app
    from ui.server import shows_all_sessions

    monkeypatch.setenv("MOCK_INTERVIEWER_EMBEDDINGS", "hash")
    started = CliRunner().invoke(app, ["practice", "--questions", "1", "--stage", "technical"], input="缓存 key 和 value，避免重复计算。\n/end\n")
    assert started.exit_code == 0, started.output
    service = make_service(hash_store)
    terminal_session = service.list_sessions()[0].session_id
    assert [s.session_id for s in handlers.own_sessions(service, None)] == [terminal_session]
    assert handlers.own_sessions(service, []) == []  # a browser on a shared server sees only its own
    markdown, _ = handlers.progress_view(service, None, "zh")
    assert text("zh", "no_progress") not in markdown
    assert shows_all_sessions("127.0.0.1", None) and not shows_all_sessions("0.0.0.0", None)
    assert not shows_all_sessions("127.0.0.1", ("user", "secret"))


def test_web_on_a_busy_port_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from interviewer.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        monkeypatch.setattr(sys, "argv", ["mock-interview", "web", "--port", str(port)])
        with pytest.raises(SystemExit) as exit_info:
            main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"port {port}" in err and "already in use" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_the_index_line_is_printed_only_when_the_index_is_built(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    from rubrics.embeddings import HashEmbedder
    from rubrics.store import RubricStore, open_store

    said: list[str] = []
    monkeypatch.setattr(RubricStore, "sync", lambda self, *args, **kwargs: None)
    monkeypatch.setattr(RubricStore, "needs_sync", lambda self, *args: True)
    open_store(home, HashEmbedder(), before_indexing=lambda: said.append("building"))
    assert said == ["building"]
    monkeypatch.setattr(RubricStore, "needs_sync", lambda self, *args: False)
    open_store(home, HashEmbedder(), before_indexing=lambda: said.append("again"))
    assert said == ["building"]
