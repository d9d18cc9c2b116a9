"""The score report: everything a candidate needs to learn from one session, with stable keys."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from interviewer.transcript import ClaimRow, KeyPointRow, MisconceptionRow


class EvidencePart(BaseModel):
    """A piece of a grader's evidence found verbatim in one answer (evidence can span two answers graded
    together); `answer` is the 1-based answer number, or None when it is not a quote (a paraphrasing judge)."""

    model_config = ConfigDict(extra="forbid")

    answer: int | None
    text: str


class ReportedPoint(KeyPointRow):
    evidence_parts: list[EvidencePart] = Field(default_factory=list)


class ReportedMisconception(MisconceptionRow):
    evidence_parts: list[EvidencePart] = Field(default_factory=list)


class ReportedClaim(ClaimRow):
    """A ledger row as reported: what it is about in words, and whether a follow-up probed it."""

    label: str
    slot_label: str | None = None
    probed: bool = False
    probe: str | None = None  # the follow-up that questioned it


class SlotRow(BaseModel):
    """One of the 13 ladder slots: filled (with the candidate's words), probed deeper, from the résumé, or missing."""

    model_config = ConfigDict(extra="forbid")

    slot: str
    label: str
    status: str  # filled | probed | resume | missing
    status_label: str
    evidence: str


class Exchange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str  # follow_up | redirect
    question: str
    answer: str | None  # None: not answered, or skipped
    skipped: bool = False  # the candidate typed /skip instead of answering it
    answer_index: int | None = None  # 1-based position of the reply in QuestionReport.answers


class QuestionReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str
    stage: str
    topic: str
    topic_label: str
    question: str  # as asked
    answers: list[str]  # exactly as typed, in order; commands (/skip, /hint…) are not answers
    score: int = Field(ge=0, le=100)
    key_points_hit: list[ReportedPoint]
    key_points_missed: list[ReportedPoint]
    misconceptions: list[ReportedMisconception]
    follow_ups: list[Exchange]
    hints_used: int
    feedback: str
    reference_answer: str | None
    grader: str
    flags: list[str]
    notes: list[str]
    embedding_score: int | None = None
    llm_score: int | None = None
    skipped: bool = False  # /skip was used on the question or one of its follow-ups (the score stays the earned one)


class ClosingExchange(BaseModel):
    """The closing stage: a question the candidate asked and the interviewer's reply (not scored)."""

    model_config = ConfigDict(extra="forbid")

    question: str  # the candidate's own words
    reply: str | None


class ScoreGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    label: str
    score: int
    questions: int


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str
    created_at: str
    generated_at: str
    status: str
    mode: str
    overall_score: int | None
    level: str
    strengths: list[str]
    gaps: list[str]
    practice_next: list[str]
    stage_scores: list[ScoreGroup]
    topic_scores: list[ScoreGroup]
    questions: list[QuestionReport]
    project_card: dict[str, str]
    project_name: str | None = None  # the candidate's own short name for the project
    project_slots: list[SlotRow] = Field(default_factory=list)  # the 13 ladder slots
    plan_notes: list[str] = Field(default_factory=list)  # how the résumé and job description shaped the plan
    claims: list[ReportedClaim]  # the claims ledger: concrete facts stated about the project
    plan: dict[str, Any]
    config: dict[str, Any]
    closing: list[ClosingExchange] = Field(default_factory=list)  # the candidate's questions and the replies
    summary: str | None = None  # the interviewer's closing words, as said in the session
