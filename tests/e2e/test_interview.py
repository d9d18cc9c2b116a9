"""Scripted end-to-end interviews through the graph: simulated candidates, commands, claims, modes."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from interviewer import policy
from interviewer.plan import InterviewPlan
from interviewer.scoring import overall_score
from interviewer.simulate import PERSONAS, run_simulation
from interviewer.transcript import STAGES, Turn

PLAN = InterviewPlan(technical_questions=3, project_questions=5, behavioral_questions=1)


def questions(turns: list[Turn]) -> list[Turn]:
    return [turn for turn in turns if turn.kind == "question"]


def assert_flow_rules(turns: list[Turn], max_follow_ups: int) -> None:
    stages = [STAGES.index(turn.stage) for turn in questions(turns)]
    assert stages == sorted(stages), "stages run in order"
    asked = [turn.question_id for turn in questions(turns)]
    assert len(asked) == len(set(asked)), "no question is asked twice"
    follow_ups = Counter((turn.stage, turn.question_id) for turn in turns if turn.kind == "follow_up")
    redirects = Counter(turn.question_id for turn in turns if turn.kind == "redirect")
    # Project questions may also probe what was said (policy.choose_probe's budget).
    listening = policy.LISTENING_FOLLOW_UPS + policy.CONTRADICTION_ALLOWANCE
    assert all(count <= max_follow_ups + (listening if stage == "project" else 0)
               for (stage, _), count in follow_ups.items())
    assert all(count <= 1 for count in redirects.values())
    for index, turn in enumerate(turns):
        answer = next((t for t in reversed(turns[:index]) if t.kind == "answer"), None)
        # Probes quoting the candidate's words, or asking about a figure they gave ("温度为什么选 0.3？"),
        # follow strong answers too and have their own rules (tests/unit/test_listening.py).
        figures = set(re.findall(r"\d+(?:\.\d+)?", answer.text)) if answer is not None else set()
        probe = turn.stage == "project" and ("「" in turn.text or bool(set(re.findall(r"\d+(?:\.\d+)?", turn.text))
                                                                      & figures))
        if turn.kind != "follow_up" or probe:
            continue
        grade = next(t.grade for t in reversed(turns[:index]) if t.kind == "answer")
        assert grade is not None
        assert 15 <= grade.score < 80 or "misconception" in grade.flags, "follow up only partly right answers"


@pytest.fixture(scope="module")
def persona_runs(real_store, tmp_path_factory):  # type: ignore[no-untyped-def]
    from interviewer.grading import build_grader
    from interviewer.service import InterviewService
    from interviewer.settings import LLMSettings
    from question_bank.loader import load_bank

    home = tmp_path_factory.mktemp("personas")
    grader = build_grader(real_store.embedder, real_store, settings=LLMSettings(api_key=None, base_url=None, model="x"))
    service = InterviewService(home, grader=grader, store=real_store, bank=load_bank())
    return {persona: run_simulation(service, persona, PLAN, seed=3) for persona in PERSONAS}


@pytest.mark.slow
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_finishes_following_the_rules(persona_runs, persona: str) -> None:  # type: ignore[no-untyped-def]
    view = persona_runs[persona]
    assert view.finished
    assert_flow_rules(view.turns, PLAN.max_follow_ups)
    assert questions(view.turns)[0].stage == "opening"
    assert questions(view.turns)[-1].stage == "closing"


@pytest.mark.slow
def test_scores_separate_the_personas(persona_runs) -> None:  # type: ignore[no-untyped-def]
    scores = {persona: overall_score([t.model_dump() for t in view.turns]) for persona, view in persona_runs.items()}
    assert scores["strong"] >= 60
    assert scores["strong"] > scores["partial"] > scores["silent"]
    for persona in ("silent", "gibberish", "injection"):
        assert scores[persona] <= 5, persona
    assert scores["offtopic"] <= 20


@pytest.mark.slow
def test_silent_candidates_finish_quickly_and_strong_ones_fill_the_project_card(persona_runs) -> None:  # type: ignore[no-untyped-def]
    silent = persona_runs["silent"]
    assert not [turn for turn in silent.turns if turn.kind in ("follow_up", "redirect")]
    assert len(questions(silent.turns)) == 1 + PLAN.project_questions + PLAN.technical_questions + 2
    assert len(persona_runs["strong"].project_card) >= 4
    assert [turn for turn in persona_runs["offtopic"].turns if turn.kind == "redirect"]


def test_contradicting_claims_are_probed(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    view = service.start(InterviewPlan(stages=["project"], project_questions=3))
    view = service.answer(view.session_id, "我做的是合同审查助手，基于 Qwen2-7B 微调，训练数据一共 1万条。")
    while view.awaiting_answer and not any("1万条" in t.text and t.kind == "follow_up" for t in view.turns):
        view = service.answer(view.session_id, "数据集其实有 10万条，是人工标注加模型生成的。")
    probe = next(turn for turn in view.turns if turn.kind == "follow_up" and "1万条" in turn.text)
    assert "10万条" in probe.text


def test_commands_hint_repeat_skip_and_end(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    view = service.start(InterviewPlan(stages=["technical"], technical_questions=3))
    asked = view.new_turns[-1]
    view = service.answer(view.session_id, "/hint")
    assert view.new_turns[-1].kind == "system" and view.new_turns[-1].text.startswith("提示")
    first_hint = view.new_turns[-1].text
    view = service.answer(view.session_id, "/hint")
    assert view.new_turns[-1].text.startswith("提示") and view.new_turns[-1].text != first_hint
    view = service.answer(view.session_id, "/repeat")
    assert asked.text in view.new_turns[-1].text
    view = service.answer(view.session_id, "缓存之类的吧")
    grades = [turn.grade for turn in view.turns if turn.kind == "answer"]
    assert grades[-1] is not None and "hint_used" in grades[-1].flags
    while view.turns[-1].kind != "question":
        view = service.answer(view.session_id, "/skip")
    view = service.answer(view.session_id, "/skip")
    skipped = [t for t in view.turns if t.kind == "answer" and t.grade and "skipped" in t.grade.flags]
    assert skipped and skipped[-1].text == "/skip"
    view = service.answer(view.session_id, "/end")
    assert view.finished and not view.awaiting_answer
    assert service.list_sessions()[0].status == "finished"


def test_practice_mode_gives_feedback_and_a_retry(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    view = service.start(InterviewPlan(mode="practice", stages=["technical"], technical_questions=1,
                                       topics=["inference"]))
    from rubrics.loader import rubric_for

    rubric = rubric_for(service.bank[view.new_turns[-1].question_id])
    view = service.answer(view.session_id, rubric.key_points[0].text)  # on topic, but only one point
    kinds = [turn.kind for turn in view.new_turns]
    assert "feedback" in kinds and view.last_grade is not None
    feedback = next(turn for turn in view.new_turns if turn.kind == "feedback")
    assert "得分" in feedback.text
    if view.last_grade.score < 80:
        assert "再回答一次" in view.new_turns[-1].text


def test_answers_are_kept_exactly_as_typed(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    view = service.start(InterviewPlan(stages=["opening", "closing"]))
    typed = "  我叫<b>测试</b>，\n做过 **RAG** 项目 `code` 😀  "
    view = service.answer(view.session_id, typed)
    assert [t.text for t in service.snapshot(view.session_id).turns if t.kind == "answer"] == [typed]


class ScriptedChatModel:
    """A chat model that answers every call from a script (cycling), or fails when told to."""

    def __init__(self, replies: list[str] | None = None) -> None:
        self.replies, self.calls = replies, 0

    def bind(self, **_: object) -> ScriptedChatModel:
        return self

    def with_structured_output(self, *_: object, **__: object) -> ScriptedChatModel:
        return self

    def with_retry(self, **_: object) -> ScriptedChatModel:
        return self

    def invoke(self, *_: object, **__: object) -> object:
        from langchain_core.messages import AIMessage

        self.calls += 1
        if self.replies is None:
            raise TimeoutError("the model did not answer")
        return AIMessage(content=self.replies[(self.calls - 1) % len(self.replies)])


def test_the_llm_phrases_and_sums_up_when_it_behaves_and_never_blocks_when_it_fails(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    plan = InterviewPlan(stages=["opening", "project", "closing"], project_questions=2)
    phrased = "那你们这个项目最后的效果怎么衡量，和基线比提升了多少？"
    behaving = ScriptedChatModel([phrased])
    service = make_service(hash_store, behaving)
    view = service.start(plan)
    for answer in ("我是算法工程师，做过 RAG 项目。", "项目是企业知识库问答。", "效果用准确率衡量，提升了 10 个点。",
                   "/skip", "/skip", "团队做什么方向？"):
        if view.finished:
            break
        view = service.answer(view.session_id, answer)
    assert behaving.calls and any(turn.text == phrased for turn in view.turns if turn.kind == "question")
    assert view.finished and phrased in view.turns[-1].text  # the summary came from the model too

    failing = ScriptedChatModel(None)
    service = make_service(hash_store, failing)
    view = service.start(plan)
    for _ in range(12):
        if view.finished:
            break
        view = service.answer(view.session_id, "项目是企业知识库问答，用准确率评估。")
    assert failing.calls and view.finished, "a failing model falls back to offline wording and grading"
    assert "总分" in view.turns[-1].text
