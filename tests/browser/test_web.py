"""The web app in Debian's chromium: a whole interview, refresh and resume, isolation, downloads,
hostile answers, the English UI, drafts and setup validation."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from interviewer.report import difficulty_label
from rubrics.loader import rubric_for
from ui.i18n import text

pytestmark = pytest.mark.browser

HOSTILE = '![x](http://198.51.100.7/pixel.png) <img src=x onerror="window.__pwned=1"> **bold** [a](http://198.51.100.7/l)'


def chat_text(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#chat").inner_text()


def wait_idle(page) -> None:  # type: ignore[no-untyped-def]
    """Gradio shows a progress overlay (or a pending frame while a reply streams) while an event runs;
    wait until none is left."""
    page.wait_for_function("() => !document.querySelector('.progress-text, .eta-bar, .wrap.generating, .pending')",
                           timeout=30_000)
    time.sleep(0.3)


def open_app(open_page, url: str):  # type: ignore[no-untyped-def]
    page = open_page(url)
    page.wait_for_selector("#start")
    wait_idle(page)
    return page


def start(page, questions: int = 1, stages: tuple[str, ...] = ()) -> None:  # type: ignore[no-untyped-def]
    page.locator("#questions input[type=number]").fill(str(questions))
    page.locator("#questions input[type=number]").press("Enter")
    for stage in stages:  # untick stages not wanted
        page.locator("#stages label", has_text=stage).click()
    page.locator("#start").click()
    page.wait_for_selector("#chat .message")
    wait_idle(page)


def send(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Send an answer and wait until it shows (once more than before) and the reply has arrived."""
    prefix = text.strip()[:20]
    before = chat_text(page).count(prefix)
    box = page.locator("#answer textarea")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function("([t, n]) => document.querySelector('#chat').innerText.split(t).length - 1 > n",
                           arg=[prefix, before])
    wait_idle(page)


def reload(page, selector: str = "#start") -> None:  # type: ignore[no-untyped-def]
    page.reload()
    page.wait_for_selector(selector)
    wait_idle(page)


def open_tab(page, index: int) -> None:  # type: ignore[no-untyped-def]
    page.locator("button[role=tab]").nth(index).click()
    wait_idle(page)


def current_session(service):  # type: ignore[no-untyped-def]
    return service.view(service.list_sessions()[0].session_id)


def session_with_answer(service, answer: str) -> str:  # type: ignore[no-untyped-def]
    return next(s.session_id for s in service.list_sessions()
                if any(t.text == answer for t in service.view(s.session_id).turns))


