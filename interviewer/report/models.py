"""The score report: everything a candidate needs to learn from one session, with stable keys."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
    # KeyPointGrade / MisconceptionHit dumps, plus "evidence_parts": [{"answer": 1-based index or None,
    # "text": words found verbatim in that answer}] (evidence can span two answers graded together)
    key_points_hit: list[dict[str, Any]]
    key_points_missed: list[dict[str, Any]]
    misconceptions: list[dict[str, Any]]
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
    # The 13 ladder slots: {"slot", "label", "status": filled | probed | resume | missing, "status_label", "evidence"}
    project_slots: list[dict[str, Any]] = Field(default_factory=list)
    plan_notes: list[str] = Field(default_factory=list)  # how the résumé and job description shaped the plan
    # The claims ledger: concrete facts stated about the project (Claim fields plus "label", "slot_label",
    # "probed": whether a follow-up questioned it, "probe": that follow-up)
    claims: list[dict[str, Any]]
    plan: dict[str, Any]
    config: dict[str, Any]
    closing: list[ClosingExchange] = Field(default_factory=list)  # the candidate's questions and the replies
    summary: str | None = None  # the interviewer's closing words, as said in the session
