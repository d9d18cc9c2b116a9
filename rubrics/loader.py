"""Load rubrics: authored topic files in rubrics/data/, else derived from a reference answer.

Authored files are validated at load time; errors name the file, the question and the field.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from question_bank.loader import load_bank
from question_bank.models import Question
from rubrics.derive import derive_rubric
from rubrics.models import Rubric, RubricFile

RUBRIC_DATA_DIR = Path(__file__).parent / "data"
# libyaml's loader when PyYAML was built with it: the same data, read 9x faster (0.3 s instead of 2.9 s
# for the authored files, measured), and every process that grades reads them once.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RELEVANCE_ONLY_MESSAGE = ("这道题没有评分标准和参考答案，只能按相关性评分 / "
                          "no rubric or reference answer: graded for relevance only")


class RubricDataError(ValueError):
    """A rubric file is invalid; the message names the file, question and field."""


def read_rubric_file(path: Path) -> RubricFile:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as error:
        raise RubricDataError(f"{path.name}: invalid YAML: {error}") from error
    try:
        return RubricFile.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        location = first["loc"]
        question = ""
        if len(location) >= 2 and location[0] == "rubrics" and isinstance(raw, dict):
            try:
                question = f" question {raw['rubrics'][location[1]]['question_id']}:"
            except (IndexError, KeyError, TypeError):
                question = f" rubric #{location[1]}:"
        field = ".".join(str(part) for part in location[2:] if part != "") or ".".join(map(str, location))
        raise RubricDataError(f"{path.name}:{question} field {field!r}: {first['msg']}") from error


@cache
def authored_rubrics(data_dir: Path = RUBRIC_DATA_DIR) -> dict[str, Rubric]:
    rubrics: dict[str, Rubric] = {}
    origin: dict[str, str] = {}
    for path in sorted(data_dir.glob("*.yaml")):
        for rubric in read_rubric_file(path).rubrics:
            if rubric.question_id in rubrics:
                raise RubricDataError(
                    f"{path.name}: question {rubric.question_id}: also has a rubric in {origin[rubric.question_id]}")
            rubrics[rubric.question_id] = rubric
            origin[rubric.question_id] = path.name
    return rubrics


def rubric_for(question: Question, home: Path | None = None) -> Rubric | None:
    """The authored rubric, else one derived from the reference answer; None: relevance only."""
    authored = authored_rubrics().get(question.id)
    if authored is not None:
        return authored
    return derive_rubric(question.id, question.reference_answer) if question.reference_answer else None


def load_rubrics(home: Path | None = None) -> dict[str, Rubric]:
    """Every question of the bank (built-in plus custom under `home`) that can be graded by key points."""
    rubrics = {}
    for question in load_bank(home):
        rubric = rubric_for(question, home)
        if rubric is not None:
            rubrics[question.id] = rubric
    return rubrics
