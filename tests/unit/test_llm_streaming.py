"""The LLM path's overlap and streaming: the judge and the next wording run side by side where the policy
allows, free text streams to the interface as it is written, and a stream that breaks loses nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from langchain_core.messages import HumanMessage

from interviewer.grading.models import GradeResult, KeyPointGrade
from interviewer.llm import LLMClient, make_llm_client
from interviewer.llm.limits import PHRASE
from interviewer.plan import InterviewPlan
from interviewer.settings import LLMSettings
from question_bank.loader import load_bank
from rubrics.loader import rubric_for

WORDING = "好的，那你具体说说这个机制在训练时是怎么起作用的？"
ASK = [HumanMessage("问一个问题")]


def client_for(server) -> LLMClient:  # type: ignore[no-untyped-def]
    client = make_llm_client(LLMSettings(api_key="k", base_url=server.base_url, model="fake", timeout_seconds=10,
                                         max_retries=0))
    assert client is not None
    return client


def phrase_requests(server) -> list[dict]:  # type: ignore[no-untyped-def]
    return [body for body in server.requests if "messages" in body and not body.get("response_format")
            and "tools" not in body]


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if condition():
            return True
        time.sleep(0.01)
    return False


# --- the client: streaming ------------------------------------------------------------------------

def test_phrasing_streams_growing_text_and_returns_the_whole_reply(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.replies.append(WORDING)
    client = client_for(fake_openai)
    seen: list[tuple[str, str]] = []
    with client.streaming(lambda stream, text: seen.append((stream, text))):
        assert client.text(PHRASE, ASK) == WORDING
    (body,) = fake_openai.requests
    assert body["stream"] is True and body["max_tokens"] == PHRASE.max_tokens and body["stop"] == ["\n\n"]
    texts = [text for _, text in seen]
    assert len(texts) > 3 and len({stream for stream, _ in seen}) == 1
    assert all(WORDING.startswith(text) for text in texts) and texts[-1] == WORDING
    assert texts == sorted(texts, key=len)


def test_without_a_sink_nothing_streams(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.replies.extend([WORDING, WORDING])
    client = client_for(fake_openai)
    assert client.text(PHRASE, ASK) == WORDING
    assert client.speculate(client.text, PHRASE, ASK).take() == WORDING
    assert len(fake_openai.requests) == 2 and not any(body.get("stream") for body in fake_openai.requests)


def test_a_reasoning_block_is_never_shown(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.replies.append("<think>先想想怎么问比较好</think>" + WORDING)
    client = client_for(fake_openai)
    seen: list[str] = []
    with client.streaming(lambda _, text: seen.append(text)):
        assert client.text(PHRASE, ASK) == WORDING
    assert seen and not any("think" in text or "先想想" in text for text in seen)


def test_a_stream_broken_midway_gives_nothing(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.replies.append(WORDING)
    fake_openai.stream_break_after = 3
    client = client_for(fake_openai)
    seen: list[str] = []
    with client.streaming(lambda _, text: seen.append(text)):
        assert client.text(PHRASE, ASK) is None
    assert seen, "the first pieces were shown before it broke"
    assert client.last_problem


def test_a_speculation_shows_nothing_until_it_is_taken(fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.replies.extend([WORDING, WORDING])
    client = client_for(fake_openai)
    seen: list[str] = []
    with client.streaming(lambda _, text: seen.append(text)):
        dropped = client.speculate(client.text, PHRASE, ASK)
        assert wait_until(lambda: len(client.calls) == 1)
        assert seen == [], "a wording not yet known to be wanted is held back"
        taken = client.speculate(client.text, PHRASE, ASK)
        assert taken.take() == WORDING
    assert seen and seen[-1] == WORDING
    del dropped


# --- the interview: the judge and the next wording overlap ------------------------------------------

class JudgeStandIn:
    """A StagedGrader whose offline and judged grades are given. Its judge returns only once `overlapped`
    holds (or after a few seconds), so a test can see what ran while the judge was reading."""

    def __init__(self, offline: GradeResult, judged: GradeResult,
                 overlapped: Callable[[], bool] = lambda: True, judges: bool = True) -> None:
        self.offline, self.judged, self.overlapped, self.judges = offline, judged, overlapped, judges
        self.overlap_seen: list[bool] = []

    def grade(self, question, answer, *, hints_used=0):  # type: ignore[no-untyped-def]
        return self.refine(question, answer, self.grade_offline(question, answer, hints_used=hints_used))

    def grade_offline(self, question, answer, *, hints_used=0):  # type: ignore[no-untyped-def]
        return self.offline.model_copy(update={"question_id": question.id})

    def will_judge(self, question, base) -> bool:  # type: ignore[no-untyped-def]
        return self.judges

    def refine(self, question, answer, base, *, hints_used=0):  # type: ignore[no-untyped-def]
        self.overlap_seen.append(wait_until(self.overlapped, 5.0))
        return self.judged.model_copy(update={"question_id": question.id})


def grade(rubric, statuses: list[str], score: int) -> GradeResult:  # type: ignore[no-untyped-def]
    """A grade of `rubric`'s points: the first weighs most; points past `statuses` are stated."""
    points = [KeyPointGrade(index=i, text=point.text, weight=3 if i == 0 else 1,
                            status=statuses[i] if i < len(statuses) else "stated")  # type: ignore[arg-type]
              for i, point in enumerate(rubric.key_points)]
    return GradeResult(question_id=None, score=score, key_points=points, feedback="", grader="combined")