def test_a_whole_interview_with_follow_up_hint_skip_report_and_downloads(web_app, open_page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, service = web_app
    page = open_app(open_page, url)
    start(page, questions=4, stages=("项目深挖", "综合素质", "反问"))
    assert "自我介绍" in chat_text(page)
    send(page, "您好，我是算法工程师，做过 RAG 知识库问答项目，负责检索和微调，准确率提升了 15 个点。")
    # Answer technical questions with one key point each until the interviewer follows up; the last
    # question is kept for after the skip.
    for _ in range(3):
        if "↳" in chat_text(page):
            break
        view = current_session(service)
        question = service.bank[[t for t in view.turns if t.kind == "question"][-1].question_id]
        send(page, rubric_for(question).key_points[0].text)
    assert "↳" in chat_text(page), "a partly right answer gets a follow-up"
    page.locator("#hint").click()
    page.wait_for_function("() => document.querySelector('#chat').innerText.includes('提示：')")
    wait_idle(page)
    page.locator("#skip").click()
    wait_idle(page)
    # Both commands show as small notes, not as answers.
    assert text("zh", "note_hint") in chat_text(page) and text("zh", "note_skip") in chat_text(page)
    assert "/skip" not in chat_text(page).split("结束面试。", 1)[-1]
    assert "进度" in page.locator("#panel").inner_text()
    assert page.locator("#chat button:visible").count() == 0, "no share or clear buttons on the chat"
    page.locator("#end").click()
    page.wait_for_selector("#report iframe")
    wait_idle(page)
    frame = page.frame_locator("#report iframe")
    assert "模拟面试报告" in frame.locator("h1").inner_text()
    # The PDF is written in a worker process and joins the downloads a moment after the report shows.
    page.wait_for_function("() => document.querySelectorAll('#downloads a').length === 4")
    assert not page.locator("#downloads .label-clear-button").first.is_visible(), "downloads cannot be removed"
    links = page.locator("#downloads a")
    names = []
    for index in range(links.count()):
        with page.expect_download() as download_info:
            links.nth(index).click()
        download = download_info.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        assert target.stat().st_size > 200
        names.append(target.suffix)
    assert sorted(names) == [".html", ".json", ".md", ".pdf"]


def test_refresh_mid_interview_keeps_everything(web_app, open_page) -> None:  # type: ignore[no-untyped-def]
    url, service = web_app
    page = open_app(open_page, url)
    start(page, questions=1)
    send(page, "我做过一个合同审查助手的项目，负责模型微调。")
    before = chat_text(page)
    reload(page, "#chat .message")
    assert "合同审查助手" in chat_text(page)
    assert chat_text(page).count("面试") >= before.count("面试") - 1
    send(page, "这个项目是帮法务审合同，识别风险条款。")
    answers = [t.text for t in current_session(service).turns if t.kind == "answer"]
    assert answers == ["我做过一个合同审查助手的项目，负责模型微调。", "这个项目是帮法务审合同，识别风险条款。"]


def test_unsent_drafts_survive_a_refresh(web_app, open_page) -> None:  # type: ignore[no-untyped-def]
    url, service = web_app
    page = open_app(open_page, url)
    page.locator("#resume textarea").fill("我的简历草稿：做过 RAG 项目")
    reload(page)
    assert page.locator("#resume textarea").input_value() == "我的简历草稿：做过 RAG 项目"
    start(page, questions=1)
    page.locator("#answer textarea").fill("一段还没发送的长草稿\n第二行")
    reload(page, "#chat .message")
    assert page.locator("#answer textarea").input_value() == "一段还没发送的长草稿\n第二行"
    page.locator("#answer textarea").press("Enter")
    page.wait_for_function("() => document.querySelector('#chat').innerText.includes('还没发送的长草稿')")
    wait_idle(page)
    assert [t.text for t in current_session(service).turns if t.kind == "answer"] == ["一段还没发送的长草稿\n第二行"]
    reload(page, "#chat .message")
    assert page.locator("#answer textarea").input_value() == "", "a sent answer is no draft any more"


def test_two_browsers_never_see_each_others_sessions(web_app, open_page) -> None:  # type: ignore[no-untyped-def]
    url, service = web_app
    alice, bob = open_app(open_page, url), open_app(open_page, url)
    start(alice, questions=1)
    start(bob, questions=1)
    send(alice, "我是爱丽丝，做过推荐系统转大模型。")
    send(bob, "我是鲍勃，做过语音识别。")
    assert "爱丽丝" in chat_text(alice) and "鲍勃" not in chat_text(alice)
    assert "鲍勃" in chat_text(bob) and "爱丽丝" not in chat_text(bob)
    alice_id = session_with_answer(service, "我是爱丽丝，做过推荐系统转大模型。")
    bob_id = session_with_answer(service, "我是鲍勃，做过语音识别。")
    reload(alice, "#chat .message")
    assert "爱丽丝" in chat_text(alice) and "鲍勃" not in chat_text(alice)
    # Bob's sessions list has his session only; Alice's id, even when known, cannot be resumed or deleted.
    open_tab(bob, 1)
    listed = bob.locator("#sessions-table").inner_text()
    assert bob_id in listed and alice_id not in listed
    bob.locator("#selected-session textarea, #selected-session input").first.fill(alice_id)
    bob.locator("#resume-session").click()
    wait_idle(bob)
    assert text("zh", "select_session") in bob.locator("#sessions-message").inner_text()
    bob.locator("#delete-session").click()
    wait_idle(bob)
    assert not bob.locator("#confirm-delete").is_visible()
    assert service.view(alice_id).session_id == alice_id
    open_tab(bob, 0)
    assert "爱丽丝" not in chat_text(bob) and "鲍勃" in chat_text(bob)
    # Progress counts only this browser's sessions. An unfinished session counts from its second
    # answer, so both answer again: each browser then counts one session, not both.
    send(alice, "项目是电商推荐系统，我负责召回和排序，后来用大模型生成商品文案。")
    send(bob, "项目是会议语音转写，我微调了 Whisper，方言识别错误率降了三成。")
    for page in (alice, bob):
        open_tab(page, 2)
        # The tab's load event may start after the overlay check: wait for its text, not a fixed moment.
        expect(page.locator("#progress")).to_contain_text(text("zh", "progress_sessions", n=1), timeout=30_000)


def test_deleting_a_session_asks_for_confirmation(web_app, open_page) -> None:  # type: ignore[no-untyped-def]
    url, service = web_app
    page = open_app(open_page, url)
    start(page, questions=1)
    send(page, "我做过 RAG 项目。")
    session_id = current_session(service).session_id
    open_tab(page, 1)
    assert text("zh", "status_current") in page.locator("#sessions-table").inner_text()
    page.locator("#sessions-table [role=gridcell]", has_text=session_id).first.click()
    wait_idle(page)
    assert page.locator("#selected-session textarea, #selected-session input").first.input_value() == session_id
    page.locator("#delete-session").click()
    wait_idle(page)
    assert session_id in page.locator("#confirm-delete-text").inner_text()
    page.locator("#cancel-delete").click()
    wait_idle(page)
    assert not page.locator("#confirm-delete").is_visible() and service.list_sessions()
    page.locator("#delete-session").click()
    wait_idle(page)
    page.locator("#confirm-delete").click()
    wait_idle(page)
    assert not service.list_sessions() and session_id not in page.locator("#sessions-table").inner_text()
    open_tab(page, 0)
    assert page.locator("#start").is_visible(), "the deleted session was the current one: back to setup"


def test_hostile_answers_show_literally_and_load_nothing(web_app, open_page) -> None:  # type: ignore[no-untyped-def]
    url, service = web_app
    page = open_app(open_page, url)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    start(page, stages=("基础知识", "综合素质", "反问"))
    send(page, HOSTILE)  # the self-introduction
    # The project overview (on topic, so that it fills the project card).
    send(page, HOSTILE + " 项目是企业内部知识库问答：BM25 和向量混合检索，重排后用大模型生成答案，准确率从 62% 提升到 81%。")
    shown = chat_text(page)
    assert shown.count('<img src=x onerror="window.__pwned=1">') == 2 and "**bold**" in shown
    assert "![x](http://198.51.100.7/pixel.png)" in shown
    assert page.locator("#chat img, #panel img, #chat strong a, #chat a[href*='198.51']").count() == 0
    assert HOSTILE in " ".join(current_session(service).project_card.values())
    assert "<img src=x" in page.locator("#panel").inner_text()
    assert page.evaluate("() => window.__pwned") is None
    own_host = urlparse(url).netloc
    assert not [u for u in requested if urlparse(u).netloc != own_host], "no request leaves the app's server"
    assert not [u for u in requested if urlparse(u).path.endswith("/x")]


def test_the_english_ui_is_english_throughout_and_survives_a_reload(web_app, open_page) -> None:  # type: ignore[no-untyped-def]
    url, _ = web_app
    page = open_app(open_page, url)
    page.locator("#language label", has_text="English").click()
    wait_idle(page)

    def check_english() -> None:
        body = page.locator("body").inner_text()
        for key in ("title", "tab_interview", "tab_sessions", "tab_progress", "questions", "difficulty",
                    "upload", "check", "start", "resume"):
            assert text("en", key) in body, key
        assert difficulty_label(3, "en") in body
        for key in ("questions", "difficulty", "upload", "check", "tab_sessions"):
            assert text("zh", key) not in body, key
        assert page.title() == text("en", "title")

    check_english()
    reload(page)
    check_english()
    open_tab(page, 1)
    body = page.locator("body").inner_text()
    assert all(text("en", key) in body for key in ("col_id", "col_status", "refresh", "resume_session", "delete"))
    open_tab(page, 2)
    assert text("en", "no_progress") in page.locator("#progress").inner_text()
    open_tab(page, 0)
    page.locator("#mode label", has_text=text("en", "mode_practice")).click()
    start(page, questions=1, stages=("Self-introduction", "Project deep dive", "Behavioural", "Your questions"))
    send(page, "I would use LoRA adapters.")
    assert text("en", "send") in page.locator("#send").inner_text()
    assert "Stage" in page.locator("#panel").inner_text() and "：" not in page.locator("#panel").inner_text()
    assert text("en", "grade") in page.locator("#grade-box").inner_text()
    assert text("en", "score") in page.locator("#grade").inner_text()
    reload(page, "#chat .message")
    assert text("en", "grade") in page.locator("#grade-box").inner_text(), "labels survive a reload"
    open_tab(page, 1)
    assert text("en", "status_current") in page.locator("#sessions-table").inner_text()


def test_the_chinese_sessions_table_is_chinese(web_app, open_page) -> None:  # type: ignore[no-untyped-def]
    url, _ = web_app
    page = open_app(open_page, url)
    page.locator("#language label", has_text="English").click()
    wait_idle(page)
    page.locator("#language label", has_text="中文").click()  # and back: everything follows
    wait_idle(page)
    start(page, questions=1)
    open_tab(page, 1)
    table = page.locator("#sessions-table").inner_text()
    assert all(text("zh", key) in table for key in ("col_id", "col_created", "col_status", "status_current",
                                                    "mode_interview"))
    assert "active" not in table and "interview" not in table


def test_a_setup_with_nothing_to_ask_is_refused_clearly(web_app, open_page) -> None:  # type: ignore[no-untyped-def]
    url, service = web_app
    page = open_app(open_page, url)
    for stage in ("自我介绍", "项目深挖", "基础知识", "综合素质", "反问"):
        page.locator("#stages label", has_text=stage).click()
    page.locator("#start").click()
    wait_idle(page)
    message = page.locator("#setup-message").inner_text()
    assert text("zh", "no_stages") in message and "List should" not in message
    page.locator("#stages label", has_text="基础知识").click()
    page.locator("#questions input[type=number]").fill("0")
    page.locator("#questions input[type=number]").press("Enter")
    page.locator("#start").click()
    wait_idle(page)
    assert text("zh", "error_empty_plan") in page.locator("#setup-message").inner_text()
    assert page.locator("#start").is_visible() and not service.list_sessions()
