"""Deterministic interview policy: stages, slots, question choice, follow-ups, difficulty, routing."""

from __future__ import annotations

import random

from interviewer import policy
from interviewer.plan import InterviewPlan
from interviewer.routing import route_after_ask, route_after_grade, route_input
from question_bank.loader import questions_by_id


def test_stages_run_in_order_and_respect_counts() -> None:
    plan = InterviewPlan(stages=["closing", "technical", "opening"], technical_questions=2)
    assert plan.stages == ["opening", "technical", "closing"]
    assert policy.next_stage(plan, None, {}) == "opening"
    assert policy.next_stage(plan, "opening", {"opening": 1}) == "technical"
    assert policy.next_stage(plan, "technical", {"opening": 1, "technical": 2}) == "closing"
    assert policy.next_stage(plan, "closing", {"opening": 1, "technical": 2, "closing": 1}) is None
    assert policy.total_planned(plan) == 4


def test_slot_choice_starts_with_overview_then_follows_the_candidate() -> None:
    assert policy.choose_slot(set(), "") == "overview"
    assert policy.choose_slot({"overview"}, "我们用 vLLM 部署，延迟 300ms") == "deployment"
    assert policy.choose_slot({"overview"}, "嗯") == "motivation"
    assert policy.choose_slot({"overview", "motivation", "deployment"}, "部署在 A100") == "metrics"
    assert policy.choose_slot(set(policy.PROJECT_SLOTS), "x") is None


def test_technical_choice_respects_topics_no_repeats_and_revisit() -> None:
    bank = questions_by_id()
    plan = InterviewPlan(topics=["rag"])
    asked: list[str] = []
    for _ in range(5):
        question = policy.choose_technical(bank, plan, asked, 2, {}, {}, set(bank), random.Random(1))
        assert question is not None and question.topic == "rag" and question.id not in asked
        asked.append(question.id)
    rag = [q for q in bank.values() if q.topic == "rag" and q.kind in policy.TECHNICAL_KINDS]
    target = rag[-1].id
    revisit = {q.id: 0.01 for q in rag} | {target: 50.0}
    picks = {policy.choose_technical(bank, plan, [], 2, {}, revisit, set(bank), random.Random(seed)).id  # type: ignore[union-attr]
             for seed in range(5)}
    assert picks == {target}


def counters(stage: str = "technical", follow_ups: int = 0, redirects: int = 0, retries: int = 0,
             pressed: tuple[str, ...] = ()) -> dict:
    return {"stage": stage, "follow_ups": follow_ups, "redirects": redirects, "retries": retries,
            "pressed": list(pressed)}


def test_follow_up_decisions() -> None:
    partly = {"score": 50, "flags": [], "key_points": [{"status": "missing", "weight": 3, "index": 0}]}
    assert policy.decide_next(partly, "interview", counters(), 2) == "follow_up"
    assert policy.decide_next(partly, "interview", counters(follow_ups=2), 2) == "next"  # budget spent
    assert policy.decide_next({"score": 90, "flags": [], "key_points": []}, "interview", counters(), 2) == "next"
    assert policy.decide_next({"score": 0, "flags": ["non_answer"]}, "interview", counters(), 2) == "next"
    assert policy.decide_next({"score": 5, "flags": ["off_topic"]}, "interview", counters(), 2) == "redirect"
    assert policy.decide_next({"score": 5, "flags": ["off_topic"]}, "interview", counters(redirects=1), 2) == "next"
    assert policy.decide_next(partly, "practice", counters(), 2) == "retry"
    assert policy.decide_next(partly, "practice", counters(retries=1), 2) == "follow_up"
    assert policy.decide_next(partly, "interview", counters(stage="opening"), 2) == "next"
    # The only gap was already pressed on: moving on beats asking the same thing again.
    assert policy.decide_next(partly, "interview", counters(follow_ups=1, pressed=("point:0",)), 2) == "next"


