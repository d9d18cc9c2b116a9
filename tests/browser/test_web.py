"""The web app in Debian's chromium: a whole interview, refresh and resume, isolation, downloads."""

from __future__ import annotations

import re
import time

import pytest

from rubrics.loader import rubric_for

pytestmark = pytest.mark.browser


def chat_text(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#chat").inner_text()


def wait_idle(page) -> None:  # type: ignore[no-untyped-def]
    """Gradio shows a progress overlay while an event runs; wait until none is pending."""
    page.wait_for_function("() => !document.querySelector('.progress-text, .eta-bar')", timeout=30_000)
    time.sleep(0.3)


def start(page, questions: int = 1, stages: tuple[str, ...] = ()) -> None:  # type: ignore[no-untyped-def]
    page.locator("#questions input[type=number]").fill(str(questions))
    page.locator("#questions input[type=number]").press("Enter")
    for stage in stages:  # untick stages not wanted
        page.locator("#stages label", has_text=stage).click()
    page.locator("#start").click()
    page.wait_for_selector("#chat .message")
    wait_idle(page)


def send(page, text: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator("#answer textarea")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function("(t) => document.querySelector('#chat').innerText.includes(t)", arg=text.strip()[:20])
    wait_idle(page)


def current_session(service):  # type: ignore[no-untyped-def]
    return service.view(service.list_sessions()[0].session_id)


def test_a_whole_interview_with_follow_up_hint_skip_report_and_downloads(web_app, open_page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, service = web_app
    page = open_page(url)
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
    page.wait_for_function("() => document.querySelector('#chat').innerText.includes('提示')")
    wait_idle(page)
    page.locator("#skip").click()
    wait_idle(page)
    assert "进度" in page.locator("#panel").inner_text()
    page.locator("#end").click()
    page.wait_for_selector("#report iframe")
    wait_idle(page)
    frame = page.frame_locator("#report iframe")
    assert "模拟面试报告" in frame.locator("h1").inner_text()
    # The PDF is written in a worker process and joins the downloads a moment after the report shows.
    page.wait_for_function("() => document.querySelectorAll('#downloads a').length === 4")
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
    page = open_page(url)
    start(page, questions=1)
    send(page, "我做过一个合同审查助手的项目，负责模型微调。")
    before = chat_text(page)
    page.reload()
    page.wait_for_selector("#chat .message")
    wait_idle(page)
    assert "合同审查助手" in chat_text(page)
    assert chat_text(page).count("面试") >= before.count("面试") - 1
    send(page, "这个项目是帮法务审合同，识别风险条款。")
    answers = [t.text for t in current_session(service).turns if t.kind == "answer"]
    assert answers == ["我做过一个合同审查助手的项目，负责模型微调。", "这个项目是帮法务审合同，识别风险条款。"]


def test_two_browsers_never_see_each_others_sessions(web_app, open_page) -> None:  # type: ignore[no-untyped-def]
    url, _ = web_app
    alice, bob = open_page(url), open_page(url)
    start(alice, questions=1)
    start(bob, questions=1)
    send(alice, "我是爱丽丝，做过推荐系统转大模型。")
    send(bob, "我是鲍勃，做过语音识别。")
    assert "爱丽丝" in chat_text(alice) and "鲍勃" not in chat_text(alice)
    assert "鲍勃" in chat_text(bob) and "爱丽丝" not in chat_text(bob)
    alice.reload()
    alice.wait_for_selector("#chat .message")
    wait_idle(alice)
    assert "爱丽丝" in chat_text(alice) and not re.search("鲍勃", chat_text(alice))
