"""Sessions in PostgreSQL: migrations, sessions continued across processes, the CLI on the database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from tests.conftest import session_of

runner = CliRunner()
CLI = [sys.executable, "-c", "from interviewer.cli import main; main()"]


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        return {row[0] for row in rows}


def test_replicas_refuse_a_database_that_is_not_migrated(database_url: str) -> None:
    result = subprocess.run([*CLI, "sessions", "list"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "mock-interview db migrate" in result.stderr and "Traceback" not in result.stderr
    assert tables(database_url) == set()  # a replica never creates the schema itself


def test_migrate_is_idempotent(database_url: str) -> None:
    first = runner.invoke(app, ["db", "migrate"])
    assert first.exit_code == 0, first.output
    assert "set up" in first.output
    created = tables(database_url)
    assert {"checkpoints", "checkpoint_writes", "checkpoint_migrations", "interview_sessions", "users",
            "web_logins"} <= created
    second = runner.invoke(app, ["db", "migrate"])
    assert second.exit_code == 0, second.output
    assert "already up to date" in second.output and tables(database_url) == created


def test_migrate_without_a_database_url_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOCK_INTERVIEWER_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["db", "migrate"])
    assert result.exit_code == 1 and "MOCK_INTERVIEWER_DATABASE_URL" in result.output


def test_an_unreachable_database_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.integration.servers import free_port

    monkeypatch.setenv("MOCK_INTERVIEWER_DATABASE_URL", f"postgresql://nobody:secret@127.0.0.1:{free_port()}/none")
    result = subprocess.run([*CLI, "sessions", "list"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "cannot connect to the database" in result.stderr
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_a_session_started_in_one_process_is_continued_in_another(migrated: str, home: Path) -> None:
    first = subprocess.run([*CLI, "practice", "--questions", "1", "--stage", "opening", "--stage", "technical"],
                           input="我在一家电商公司做搜索推荐，最近一年主要做 RAG 客服项目。\n",
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    session_id = session_of(first.stdout)

    second = runner.invoke(app, ["practice", "--resume", session_id], input="KV cache 缓存的是每层的 key 和 value。\n/end\n")
    assert second.exit_code == 0, second.output
    shown = json.loads(runner.invoke(app, ["sessions", "show", session_id, "--json"]).stdout)
    answers = [turn["text"] for turn in shown["turns"] if turn["kind"] == "answer"]
    assert answers[:2] == ["我在一家电商公司做搜索推荐，最近一年主要做 RAG 客服项目。", "KV cache 缓存的是每层的 key 和 value。"]
    assert shown["status"] == "finished"

    with psycopg.connect(migrated) as connection:
        stored = connection.execute("SELECT count(*) FROM checkpoints WHERE thread_id = %s", (session_id,)).fetchone()
    assert stored and stored[0] > 0
    assert not [path for path in home.rglob("*") if "session" in path.name or path.suffix == ".sqlite"]


def test_sessions_progress_and_reports_work_from_the_database(migrated: str, home: Path, tmp_path: Path) -> None:
    simulated = runner.invoke(app, ["simulate", "--persona", "strong", "--questions", "1", "--json"])
    assert simulated.exit_code == 0, simulated.output
    listed = json.loads(runner.invoke(app, ["sessions", "list", "--json"]).stdout)
    assert len(listed) == 1 and listed[0]["status"] == "finished"
    session_id = listed[0]["session_id"]

    report = runner.invoke(app, ["report", session_id, "--format", "json", "--out", str(tmp_path / "r.json")])
    assert report.exit_code == 0, report.output
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["session_id"] == session_id
    progress = json.loads(runner.invoke(app, ["progress", "--json"]).stdout)
    assert [entry["session_id"] for entry in progress["sessions"]] == [session_id]

    deleted = runner.invoke(app, ["sessions", "delete", session_id, "--yes"])
    assert deleted.exit_code == 0, deleted.output
    assert json.loads(runner.invoke(app, ["sessions", "list", "--json"]).stdout) == []
    with psycopg.connect(migrated) as connection:
        left = connection.execute("SELECT count(*) FROM checkpoints WHERE thread_id = %s", (session_id,)).fetchone()
    assert left == (0,)
    assert not (home / "sessions.sqlite").exists()


def test_without_the_variable_sessions_stay_in_the_local_sqlite_file(home: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOCK_INTERVIEWER_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["practice", "--questions", "1", "--stage", "opening"], input="")
    assert result.exit_code == 0, result.output
    assert (home / "sessions.sqlite").exists()


def test_accounts_live_in_postgres_and_one_user_cannot_read_anothers_session(migrated: str, home: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_INTERVIEWER_USER", "")  # `--user` writes it; restored after the test
    for name in ("alice", "bob"):
        assert runner.invoke(app, ["users", "add", name, "--password-stdin"], input="long enough\n").exit_code == 0
    started = runner.invoke(app, ["--user", "alice", "practice", "--questions", "1", "--stage", "opening"],
                            input="我负责检索增强生成的召回部分。\n")
    assert started.exit_code == 0, started.output
    session_id = session_of(started.output)
    refused = runner.invoke(app, ["--user", "bob", "sessions", "show", session_id])
    assert refused.exit_code == 1 and f"没有这个会话：{session_id}" in refused.output
    assert json.loads(runner.invoke(app, ["--user", "bob", "progress", "--json"]).stdout)["sessions"] == []
    with psycopg.connect(migrated) as connection:
        owners = connection.execute("SELECT owner FROM interview_sessions").fetchall()
        hashes = connection.execute("SELECT password_hash FROM users ORDER BY name").fetchall()
    assert owners == [("alice",)] and all(row[0].startswith("$argon2id$") for row in hashes)


def test_web_logins_are_shared_through_postgres(migrated: str) -> None:
    from interviewer.service import UserStore, WebLogins
    from interviewer.storage import PostgresDatabase

    replica_a, replica_b = PostgresDatabase(migrated), PostgresDatabase(migrated)
    try:
        UserStore(replica_a).add("carol", "carol-password")
        WebLogins(replica_a)["browser-token"] = "carol"
        assert WebLogins(replica_b).get("browser-token") == "carol", "a login made on one replica, read on another"
        assert [WebLogins(replica_b)[key] for key in WebLogins(replica_b)] == ["carol"]
        del WebLogins(replica_b)["browser-token"]
        assert "browser-token" not in WebLogins(replica_a)
    finally:
        replica_a.close()
        replica_b.close()
