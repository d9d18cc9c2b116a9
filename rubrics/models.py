"""Pydantic models for rubric data files."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RubricKind = Literal["technical", "project_slot", "star", "structure", "derived"]
# One idea per key point: at most 60 characters of Chinese, or 20 words of English (Latin) text.
MAX_POINT_CHARS = 60
MAX_POINT_WORDS = 20
MIN_AUTHORED_POINT_CHARS = 10
CJK = re.compile(r"[\u4e00-\u9fff]")


class KeyPoint(BaseModel):
    """One checkable claim a good answer makes."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=8 * MAX_POINT_WORDS)
    weight: int = Field(ge=1, le=3)
    aliases: list[str] = Field(default_factory=list)
    probe: str = Field(min_length=4)
    # Sets of mutually exclusive terms this point takes one side of ([QLoRA, LoRA], [4bit, 16bit]):
    # an answer saying the other side contradicts the point. The field's common pairs (BN/LN, L1/L2,
    # 训练/推理 …) are known to the grader already; these add the point's own.
    contrasts: list[list[str]] = Field(default_factory=list)

    @field_validator("contrasts")
    @classmethod
    def _contrast_sets(cls, contrasts: list[list[str]]) -> list[list[str]]:
        for terms in contrasts:
            cleaned = [term.strip() for term in terms if term.strip()]
            if len(cleaned) < 2 or len({term.lower() for term in cleaned}) != len(cleaned):
                raise ValueError(f"a contrast set needs two or more distinct terms: {terms}")
        return contrasts

    @field_validator("text")
    @classmethod
    def _one_idea(cls, text: str) -> str:
        if CJK.search(text) and len(text) > MAX_POINT_CHARS:
            raise ValueError(f"String should have at most {MAX_POINT_CHARS} characters")
        if not CJK.search(text) and len(text.split()) > MAX_POINT_WORDS:
            raise ValueError(f"English key points should have at most {MAX_POINT_WORDS} words")
        return text


class Misconception(BaseModel):
    """A common wrong claim and its correction."""

    model_config = ConfigDict(extra="forbid")

    claim: str = Field(min_length=4)
    correction: str = Field(min_length=4)
    # Other ways candidates say the same wrong thing; matched like the claim, by meaning and polarity.
    phrasings: list[str] = Field(default_factory=list, max_length=6)


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str
    kind: RubricKind = "technical"
    key_points: list[KeyPoint] = Field(min_length=1, max_length=8)
    misconceptions: list[Misconception] = Field(default_factory=list, max_length=3)

    @model_validator(mode="after")
    def _authored_rubrics_are_complete(self) -> Rubric:
        # Derived rubrics (split from a custom reference answer) may be short; authored ones may not.
        if self.kind != "derived" and len(self.key_points) < 3:
            raise ValueError("an authored rubric needs 3–8 key points")
        # A derived rubric may hold a one-word reference ("push"); an authored point is a statement.
        short = [point.text for point in self.key_points if len(point.text) < MIN_AUTHORED_POINT_CHARS]
        if self.kind != "derived" and short:
            raise ValueError(f"key points need at least {MIN_AUTHORED_POINT_CHARS} characters: {short}")
        if self.kind == "technical" and not self.misconceptions:
            raise ValueError("a technical rubric needs 1–3 misconceptions")
        return self

    @model_validator(mode="after")
    def _distinct_points(self) -> Rubric:
        texts = [point.text.strip() for point in self.key_points]
        duplicates = {text for text in texts if texts.count(text) > 1}
        if duplicates:
            raise ValueError(f"duplicate key points: {sorted(duplicates)}")
        return self

    def content_hash(self) -> str:
        """Stable hash of everything that is embedded, so unchanged rubrics are not re-embedded."""
        payload = json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


class RubricFile(BaseModel):
    """One topic file under rubrics/data/."""

    model_config = ConfigDict(extra="forbid")

    topic: str
    rubrics: list[Rubric]
