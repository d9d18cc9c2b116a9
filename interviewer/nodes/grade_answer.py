"""Grade the answer, listen to it (project slots, claims), and decide what happens next."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from interviewer import claims as claims_ledger
from interviewer import phrasing, policy, slots, tuning
from interviewer.context import InterviewContext
from interviewer.grading.base import StagedGrader
from interviewer.grading.detectors import detect
from interviewer.grading.models import GradeResult, is_stated
from interviewer.grading.text import is_gibberish
from interviewer.llm.client import Speculation, in_background
from interviewer.nodes.ask import next_question
from interviewer.scoring import make_turn
from interviewer.state import NOTICE_LLM_FALLBACK, InterviewState
from interviewer.transcript import Claim

PRACTICE_REFERENCE_CHARS = 600
NOT_LISTENED = ("non_answer", "injection", "off_topic", "skipped")  # answers whose words fill no slot


def grade_answer(state: InterviewState, runtime: Runtime[InterviewContext]) -> dict[str, Any]:
    """Grade, listen, decide. With an LLM the judge's round trip and the wording of what comes next overlap:

    the offline grade is ready first, so the policy decides provisionally from it and the wording of that
    next step starts while the judge reads the answer. The judge's grade then decides for real (the policy
    is the same pure function of the grade); a wording made for another step than the one decided is
    dropped, and the step it did not foresee gets its template (`ahead` in the state tells the next node
    so), which keeps a turn at one LLM round trip on its critical path."""
    context = runtime.context
    current: dict[str, Any] = dict(state["current"] or {})
    answer = state.get("pending_input") or ""
    question = context.bank[current["question_id"]]
    stage = current["stage"]
    # Follow-up answers add to what was said before: the question is graded on everything said about it.
    earlier = [t["text"] for t in state.get("turns", []) if t["kind"] == "answer"
               and t.get("question_id") == question.id and not (t.get("grade") or {}).get("flags", []).count("skipped")]
    said, hints = "\n".join([*earlier, answer]), current.get("hints", 0)
    grader, llm, language = context.grader, context.llm, context.plan.language
    if llm is None or not isinstance(grader, StagedGrader):
        update = _outcome(state, context, grader.grade(question, said, hints_used=hints))
        if stage == "closing" and (reply := phrasing.llm_closing_reply(llm, answer, language)):
            _set_closing_reply(update, reply)
        return update
    base = grader.grade_offline(question, said, hints_used=hints)
    if not grader.will_judge(question, base):
        update = _outcome(state, context, base)
        if stage == "closing" and (reply := phrasing.llm_closing_reply(llm, answer, language)):
            _set_closing_reply(update, reply)
        return update
    # The judge goes out first; the wordings below start while it reads, and the provisional plan is
    # worked out meanwhile too.
    judged = in_background(grader.refine, question, said, base, hints_used=hints)
    closing = summary = None
    record: str | None = None
    wordings: dict[str, Speculation[str | None]] = {}
    if stage == "closing":
        # The reply to the candidate's questions and the wrap-up owe nothing to this answer's grade (the
        # wrap-up reads the earlier questions' grades only), and the interview always ends after it.
        closing = in_background(phrasing.llm_closing_reply, llm, answer, language)
        if (record := phrasing.summary_record(state.get("turns", []))) is not None:
            summary = in_background(phrasing.llm_summary, llm, record, language)
    else:
        provisional = _outcome(state, context, base)
        foreseen = provisional.get("current") or {}
        if provisional["next_action"] == "follow_up" and foreseen.get("target"):
            keep = foreseen.get("keep") or None
            key = phrasing.ahead_key("follow_up", foreseen["target"], keep)
            wordings[key] = llm.speculate(phrasing.llm_rephrase, llm, foreseen["target"], answer, language, keep=keep)
        elif provisional["next_action"] == "next" and stage in ("opening", "project"):
            # The next project question, as the ask node will pick it if the judge agrees (bank questions
            # are asked as written: only a project slot question gets a wording).
            after: Any = {**state, **provisional, "turns": [*state.get("turns", []), *provisional["turns"]]}
            upcoming = next_question(after, context).get("current") or {}
            if upcoming.get("slot"):
                key = phrasing.ahead_key("ask", upcoming["text"])
                wordings[key] = llm.speculate(phrasing.llm_rephrase, llm, upcoming["text"], answer, language)
    update = _outcome(state, context, judged.result())
    ahead: dict[str, str] = {}
    if closing is not None and (reply := closing.result()):
        _set_closing_reply(update, reply)
    if summary is not None and record is not None:
        ahead[phrasing.ahead_key("summary", record)] = summary.result() or ""
    decided = update.get("current") or {}
    if update["next_action"] == "follow_up" and decided.get("target"):
        key = phrasing.ahead_key("follow_up", decided["target"], decided.get("keep") or None)
        if key in wordings:
            ahead[key] = wordings[key].take() or ""
    elif update["next_action"] == "next" and any(key.startswith("ask") for key in wordings):
        after = {**state, **update, "turns": [*state.get("turns", []), *update["turns"]]}
        upcoming = next_question(after, context).get("current") or {}
        key = phrasing.ahead_key("ask", upcoming.get("text") or "")
        if key in wordings:
            ahead[key] = wordings[key].take() or ""
    update["ahead"] = ahead
    return update


def _set_closing_reply(update: dict[str, Any], reply: str) -> None:
    """The LLM's reply to the candidate's questions in place of the authored one."""
    for turn in update["turns"]:
        if turn.get("event") == "closing_reply":
            turn["text"] = reply


def _outcome(state: InterviewState, context: InterviewContext, grade: GradeResult) -> dict[str, Any]:
    """What this grade makes of the turn: the answer's record, what was heard, the next action and its
    target. A pure function of the state and the grade (no LLM call), so it can be asked twice."""
    current: dict[str, Any] = dict(state["current"] or {})
    answer = state.get("pending_input") or ""
    question = context.bank[current["question_id"]]
    stage, slot = current["stage"], current.get("slot")
    grade_dump = grade.model_dump(mode="json")
    turns = [make_turn(stage, "answer", answer, question_id=question.id, slot=slot, grade=grade_dump)]
    update: dict[str, Any] = {"pending_input": None, "last_grade": grade_dump}
    rng = policy.session_rng(state["session_id"], f"reply:{len(state.get('turns', []))}")
    project_question = question.kind == "project"
    # In the project stage everything is about the project, an aside on a technique the candidate named
    # included: what the reply to such a bank question says about the project is listened to as well.
    heard = "" if stage != "project" else answer if project_question else slots.project_talk(
        answer, answered="off_topic" not in grade.flags and grade.score >= tuning.ANSWERED_SLOT_SCORE)
    findings = detect(heard) if heard else []  # read once: slots, claims and vague claims all use them
    found = slots.fill_slots(heard, findings) if heard else {}
    # "F1 0.91" is terse, not keyboard mashing; an answer that earned points is no mashing either.
    gibberish = not found and grade.score < tuning.FOLLOW_UP_BAND[0] and is_gibberish(answer)
    # An answer about another part of the project is no off-topic answer: it is listened to, not redirected.
    on_project = bool(found) and not set(grade.flags) & {"non_answer", "injection"}
    if on_project and "off_topic" in grade.flags:
        grade_dump["flags"] = [flag for flag in grade_dump["flags"] if flag != "off_topic"]
    listened = on_project or (not gibberish and not set(grade_dump["flags"]) & set(NOT_LISTENED))

    contradictions: list[policy.Probe] = []
    if stage == "project":
        ledger = [Claim.model_validate(item) for item in state.get("claims", [])]
        card = dict(state.get("project_card", {}))
        if listened and (project_question or on_project):
            if project_question and slot and slot not in found and current["follow_ups"] == 0 and (
                    not found or grade.score >= tuning.ANSWERED_SLOT_SCORE):
                found[slot] = answer  # it answers the question asked, in words no cue names
            card = slots.merge_evidence(card, found)
            new_claims = claims_ledger.extract_claims(heard, slot, findings=findings)
            contradictions = [policy.contradiction_probe(item) for item in claims_ledger.find_contradictions(
                ledger, new_claims) if item.key not in state.get("probed_claims", [])]
            update["pending_probes"] = policy.pending_probes(
                state.get("pending_probes", []), claims_ledger.vague_claims(heard, findings), new_claims, slot,
                state.get("probed_claims", []))
            update["claims"] = [claim.model_dump() for claim in claims_ledger.merge_claims(ledger, new_claims)]
            if project_question and not state.get("project_name"):
                update["project_name"] = slots.project_name([answer])
        if not project_question and listened:
            card[f"technique:{question.id}"] = answer
        update["project_card"] = card

    kind = phrasing.non_answer_kind(answer, grade_dump["flags"], gibberish) if stage != "closing" else None
    streak = state.get("non_answer_streak", 0) + 1 if kind else 0
    if stage == "closing":
        turns.append(make_turn(stage, "system", phrasing.closing_reply(answer), question_id=question.id,
                               event="closing_reply"))
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
        if streak >= tuning.NON_ANSWERS_BEFORE_OFFER:
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
    hit = [p["text"] for p in grade.get("key_points", []) if is_stated(p["status"])]
    missed = [p["text"] for p in grade.get("key_points", []) if not is_stated(p["status"])]
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
