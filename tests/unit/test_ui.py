"""Web handlers as plain functions, and the app's API through gradio_client."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from gradio_client import Client

from interviewer.service import SessionView
from interviewer.transcript import Turn
from ui import handlers
from ui.app import decode_state, encode_state
from ui.i18n import TEXT, error_text, notice_text, text
from ui.state import fresh_state, with_session, without_session

HOSTILE = ['![x](http://198.51.100.7/pixel.png) <img src=x onerror="alert(1)"> **bold** $$x^2$$',
           "<script>alert(1)</script> [link](javascript:alert(1)) http://example.com www.example.com a@b.com",
           "标题\n===\n- 列表\n1. 一\n> 引用\n| a | b |\n|---|---|\n`code` ~~del~~ _em_ &lt; &amp; \\*"]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def rendered(markdown: str) -> _Text:
    """What a CommonMark renderer (with tables and strikethrough, like the page's) makes of `markdown`."""
    markdown_it = pytest.importorskip("markdown_it")
    parser = _Text()
    parser.feed(markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown))
    return parser


def view(**fields) -> SessionView:  # type: ignore[no-untyped-def]
    base = {"session_id": "s1", "status": "active", "stage": "technical", "mode": "practice", "turns": [],
            "new_turns": [], "awaiting_answer": True, "language": "zh", "difficulty": 2,
            "progress": {"asked": 2, "planned": 5, "answered": 2, "stage_index": 2}, "project_card": {},
            "last_grade": None, "finished": False}
    return SessionView.model_validate({**base, **fields})


# --- candidate text is shown, never rendered --------------------------------------------------------

@pytest.mark.parametrize("hostile", HOSTILE)
def test_literal_markdown_shows_the_text_and_nothing_else(hostile: str) -> None:
    page = rendered(handlers.literal(hostile))
    assert page.tags <= {"p"}, "no image, link, emphasis, heading, list, table or code"
    assert " ".join(page.text.replace("\u00a0", " ").split()) == " ".join(hostile.split())


def test_chat_messages_escape_answers_and_interviewer_echoes() -> None:
    turns = [Turn(stage="opening", kind="question", text="请自我介绍", at="t"),
             Turn(stage="opening", kind="answer", text="<b>我</b> **粗体**", at="t"),
             Turn(stage="project", kind="follow_up", text="你说的 <img src=x onerror=alert(1)> 是什么？", at="t")]
    messages = handlers.chat_messages(turns)
    assert [m["role"] for m in messages] == ["assistant", "user", "assistant"]
    assert messages[0]["content"] == "请自我介绍"
    for message, turn in zip(messages[1:], turns[1:], strict=True):
        page = rendered(message["content"])
        assert page.tags <= {"p"} and turn.text in page.text
    assert messages[2]["content"].startswith("↳ ")


def test_commands_are_small_notes_in_the_ui_language() -> None:
    turns = [Turn(stage="technical", kind="question", text="什么是 LoRA？", at="t"),
             Turn(stage="technical", kind="system", text="提示：可以从「低秩」这个角度想想。", at="t"),  # saved before events
             Turn(stage="technical", kind="answer", text="/skip", grade={"score": 0, "flags": ["skipped"]}, at="t")]
    zh = handlers.chat_messages(turns, "zh")
    assert [m["role"] for m in zh] == ["assistant", "user", "assistant", "user"]
    assert zh[1]["content"] == f"*{text('zh', 'note_hint')}*" and zh[3]["content"] == f"*{text('zh', 'note_skip')}*"
    assert "skipped" in handlers.chat_messages(turns, "en")[3]["content"]


def test_the_typing_effect_reveals_escaped_prefixes() -> None:
    item = handlers.ChatItem("assistant", "你说的 **RAG** 和 <b>检索</b> 有什么区别？", 0)
    steps = handlers.reveal(item, 4)
    assert 2 <= len(steps) <= 4
    assert all(rendered(step["content"]).tags <= {"p"} for step in steps)
    assert len(steps[-1]["content"]) < len(item.message()["content"])