def test_follow_up_target_prefers_misconceptions_then_heavy_gaps_and_never_repeats() -> None:
    grade = {"misconceptions": [{"claim": "LoRA 训练全部权重"}],
             "key_points": [{"status": "partial", "weight": 1, "index": 0}, {"status": "missing", "weight": 3, "index": 1},
                            {"status": "covered", "weight": 3, "index": 2}, {"status": "missing", "weight": 3, "index": 3}]}
    assert policy.follow_up_target(grade, []) == "misconception:LoRA 训练全部权重"
    assert policy.follow_up_target(grade, ["misconception:LoRA 训练全部权重"]) == "point:1"
    assert policy.follow_up_target(grade, ["misconception:LoRA 训练全部权重", "point:1"]) == "point:3"
    assert policy.follow_up_target(grade, ["misconception:LoRA 训练全部权重", "point:1", "point:3", "point:0"]) is None


def test_difficulty_adapts() -> None:
    assert policy.adapt_difficulty(2, 90) == 3 and policy.adapt_difficulty(3, 95) == 3
    assert policy.adapt_difficulty(2, 20) == 1 and policy.adapt_difficulty(2, 60) == 2


def test_routers_are_pure_functions_of_the_state() -> None:
    assert route_input({"pending_input": " /HINT "}) == "hint"
    assert route_input({"pending_input": "/skip"}) == "skip"
    assert route_input({"pending_input": "/end"}) == "end"
    assert route_input({"pending_input": "/repeat"}) == "repeat"
    assert route_input({"pending_input": "LoRA 是 /hint 的意思"}) == "answer"
    assert route_after_grade({"next_action": "follow_up"}) == "follow_up"
    assert route_after_grade({"next_action": "next"}) == "ask"
    assert route_after_ask({"current": None}) == "finish"


def test_skipping_a_follow_up_keeps_the_grade_the_answers_earned() -> None:
    from interviewer.scoring import final_grades, overall_score

    answered = {"kind": "answer", "question_id": "q1", "grade": {"score": 57, "flags": []}}
    skipped = {"kind": "answer", "question_id": "q1", "grade": {"score": 0, "flags": ["skipped"]}}
    skipped_only = {"kind": "answer", "question_id": "q2", "grade": {"score": 0, "flags": ["skipped"]}}
    grades = final_grades([answered, skipped, skipped_only])
    assert grades["q1"]["score"] == 57 and grades["q2"]["score"] == 0
    assert overall_score([answered, skipped, skipped_only]) == 28


def test_technical_choice_covers_the_bank_and_spreads_over_topics() -> None:
    """Every unasked question can come up; one interview does not dwell on one topic."""
    bank = questions_by_id()
    plan = InterviewPlan()
    seen: set[str] = set()
    spreads = []
    for seed in range(150):
        rng, asked = random.Random(seed), []
        for _ in range(5):
            question = policy.choose_technical(bank, plan, asked, 2, {}, {}, set(bank), rng)
            assert question is not None
            asked.append(question.id)
        seen.update(asked)
        spreads.append(len({bank[qid].topic for qid in asked}))
    technical = [q for q in bank.values() if q.kind in policy.TECHNICAL_KINDS]
    assert len(seen) > len(technical) / 2
    assert sum(spreads) / len(spreads) >= 4  # five questions usually span four or five topics
    weighted = InterviewPlan(topic_weights={"sql": 0.0, "rag": 50.0})
    picks = [policy.choose_technical(bank, weighted, [], 2, {}, {}, set(bank), random.Random(seed))
             for seed in range(40)]
    assert all(q is not None and q.topic != "sql" for q in picks)
    assert sum(q.topic == "rag" for q in picks if q) >= 30  # type: ignore[union-attr]


def test_a_technique_question_is_about_the_technique_the_candidate_named() -> None:
    bank = questions_by_id()
    assert policy.mentioned_techniques("我们用 BM25 和向量混合检索，再 LoRA 微调", []) == ["LoRA", "BM25"]
    for technique in ("BM25", "LoRA", "vLLM", "RAG"):
        question = policy.technique_question(technique, bank, [], [])
        assert question is not None and policy.TECHNIQUES[technique].search(question.text), technique
    lora = [q.id for q in bank.values() if policy.TECHNIQUES["LoRA"].search(q.text) and q.kind == "technical"]
    assert policy.technique_question("LoRA", bank, [], [lora[-1]]).id == lora[-1]  # type: ignore[union-attr]
    assert policy.technique_question("LoRA", bank, lora, []) is None
