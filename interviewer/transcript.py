"""Transcript turns: the JSON-plain record of everything said in a session."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Stage = Literal["opening", "project", "technical", "behavioral", "closing"]
TurnKind = Literal["question", "follow_up", "redirect", "answer", "feedback", "system"]
STAGES: tuple[Stage, ...] = ("opening", "project", "technical", "behavioral", "closing")


class Turn(BaseModel):
    """One message. Answers keep the candidate's text exactly as typed."""

    model_config = ConfigDict(extra="forbid")

    stage: Stage
    kind: TurnKind
    text: str
    question_id: str | None = None
    slot: str | None = None
    grade: dict | None = None  # GradeResult.model_dump(mode="json") on graded answers
    at: str  # ISO 8601 UTC


SessionStatus = Literal["active", "paused", "finished"]


class Claim(BaseModel):
    """A concrete claim the candidate made about their project (number, size, model, metric...)."""

    model_config = ConfigDict(extra="forbid")

    kind: str  # e.g. "dataset_size", "metric", "model", "hardware", "duration"
    value: str  # as normalised for comparison, e.g. "10000"
    text: str  # the candidate's words it came from
    slot: str | None = None


class SessionSnapshot(BaseModel):
    """Everything a report or a sessions view needs about one session, read from the checkpointer."""

    model_config = ConfigDict(extra="forbid")

    session_id: str
    created_at: str
    updated_at: str
    status: SessionStatus
    mode: Literal["interview", "practice"]
    plan: dict  # InterviewContext plan fields, JSON-plain
    config: dict  # models used: {"llm": "...", "embeddings": "...", "grader": "..."}
    turns: list[Turn]
    project_card: dict[str, str]  # slot -> what the candidate said
    claims: list[Claim]
    probed_claims: list[str] = Field(default_factory=list)  # claims.find_probe keys: "conflict:A|B", "implausible:A"