# --- setup --------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["zh", "en"])
def test_setup_errors_are_friendly_and_in_the_ui_language(language: str) -> None:
    with pytest.raises(handlers.UserError) as no_stages:
        handlers.plan_from_setup("interview", [], 3, [], 2, "", language)
    assert str(no_stages.value) == text(language, "no_stages")
    with pytest.raises(handlers.UserError) as empty:
        handlers.plan_from_setup("interview", ["technical"], 0, [], 2, "", language)
    assert str(empty.value) == text(language, "error_empty_plan")
    with pytest.raises(handlers.UserError) as too_long:
        handlers.plan_from_setup("interview", ["opening"], 0, [], 2, "简" * 20_001, language)
    assert str(too_long.value) == text(language, "resume_too_long")
    with pytest.raises(handlers.UserError) as bad:
        handlers.plan_from_setup("interview", ["opening"], 1, ["no-such-topic"], 2, "", language)
    for error in (no_stages, empty, too_long, bad):
        assert "validation" not in str(error.value) and "List should" not in str(error.value)


def test_a_valid_setup_makes_a_plan() -> None:
    plan = handlers.plan_from_setup("practice", ["technical"], 3.0, ["rag"], 1.0, "  我做过 RAG  ", "en")
    assert plan.mode == "practice" and plan.resume_text == "我做过 RAG" and plan.language == "en"
    assert handlers.plan_from_setup("interview", ["opening", "technical"], 0, [], 3, "", "zh").difficulty == 3


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


def test_an_upload_never_overwrites_pasted_text() -> None:
    assert handlers.merge_upload("", "文件内容", "cv.md", "zh") == ("文件内容", text("zh", "upload_ok", name="cv.md"))
    merged, message = handlers.merge_upload("我手打的项目描述", "文件内容", "cv.md", "en")
    assert merged == "我手打的项目描述\n\n文件内容" and "cv.md" in message
    assert handlers.merge_upload(merged, "文件内容", "cv.md", "zh")[0] == merged  # the same file twice


# --- browser state --------------------------------------------------------------------------------

def test_browser_state_is_validated() -> None:
    state = {"session_id": "abc", "language": "en", "sessions": ["old", "abc"], "draft": "未发送",
             "resume_draft": "简历"}
    assert decode_state(encode_state(state)) == state
    for raw in (None, "", "not json", "[1, 2]", json.dumps({"session_id": 5, "language": "fr"})):
        assert decode_state(raw) == fresh_state()
    tampered = decode_state(json.dumps({"session_id": "../../x", "sessions": ["ok", 3, "<b>", "ok"], "draft": 7}))
    assert tampered == {**fresh_state(), "sessions": ["ok"]}
    # A state from before the list existed: its session is this browser's.
    assert decode_state(json.dumps({"session_id": "abc", "language": "zh"}))["sessions"] == ["abc"]
    assert decode_state(json.dumps({"draft": "x" * 60_000}))["draft"] == "x" * 50_000


def test_sessions_are_remembered_and_forgotten() -> None:
    state = with_session(with_session(fresh_state(), "a"), "b")
    assert state["session_id"] == "b" and state["sessions"] == ["a", "b"]
    assert with_session(state, "a")["sessions"] == ["b", "a"]
    assert without_session(state, "b") == {**state, "session_id": None, "sessions": ["a"]}
    assert without_session(state, "a")["session_id"] == "b"


# --- panels ---------------------------------------------------------------------------------------

def test_side_panel_puts_stage_and_progress_on_their_own_lines_and_escapes_the_card() -> None:
    shown = view(stage="project", project_card={"overview": "![p](http://198.51.100.7/p.png) <b>粗</b>"})
    zh = handlers.side_panel(shown, "zh")
    page = rendered(zh)
    assert "img" not in page.tags and "![p](http://198.51.100.7/p.png) <b>粗</b>" in page.text
    assert "**当前环节**：项目深挖\n\n**进度**：2 / 5" in zh
    en = handlers.side_panel(shown.model_copy(update={"notice": "llm_fallback"}), "en")
    assert "**Stage**: Project deep dive" in en and "：" not in en and "LLM" not in en  # the notice shows once


