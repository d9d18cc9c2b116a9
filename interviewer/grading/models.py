"""The result of grading one answer."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

# Per key point: the answer states it, says the opposite, or does not say it.
Verdict = Literal["stated", "contradicted", "absent"]
# Grades saved before verdicts existed said covered / partial / missing / wrong; they still load.
# A partial point was never counted as hit, so it reads as absent.
LEGACY_STATUS: dict[str, Verdict] = {"covered": "stated", "partial": "absent", "missing": "absent",
                                     "wrong": "contradicted"}
# Status values that mean "the candidate said it", old and new (for readers of saved grades).
STATED: tuple[str, ...] = ("stated", "covered")


def _upgrade_status(value: Any) -> Any:
    return LEGACY_STATUS.get(value, value) if isinstance(value, str) else value


def is_stated(status: str | None) -> bool:
    return status in STATED


PointStatus = Annotated[Verdict, BeforeValidator(_upgrade_status)]
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
    evidence: str | None = None  # the candidate's own words (whole clauses) that state or contradict it
    similarity: float = 0.0  # calibrated, 0..1
    confidence: float = 0.0  # the fitted model's probability of the verdict given
    reason: str | None = None  # the judge's one-line reason, when the LLM judged this point


class MisconceptionHit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    claim: str
    correction: str
    evidence: str
    similarity: float
    point_index: int | None = None  # the key point it contradicts, when it comes from a verdict


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
        """Points not stated, contradicted ones first, then heaviest first: what a follow-up should target."""
        missing = [point for point in self.key_points if point.status != "stated"]
        return sorted(missing, key=lambda point: (point.status != "contradicted", -point.weight, point.index))
