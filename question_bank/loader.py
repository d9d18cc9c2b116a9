"""Load the built-in bank (package data) and the user's custom questions (data directory)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from question_bank.models import Question, QuestionBank

BUILTIN_BANK_PATH = Path(__file__).parent / "data" / "bank.json"
CUSTOM_BANK_FILENAME = "custom_bank.json"


class BankError(ValueError):
    """A bank file is missing or invalid; the message names the file, item and field."""


def read_bank_file(path: Path) -> list[Question]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BankError(f"{path}: file not found") from error
    except json.JSONDecodeError as error:
        raise BankError(f"{path}: invalid JSON at line {error.lineno}: {error.msg}") from error
    try:
        return QuestionBank.model_validate(raw).questions
    except ValidationError as error:
        first = error.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        item = _question_id_at(raw, first["loc"])
        raise BankError(f"{path}: {item}field {location}: {first['msg']}") from error


def _question_id_at(raw: object, location: tuple) -> str:
    if len(location) >= 2 and location[0] == "questions" and isinstance(raw, dict):
        try:
            return f"question {raw['questions'][location[1]].get('id', location[1])!s}: "
        except (IndexError, KeyError, TypeError, AttributeError):
            return ""
    return ""


@cache
def builtin_questions() -> tuple[Question, ...]:
    return tuple(read_bank_file(BUILTIN_BANK_PATH))


def custom_questions(home: Path) -> list[Question]:
    path = home / CUSTOM_BANK_FILENAME
    return read_bank_file(path) if path.exists() else []


def load_bank(home: Path | None = None) -> list[Question]:
    """All questions: the built-in bank, then the custom ones stored under `home` (if given)."""
    questions = list(builtin_questions())
    if home is not None:
        known = {question.id for question in questions}
        questions.extend(question for question in custom_questions(home) if question.id not in known)
    return questions


def questions_by_id(home: Path | None = None) -> dict[str, Question]:
    return {question.id: question for question in load_bank(home)}
