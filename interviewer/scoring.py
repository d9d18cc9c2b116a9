"""Scores read from a transcript: the final grade of each question and the overall score."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


# The event a turn of each kind has unless its node names another (transcript.TurnEvent).
DEFAULT_EVENTS = {"question": "question", "follow_up": "follow_up", "redirect": "redirect", "answer": "answer",
                  "feedback": "feedback", "system": "notice"}


def make_turn(stage: str, kind: str, text: str, *, question_id: str | None = None, slot: str | None = None,
              grade: dict[str, Any] | None = None, event: str | None = None) -> dict[str, Any]:
    return {"stage": stage, "kind": kind, "event": event or DEFAULT_EVENTS[kind], "text": text,
            "question_id": question_id, "slot": slot, "grade": grade, "at": now()}


def final_grades(turns: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Question id -> the grade of its last answer (follow-up answers are graded cumulatively)."""
    grades: dict[str, dict[str, Any]] = {}
    for turn in turns:
        if turn.get("kind") == "answer" and turn.get("grade") and turn.get("question_id"):
            if "skipped" in turn["grade"].get("flags", []) and turn["question_id"] in grades:
                continue  # skipping a follow-up keeps what the answers already earned
            grades[turn["question_id"]] = turn["grade"]
    return grades


def scored_grades(turns: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The final grades that count: every answered question but the closing exchange (the candidate's
    own questions are answered, not scored). The sessions list, the report and progress all count these."""
    return {qid: grade for qid, grade in final_grades(turns).items() if not qid.startswith("closing.")}


def overall_score(turns: Iterable[Mapping[str, Any]]) -> int | None:
    """Mean of the questions' final scores; the closing exchange is not scored."""
    scores = [grade["score"] for grade in scored_grades(turns).values()]
    return round(sum(scores) / len(scores)) if scores else None