def test_practice_grade_has_evidence_missed_points_feedback_and_the_reference() -> None:
    from question_bank.loader import load_bank

    bank = {question.id: question for question in load_bank()}
    question = next(q for q in bank.values() if q.reference_answer)
    grade = {"question_id": question.id, "score": 55, "flags": [], "feedback": "还可以补充 **细节**",
             "key_points": [{"index": 0, "text": "要点一", "weight": 1, "status": "covered",
                             "evidence": "我说 <img src=x onerror=alert(1)>"},
                            {"index": 1, "text": "要点二", "weight": 1, "status": "missing"}]}
    markdown, reference = handlers.grade_panel(view(last_grade=grade), "zh", question.reference_answer)
    page = rendered(markdown)
    assert "img" not in page.tags and "我说 <img src=x onerror=alert(1)>" in page.text
    assert "✓ 要点一" in page.text and "✗ 要点二" in page.text and "还可以补充 **细节**" in page.text
    assert text("zh", "hit") in page.text and text("zh", "missed") in page.text
    assert reference == handlers.reference_markdown(question.reference_answer)
    skipped = {**grade, "score": 0, "key_points": [], "flags": ["skipped"], "feedback": "跳过了这道题。"}
    markdown, reference = handlers.grade_panel(view(last_grade=skipped), "en", question.reference_answer)
    assert text("en", "skipped") in markdown and reference, "a skipped question is labelled and keeps its reference"


def test_reference_answers_keep_their_formatting_but_load_nothing() -> None:
    page = rendered(handlers.bank_markdown("**要点** ![x](http://198.51.100.7/p.png) <img src=x onerror=alert(1)>\n\n- 一"))
    assert {"strong", "li"} <= page.tags and "img" not in page.tags
    assert "![x](http://198.51.100.7/p.png) <img src=x onerror=alert(1)>" in page.text


def test_engine_codes_become_words_in_the_ui_language() -> None:
    from interviewer.service import SessionError

    assert notice_text("en", "llm_fallback") == text("en", "notice_llm_fallback") and "LLM" in text("en", "notice_llm_fallback")
    assert notice_text("zh", "llm_fallback") == text("zh", "notice_llm_fallback") and notice_text("zh", None) == ""
    assert "circuit_open" in notice_text("en", "circuit_open"), "an unknown code is still shown, never dropped"
    finished = SessionError("session_finished", session_id="s1")
    assert error_text("en", finished) == "This interview has finished" and error_text("zh", finished) == "这场面试已经结束"
    too_long = SessionError("answer_too_long", length=5000, limit=4000)
    assert "5000" in error_text("en", too_long) and "4000" in error_text("zh", too_long)
    assert set(TEXT["zh"]) == set(TEXT["en"]), "every label exists in both languages"


# --- sessions and progress are this browser's only ------------------------------------------------

