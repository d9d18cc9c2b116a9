"""Press on the current question: a follow-up on a gap or claim, a redirect, or a practice retry."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from interviewer import phrasing
from interviewer.context import InterviewContext
from interviewer.scoring import make_turn
from interviewer.state import InterviewState

RETRY = "可以参考上面的反馈再回答一次（输入 /skip 进入下一题）。"


def follow_up(state: InterviewState, runtime: Runtime[InterviewContext]) -> dict[str, Any]:
    context = runtime.context
    current: dict[str, Any] = dict(state["current"] or {})
    action = state.get("next_action", "follow_up")
    if action == "redirect":
        current["redirects"] += 1
        last = next((t["text"] for t in reversed(state.get("turns", [])) if t["kind"] == "answer"), "")
        kind, text = "redirect", phrasing.redirect_text(current["text"], last)
    elif action == "retry":
        current["retries"] += 1
        kind, text = "system", RETRY
    else:
        current["follow_ups"] += 1
        target = current.get("target") or "能再展开讲讲吗？"
        last = next((t["text"] for t in reversed(state.get("turns", [])) if t["kind"] == "answer"), "")
        keep = current.get("keep") or None
        # Worded while the judge read the answer (grade_answer), or now when no judge ran this turn.
        ask_now, generated = phrasing.worded_ahead(state.get("ahead"), phrasing.ahead_key("follow_up", target, keep))
        if ask_now:
            generated = phrasing.llm_rephrase(context.llm, target, last, context.plan.language, keep=keep)
        kind, text = "follow_up", generated or target
    # A follow-up is about the slot it digs into (a probe of a figure said under another question included).
    slot = current.get("probe_slot") or current.get("slot") if kind == "follow_up" else current.get("slot")
    return {"current": current, "turns": [make_turn(current["stage"], kind, text, question_id=current["question_id"],
                                                    slot=slot)]}
