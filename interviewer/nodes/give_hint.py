"""/hint: a nudge from the rubric (the heaviest point not yet covered), recorded and capping the score."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from interviewer.context import InterviewContext
from interviewer.scoring import make_turn
from interviewer.state import InterviewState

HINT_CHARS = 12


def give_hint(state: InterviewState, runtime: Runtime[InterviewContext]) -> dict[str, Any]:
    current: dict[str, Any] = dict(state["current"] or {})
    question = runtime.context.bank[current["question_id"]]
    rubric = runtime.context.rubric(question)
    last_grade = state.get("last_grade") or {}
    covered = {point["index"] for point in last_grade.get("key_points", [])
               if point.get("status") == "covered" and last_grade.get("question_id") == question.id}
    points = sorted((p for i, p in enumerate(rubric.key_points) if i not in covered),
                    key=lambda p: -p.weight) if rubric else []
    given = current.get("hints", 0)  # each further /hint points at the next uncovered point
    if given < len(points):
        hint = f"提示：可以从「{points[given].text[:HINT_CHARS]}……」这个角度想想。（使用提示后本题得分有上限）"
    else:
        hint = "提示：先讲定义和核心思路，再举一个具体例子。（使用提示后本题得分有上限）"
    current["hints"] = given + 1
    return {"current": current, "pending_input": None,
            "turns": [make_turn(current["stage"], "system", hint, question_id=question.id, slot=current.get("slot"))]}
