"""/hint: a nudge from the rubric (the heaviest point not yet covered or hinted), recorded and capping the score."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from interviewer.context import InterviewContext
from interviewer.scoring import make_turn
from interviewer.state import InterviewState
from rubrics.models import KeyPoint

HINT_CHARS = 12
HINT_PREFIX = "提示："  # every hint starts with it (the web UI recognises hints by it)
HINT_CAP_NOTE = "（使用提示后本题得分有上限）"
GENERIC_HINT = f"{HINT_PREFIX}先讲定义和核心思路，再举一个具体例子。{HINT_CAP_NOTE}"


def point_hint(point: KeyPoint) -> str:
    return f"{HINT_PREFIX}可以从「{point.text[:HINT_CHARS]}……」这个角度想想。{HINT_CAP_NOTE}"


def give_hint(state: InterviewState, runtime: Runtime[InterviewContext]) -> dict[str, Any]:
    current: dict[str, Any] = dict(state["current"] or {})
    question = runtime.context.bank[current["question_id"]]
    rubric = runtime.context.rubric(question)
    last_grade = state.get("last_grade") or {}
    covered = {point["index"] for point in last_grade.get("key_points", [])
               if point.get("status") == "covered" and last_grade.get("question_id") == question.id}
    # A point counts as hinted once the candidate has seen its hint on this question: read from the
    # transcript, so covering a hinted point never makes the next hint skip one.
    shown = {turn["text"] for turn in state.get("turns", [])
             if turn["kind"] == "system" and turn.get("question_id") == question.id}
    fresh = [point for index, point in enumerate(rubric.key_points)
             if index not in covered and point_hint(point) not in shown] if rubric else []
    heaviest = max(fresh, key=lambda point: point.weight, default=None)  # the first one on a tie
    current["hints"] = current.get("hints", 0) + 1
    hint = point_hint(heaviest) if heaviest else GENERIC_HINT
    return {"current": current, "pending_input": None,
            "turns": [make_turn(current["stage"], "system", hint, question_id=question.id, slot=current.get("slot"))]}
