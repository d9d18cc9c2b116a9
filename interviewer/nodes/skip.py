"""/skip: recorded as skipped (score 0 unless the answers already earned more); the interview moves on."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from interviewer import policy
from interviewer.context import InterviewContext
from interviewer.grading.models import GradeResult
from interviewer.scoring import final_grades, make_turn
from interviewer.state import InterviewState


def skip(state: InterviewState, runtime: Runtime[InterviewContext]) -> dict[str, Any]:
    current: dict[str, Any] = dict(state["current"] or {})
    grade = GradeResult(question_id=current.get("question_id"), score=0, key_points=[], flags=["skipped"],
                        feedback="跳过了这道题。", grader="rule").model_dump(mode="json")
    earned = final_grades(state.get("turns", [])).get(current.get("question_id", ""), grade)
    return {"current": None, "pending_input": None, "last_grade": grade, "next_action": "next",
            "difficulty": policy.adapt_difficulty(state.get("difficulty", 2), int(earned["score"])),
            "turns": [make_turn(current.get("stage", "technical"), "answer", state.get("pending_input") or "/skip",
                                question_id=current.get("question_id"), slot=current.get("slot"), grade=grade,
                                event="skip")]}
