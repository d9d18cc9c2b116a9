"""The session index: one row per session (owner, status, plan, score) next to LangGraph's checkpoints,
in whichever database `interviewer.storage` opened (SQLite by default, PostgreSQL when configured).

Every answer is checkpointed with durability="sync" before the caller gets a reply.
"""

from __future__ import annotations

import json
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver

from interviewer.storage import Database

UPDATABLE = frozenset({"updated_at", "status", "overall_score", "questions_answered"})


class SessionDatabase:
    def __init__(self, database: Database) -> None:
        self.database = database

    @property
    def saver(self) -> BaseCheckpointSaver:
        return self.database.saver

    def create(self, session_id: str, created_at: str, mode: str, plan: dict[str, Any], config: dict[str, Any],
               owner: str = "") -> None:
        self.database.execute(
            "INSERT INTO interview_sessions (session_id, owner, created_at, updated_at, status, mode, plan, config) "
            "VALUES (?, ?, ?, ?, 'active', ?, ?, ?)",
            (session_id, owner, created_at, created_at, mode, json.dumps(plan, ensure_ascii=False),
             json.dumps(config, ensure_ascii=False)))

    def update(self, session_id: str, **fields: Any) -> None:
        unknown = set(fields) - UPDATABLE
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        columns = ", ".join(f"{name} = ?" for name in fields)
        self.database.execute(f"UPDATE interview_sessions SET {columns} WHERE session_id = ?",
                              (*fields.values(), session_id))

    def get(self, session_id: str) -> dict[str, Any] | None:
        rows = self._select("WHERE session_id = ?", (session_id,))
        return rows[0] if rows else None

    def all(self, owner: str | None = None) -> list[dict[str, Any]]:
        """Every session, newest first; only `owner`'s when given."""
        if owner is None:
            return self._select("ORDER BY created_at DESC, session_id", ())
        return self._select("WHERE owner = ? ORDER BY created_at DESC, session_id", (owner,))

    def delete(self, session_id: str) -> None:
        self.saver.delete_thread(session_id)
        self.database.execute("DELETE FROM interview_sessions WHERE session_id = ?", (session_id,))

    def delete_owner(self, owner: str) -> int:
        """Delete every session of `owner` (a removed account); returns how many."""
        rows = self.all(owner)
        for row in rows:
            self.delete(row["session_id"])
        return len(rows)

    def _select(self, clause: str, parameters: tuple[Any, ...]) -> list[dict[str, Any]]:
        rows = self.database.execute(f"SELECT * FROM interview_sessions {clause}", parameters)
        for row in rows:
            row["plan"], row["config"] = json.loads(row["plan"]), json.loads(row["config"])
        return rows
