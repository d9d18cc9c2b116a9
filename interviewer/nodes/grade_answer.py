"""Grade the answer, listen to it (project slots, claims), and decide what happens next."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from interviewer import claims as claims_ledger
from interviewer import phrasing, policy, slots
from interviewer.context import InterviewContext
from interviewer.grading.detectors import detect
from interviewer.grading.text import is_gibberish
from interviewer.scoring import make_turn
from interviewer.state import NOTICE_LLM_FALLBACK, InterviewState
from interviewer.transcript import Claim

PRACTICE_REFERENCE_CHARS = 600
NOT_LISTENED = ("non_answer", "injection", "off_topic", "skipped")  # answers whose words fill no slot


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
    rng = policy.session_rng(state["session_id"], f"reply:{len(state.get('turns', []))}")
    found = slots.fill_slots(answer) if stage == "project" and question.kind == "project" else {}
    gibberish = not found and is_gibberish(answer)  # "F1 0.91" is terse, not keyboard mashing
    # An answer about another part of the project is no off-topic answer: it is listened to, not redirected.
    on_project = bool(found) and not set(grade.flags) & {"non_answer", "injection"}
    if on_project and "off_topic" in grade.flags:
        grade_dump["flags"] = [flag for flag in grade_dump["flags"] if flag != "off_topic"]
    listened = on_project or (not gibberish and not set(grade_dump["flags"]) & set(NOT_LISTENED))

    contradictions: list[policy.Probe] = []
    if stage == "project":
        ledger = [Claim.model_validate(item) for item in state.get("claims", [])]
        card = dict(state.get("project_card", {}))
        if question.kind == "project" and listened:
            if slot and slot not in found and current["follow_ups"] == 0 and (
                    not found or grade.score >= policy.ANSWERED_SLOT_SCORE):
                found[slot] = answer  # it answers the question asked, in words no cue names
            card = slots.merge_evidence(card, found)
            new_claims = claims_ledger.extract_claims(answer, slot)
            contradictions = [policy.contradiction_probe(item) for item in claims_ledger.find_contradictions(
                ledger, new_claims) if item.key not in state.get("probed_claims", [])]
            update["pending_probes"] = policy.pending_probes(
                state.get("pending_probes", []), claims_ledger.vague_claims(answer), new_claims, slot,
                state.get("probed_claims", []))
            update["claims"] = [claim.model_dump() for claim in claims_ledger.merge_claims(ledger, new_claims)]
            if not state.get("project_name"):
                update["project_name"] = slots.project_name([answer])
        elif question.kind != "project" and listened:
            card[f"technique:{question.id}"] = answer
        update["project_card"] = card

    kind = phrasing.non_answer_kind(answer, grade_dump["flags"], gibberish) if stage != "closing" else None
    streak = state.get("non_answer_streak", 0) + 1 if kind else 0
    if stage == "closing":
        reply = phrasing.llm_closing_reply(context.llm, answer, context.plan.language) or phrasing.closing_reply(answer)
        turns.append(make_turn(stage, "system", reply, question_id=question.id, event="closing_reply"))
    elif context.plan.mode == "practice":
        turns.append(make_turn(stage, "feedback", _practice_feedback(grade_dump, question.reference_answer),
                               question_id=question.id, slot=slot, grade=grade_dump))

    action = policy.decide_next(grade_dump, context.plan.mode, current, context.plan.max_follow_ups)
    probe = None
    if stage == "project" and action not in ("retry", "redirect") and listened:
        probe = policy.choose_probe(contradictions, update.get("pending_probes", []), current["follow_ups"],
                                    context.plan.max_follow_ups)
    if probe is not None:
        update["probed_claims"] = [*state.get("probed_claims", []), *policy.probed_keys(probe)]
        update["pending_probes"] = [item for item in update.get("pending_probes", []) if item["key"] != probe["key"]]
        action = "follow_up"
        current.update(target=phrasing.probe_question(probe, rng), claim_probed=True,
                       probe_slot=probe.get("slot") or slot, keep=list(probe["quotes"][:2]))
    elif action == "follow_up":
        pressed = list(current.get("pressed", []))
        card = update.get("project_card", {})
        stated = {finding.kind for finding in detect("\n".join(card.values()))} if stage == "project" else set()
        while (gap := policy.follow_up_target(grade_dump, pressed)) is not None:
            text = _follow_up_text(gap, grade_dump, context, question)
            pressed.append(gap)
            if stage != "project" or not policy.gap_already_stated(text, stated, card, slot):
                current.update(target=text, pressed=pressed, probe_slot=slot, keep=[])
                break
        else:
            action = "next"  # every gap it would press on was already stated
    if kind and action == "next":
        turns.append(make_turn(stage, "system", phrasing.non_answer_reply(kind, rng), question_id=question.id,
                               event="non_answer_reply"))
        if streak >= policy.NON_ANSWERS_BEFORE_OFFER:
            turns.append(make_turn(stage, "system", phrasing.offer_text(), question_id=question.id, event="offer"))
            streak = 0
            update["difficulty"] = max(1, state.get("difficulty", 2) - 1)
    update["non_answer_streak"] = streak
    if action == "next":
        update["difficulty"] = min(update.get("difficulty", 3), policy.adapt_difficulty(state.get("difficulty", 2),
                                                                                         grade.score))
        update["current"] = None
    else:
        update["current"] = current
    update["next_action"] = action
    update["notice"] = NOTICE_LLM_FALLBACK if "fallback" in grade.flags else None
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
    hit = [p["text"] for p in grade.get("key_points", []) if p["status"] in ("stated", "covered")]
    missed = [p["text"] for p in grade.get("key_points", []) if p["status"] not in ("stated", "covered")]
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
