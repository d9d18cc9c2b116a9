"""Web handlers as plain functions, and the app's API through gradio_client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gradio_client import Client

from interviewer.transcript import Turn
from ui import handlers
from ui.app import decode_state, encode_state


def test_chat_messages_keep_answers_exactly() -> None:
    turns = [Turn(stage="opening", kind="question", text="请自我介绍", at="t"),
             Turn(stage="opening", kind="answer", text="<b>我</b>", at="t"),
             Turn(stage="opening", kind="follow_up", text="再说说？", at="t")]
    assert handlers.chat_messages(turns) == [{"role": "assistant", "content": "请自我介绍"},
                                             {"role": "user", "content": "<b>我</b>"},
                                             {"role": "assistant", "content": "↳ 再说说？"}]


def test_setup_errors_are_user_errors() -> None:
    with pytest.raises(handlers.UserError, match="stages"):
        handlers.plan_from_setup("interview", [], 3, [], 2, "", "zh")
    plan = handlers.plan_from_setup("practice", ["technical"], 3.0, ["rag"], 1.0, "  我做过 RAG  ", "en")
    assert plan.mode == "practice" and plan.resume_text == "我做过 RAG" and plan.language == "en"


def test_uploads_are_checked_and_parsed(tmp_path: Path) -> None:
    text_file = tmp_path / "cv.md"
    text_file.write_text("# 简历\n做过 RAG 项目", encoding="utf-8")
    assert "RAG" in handlers.read_upload(str(text_file), "zh")
    gbk = tmp_path / "cv.txt"
    gbk.write_bytes("微调 LoRA 项目".encode("gb18030"))
    assert "LoRA" in handlers.read_upload(str(gbk), "zh")
    for name, content, message in (("cv.docx", b"x", "只支持"), ("bad.pdf", b"%PDF-1.4 broken", "PDF"),
                                   ("empty.txt", b"   ", "没有可读取"), ("big.txt", b"a" * (3 * 1024 * 1024), "太大")):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(handlers.UserError, match=message):
            handlers.read_upload(str(path), "zh")


def test_browser_state_is_validated() -> None:
    assert decode_state(encode_state({"session_id": "abc", "language": "en"})) == {"session_id": "abc", "language": "en"}
    for raw in (None, "", "not json", "[1, 2]", json.dumps({"session_id": 5, "language": "fr"})):
        assert decode_state(raw) == {"session_id": None, "language": "zh"}


def test_the_api_runs_an_interview_and_isolates_sessions(web_app) -> None:  # type: ignore[no-untyped-def]
    url, service = web_app
    client = Client(url, verbose=False)
    fresh = encode_state({"session_id": None, "language": "zh"})
    first = client.predict("interview", ["opening", "technical"], 1, [], 2, "", "zh", fresh, api_name="/start")
    second = client.predict("interview", ["opening"], 0, [], 2, "", "zh", fresh, api_name="/start")
    state_one, state_two = decode_state(first[-2]), decode_state(second[-2])
    assert state_one["session_id"] and state_one["session_id"] != state_two["session_id"]
    answered = client.predict("我做过 RAG 项目。", encode_state(state_one), api_name="/answer")
    chat = answered[0]
    assert any(message["role"] == "user" for message in chat)
    transcript_one = service.snapshot(state_one["session_id"]).turns
    transcript_two = service.snapshot(state_two["session_id"]).turns
    assert [t.text for t in transcript_one if t.kind == "answer"] == ["我做过 RAG 项目。"]
    assert not [t for t in transcript_two if t.kind == "answer"]
    empty = client.predict("   ", encode_state(state_one), api_name="/answer")
    assert "/skip" in empty[-4] or "/skip" in str(empty)  # a notice, and nothing is sent
    unknown = client.predict("hello", encode_state({"session_id": "nope", "language": "zh"}), api_name="/answer")
    assert "nope" in str(unknown) and "Traceback" not in str(unknown)


def test_report_files_are_made_once_per_session_version(hash_store, make_service, home: Path) -> None:  # type: ignore[no-untyped-def]
    from interviewer.plan import InterviewPlan
    from interviewer.simulate import run_simulation
    from ui.report_files import ReportFiles

    service = make_service(hash_store)
    view = run_simulation(service, "partial", InterviewPlan(stages=["opening", "technical"], technical_questions=1))
    files = ReportFiles(service, home)
    try:
        page, paths, notice = files.for_session(view.session_id, wait_for_pdf=True)
        assert "sandbox" in page and "模拟面试报告" in page
        expected = {".md", ".html", ".json"} | ({".pdf"} if not notice else set())
        assert {Path(path).suffix for path in paths} == expected and all(Path(path).stat().st_size for path in paths)
        assert files.for_session(view.session_id, wait_for_pdf=False) == (page, paths, notice)  # cached, PDF done
        assert len(list((home / "reports").iterdir())) == len(paths)
    finally:
        files.close()
