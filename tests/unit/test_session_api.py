"""The public session API: typed turns with event codes, typed grades, errors and notices as codes,
old checkpoints still readable, and the counts every interface shows agreeing with each other."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from interviewer.report import build_progress, build_report, render_report
from interviewer.service import InterviewPlan, SessionError, Turn, TurnGrade
from rubrics.loader import rubric_for


def test_every_turn_says_what_happened(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    view = service.start(InterviewPlan(stages=["technical"], technical_questions=2))
    assert view.turns[0].event == "greeting" and view.turns[-1].event == "question"
    view = service.command(view.session_id, "hint")
    assert view.new_turns[-1].event == "hint" and view.new_turns[-1].kind == "system"
    view = service.command(view.session_id, "repeat")
    assert view.new_turns[-1].event == "repeat"
    view = service.answer(view.session_id, "缓存 key 和 value，避免重复计算。")
    answer = next(turn for turn in view.turns if turn.event == "answer")
    assert isinstance(answer.grade, TurnGrade) and 0 <= answer.grade.score <= 100
    view = service.command(view.session_id, "skip")
    assert any(turn.event == "skip" for turn in view.turns)


def test_checkpoints_saved_before_events_and_verdicts_still_load() -> None:
    old = [
        {"stage": "technical", "kind": "system", "text": "提示：可以从「低秩」这个角度想想。", "at": "t"},
        {"stage": "technical", "kind": "system", "text": "再说一遍问题：什么是 LoRA？", "at": "t"},
        {"stage": "technical", "kind": "answer", "text": "/skip", "at": "t",
         "grade": {"question_id": "q", "score": 0, "key_points": [], "flags": ["skipped"], "feedback": "",
                   "grader": "rule"}},
        {"stage": "technical", "kind": "answer", "text": "低秩分解", "at": "t", "question_id": "q",
         "grade": {"question_id": "q", "score": 60, "flags": [], "feedback": "", "grader": "embedding",
                   "key_points": [{"index": 0, "text": "冻结原权重", "weight": 2, "status": "covered"},
                                  {"index": 1, "text": "B 初始化为零", "weight": 1, "status": "wrong"}],
                   "misconceptions": [{"claim": "A、B 都为零", "correction": "B 为零", "evidence": "都为零",
                                       "similarity": 0.9}]}},
    ]
    turns = [Turn.model_validate(turn) for turn in old]
    assert [turn.event for turn in turns] == ["hint", "repeat", "skip", "answer"]
    grade = turns[3].grade
    assert grade is not None and [p.text for p in grade.points_made()] == ["冻结原权重"]
    assert grade.misconceptions[0].correction == "B 为零"
    # the grader's new verdicts fit the same type; a contradicted point carries its quote and correction
    new = TurnGrade.model_validate({"score": 40, "key_points": [
        {"index": 0, "text": "冻结原权重", "weight": 1, "status": "stated"},
        {"index": 1, "text": "B 初始化为零", "weight": 1, "status": "contradicted", "quote": "A、B 都是零",
         "correction": "只有 B 为零"}, {"index": 2, "text": "r 远小于 d", "weight": 1, "status": "absent"}]})
    assert [p.made for p in new.key_points] == [True, False, False] and new.key_points[1].quote == "A、B 都是零"


def test_errors_are_codes_with_details(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    with pytest.raises(SessionError) as unknown:
        service.answer("nope", "hi")
    assert unknown.value.code == "session_not_found" and unknown.value.params["session_id"] == "nope"
    view = service.start(InterviewPlan(stages=["technical"], technical_questions=1))
    with pytest.raises(SessionError) as long:
        service.answer(view.session_id, "很长的回答" * 1000)
    assert long.value.code == "answer_too_long" and long.value.params == {"length": 5000, "limit": 4000}
    assert not [turn for turn in service.view(view.session_id).turns if turn.kind == "answer"]
    with pytest.raises(SessionError) as many:
        service.start(InterviewPlan(technical_questions=16))
    assert many.value.code == "too_many_questions"


def _finish_with_closing(service):  # type: ignore[no-untyped-def]
    """A technical question, then the closing stage: one question of the candidate's, then none."""
    view = service.start(InterviewPlan(stages=["technical", "closing"], technical_questions=1))
    asked = False
    while view.awaiting_answer:
        if view.pending_question.stage != "closing":
            reply = "缓存 key 和 value，避免重复计算。"
        else:
            reply, asked = ("没有了，谢谢。" if asked else "团队平时主要做什么方向？"), True
        view = service.answer(view.session_id, reply)
    return view


