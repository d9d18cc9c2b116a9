"""/hint: a nudge from the rubric, recorded and capping the score.

The point hinted at is the one the current follow-up asks about; otherwise (the main question, or that
point already hinted) the heaviest point not yet covered or hinted."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from interviewer.context import InterviewContext
from interviewer.grading.models import is_stated
from interviewer.scoring import make_turn
from interviewer.state import InterviewState
from rubrics.models import KeyPoint

HINT_CHARS = 12
HINT_PREFIX = "提示："
HINT_CAP_NOTE = "（使用提示后本题得分有上限）"
GENERIC_HINT = f"{HINT_PREFIX}先讲定义和核心思路，再举一个具体例子。{HINT_CAP_NOTE}"


def point_hint(point: KeyPoint) -> str:
    return f"{HINT_PREFIX}可以从「{point.text[:HINT_CHARS]}……」这个角度想想。{HINT_CAP_NOTE}"


def _follow_up_point(state: InterviewState, current: dict[str, Any]) -> int | None:
    """The key point the question now waiting for an answer asks about, when it is a follow-up pressing on
    one (policy.follow_up_target's "point:<index>"); None for the main question or a claim probe."""
    prompts = [turn for turn in state.get("turns", []) if turn.get("question_id") == current.get("question_id")
               and turn["kind"] in ("question", "follow_up", "redirect")]
    pressed = current.get("pressed") or []
    if not prompts or prompts[-1]["kind"] != "follow_up" or not pressed or not str(pressed[-1]).startswith("point:"):
        return None
    return int(str(pressed[-1]).partition(":")[2])


def give_hint(state: InterviewState, runtime: Runtime[InterviewContext]) -> dict[str, Any]:
    current: dict[str, Any] = dict(state["current"] or {})
    question = runtime.context.bank[current["question_id"]]
    rubric = runtime.context.rubric(question)
    last_grade = state.get("last_grade") or {}
    covered = {point["index"] for point in last_grade.get("key_points", [])
               if is_stated(point.get("status")) and last_grade.get("question_id") == question.id}
    # A point counts as hinted once the candidate has seen its hint on this question: read from the
    # transcript, so covering a hinted point never makes the next hint skip one.
    shown = {turn["text"] for turn in state.get("turns", [])
             if turn["kind"] == "system" and turn.get("question_id") == question.id}
    fresh = [point for index, point in enumerate(rubric.key_points)
             if index not in covered and point_hint(point) not in shown] if rubric else []
    asked = _follow_up_point(state, current)
    if rubric and asked is not None and asked < len(rubric.key_points) and rubric.key_points[asked] in fresh:
        heaviest: KeyPoint | None = rubric.key_points[asked]  # the point the current follow-up asks about
    else:
        heaviest = max(fresh, key=lambda point: point.weight, default=None)  # the first one on a tie
    current["hints"] = current.get("hints", 0) + 1
    hint = point_hint(heaviest) if heaviest else GENERIC_HINT
    return {"current": current, "pending_input": None,
            "turns": [make_turn(current["stage"], "system", hint, question_id=question.id, slot=current.get("slot"),
                                event="hint")]}
