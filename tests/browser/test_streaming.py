"""The interviewer's LLM words stream into the chat in Debian's chromium: the first words show before the
reply is complete, and a stream that breaks midway leaves the standard wording, a notice and the answer."""

from __future__ import annotations

import pytest

from interviewer.grading import build_grader
from interviewer.llm import make_llm_client
from interviewer.service import InterviewService
from interviewer.settings import LLMSettings
from question_bank.loader import load_bank
from tests.browser.test_web import chat_text, open_app, start, wait_idle
from ui.i18n import text

pytestmark = pytest.mark.browser

# The project stage's first question, as a model might word it (the checks want a question under 160 chars).
WORDING = "好的，我们先从你最有代表性的那个项目聊起：它要解决什么问题，整体方案是怎样的，你自己具体负责哪一部分？"
INTRO = "您好，我是算法工程师，做过 RAG 知识库问答项目，负责检索和微调。"


@pytest.fixture
def streaming_app(home, hash_store, fake_openai):  # type: ignore[no-untyped-def]
    """The web app with an LLM that streams two characters every 0.2 s (about five seconds a question)."""
    from ui.app import build_app
    from ui.server import launch

    fake_openai.responder = lambda body: WORDING
    fake_openai.stream_chars, fake_openai.stream_pause = 2, 0.2
    settings = LLMSettings(api_key="k", base_url=fake_openai.base_url, model="fake", timeout_seconds=20,
                           max_retries=0)
    client = make_llm_client(settings)
    offline = LLMSettings(api_key=None, base_url=None, model="none")  # the judge is not what this tests
    service = InterviewService(home, grader=build_grader(hash_store.embedder, hash_store, settings=offline),
                               store=hash_store, bank=load_bank(home), chat_model=client)
    demo = build_app(service, home, settings)
    _, url, _ = launch(demo, home, port=None, prevent_thread_lock=True, quiet=True)
    yield url.rstrip("/"), service, fake_openai
    demo.close()


def answer_intro(page) -> None:  # type: ignore[no-untyped-def]
    start(page, stages=("基础知识", "综合素质", "反问"))  # self-introduction, then the project
    box = page.locator("#answer textarea")
    box.fill(INTRO)
    box.press("Enter")


def test_the_first_words_show_before_the_reply_is_complete(streaming_app, open_page) -> None:  # type: ignore[no-untyped-def]
    url, service, fake = streaming_app
    page = open_app(open_page, url)
    answer_intro(page)
    page.wait_for_function("(t) => document.querySelector('#chat').innerText.includes(t)", arg=WORDING[:8],
                           timeout=20_000)
    shown = chat_text(page)
    assert fake.streams_completed == 0, "the first words are on screen while the server is still writing"
    assert WORDING not in shown
    assert INTRO in shown, "the answer shows at once, above the words coming in"
    page.wait_for_function("(t) => document.querySelector('#chat').innerText.includes(t)", arg=WORDING,
                           timeout=20_000)
    wait_idle(page)
    assert chat_text(page).count(WORDING) == 1
    assert page.locator("#answer textarea").input_value() == ""
    view = service.view(service.list_sessions()[0].session_id)
    assert view.pending_question.text == WORDING


def test_a_stream_that_breaks_midway_leaves_the_template_and_the_answer(streaming_app, open_page) -> None:  # type: ignore[no-untyped-def]
    url, service, fake = streaming_app
    fake.stream_break_after = 6  # twelve characters, then the connection drops
    page = open_app(open_page, url)
    answer_intro(page)
    page.wait_for_function("(t) => document.querySelector('#chat').innerText.includes(t)", arg=WORDING[:8],
                           timeout=20_000)
    notice = text("zh", "notice_llm_reply_replaced")
    page.wait_for_function("(t) => document.querySelector('#notice').innerText.includes(t)", arg=notice,
                           timeout=20_000)
    wait_idle(page)
    view = service.view(service.list_sessions()[0].session_id)
    question = view.pending_question
    assert question.kind == "question" and question.slot == "overview" and question.text != WORDING
    shown = chat_text(page)
    assert question.text in shown and WORDING[:8] not in shown, "the fragment gave way to the standard wording"
    assert INTRO in shown and any(turn.kind == "answer" and turn.text == INTRO for turn in view.turns)
