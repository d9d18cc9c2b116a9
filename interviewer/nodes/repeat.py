"""/repeat: say the current question again."""

from __future__ import annotations

from typing import Any

from interviewer.scoring import make_turn
from interviewer.state import InterviewState

REPEAT_PREFIX = "再说一遍问题："  # the web UI recognises a repeated question by it


def repeat(state: InterviewState) -> dict[str, Any]:
    current: dict[str, Any] = dict(state["current"] or {})
    return {"pending_input": None,
            "turns": [make_turn(current.get("stage", "technical"), "system", REPEAT_PREFIX + current.get("text", ""),
                                question_id=current.get("question_id"), slot=current.get("slot"))]}
