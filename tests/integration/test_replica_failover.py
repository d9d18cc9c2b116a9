"""Two replicas behind nginx in Debian's chromium: the replica serving an interview dies, and the
interview goes on on the other one with every answer kept and the unsent draft restored."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest

from tests.browser.test_web import chat_text, send, start, wait_idle
from tests.integration.stack import Stack, start_stack

pytestmark = pytest.mark.browser


@pytest.fixture
def stack() -> Iterator[Stack]:
    running = start_stack(replicas=2, env={"MOCK_INTERVIEWER_EMBEDDINGS": "hash"})
    yield running
    running.stop()


def answers_in_database(stack: Stack, session_id: str) -> list[str]:
    """The answers in the session's latest checkpoint, read straight from PostgreSQL."""
    from interviewer.storage import PostgresDatabase
    from interviewer.transcript import Turn

    database = PostgresDatabase(stack.database_url, pool_size=2)
    try:
        checkpoint = database.saver.get_tuple({"configurable": {"thread_id": session_id, "checkpoint_ns": ""}})
        assert checkpoint is not None
        turns = [Turn.model_validate(turn) for turn in checkpoint.checkpoint["channel_values"].get("turns", [])]
        return [turn.text for turn in turns if turn.kind == "answer"]
    finally:
        database.close()


def test_killing_the_replica_serving_an_interview_loses_nothing(stack: Stack, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(stack.proxy_url)
    page.wait_for_selector("#start")
    wait_idle(page)
    start(page, questions=2)
    first = "我在一家电商公司做搜索，最近一年负责 RAG 客服项目的召回和重排。"
    send(page, first)
    with psycopg.connect(stack.database_url) as connection:
        (session_id,) = connection.execute("SELECT session_id FROM interview_sessions").fetchone()  # type: ignore[misc]
    serving = stack.replica_serving(session_id)

    stack.kill_replica(serving)
    time.sleep(0.5)
    second = "召回用 BM25 和向量检索两路，再用交叉编码器重排，top5 命中率从 62% 提到 81%。"
    send(page, second)  # the next action lands on the other replica, in the same page
    assert first[:20] in chat_text(page) and second[:20] in chat_text(page)

    draft = "这是还没发送的草稿：部署用 vLLM，"
    page.locator("#answer textarea").fill(draft)
    time.sleep(0.5)
    page.reload()
    page.wait_for_selector("#chat .message")
    wait_idle(page)
    assert page.locator("#answer textarea").input_value() == draft
    shown = chat_text(page)
    assert first[:20] in shown and second[:20] in shown
    assert answers_in_database(stack, session_id)[:2] == [first, second]
    other = 3 - serving
    assert session_id in stack.replica_log(other)