def test_answered_counts_agree_in_sessions_list_report_and_progress(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    view = _finish_with_closing(service)
    summary = service.list_sessions()[0]
    report = build_report(service.show(view.session_id), service.bank)
    progress = build_progress([service.show(view.session_id)], service.bank)
    assert summary.questions_answered == len(report.questions) == progress.sessions[0].answered == 1
    assert view.progress.answered == 1


def test_the_closing_reply_and_summary_are_in_every_report_file(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    view = _finish_with_closing(service)
    reply = next(turn.text for turn in view.turns if turn.event == "closing_reply")
    summary = next(turn.text for turn in view.turns if turn.event == "summary")
    report = build_report(service.show(view.session_id), service.bank)
    assert report.closing[0].question == "团队平时主要做什么方向？" and report.closing[0].reply == reply
    assert report.summary == summary
    first_line = summary.splitlines()[0]
    for fmt in ("md", "html", "json"):
        rendered = render_report(report, fmt).decode("utf-8")
        assert "团队平时主要做什么方向" in rendered and reply[:12] in rendered and first_line[:10] in rendered, fmt


@pytest.mark.slow  # a PDF render and pdftotext
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (installed by .ci/run)")
def test_the_pdf_has_the_closing_reply_and_summary(hash_store, make_service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from interviewer.report import find_cjk_font, write_report

    if find_cjk_font() is None:
        pytest.skip("needs a CJK font (installed by .ci/run)")
    service = make_service(hash_store)
    view = _finish_with_closing(service)
    report = build_report(service.show(view.session_id), service.bank)
    pdf = write_report(report, "pdf", tmp_path / "r.pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\n", "")
    assert "反问与总结" in text and "团队平时主要做什么方向" in text


def _to_a_follow_up(service):  # type: ignore[no-untyped-def]
    """A technical session whose waiting question is a follow-up pressing on a key point."""
    for seed_answer in range(6):
        view = service.start(InterviewPlan(stages=["technical"], technical_questions=3))
        for _ in range(6):
            question = service.bank[view.pending_question.question_id]
            rubric = rubric_for(question)
            if view.pending_question.kind == "follow_up":
                current = service.graph.get_state({"configurable": {"thread_id": view.session_id}}).values["current"]
                if str((current.get("pressed") or [""])[-1]).startswith("point:"):
                    return view, rubric, int(current["pressed"][-1].partition(":")[2])
            # one key point only: partly right, which is what gets a follow-up
            view = service.answer(view.session_id, rubric.key_points[seed_answer % len(rubric.key_points)].text
                                  if rubric else "不太清楚")
            if not view.awaiting_answer:
                break
    pytest.fail("no follow-up on a key point was reached")


def test_repeat_and_hint_are_about_the_current_follow_up(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    from interviewer.nodes.give_hint import point_hint

    service = make_service(hash_store)
    view, rubric, pressed = _to_a_follow_up(service)
    follow_up = view.pending_question.text
    repeated = service.command(view.session_id, "repeat").new_turns[-1]
    assert repeated.event == "repeat" and follow_up in repeated.text
    hint = service.command(view.session_id, "hint").new_turns[-1]
    assert hint.event == "hint" and hint.text == point_hint(rubric.key_points[pressed])


def test_the_configured_llm_timeout_reaches_the_interview(indexed_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from interviewer.service import create_service

    monkeypatch.setenv("MOCK_INTERVIEWER_EMBEDDINGS", "hash")
    monkeypatch.setenv("MOCK_INTERVIEWER_LLM_TIMEOUT", "3.5")
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    service = create_service(indexed_home)
    assert service.llm is not None and service.llm.max_timeout == 3.5


def test_fallbacks_are_logged_at_the_configured_level(monkeypatch: pytest.MonkeyPatch, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    from langchain_core.runnables import RunnableLambda

    from interviewer.llm import LLMClient
    from interviewer.llm.limits import PHRASE
    from interviewer.settings import ConfigurationError, configure_logging

    def stall(messages: object, **kwargs: object) -> object:
        raise TimeoutError("stalled")

    broken = LLMClient(RunnableLambda(stall), name="broken", endpoint="e")  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="interviewer"):
        assert broken.text(PHRASE, []) is None
    assert any("call failed" in record.getMessage() and "stalled" in record.getMessage()
               for record in caplog.records)
    monkeypatch.setenv("MOCK_INTERVIEWER_LOG_LEVEL", "info")
    configure_logging()
    assert logging.getLogger("interviewer").level == logging.INFO
    configure_logging(verbose=True)
    assert logging.getLogger("rubrics").level == logging.DEBUG
    monkeypatch.setenv("MOCK_INTERVIEWER_LOG_LEVEL", "loud")
    with pytest.raises(ConfigurationError):
        configure_logging()
    monkeypatch.setenv("MOCK_INTERVIEWER_LOG_LEVEL", "WARNING")
    configure_logging()
