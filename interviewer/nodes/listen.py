"""Wait for the candidate. Nothing happens before the interrupt: LangGraph re-runs this node on resume."""

from __future__ import annotations

from typing import Any

from langgraph.types import interrupt

from interviewer.state import InterviewState


def listen(state: InterviewState) -> dict[str, Any]:
    current = state.get("current")
    answer = interrupt({"awaiting": "answer", "question": current["text"] if current else None})
    # A new turn: wordings made ahead in the last one are spent.
    return {"pending_input": answer if isinstance(answer, str) else str(answer), "ahead": None}
