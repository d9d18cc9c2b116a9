"""Spaced repetition across sessions: badly answered questions come back sooner, good ones later."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from interviewer.scoring import final_grades

PASS = 60
RECENCY_DECAY = 0.8  # older sessions count less


def revisit_priorities(sessions: Iterable[Iterable[Mapping[str, Any]]]) -> dict[str, float]:
    """Question id -> selection multiplier from past transcripts (newest first): > 1 sooner, < 1 later."""
    priorities: dict[str, float] = {}
    for age, turns in enumerate(sessions):
        weight = RECENCY_DECAY**age
        for question_id, grade in final_grades(turns).items():
            if question_id in priorities:
                continue  # the most recent answer decides
            score = int(grade.get("score", 0))
            priorities[question_id] = (1.0 + 2.0 * weight * (PASS - score) / PASS if score < PASS
                                       else 1.0 - 0.7 * weight)
    return priorities
