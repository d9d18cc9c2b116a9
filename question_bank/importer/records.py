"""What a seed parser returns: extracted questions and everything it deliberately left out."""

from __future__ import annotations

from dataclasses import dataclass, field

from question_bank.taxonomy import Kind, ProjectSlot


@dataclass
class Extracted:
    text: str
    reference_answer: str | None
    locator: str
    kind: Kind = "technical"
    topic_hint: str | None = None  # chapter/section the source filed it under
    slot: ProjectSlot | None = None
    order: int | None = None
    fixed_id: str | None = None  # ladder, opening and behavioural questions have readable ids
    tags: list[str] = field(default_factory=list)  # the source's own chapter or section, where it has one
    # Authored questions state their topic and difficulty; seed questions get them from the rules.
    topic: str | None = None
    difficulty: int | None = None


@dataclass
class Dropped:
    text: str
    locator: str
    reason: str


@dataclass
class SeedResult:
    file: str
    questions: list[Extracted] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
