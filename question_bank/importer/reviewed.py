"""Reviewed content the importer joins to the seed questions, kept in data files under data/.

- `data/references/<topic>.yaml`: the reviewed reference answer of each seed question and what the
  review changed (new: the seed had none; fixed: the seed was wrong somewhere; cleaned: debris or
  colloquial wording only; kept: the seed is correct as it stands) and why. This is the curation
  table of reference answers: the bank shows the reviewed answer and keeps the seed's own text as
  `seed_reference`.
- `data/authored/<group>.yaml`: questions written for the bank (source "authored", ids "a-…") with
  their reference answers; their rubrics live in rubrics/data/authored_<group>.yaml.
- `data/english/<topic>.yaml`: each question as an English-speaking interviewer asks it, so that a
  question asked in English is matched to its bank question (`Question.text_en`).

Every item is written by an author and checked by an independent second reader. Items are validated
at load time; an error names the file, the item and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from question_bank.taxonomy import Topic

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
REFERENCES_DIR = DATA_DIR / "references"
AUTHORED_DIR = DATA_DIR / "authored"
ENGLISH_DIR = DATA_DIR / "english"
AUTHORED_SOURCE = "authored"  # SourceRef.file of authored questions
MIN_ANSWER_CHARS = 80  # a reference answer is what a strong candidate says in a minute or two

Change = Literal["new", "fixed", "cleaned", "kept"]


class ReviewedReference(BaseModel):
    """One row of the reference curation table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^(q-[0-9a-f]{10}|[a-z]+\.[a-z_]+)$")
    question: str = Field(min_length=2)  # quoted as shown in the bank, so the table reads on its own
    change: Change
    why: str | None = None
    answer: str | None = None

    @model_validator(mode="after")
    def _answer_and_reason(self) -> ReviewedReference:
        if self.change == "kept":
            if self.answer is not None:
                raise ValueError("a kept reference has no answer: the seed's text is shown")
            return self
        if self.answer is None or len(self.answer.strip()) < MIN_ANSWER_CHARS:
            raise ValueError(f"a {self.change} reference needs an answer of at least {MIN_ANSWER_CHARS} characters")
        if self.change != "new" and not (self.why or "").strip():
            raise ValueError(f"a {self.change} reference needs a why")
        return self


class AuthoredQuestion(BaseModel):
    """A question written for the bank, not found in a seed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^a-[a-z0-9]+(?:-[a-z0-9]+)*$")
    topic: Topic
    difficulty: int = Field(ge=1, le=3)
    text: str = Field(min_length=4)
    tags: list[str] = Field(default_factory=list)
    reference_answer: str = Field(min_length=MIN_ANSWER_CHARS)
    kind: Literal["technical", "coding"] = "technical"


class EnglishQuestion(BaseModel):
    """A bank question in English."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=2)
    question: str = Field(min_length=2)  # quoted as shown in the bank, so the table reads on its own
    english: str = Field(min_length=8)

    @model_validator(mode="after")
    def _english(self) -> EnglishQuestion:
        if any("\u4e00" <= char <= "\u9fff" for char in self.english):
            raise ValueError("the English text holds Chinese characters")
        return self


class ReviewedDataError(ValueError):
    """A reviewed data file is invalid; the message names the file, the item and the field."""


Item = TypeVar("Item", bound=BaseModel)


def _read_items(path: Path, model: type[Item]) -> list[Item]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ReviewedDataError(f"{path.name}: invalid YAML: {error}") from error
    if not isinstance(raw, list):
        raise ReviewedDataError(f"{path.name}: expected a list of items")
    try:
        return TypeAdapter(list[model]).validate_python(raw)  # type: ignore[valid-type]
    except ValidationError as error:
        first = error.errors()[0]
        index = first["loc"][0] if first["loc"] else 0
        item = raw[index] if isinstance(index, int) and index < len(raw) else {}
        name = item.get("id", f"#{index}") if isinstance(item, dict) else f"#{index}"
        field = ".".join(str(part) for part in first["loc"][1:]) or "item"
        raise ReviewedDataError(f"{path.name}: item {name}: field {field!r}: {first['msg']}") from error


def _unique(ids: list[tuple[str, str]], what: str) -> None:
    """`ids`: (item id, file name) pairs; an id may be written once across all files."""
    seen: dict[str, str] = {}
    for item_id, file_name in ids:
        if item_id in seen:
            raise ReviewedDataError(f"{file_name}: {what} {item_id} is also in {seen[item_id]}")
        seen[item_id] = file_name


def read_references(directory: Path = REFERENCES_DIR) -> dict[str, ReviewedReference]:
    """The reviewed reference of each question, by question id."""
    items = [(item, path.name) for path in sorted(directory.glob("*.yaml"))
             for item in _read_items(path, ReviewedReference)]
    _unique([(item.id, file_name) for item, file_name in items], "reference for question")
    return {item.id: item for item, _ in items}


def read_english(directory: Path = ENGLISH_DIR) -> dict[str, EnglishQuestion]:
    """The English text of each question that has one, by question id."""
    items = [(item, path.name) for path in sorted(directory.glob("*.yaml"))
             for item in _read_items(path, EnglishQuestion)]
    _unique([(item.id, file_name) for item, file_name in items], "English text of question")
    return {item.id: item for item, _ in items}


def read_authored(directory: Path = AUTHORED_DIR) -> list[tuple[AuthoredQuestion, str]]:
    """Authored questions in file order, each with the file (group) it is written in."""
    items = [(item, path.name) for path in sorted(directory.glob("*.yaml"))
             for item in _read_items(path, AuthoredQuestion)]
    _unique([(item.id, file_name) for item, file_name in items], "question")
    return items
