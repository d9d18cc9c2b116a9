"""Pure routers: they read the state and name the next node."""

from __future__ import annotations

from typing import Literal

from interviewer.state import InterviewState

COMMANDS = {"/hint": "hint", "/skip": "skip", "/repeat": "repeat", "/end": "end"}


def route_input(state: InterviewState) -> Literal["hint", "skip", "repeat", "end", "answer"]:
    command = (state.get("pending_input") or "").strip().lower()
    routed = COMMANDS.get(command)
    if routed == "hint":
        return "hint"
    if routed == "skip":
        return "skip"
    if routed == "repeat":
        return "repeat"
    if routed == "end":
        return "end"
    return "answer"


def route_after_grade(state: InterviewState) -> Literal["follow_up", "ask"]:
    return "ask" if state.get("next_action", "next") == "next" else "follow_up"


def route_after_ask(state: InterviewState) -> Literal["listen", "finish"]:
    return "listen" if state.get("current") is not None else "finish"
