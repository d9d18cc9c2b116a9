"""The labelled grading development set: loading it and expanding it into graded answers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEVSET = Path(__file__).with_name("grading_devset.yaml")
TIERS = ("strong", "partial", "wrong", "offtopic", "non_answer", "injection")
# Expected order: the first must score higher than the second.
PAIRS = (("strong", "partial"), ("partial", "non_answer"), ("strong", "non_answer"), ("strong", "wrong"),
         ("strong", "offtopic"), ("strong", "injection"))


@dataclass(frozen=True)
class Answer:
    question_id: str
    tier: str
    text: str
    covered: tuple[int, ...] | None  # labelled key points covered by this answer, when labelled


def load_answers(path: Path = DEVSET) -> list[Answer]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data["items"]
    answers: list[Answer] = []
    for index, item in enumerate(items):
        qid = item["question_id"]
        for tier in ("strong", "partial", "wrong"):
            if item.get(tier):
                covered = item.get(f"{tier}_covered")
                answers.append(Answer(qid, tier, item[tier], tuple(covered) if covered is not None else
                                      (() if tier == "wrong" else None)))
        # Off topic: the strong answer of a question several places away (a different topic).
        other = items[(index + 7) % len(items)]
        answers.append(Answer(qid, "offtopic", other["strong"], ()))
        answers.append(Answer(qid, "non_answer", data["non_answers"][index % len(data["non_answers"])], ()))
        answers.append(Answer(qid, "injection", data["injections"][index % len(data["injections"])], ()))
    return answers


def question_ids(path: Path = DEVSET) -> list[str]:
    return [item["question_id"] for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]]


def fit_half(question_id: str, ids: list[str]) -> bool:
    """Calibration is fitted on every other question; the rest is held out for evaluation."""
    return ids.index(question_id) % 2 == 0
