"""The graph state: JSON-plain values only (turns are Turn dumps), so checkpoints stay portable."""

from __future__ import annotations

import operator
from typing import Annotated, Any, NotRequired

from typing_extensions import TypedDict


class CurrentQuestion(TypedDict):
    """The question on the table and what has happened to it so far."""

    question_id: str
    text: str  # as asked (phrased), the wording the candidate saw
    stage: str
    slot: str | None
    follow_ups: int
    redirects: int
    retries: int
    hints: int
    target: str | None  # key point or claim a follow-up is aimed at
    pressed: list[str]  # gaps already followed up on (policy.follow_up_target keys): never pressed twice
    claim_probed: bool
    probe_slot: NotRequired[str | None]  # the slot a listening probe digs into (the card marks it probed)
    keep: NotRequired[list[str]]  # words an LLM wording of the follow-up must keep (the figures it quotes)


# Notice codes a view can carry (each interface words them; never stored as text).
NOTICE_LLM_FALLBACK = "llm_fallback"  # this answer was graded offline because the LLM failed
NOTICE_LLM_PAUSED = "llm_paused"  # repeated failures set the endpoint aside for a while (said once)
# A reply that streamed in part is not what the interviewer finally said (the stream broke off or the
# wording failed its checks): the standard wording took its place.
NOTICE_LLM_REPLY_REPLACED = "llm_reply_replaced"


class InterviewState(TypedDict, total=False):
    session_id: str
    status: str  # active | paused | finished
    stage: str
    turns: Annotated[list[dict[str, Any]], operator.add]
    current: CurrentQuestion | None
    asked_ids: list[str]
    stage_counts: dict[str, int]
    project_card: dict[str, str]
    claims: list[dict[str, Any]]
    probed_claims: list[str]  # keys of what was probed: "conflict:A|B", "vague:A|B", "number:A", "implausible:A"
    pending_probes: list[dict[str, Any]]  # policy.Probe dumps owed: vague claims and figures not yet probed
    resume_slots: dict[str, str]  # slot -> the résumé's words covering it
    project_name: str | None  # the candidate's own short name for the project
    non_answer_streak: int  # non-answers in a row (three: offer a hint, an easier question or an early end)
    techniques_asked: list[str]
    difficulty: int
    pending_input: str | None
    last_grade: dict[str, Any] | None
    next_action: str  # what the last grading decided: follow_up | redirect | retry | next
    notice: str | None  # a notice code for the interfaces (NOTICE_LLM_FALLBACK, …); each words it itself
    # Wordings made while the judge read this turn's answer (phrasing.ahead_key -> LLM text, "" when it gave
    # none); set only in a turn the judge ran, None otherwise.
    ahead: dict[str, str] | None
    relevance: dict[str, float]  # question id -> relevance to the résumé and project (technical selection)
    relevance_basis: str  # hash of the text `relevance` was computed from
