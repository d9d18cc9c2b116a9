"""The interview plan a candidate chooses: stages, how many questions, topics, difficulty, mode, limits."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from interviewer.transcript import STAGES, Stage
from interviewer.tuning import DEFAULT_TECHNICAL_QUESTIONS, MAX_RESUME_CHARS
from question_bank.taxonomy import TOPIC_LABELS

Mode = Literal["interview", "practice"]
Language = Literal["zh", "en"]
MAX_JOB_DESCRIPTION_CHARS = 10_000


class InterviewPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Mode = "interview"
    stages: list[Stage] = Field(default_factory=lambda: list(STAGES), min_length=1)
    # 30 was the old CLI limit: sessions saved with it still load; new ones are held to
    # tuning.MAX_TECHNICAL_QUESTIONS by the service.
    technical_questions: int = Field(default=DEFAULT_TECHNICAL_QUESTIONS, ge=0, le=30)
    project_questions: int = Field(default=6, ge=1, le=13)
    behavioral_questions: int = Field(default=2, ge=1, le=6)
    topics: list[str] = Field(default_factory=list)
    topic_weights: dict[str, float] = Field(default_factory=dict)
    difficulty: int = Field(default=2, ge=1, le=3)
    max_follow_ups: int = Field(default=2, ge=0, le=4)
    resume_text: str | None = Field(default=None, max_length=MAX_RESUME_CHARS)
    job_description: str | None = Field(default=None, max_length=MAX_JOB_DESCRIPTION_CHARS)
    language: Language = "zh"

    @field_validator("stages")
    @classmethod
    def _stages_in_interview_order(cls, stages: list[Stage]) -> list[Stage]:
        unique = list(dict.fromkeys(stages))
        return sorted(unique, key=STAGES.index)

    @field_validator("topics")
    @classmethod
    def _known_topics(cls, topics: list[str]) -> list[str]:
        unknown = [topic for topic in topics if topic not in TOPIC_LABELS]
        if unknown:
            raise ValueError(f"unknown topics {unknown}; choose from {sorted(TOPIC_LABELS)}")
        return topics

    @field_validator("topic_weights")
    @classmethod
    def _positive_weights(cls, weights: dict[str, float]) -> dict[str, float]:
        if any(weight < 0 for weight in weights.values()):
            raise ValueError("topic weights must not be negative")
        return weights
