"""The result of grading one answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PointStatus = Literal["covered", "partial", "missing", "wrong"]
GraderName = Literal["embedding", "llm", "combined", "rule"]
Flag = Literal[
    "non_answer",
    "off_topic",
    "misconception",
    "padding",
    "injection",
    "fallback",
    "uncertain",
    "hint_used",
    "skipped",
    "relevance_only",
]


class KeyPointGrade(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: int
    text: str
    weight: int
    status: PointStatus
    evidence: str | None = None  # the candidate's own words that matched
    similarity: float = 0.0  # calibrated, 0..1
    reason: str | None = None  # the judge's one-line reason, when the LLM judged this point


class MisconceptionHit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    claim: str
    correction: str
    evidence: str
    similarity: float


class GradeResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str | None
    score: int = Field(ge=0, le=100)
    key_points: list[KeyPointGrade]
    misconceptions: list[MisconceptionHit] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    feedback: str
    grader: GraderName
    notes: list[str] = Field(default_factory=list)  # e.g. why the judge fell back
    embedding_score: int | None = None
    llm_score: int | None = None

    def missing_points(self) -> list[KeyPointGrade]:
        """Points not covered, heaviest first: what a follow-up should target."""
        missing = [point for point in self.key_points if point.status in ("missing", "partial")]
        return sorted(missing, key=lambda point: (-point.weight, point.index))
