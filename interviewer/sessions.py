"""Where sessions live: the LangGraph checkpoints and a small metadata table, in one SQLite file.

WAL and a busy timeout let the checkpointer and the metadata writer share the file; every answer is
checkpointed with durability="sync" before the caller gets a reply.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

SCHEMA = """
CREATE TABLE IF NOT EXISTS interview_sessions (
    session_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    status TEXT NOT NULL,
    mode TEXT NOT NULL,
    plan TEXT NOT NULL,
    config TEXT NOT NULL,
    overall_score INTEGER,
    questions_answered INTEGER NOT NULL DEFAULT 0
)
"""
BUSY_TIMEOUT_MS = 10_000


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA synchronous=FULL")  # an answer survives a power cut too, not only a crash
    return connection


class SessionDatabase:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.saver = SqliteSaver(_connect(path))
        self.saver.setup()
        self._meta = _connect(path)
        self._lock = threading.Lock()
        with self._lock, self._meta:
            self._meta.execute(SCHEMA)

    def create(self, session_id: str, created_at: str, mode: str, plan: dict[str, Any], config: dict[str, Any]) -> None:
        with self._lock, self._meta:
            self._meta.execute(
                "INSERT INTO interview_sessions (session_id, created_at, updated_at, status, mode, plan, config) "
                "VALUES (?, ?, ?, 'active', ?, ?, ?)",
                (session_id, created_at, created_at, mode, json.dumps(plan, ensure_ascii=False),
                 json.dumps(config, ensure_ascii=False)))

    def update(self, session_id: str, **fields: Any) -> None:
        columns = ", ".join(f"{name} = ?" for name in fields)
        with self._lock, self._meta:
            self._meta.execute(f"UPDATE interview_sessions SET {columns} WHERE session_id = ?",
                               (*fields.values(), session_id))

    def get(self, session_id: str) -> dict[str, Any] | None:
        rows = self._select("WHERE session_id = ?", (session_id,))
        return rows[0] if rows else None

    def all(self) -> list[dict[str, Any]]:
        return self._select("ORDER BY created_at DESC, session_id", ())

    def delete(self, session_id: str) -> None:
        self.saver.delete_thread(session_id)
        with self._lock, self._meta:
            self._meta.execute("DELETE FROM interview_sessions WHERE session_id = ?", (session_id,))

    def _select(self, clause: str, parameters: tuple[Any, ...]) -> list[dict[str, Any]]:
        with self._lock:
            cursor = self._meta.execute(f"SELECT * FROM interview_sessions {clause}", parameters)
            names = [column[0] for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            row["plan"], row["config"] = json.loads(row["plan"]), json.loads(row["config"])
        return rows
