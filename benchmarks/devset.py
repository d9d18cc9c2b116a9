"""The labelled grading development set: loading it and expanding it into graded answers.

Questions are merged and renamed while the bank is curated; items naming a question the bank no
longer has are skipped with a warning (on stderr) instead of failing the whole benchmark.
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DEVSET = Path(__file__).with_name("grading_devset.yaml")
TIERS = ("strong", "partial", "short", "wrong", "offtopic", "unrelated", "non_answer", "injection")
# Expected order: the first must score higher than the second.
PAIRS = (("strong", "partial"), ("partial", "non_answer"), ("strong", "non_answer"), ("strong", "wrong"),
         ("strong", "offtopic"), ("strong", "injection"))
# Orders checked on the answers added for the grading audit (reported separately, so the figure
# above stays comparable with earlier runs).
EXTRA_PAIRS = (("short", "non_answer"), ("short", "unrelated"), ("strong", "unrelated"))


@dataclass(frozen=True)
class Answer:
    question_id: str
    tier: str
    text: str
    covered: tuple[int, ...] | None  # labelled key points covered by this answer, when labelled


@dataclass(frozen=True)
class Example:
    """A single labelled answer outside the tiers: a sibling-question answer or one side of a pair."""

    question_id: str
    text: str
    label: str  # "sibling", "correct" or "wrong"


@dataclass(frozen=True)
class QuestionText:
    text: str
    match: tuple[str, ...]  # acceptable bank questions; empty: none should match


@cache
def _data(path: Path = DEVSET) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def _keep(question_id: str, known: Collection[str] | None, section: str) -> bool:
    if known is None or question_id in known:
        return True
    print(f"devset: {section}: {question_id} is not in the bank (merged or removed?); skipped", file=sys.stderr)
    return False


def load_answers(path: Path = DEVSET, known: Collection[str] | None = None) -> list[Answer]:
    data = _data(path)
    items = data["items"]
    answers: list[Answer] = []
    for index, item in enumerate(items):
        qid = item["question_id"]
        if not _keep(qid, known, "items"):
            continue
        for tier in ("strong", "partial", "wrong", "short"):
            if item.get(tier):
                covered = item.get(f"{tier}_covered")
                answers.append(Answer(qid, tier, item[tier], tuple(covered) if covered is not None else
                                      (() if tier == "wrong" else None)))
        # Off topic: the strong answer of a question several places away (a different topic).
        other = items[(index + 7) % len(items)]
        answers.append(Answer(qid, "offtopic", other["strong"], ()))
        answers.append(Answer(qid, "unrelated", data["unrelated"][index % len(data["unrelated"])], ()))
        answers.append(Answer(qid, "non_answer", data["non_answers"][index % len(data["non_answers"])], ()))
        answers.append(Answer(qid, "injection", data["injections"][index % len(data["injections"])], ()))
    return answers


def load_examples(path: Path = DEVSET, known: Collection[str] | None = None) -> list[Example]:
    """Sibling-question answers (never off topic) and correct / wrong misconception pairs."""
    data = _data(path)
    examples = [Example(item["question_id"], item["answer"], "sibling") for item in data.get("siblings", [])
                if _keep(item["question_id"], known, "siblings")]
    for pair in data.get("misconception_pairs", []):
        if _keep(pair["question_id"], known, "misconception_pairs"):
            examples += [Example(pair["question_id"], pair["correct"], "correct"),
                         Example(pair["question_id"], pair["wrong"], "wrong")]
    return examples


def load_question_texts(path: Path = DEVSET) -> list[QuestionText]:
    return [QuestionText(item["text"], tuple(item["match"])) for item in _data(path).get("question_texts", [])]


def question_ids(path: Path = DEVSET, known: Collection[str] | None = None) -> list[str]:
    return [item["question_id"] for item in _data(path)["items"] if known is None or item["question_id"] in known]


def fit_half(question_id: str, ids: list[str]) -> bool:
    """Calibration is fitted on every other question; the rest is held out for evaluation."""
    return ids.index(question_id) % 2 == 0


# --- blind labelled data (benchmarks/data/, written by independent authors without the grader) -------

DATA = Path(__file__).with_name("data")
VERDICT_DIR = DATA / "verdicts"
ENGLISH_DIR = DATA / "english_dev"
DEV_LABELS = ("strong", "partial", "wrong_fluent", "non_answer", "injection")


@dataclass(frozen=True)
class VerdictItem:
    """One labelled (key point, excerpt, verdict) judgement."""

    question_id: str
    point_index: int
    point_text: str
    excerpt: str
    verdict: str  # stated / contradicted / absent
    variant: str
    batch: str = "first"  # which authoring round: "first", "fresh" (second) or "third", each on other questions


@dataclass(frozen=True)
class DevAnswer:
    question_id: str
    label: str  # one of DEV_LABELS
    answer: str
    batch: str = "first"


@dataclass(frozen=True)
class EnglishRow:
    id: str
    question: str
    answer: str
    reference: str | None
    grade: float  # 0–5 by the written scheme
    bank_id: str | None = None  # the bank question it is a translation of, if any


def _jsonl(paths: list[Path]) -> list[dict[str, Any]]:
    import json

    rows = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path.name}: line {number}: invalid JSON ({error.msg})") from error
    return rows


def _batch(path: Path) -> str:
    """Files named *_fresh_* were authored in a second round, *_third_* in a third, each on questions
    the rounds before left out."""
    for batch in ("fresh", "third"):
        if f"_{batch}_" in path.name:
            return batch
    return "first"


def load_verdict_items(directory: Path = VERDICT_DIR) -> list[VerdictItem]:
    return [VerdictItem(row["question_id"], int(row["point_index"]), row["point_text"], row["excerpt"],
                        row["verdict"], row.get("variant", ""), _batch(path))
            for path in sorted(directory.glob("items_*.jsonl")) for row in _jsonl([path])]


def load_dev_answers(directory: Path = VERDICT_DIR) -> list[DevAnswer]:
    return [DevAnswer(row["question_id"], row["label"], row["answer"], _batch(path))
            for path in sorted(directory.glob("devset_*.jsonl")) for row in _jsonl([path])]


def load_english(directory: Path = ENGLISH_DIR) -> list[EnglishRow]:
    """Answers joined with their question (questions.jsonl: qid, question, bank_id, reference)."""
    questions = {row["qid"]: row for row in _jsonl([directory / "questions.jsonl"])}
    rows = []
    for index, row in enumerate(_jsonl([directory / "answers.jsonl"])):
        question = questions[row["qid"]]
        rows.append(EnglishRow(f"{row['qid']}#{index}", question["question"], row["answer"], question.get("reference"),
                               float(row["grade"]), question.get("bank_id")))
    return rows


def held_out(question_id: str) -> bool:
    """Held-out questions (about a third, by a stable hash of the id): never used to fit."""
    import hashlib

    return int(hashlib.sha256(question_id.encode()).hexdigest(), 16) % 3 == 0


def fitted_on(item: VerdictItem) -> bool:
    """Whether the verdict model is fitted on this item: first-round items of the questions not held
    out. The second ("fresh") and third rounds are never fitted on: they stay answers the grader has not
    seen. (Fitting on the second round as well was tried and did no better on the third.)"""
    return item.batch == "first" and not held_out(item.question_id)
