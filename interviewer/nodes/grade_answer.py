"""Grade the answer, update the project card and claims ledger, and decide what happens next."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from interviewer import claims as claims_ledger
from interviewer import phrasing, policy
from interviewer.context import InterviewContext
from interviewer.scoring import make_turn
from interviewer.state import InterviewState
from interviewer.transcript import Claim

PRACTICE_REFERENCE_CHARS = 600
FALLBACK_NOTICE = "LLM 暂时不可用，本题使用离线评分。"  # the web UI translates it by this exact text


def grade_answer(state: InterviewState, runtime: Runtime[InterviewContext]) -> dict[str, Any]:
    context = runtime.context
    current: dict[str, Any] = dict(state["current"] or {})
    answer = state.get("pending_input") or ""
    question = context.bank[current["question_id"]]
    stage, slot = current["stage"], current.get("slot")
    # Follow-up answers add to what was said before: the question is graded on everything said about it.
    earlier = [t["text"] for t in state.get("turns", []) if t["kind"] == "answer"
               and t.get("question_id") == question.id and not (t.get("grade") or {}).get("flags", []).count("skipped")]
    grade = context.grader.grade(question, "\n".join([*earlier, answer]), hints_used=current.get("hints", 0))
    grade_dump = grade.model_dump(mode="json")
    turns = [make_turn(stage, "answer", answer, question_id=question.id, slot=slot, grade=grade_dump)]
    update: dict[str, Any] = {"pending_input": None, "last_grade": grade_dump}

    probe = None
    if stage == "project":
        card = dict(state.get("project_card", {}))
        key = slot or f"technique:{question.id}"
        card[key] = f"{card[key]}\n{answer}" if key in card else answer
        update["project_card"] = card
        ledger = [Claim.model_validate(item) for item in state.get("claims", [])]
        new_claims = claims_ledger.extract_claims(answer, slot)
        if not current.get("claim_probed"):  # at most one claim probe per question
            probe = claims_ledger.find_probe(ledger, new_claims, state.get("probed_claims", []))
        update["claims"] = [*state.get("claims", []), *(claim.model_dump() for claim in new_claims)]

    if stage == "closing":
        reply = phrasing.llm_closing_reply(context.llm, answer, context.plan.language) or phrasing.closing_reply(answer)
        turns.append(make_turn(stage, "system", reply, question_id=question.id, event="closing_reply"))
    elif context.plan.mode == "practice":
        turns.append(make_turn(stage, "feedback", _practice_feedback(grade_dump, question.reference_answer),
                               question_id=question.id, slot=slot, grade=grade_dump))

    action = policy.decide_next(grade_dump, context.plan.mode, current, context.plan.max_follow_ups)
    if probe and current["follow_ups"] < context.plan.max_follow_ups and action != "retry":
        key, question_text = probe
        update["probed_claims"] = [*state.get("probed_claims", []), key]
        action, current["target"], current["claim_probed"] = "follow_up", question_text, True
    elif action == "follow_up":
        pressed = list(current.get("pressed", []))
        gap = policy.follow_up_target(grade_dump, pressed)
        current["target"], current["pressed"] = _follow_up_text(gap, grade_dump, context, question), [*pressed, gap]
    if action == "next":
        update["difficulty"] = policy.adapt_difficulty(state.get("difficulty", 2), grade.score)
        update["current"] = None
    else:
        update["current"] = current
    update["next_action"] = action
    update["notice"] = FALLBACK_NOTICE if "fallback" in grade.flags else None
    update["turns"] = turns
    return update


def _follow_up_text(gap: str | None, grade: dict[str, Any], context: InterviewContext, question: Any) -> str:
    """The question that presses on `gap`: the misconception hit, or the missing point's probe."""
    rng = policy.session_rng(question.id, str(grade.get("score")))
    kind, _, key = (gap or "").partition(":")
    if kind == "misconception":
        hit = next(hit for hit in grade["misconceptions"] if hit["claim"] == key)
        return phrasing.misconception_follow_up(hit["evidence"], hit["claim"])
    rubric = context.rubric(question)
    if kind == "point" and rubric:
        return phrasing.follow_up_text(rubric.key_points[int(key)].probe, rng)
    return phrasing.follow_up_text("能再展开讲讲吗？", rng)


def _practice_feedback(grade: dict[str, Any], reference: str | None) -> str:
    hit = [p["text"] for p in grade.get("key_points", []) if p["status"] == "covered"]
    missed = [p["text"] for p in grade.get("key_points", []) if p["status"] != "covered"]
    lines = [f"得分：{grade['score']}"]
    if hit:
        lines.append("✓ 答到：" + "；".join(hit))
    if missed:
        lines.append("✗ 缺少：" + "；".join(missed))
    lines.append(grade.get("feedback", ""))
    if reference:
        cut = reference if len(reference) <= PRACTICE_REFERENCE_CHARS else reference[:PRACTICE_REFERENCE_CHARS] + "……"
        lines.append("参考答案：" + cut)
    return "\n".join(line for line in lines if line)