def test_sessions_table_and_progress_list_only_this_browsers_sessions(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    from interviewer.plan import InterviewPlan
    from interviewer.simulate import run_simulation

    service = make_service(hash_store)
    plan = InterviewPlan(stages=["opening", "technical"], technical_questions=1)
    mine = run_simulation(service, "strong", plan).session_id
    run_simulation(service, "partial", plan)  # another browser's
    unfinished = service.start(plan).session_id
    summaries = handlers.own_sessions(service, [mine, unfinished, "gone"])
    assert {s.session_id for s in summaries} == {mine, unfinished}
    zh = handlers.sessions_table(summaries, None, "zh")
    assert zh["headers"][:3] == ["会话 ID", "开始时间 (UTC)", "状态"]
    statuses = {row[0]: row[2] for row in zh["data"]}
    assert statuses == {mine: "已完成", unfinished: "未完成"}
    en = handlers.sessions_table(summaries, unfinished, "en")
    assert en["headers"][2] == "Status" and {row[2] for row in en["data"]} == {"Finished", "In progress (current)"}
    assert all(row[3] == "Mock interview" for row in en["data"])
    markdown, figure = handlers.progress_view(service, [mine, unfinished], "en")
    assert figure is not None and text("en", "progress_sessions", n=1) in markdown
    assert handlers.progress_view(service, [unfinished], "zh") == (text("zh", "no_progress"), None)


# --- the app through its API ----------------------------------------------------------------------

def test_the_api_runs_an_interview_and_isolates_sessions(no_report_warmup: None, web_app) -> None:  # type: ignore[no-untyped-def]
    url, service = web_app
    client = Client(url, verbose=False)
    fresh = encode_state({"session_id": None, "language": "zh"})
    first = client.predict("interview", ["opening", "technical"], 1, [], 2, "", "zh", fresh, api_name="/start")
    second = client.predict("interview", ["opening"], 0, [], 2, "", "zh", fresh, api_name="/start")
    state_one, state_two = decode_state(first[-2]), decode_state(second[-2])
    assert state_one["session_id"] and state_one["session_id"] != state_two["session_id"]
    assert state_one["sessions"] == [state_one["session_id"]] and state_two["sessions"] == [state_two["session_id"]]
    answered = client.predict("我做过 <b>RAG</b> 项目。", encode_state(state_one), api_name="/answer")
    chat = answered[0]
    assert any(message["role"] == "user" and "<b>" not in message["content"] for message in chat)
    transcript_one = service.snapshot(state_one["session_id"]).turns
    transcript_two = service.snapshot(state_two["session_id"]).turns
    assert [t.text for t in transcript_one if t.kind == "answer"] == ["我做过 <b>RAG</b> 项目。"]
    assert not [t for t in transcript_two if t.kind == "answer"]
    empty = client.predict("   ", encode_state(state_one), api_name="/answer")
    assert text("zh", "empty_answer") in str(empty)  # a notice, and nothing is sent
    unknown = client.predict("hello", encode_state({"session_id": "nope", "language": "en"}), api_name="/answer")
    assert text("en", "error_session_not_found") in str(unknown) and "Traceback" not in str(unknown)
    refused = client.predict("interview", [], 1, [], 2, "", "en", fresh, api_name="/start")
    assert text("en", "no_stages") in str(refused) and decode_state(refused[-2]) == decode_state(fresh)


@pytest.mark.slow  # the report worker is a child process
def test_report_files_are_made_once_per_session_version(hash_store, make_service, home: Path) -> None:  # type: ignore[no-untyped-def]
    from interviewer.plan import InterviewPlan
    from interviewer.simulate import run_simulation
    from ui.report_files import ReportFiles

    service = make_service(hash_store)
    view = run_simulation(service, "partial", InterviewPlan(stages=["opening", "technical"], technical_questions=1))
    files = ReportFiles(service, home)
    try:
        report = files.for_session(view.session_id)
        assert "sandbox" in report.page and "模拟面试报告" in report.page
        paths, notice = report.downloads(wait_for_pdf=True)
        expected = {".md", ".html", ".json"} | ({".pdf"} if not notice else set())
        assert {Path(path).suffix for path in paths} == expected and all(Path(path).stat().st_size for path in paths)
        assert files.for_session(view.session_id) is report  # made once
        assert report.downloads(wait_for_pdf=False) == (paths, notice)  # the PDF is done
        assert len(list((home / "reports").iterdir())) == len(paths)
    finally:
        files.close()


@pytest.mark.slow  # the report worker is a child process
def test_closing_the_app_stops_the_report_worker(home: Path) -> None:
    import multiprocessing
    from types import SimpleNamespace

    from interviewer.settings import LLMSettings
    from ui.app import build_app

    service = SimpleNamespace(bank={}, chat_model=None)  # building the page needs no more
    demo = build_app(service, home, LLMSettings(api_key=None, base_url=None, model="test"))  # type: ignore[arg-type]
    assert demo.reports is not None
    workers = list(demo.reports._worker()._processes.values())  # started by warm()
    assert workers and all(worker.is_alive() for worker in workers)
    demo.close()
    assert not any(worker.is_alive() for worker in workers)
    assert not [child for child in multiprocessing.active_children() if child in workers]
    demo.close()  # idempotent


@pytest.mark.slow
def test_the_report_worker_dies_with_a_killed_web_process(tmp_path: Path) -> None:
    """A replica lost to SIGKILL cannot close its report worker; the worker notices and exits by itself."""
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "web.py"
    script.write_text(
        "import multiprocessing, os, sys, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from ui.report_files import _yield_to_interviews\n"
        "if __name__ == '__main__':\n"
        "    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context('spawn'),\n"
        "                               initializer=_yield_to_interviews)\n"
        "    print(pool.submit(os.getpid).result(), flush=True)\n"
        "    time.sleep(120)\n", encoding="utf-8")
    web = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                           cwd=Path(__file__).resolve().parents[2])
    assert web.stdout is not None
    worker = int(web.stdout.readline())
    web.send_signal(signal.SIGKILL)
    web.wait()

    def alive(pid: int) -> bool:
        status = Path(f"/proc/{pid}/status")
        return status.exists() and "zombie" not in status.read_text()

    deadline = time.monotonic() + 15
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        assert not alive(worker), "the report worker outlived its web process"
    finally:
        if alive(worker):
            os.kill(worker, signal.SIGKILL)
