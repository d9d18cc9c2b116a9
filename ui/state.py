"""What the browser keeps (`gr.BrowserState`): the only per-user data the web app has.

The current session id, the ids of the sessions this browser started (the only ones it may list,
resume, delete or count in its progress), the UI language, and the unsent drafts (answer and résumé)
so that nothing typed is lost on a refresh. It arrives from the client, so it is validated on every
read: anything unreadable means a fresh start, never an error.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
MAX_SESSIONS = 500  # ids remembered per browser; the oldest are forgotten first
MAX_DRAFT_CHARS = 50_000


def fresh_state(language: str = "zh") -> dict[str, Any]:
    return {"session_id": None, "language": language, "sessions": [], "draft": "", "resume_draft": ""}


def encode_state(state: dict[str, Any]) -> str:
    # A JSON string, not a dict: Gradio would read a returned dict as a component update.
    return json.dumps(state, ensure_ascii=False)


def _session_id(value: Any) -> str | None:
    return value if isinstance(value, str) and SESSION_ID.fullmatch(value) else None


def _draft(value: Any) -> str:
    return value[:MAX_DRAFT_CHARS] if isinstance(value, str) else ""


def decode_state(raw: Any) -> dict[str, Any]:
    """The browser's stored state, validated field by field (tampered or old formats are repaired)."""
    try:
        state = json.loads(raw) if isinstance(raw, str) else {}
    except json.JSONDecodeError:
        logger.info("unreadable browser state, starting fresh")
        state = {}
    if not isinstance(state, dict):
        state = {}
    language = state.get("language") if state.get("language") in ("zh", "en") else "zh"
    session_id = _session_id(state.get("session_id"))
    listed = state.get("sessions")
    listed = listed if isinstance(listed, list) else []
    sessions = list(dict.fromkeys(sid for sid in map(_session_id, listed) if sid))
    if session_id and session_id not in sessions:  # stored before the list existed: it is this browser's
        sessions.append(session_id)
    return {"session_id": session_id, "language": language, "sessions": sessions[-MAX_SESSIONS:],
            "draft": _draft(state.get("draft")), "resume_draft": _draft(state.get("resume_draft"))}


def with_session(state: dict[str, Any], session_id: str) -> dict[str, Any]:
    """`state` with `session_id` current and remembered as this browser's."""
    sessions = [sid for sid in state["sessions"] if sid != session_id] + [session_id]
    return {**state, "session_id": session_id, "sessions": sessions[-MAX_SESSIONS:]}


def without_session(state: dict[str, Any], session_id: str) -> dict[str, Any]:
    """`state` forgetting `session_id` (deleted or gone)."""
    return {**state, "session_id": None if state["session_id"] == session_id else state["session_id"],
            "sessions": [sid for sid in state["sessions"] if sid != session_id]}


# Runs in the browser on every keystroke (no server round trip): the draft joins the stored state.
SAVE_DRAFT_JS = """(draft, raw) => {
    let state = {};
    try { state = JSON.parse(raw) || {}; } catch (error) { state = {}; }
    if (typeof state !== "object" || Array.isArray(state)) { state = {}; }
    state.%s = draft || "";
    return JSON.stringify(state);
}"""
SAVE_ANSWER_DRAFT_JS = SAVE_DRAFT_JS % "draft"
SAVE_RESUME_DRAFT_JS = SAVE_DRAFT_JS % "resume_draft"
