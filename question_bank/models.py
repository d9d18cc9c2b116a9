"""Pydantic models for the question bank data files."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from question_bank.taxonomy import Kind, ProjectSlot


class SourceRef(BaseModel):
    """Where a question came from: seed file name plus a human locator (row, heading, line)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    locator: str


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    text: str = Field(min_length=2)
    # The question as an English-speaking interviewer asks it: a question asked in English is matched to
    # this bank question by it (cross-language similarity alone matched 60 of 171). None: not authored.
    text_en: str | None = None
    kind: Kind
    # Built-in questions use the controlled taxonomy; custom banks may name their own topic.
    topic: str = Field(min_length=1)
    difficulty: int = Field(ge=1, le=3)
    # What the product shows: the reviewed answer (question_bank/data/references/), else the seed's text.
    reference_answer: str | None = None
    # Provenance: the seed's own answer where the reviewed one replaced it (the seed text is material, not truth).
    seed_reference: str | None = None
    sources: list[SourceRef] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    slot: ProjectSlot | None = None
    order: int | None = None  # position on the project ladder
    # Why the question is no longer asked (e.g. a dated complaint about a library); None: in use. Retired
    # questions stay in the bank so old sessions and reports still find them.
    retired: str | None = None

    @property
    def source(self) -> SourceRef:
        """The primary source (the first document the question was found in)."""
        return self.sources[0]


class QuestionBank(BaseModel):
    """The committed bank file."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    questions: list[Question]
