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
MAX_WRONG_CLAIMS = 4
# Other wordings of a point: a few in Chinese plus one in English (see KeyPoint.wordings).
MAX_WORDINGS = 4
MAX_ENGLISH_WORDING_WORDS = 25
# A wording may spell out the class names and numbers a point names (ContextualCompressionRetriever,
# r=8 × (4096+12288)): 60 Chinese characters plus those.
MAX_WORDING_CHARS = 160
# What a project / behavioural / opening point can be met by, as content the grader's detectors find in
# an answer (interviewer/grading/detectors.py names the same kinds): a candidate's own story meets such a
# point with concrete content ("学习率 2e-4，r=16") that does not resemble its abstract wording.
EvidenceKind = Literal[
    "metric", "number", "comparison", "baseline", "model", "model_size", "hardware", "duration", "data_source",
    "data_size", "hyperparameter", "ownership", "example", "technique", "lesson", "plan", "question",
    "learning_source", "split", "usage", "steps", "strength", "weakness", "background", "motivation",
    "monitoring", "disagreement", "action", "cause", "fix",
]
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
    # What candidates wrongly say about this point, in their own words: its opposite, a swapped pair, a
    # wrong number or entity. An answer that says one of them contradicts the point. Authored and
    # second-read like the point itself; similarity cannot tell a statement from its negation, so
    # these give the grader something concrete to recognise the wrong answer by.
    wrong_claims: list[str] = Field(default_factory=list, max_length=MAX_WRONG_CLAIMS)
    # The same fact as candidates who never read this rubric say it: the mechanism in plain words, an
    # example, an engineer's everyday words, and the point in English. Authored and second-read like the
    # point; a point worded away from its text ("逐行批改的老师" for a per-step reward) is recognised by them.
    wordings: list[str] = Field(default_factory=list, max_length=MAX_WORDINGS)
    # Structural points: the content that meets them, as groups of evidence kinds. Every group must be
    # met, any kind of a group meets it ([[model], [model_size]]: a model's name and its size).
    evidence: list[list[EvidenceKind]] = Field(default_factory=list)

    @field_validator("evidence")
    @classmethod
    def _evidence_groups(cls, groups: list[list[EvidenceKind]]) -> list[list[EvidenceKind]]:
        if any(not group or len(set(group)) != len(group) for group in groups):
            raise ValueError(f"an evidence group names one or more distinct kinds: {groups}")
        return groups

    @field_validator("contrasts")
    @classmethod
    def _contrast_sets(cls, contrasts: list[list[str]]) -> list[list[str]]:
        for terms in contrasts:
            cleaned = [term.strip() for term in terms if term.strip()]
            if len(cleaned) < 2 or len({term.lower() for term in cleaned}) != len(cleaned):
                raise ValueError(f"a contrast set needs two or more distinct terms: {terms}")
        return contrasts

    @field_validator("wrong_claims")
    @classmethod
    def _wrong_claims(cls, claims: list[str]) -> list[str]:
        cleaned = [claim.strip() for claim in claims]
        if any(len(claim) < 6 for claim in cleaned):
            raise ValueError(f"a wrong claim is a statement of at least 6 characters: {claims}")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError(f"duplicate wrong claims: {claims}")
        return cleaned

    @field_validator("wordings")
    @classmethod
    def _wordings(cls, wordings: list[str]) -> list[str]:
        cleaned = [wording.strip() for wording in wordings]
        for wording in cleaned:
            if len(wording) < MIN_AUTHORED_POINT_CHARS:
                raise ValueError(f"a wording is a statement of at least {MIN_AUTHORED_POINT_CHARS} characters: "
                                 f"{wording!r}")
            chinese = len(CJK.findall(wording))
            if chinese and (chinese > MAX_POINT_CHARS or len(wording) > MAX_WORDING_CHARS):
                raise ValueError(f"a wording has at most {MAX_POINT_CHARS} Chinese characters and {MAX_WORDING_CHARS} "
                                 f"in all: {wording!r}")
            if not CJK.search(wording) and len(wording.split()) > MAX_ENGLISH_WORDING_WORDS:
                raise ValueError(f"an English wording has at most {MAX_ENGLISH_WORDING_WORDS} words: {wording!r}")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError(f"duplicate wordings: {wordings}")
        return cleaned

    @property
    def english_wording(self) -> str | None:
        """The point in English: its wording without Chinese, if it has one."""
        return next((wording for wording in self.wordings if not CJK.search(wording)), None)

    @model_validator(mode="after")
    def _wrong_claims_differ_from_the_point(self) -> KeyPoint:
        if self.text.strip() in self.wrong_claims:
            raise ValueError(f"a wrong claim repeats its key point: {self.text}")
        return self

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

    def in_english(self) -> Rubric | None:
        """The rubric with every key point in its English wording, to grade an answer given in English
        by its own words, numbers and negations; None unless every point has one. Aliases in English
        stay; the points' wrong claims and other wordings do not (they are Chinese); the misconceptions
        stay, matched by meaning."""
        english = [point.english_wording for point in self.key_points]
        if any(text is None for text in english):
            return None
        points = [point.model_copy(update={"text": text, "wrong_claims": [], "wordings": [],
                                           "aliases": [alias for alias in point.aliases if not CJK.search(alias)]})
                  for point, text in zip(self.key_points, english, strict=True)]
        return self.model_copy(update={"key_points": points})

    def content_hash(self) -> str:
        """Stable hash of everything that is embedded, so unchanged rubrics are not re-embedded."""
        dumped = self.model_dump(mode="json")
        for point in dumped["key_points"]:
            if not point["wrong_claims"]:
                del point["wrong_claims"]  # a rubric without them keeps the hash (and index) it had
            if not point["wordings"]:
                del point["wordings"]  # likewise
            del point["evidence"]  # read by the detectors, never embedded
        payload = json.dumps(dumped, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


class RubricFile(BaseModel):
    """One topic file under rubrics/data/."""

    model_config = ConfigDict(extra="forbid")

    topic: str
    rubrics: list[Rubric]
