"""Import a user's own questions (JSON, JSONL, YAML or CSV) into the data directory.

Validation is all-or-nothing: a malformed file is reported with the row and field, and
nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from question_bank.loader import CUSTOM_BANK_FILENAME, custom_questions
from question_bank.models import Question, QuestionBank, SourceRef
from question_bank.normalize import question_id

MAX_CUSTOM_FILE_BYTES = 5 * 1024 * 1024


class CustomImportError(ValueError):
    """The file cannot be imported; the message names the file, row and field."""


class CustomRow(BaseModel):
    """One row of a user's file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    question: str = Field(min_length=2, max_length=2000)
    reference_answer: str | None = Field(default=None, max_length=20000)
    topic: str = Field(default="custom", min_length=1, max_length=64)
    difficulty: int = Field(default=2, ge=1, le=3)
    tags: list[str] = Field(default_factory=list)

    @field_validator("difficulty", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: object) -> object:
        # JSON/YAML true would otherwise be read as difficulty 1.
        if isinstance(value, bool):
            raise ValueError("Input should be 1, 2 or 3, not a boolean")
        return value


def _read_rows(path: Path) -> list[object]:
    if not path.is_file():
        raise CustomImportError(f"{path}: file not found")
    if path.stat().st_size > MAX_CUSTOM_FILE_BYTES:
        raise CustomImportError(f"{path}: file is larger than {MAX_CUSTOM_FILE_BYTES // (1024 * 1024)} MiB")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise CustomImportError(f"{path}: not UTF-8 text ({error.reason})") from error
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            data = json.loads(text)
            rows = data.get("questions") if isinstance(data, dict) else data
        elif suffix == ".jsonl":
            rows = []
            for line_number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise CustomImportError(f"{path}: row {line_number}: invalid JSON ({error.msg})") from error
        elif suffix in (".yaml", ".yml"):
            data = yaml.safe_load(text)
            rows = data.get("questions") if isinstance(data, dict) else data
        elif suffix == ".csv":
            rows = _read_csv(path, text)
        else:
            raise CustomImportError(f"{path}: unsupported file type {suffix!r} (use .json, .jsonl, .yaml or .csv)")
    except json.JSONDecodeError as error:
        raise CustomImportError(f"{path}: invalid JSON at line {error.lineno}: {error.msg}") from error
    except yaml.YAMLError as error:
        raise CustomImportError(f"{path}: invalid YAML: {error}") from error
    if not isinstance(rows, list) or not rows:
        raise CustomImportError(f"{path}: expected a non-empty list of questions")
    return rows


def _read_csv(path: Path, text: str) -> list[object]:
    """Rows of a CSV file as dicts; strict quoting, and a row longer than the header is an error."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows: list[object] = []
    row_start = 2  # line 1 is the header
    try:
        for row in reader:
            if None in row:
                extra = [cell for cell in row[None] if cell]
                raise CustomImportError(
                    f"{path.name}: row {len(rows) + 1} (line {row_start}): {len(reader.fieldnames or [])} columns in "
                    f"the header but more cells in this row (extra: {extra!r}); quote cells that contain commas")
            rows.append({key: value for key, value in row.items() if value not in (None, "")})
            row_start = reader.line_num + 1
    except csv.Error as error:
        raise CustomImportError(
            f"{path.name}: row {len(rows) + 1} (line {row_start}): malformed CSV ({error}); "
            "check for an unterminated or stray quote") from error
    return rows


def parse_custom_file(path: Path) -> list[Question]:
    """Validate every row; raise on the first bad one, naming it."""
    questions: list[Question] = []
    for row_number, raw in enumerate(_read_rows(path), start=1):
        if isinstance(raw, dict) and (odd := [key for key in raw if not isinstance(key, str)]):
            raise CustomImportError(f"{path.name}: row {row_number}: {odd[0]!r} is not a field name "
                                    f"(fields: {', '.join(CustomRow.model_fields)})")
        if isinstance(raw, dict) and isinstance(raw.get("tags"), str):
            raw = {**raw, "tags": [tag.strip() for tag in raw["tags"].split(",") if tag.strip()]}
        try:
            row = CustomRow.model_validate(raw)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "row"
            raise CustomImportError(f"{path.name}: row {row_number}: field {field!r}: {first['msg']}") from error
        questions.append(
            Question(
                id=question_id(row.question, prefix="custom"),
                text=row.question,
                kind="technical",
                topic=row.topic,
                difficulty=row.difficulty,
                reference_answer=row.reference_answer or None,
                sources=[SourceRef(file=path.name, locator=f"row {row_number}")],
                tags=row.tags,
            )
        )
    return questions


def import_custom_file(path: Path, home: Path) -> dict[str, object]:
    """Merge the file's questions into `home`'s custom bank; same question text replaces the old entry.

    A question that appears twice in the file is stored once (the later row wins) and counted once."""
    parsed = parse_custom_file(path)
    new_questions = list({question.id: question for question in parsed}.values())
    merged = {question.id: question for question in custom_questions(home)}
    replaced = sum(question.id in merged for question in new_questions)
    merged.update({question.id: question for question in new_questions})
    target = home / CUSTOM_BANK_FILENAME
    temporary = target.with_suffix(".tmp")
    bank = QuestionBank(questions=sorted(merged.values(), key=lambda question: question.id))
    temporary.write_text(bank.model_dump_json(indent=1, exclude_none=True), encoding="utf-8")
    temporary.replace(target)
    return {
        "file": str(path),
        "imported": len(new_questions),
        "duplicates_in_file": len(parsed) - len(new_questions),
        "replaced": replaced,
        "with_reference": sum(question.reference_answer is not None for question in new_questions),
        "custom_total": len(merged),
        "stored_in": str(target),
    }