def service_with(home: Path, store, grader, client):  # type: ignore[no-untyped-def]
    from interviewer.service import InterviewService

    return InterviewService(home, grader=grader, store=store, bank=load_bank(), chat_model=client)


def start_technical(service):  # type: ignore[no-untyped-def]
    """A one-question technical interview on a question whose rubric has two key points or more."""
    plan = InterviewPlan(stages=["technical"], technical_questions=1)
    for _ in range(30):
        view = service.start(plan)
        rubric = rubric_for(service.bank[view.pending_question.question_id])
        if rubric is not None and len(rubric.key_points) >= 2:
            return view, rubric
    raise AssertionError("no technical question with two key points was picked")


def placeholder() -> GradeResult:
    return GradeResult(question_id=None, score=0, key_points=[], feedback="", grader="rule")


def test_the_follow_up_is_worded_while_the_judge_reads(home, hash_store, fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.responder = lambda body: WORDING
    grader = JudgeStandIn(placeholder(), placeholder(), overlapped=lambda: len(phrase_requests(fake_openai)) == 1)
    service = service_with(home, hash_store, grader, client_for(fake_openai))
    view, rubric = start_technical(service)
    # Offline and judged agree: a partly right answer missing the heaviest point.
    grader.offline = grader.judged = grade(rubric, ["absent"], 50)
    view = service.answer(view.session_id, "说了一半的回答")
    assert grader.overlap_seen == [True], "the wording was asked for before the judge returned"
    assert view.pending_question.kind == "follow_up" and view.pending_question.text == WORDING
    assert len(phrase_requests(fake_openai)) == 1


def test_a_follow_up_the_judge_changed_gets_its_template_without_a_second_call(  # type: ignore[no-untyped-def]
        home, hash_store, fake_openai) -> None:
    fake_openai.responder = lambda body: WORDING
    grader = JudgeStandIn(placeholder(), placeholder(), overlapped=lambda: len(phrase_requests(fake_openai)) == 1)
    service = service_with(home, hash_store, grader, client_for(fake_openai))
    view, rubric = start_technical(service)
    grader.offline = grade(rubric, ["absent"], 50)
    grader.judged = grade(rubric, ["stated", "absent"], 50)  # the judge found another point missing
    view = service.answer(view.session_id, "说了一半的回答")
    follow_up = view.pending_question
    assert follow_up.kind == "follow_up" and follow_up.text != WORDING
    assert rubric.key_points[1].probe in follow_up.text, "the judged gap is pressed on, in its template"
    assert len(phrase_requests(fake_openai)) == 1, "the wording made for the other gap was the only call"


def test_the_judge_moving_on_drops_the_wording(home, hash_store, fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.responder = lambda body: WORDING
    grader = JudgeStandIn(placeholder(), placeholder(), overlapped=lambda: len(phrase_requests(fake_openai)) == 1)
    service = service_with(home, hash_store, grader, client_for(fake_openai))
    view, rubric = start_technical(service)
    grader.offline, grader.judged = grade(rubric, ["absent"], 50), grade(rubric, [], 95)
    view = service.answer(view.session_id, "完整的回答")
    assert grader.overlap_seen == [True]
    assert view.finished and all(turn.text != WORDING for turn in view.turns)


def test_the_next_project_question_is_worded_while_the_judge_reads(home, hash_store, fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.responder = lambda body: WORDING
    grader = JudgeStandIn(placeholder(), placeholder(), overlapped=lambda: len(phrase_requests(fake_openai)) == 1)
    service = service_with(home, hash_store, grader, client_for(fake_openai))
    view = service.start(InterviewPlan(stages=["opening", "project"], project_questions=2))
    rubric = rubric_for(service.bank["opening.self_intro"])
    grader.offline = grader.judged = grade(rubric, [], 85)
    view = service.answer(view.session_id, "我是算法工程师，做过 RAG 项目。")
    assert grader.overlap_seen == [True], "the project question was worded before the judge returned"
    question = view.pending_question
    assert question.slot == "overview" and question.text == WORDING
    assert len(phrase_requests(fake_openai)) == 1


def test_the_closing_reply_and_wrap_up_are_written_while_the_judge_reads(home, hash_store, fake_openai) -> None:  # type: ignore[no-untyped-def]
    bank = {question.id: question for question in load_bank()}
    rubric = rubric_for(bank["closing.candidate_questions"])
    replies = {"closing": "团队主要做大模型的训练和落地，新人有导师带。", "summary": "整体基础不错，建议多补充实验细节。"}
    fake_openai.responder = lambda body: replies["summary"] if "分；没答到" in str(body["messages"]) \
        else replies["closing"]
    graded = grade(rubric, [], 80)
    grader = JudgeStandIn(graded, graded, overlapped=lambda: len(phrase_requests(fake_openai)) == 2)
    service = service_with(home, hash_store, grader, client_for(fake_openai))
    view = service.start(InterviewPlan(stages=["opening", "closing"]))
    view = service.answer(view.session_id, "我是算法工程师，做过 RAG 项目。")
    assert view.pending_question.question_id == "closing.candidate_questions"
    fake_openai.requests.clear()
    view = service.answer(view.session_id, "团队平时做什么？新人怎么成长？")
    assert grader.overlap_seen[-1], "both calls went out before the judge returned"
    assert view.finished and len(phrase_requests(fake_openai)) == 2
    said = "\n".join(turn.text for turn in view.new_turns)
    assert replies["closing"] in said and replies["summary"] in said


# --- the session API: streaming a turn --------------------------------------------------------------

def streaming_service(home: Path, store, server):  # type: ignore[no-untyped-def]
    """A one-question interview whose answer gets a follow-up worded by the LLM (no judge this turn, so
    the wording is asked for live and streams)."""
    grader = JudgeStandIn(placeholder(), placeholder(), judges=False)
    service = service_with(home, store, grader, client_for(server))
    view, rubric = start_technical(service)
    grader.offline = grader.judged = grade(rubric, ["absent"], 50)
    return service, view, rubric


def test_a_turn_streams_its_wording_then_the_view(home, hash_store, fake_openai) -> None:  # type: ignore[no-untyped-def]
    from interviewer.service import ReplyChunk, SessionView

    fake_openai.responder = lambda body: WORDING
    fake_openai.stream_pause = 0.01
    service, view, _ = streaming_service(home, hash_store, fake_openai)
    updates = list(service.answer_stream(view.session_id, "说了一半的回答"))
    chunks, final = updates[:-1], updates[-1]
    assert isinstance(final, SessionView) and chunks and all(isinstance(chunk, ReplyChunk) for chunk in chunks)
    assert chunks[0].text != WORDING and chunks[-1].text == WORDING  # partial words first
    assert final.pending_question.text == WORDING and final.notice is None


def test_a_stream_that_breaks_midway_loses_nothing(home, hash_store, fake_openai) -> None:  # type: ignore[no-untyped-def]
    from interviewer.service import NOTICE_LLM_REPLY_REPLACED, ReplyChunk, SessionView

    fake_openai.responder = lambda body: WORDING
    fake_openai.stream_break_after = 4
    service, view, rubric = streaming_service(home, hash_store, fake_openai)
    answer = "说了一半的回答，这段话不能丢"
    updates = list(service.answer_stream(view.session_id, answer))
    final = updates[-1]
    assert isinstance(final, SessionView) and any(isinstance(update, ReplyChunk) for update in updates)
    assert final.notice == NOTICE_LLM_REPLY_REPLACED
    follow_up = final.pending_question
    assert follow_up.kind == "follow_up" and rubric.key_points[0].probe in follow_up.text
    assert any(turn.kind == "answer" and turn.text == answer for turn in service.view(view.session_id).turns)


def test_a_reader_that_stops_early_loses_nothing(home, hash_store, fake_openai) -> None:  # type: ignore[no-untyped-def]
    fake_openai.responder = lambda body: WORDING
    fake_openai.stream_pause = 0.02
    service, view, _ = streaming_service(home, hash_store, fake_openai)
    stream = service.answer_stream(view.session_id, "读到一半就关掉页面")
    next(stream)
    stream.close()  # the page went away after the first words
    assert wait_until(lambda: service.view(view.session_id).pending_question.kind == "follow_up")
    assert any(turn.text == "读到一半就关掉页面" for turn in service.view(view.session_id).turns)
