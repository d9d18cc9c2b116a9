"""Ask the next question: the policy picks stage, slot or bank question; phrasing words it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import numpy as np
from langgraph.runtime import Runtime

from interviewer import phrasing, policy, tuning
from interviewer.context import InterviewContext
from interviewer.scoring import make_turn
from interviewer.state import CurrentQuestion, InterviewState
from question_bank.models import Question
from rubrics.derive import split_sentences

# (stage before, stage) -> what the interviewer says when moving on; None matches any stage before.
STAGE_INTROS: dict[tuple[str | None, str], str] = {
    (None, "project"): "好，接下来我们深入聊聊你做过的项目。",
    ("project", "technical"): "项目就先聊到这里，下面问一些基础知识。",
    (None, "technical"): "下面问一些基础知识。",
    ("technical", "behavioral"): "技术问题差不多了，再聊几个综合性的问题。",
    (None, "behavioral"): "再聊几个综合性的问题。",
}
RELEVANCE_POOL = 40
RELEVANCE_SENTENCES = 60  # a long résumé: its start says enough, the rest only costs time


def ask(state: InterviewState, runtime: Runtime[InterviewContext]) -> dict[str, Any]:
    context = runtime.context
    update = next_question(state, context)
    current = update.get("current")
    if current is None or not current.get("slot"):
        return update  # bank questions are asked as written; only project slot questions are reworded
    template = current["text"]
    # Worded while the judge read the last answer (grade_answer foresaw this question), or now.
    ask_now, generated = phrasing.worded_ahead(state.get("ahead"), phrasing.ahead_key("ask", template))
    if ask_now:
        generated = phrasing.llm_rephrase(context.llm, template, _last_answer(state), context.plan.language)
    if generated:
        current["text"] = generated
        for turn in update["turns"]:
            if turn["kind"] == "question":
                turn["text"] = generated
    return update


def next_question(state: InterviewState, context: InterviewContext) -> dict[str, Any]:
    """The next question in its template wording and the state it moves to: a pure function of the state
    (no LLM call), so grade_answer can foresee it and have it worded while the judge reads."""
    counts = dict(state.get("stage_counts", {}))
    asked = list(state.get("asked_ids", []))
    while True:
        stage = policy.next_stage(context.plan, state.get("stage") or None, counts)
        if stage is None:
            return {"current": None, "stage_counts": counts}
        rng = policy.session_rng(state["session_id"], f"{stage}:{len(asked)}")
        relevance = _relevance(state, context) if stage == "technical" else {}
        picked = _pick(stage, state, context, asked, rng, relevance.get("relevance", {}))
        if picked is not None:
            break
        counts[stage] = policy.planned_count(context.plan, stage)  # the bank ran out for this stage
    question, text, slot, technique = picked
    before = state.get("stage") or None
    intro = "" if stage == before else STAGE_INTROS.get((before, stage), STAGE_INTROS.get((None, stage), ""))
    if not technique:  # a question triggered by the candidate's words is counted apart from the ladder
        counts[stage] = counts.get(stage, 0) + 1
    current: CurrentQuestion = {"question_id": question.id, "text": text, "stage": stage, "slot": slot,
                                "follow_ups": 0, "redirects": 0, "retries": 0, "hints": 0, "target": None,
                                "pressed": [], "claim_probed": False}
    update: dict[str, Any] = {
        "stage": stage, "stage_counts": counts, "asked_ids": [*asked, question.id], "current": current,
        "pending_input": None,
        "turns": [*([make_turn(stage, "system", intro, event="stage_intro")] if intro else []),
                  make_turn(stage, "question", text, question_id=question.id, slot=slot)]}
    if technique:
        update["techniques_asked"] = [*state.get("techniques_asked", []), technique]
    return {**update, **relevance}


def _pick(stage: str, state: InterviewState, context: InterviewContext, asked: list[str], rng: Any,
          relevance: dict[str, float]) -> tuple[Question, str, str | None, str | None] | None:
    bank = context.bank
    if stage == "opening":
        question = bank["opening.self_intro"]
        return question, question.text, None, None
    if stage == "closing":
        question = bank["closing.candidate_questions"]
        return question, question.text, None, None
    if stage == "behavioral":
        options = sorted(q.id for q in bank.values() if q.kind == "behavioral" and q.id not in asked)
        if not options:
            return None
        question = bank[rng.choice(options)]
        return question, question.text, None, None
    if stage == "project":
        return _project_question(state, context, asked, rng)
    graded = {qid for qid, q in bank.items() if context.rubric(q) is not None}
    chosen = policy.choose_technical(bank, context.plan, asked, state.get("difficulty", 2), relevance,
                                     context.revisit, graded, rng)
    return (chosen, chosen.text, None, None) if chosen else None


def _project_question(state: InterviewState, context: InterviewContext, asked: list[str],
                      rng: Any) -> tuple[Question, str, str | None, str | None] | None:
    card = state.get("project_card", {})
    last = _last_answer(state)
    techniques = state.get("techniques_asked", [])
    said = "\n".join(card.values())
    if card and len(techniques) < tuning.MAX_TECHNIQUE_QUESTIONS:
        for technique in policy.mentioned_techniques(said, techniques):
            # Only questions that are about the technique; the candidate's words rank them when there is a
            # choice (ranking embeds 200 characters of the answer: not worth it for one question or none).
            choice = len(policy.technique_questions(technique, context.bank, asked)) > 1
            ranked = [qid for qid, _ in context.store.search_questions(f"{technique} {last[:200]}", k=40)] \
                if context.store is not None and choice else []
            question = policy.technique_question(technique, context.bank, asked, ranked)
            if question is not None:
                return question, phrasing.technique_question(technique, question.text, rng), None, technique
    resume_slots = set(state.get("resume_slots", {})) - {"overview"}  # the résumé's project is asked about first
    done = set(card) | resume_slots | {qid.removeprefix("project.") for qid in asked}
    focus = policy.job_focus(context.plan.job_description)
    slot = policy.choose_slot(done, last, focus.slots_first)
    if slot is None:
        return None
    question = context.bank[f"project.{slot}"]
    name = state.get("project_name")
    from_resume = bool(context.plan.resume_text) and not card
    return question, phrasing.slot_question(slot, name, rng, from_resume=from_resume), slot, None


def _last_answer(state: InterviewState) -> str:
    for turn in reversed(state.get("turns", [])):
        if turn["kind"] == "answer":
            return str(turn["text"])
    return ""


def _relevance(state: InterviewState, context: InterviewContext) -> dict[str, Any]:
    """Rank-based relevance of bank questions to the résumé and the project the candidate described.

    The text is represented by the mean of its sentence vectors. The card holds clauses of the answers,
    not the sentences that were graded, so these vectors are new here (30 texts or more at the move to
    the technical stage) unless they were prepared while the candidate answered (interviewer/ahead.py).
    The result is kept in the state and recomputed only when the text changes (it does not during the
    technical stage)."""
    about = relevance_text(context.plan.resume_text, state.get("project_card", {}))
    basis = hashlib.sha256(about.encode("utf-8")).hexdigest()[:16]
    if state.get("relevance_basis") == basis:
        return {"relevance": state.get("relevance", {}), "relevance_basis": basis}
    relevance: dict[str, float] = {}
    sentences = relevance_sentences(about)
    if sentences and context.store is not None:
        centroid = context.store.embedder.embed_queries(sentences).mean(axis=0)
        centroid /= max(1e-6, float(np.linalg.norm(centroid)))
        hits = context.store.search_questions_by_vector(centroid, k=RELEVANCE_POOL)
        relevance = {qid: 1.0 - rank / RELEVANCE_POOL for rank, (qid, _) in enumerate(hits)}
    return {"relevance": relevance, "relevance_basis": basis}


def relevance_text(resume_text: str | None, card: Mapping[str, str]) -> str:
    """What bank questions are ranked against: the résumé and the project card, one text per line."""
    return "\n".join(filter(None, [resume_text or "", *card.values()]))


def relevance_sentences(about: str) -> list[str]:
    """The sentences of `relevance_text` whose mean vector ranks bank questions (their vectors may be
    prepared ahead: see interviewer/ahead.py)."""
    return split_sentences(about)[:RELEVANCE_SENTENCES]
