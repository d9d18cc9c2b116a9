"""/repeat: say again the question waiting for an answer (the current follow-up when there is one)."""

from __future__ import annotations

from typing import Any

from interviewer.scoring import make_turn
from interviewer.state import InterviewState

REPEAT_PREFIX = "再说一遍问题："


def repeat(state: InterviewState) -> dict[str, Any]:
    current: dict[str, Any] = dict(state["current"] or {})
    prompts = [turn for turn in state.get("turns", []) if turn.get("question_id") == current.get("question_id")
               and turn["kind"] in ("question", "follow_up", "redirect")]
    waiting = prompts[-1]["text"] if prompts else current.get("text", "")
    return {"pending_input": None,
            "turns": [make_turn(current.get("stage", "technical"), "system", REPEAT_PREFIX + waiting,
                                question_id=current.get("question_id"), slot=current.get("slot"), event="repeat")]}
