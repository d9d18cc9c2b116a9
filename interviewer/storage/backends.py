"""The two database back ends behind one small interface: `execute(sql, params) -> rows as dicts`
and a LangGraph checkpointer (`saver`). SQL is written once with `?` placeholders."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.sqlite import SqliteSaver

from interviewer.settings import ConfigurationError

DATABASE_URL_ENV = "MOCK_INTERVIEWER_DATABASE_URL"
POOL_SIZE_ENV = "MOCK_INTERVIEWER_DB_POOL_SIZE"
SQLITE_FILE = "sessions.sqlite"
BUSY_TIMEOUT_MS = 10_000
# A pooled connection is checked before each use and replaced after POOL_MAX_LIFETIME seconds, so a
# server restart or a proxy dropping idle connections costs a reconnect, never a candidate's turn.
POOL_MAX_LIFETIME = 600.0
POOL_MAX_IDLE = 120.0
POOL_SIZE = 12  # the web app grades up to 8 answers at once; a few more for page loads and reports
CONNECT_TIMEOUT = 10.0

log = logging.getLogger(__name__)

# Our own tables, created after LangGraph's. Every statement is idempotent.
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS interview_sessions (
        session_id TEXT PRIMARY KEY,
        owner TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        status TEXT NOT NULL,
        mode TEXT NOT NULL,
        plan TEXT NOT NULL,
        config TEXT NOT NULL,
        overall_score INTEGER,
        questions_answered INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS interview_sessions_owner ON interview_sessions (owner, created_at)",
    """CREATE TABLE IF NOT EXISTS users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    # Web logins, shared by every replica: a candidate whose replica died stays signed in on the next one.
    """CREATE TABLE IF NOT EXISTS web_logins (
        token_hash TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL
    )""",
)
OUR_TABLES = ("interview_sessions", "users", "web_logins")


class DatabaseUnavailableError(ConfigurationError):
    """The configured database cannot be reached."""


class SchemaMissingError(ConfigurationError):
    """The PostgreSQL database has not been set up (or is behind): `mock-interview db migrate`."""


def database_url() -> str | None:
    """$MOCK_INTERVIEWER_DATABASE_URL when set (only postgresql:// is supported), else None (SQLite)."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if not url:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        raise ConfigurationError(f"${DATABASE_URL_ENV} must be a postgresql://… URL (unset it to use SQLite)")
    return url


def describe_url(url: str) -> str:
    """`url` without its password, for messages and logs."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception:  # psycopg's ProgrammingError; say nothing more of a URL that does not parse
        return "postgresql://(unparsable URL)"
    return f"postgresql://{parts.get('user', '')}@{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/" \
           f"{parts.get('dbname', '')}"


class Database:
    """One place the app stores sessions and accounts. Subclasses provide `_execute` and `saver`."""

    saver: BaseCheckpointSaver
    location: str

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Run one statement (`?` placeholders); returns the rows it produced, as dicts."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def _connect_sqlite(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA synchronous=FULL")  # an answer survives a power cut too, not only a crash
    return connection


class SqliteDatabase(Database):
    """The local default: one file in the data directory, owned by one process. WAL and a busy
    timeout let the checkpointer and our tables share it."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.location = str(path)
        self._saver_connection = _connect_sqlite(path)
        self.saver = SqliteSaver(self._saver_connection)
        self.saver.setup()
        self._connection = _connect_sqlite(path)
        self._lock = threading.Lock()
        with self._lock, self._connection:
            for statement in SCHEMA[:1]:
                self._connection.execute(statement)
            # Files written before accounts existed have no owner column: their sessions are the local user's.
            columns = {row[1] for row in self._connection.execute("PRAGMA table_info(interview_sessions)")}
            if "owner" not in columns:
                self._connection.execute("ALTER TABLE interview_sessions ADD COLUMN owner TEXT NOT NULL DEFAULT ''")
            for statement in SCHEMA[1:]:
                self._connection.execute(statement)

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock, self._connection:
            cursor = self._connection.execute(sql, parameters)
            if cursor.description is None:
                return []
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self._connection.close()
        self._saver_connection.close()


class PostgresDatabase(Database):
    """A PostgreSQL server shared by every replica, through one connection pool per process."""

    def __init__(self, url: str, *, pool_size: int | None = None, require_schema: bool = True) -> None:
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.location = describe_url(url)
        size = pool_size or int(os.environ.get(POOL_SIZE_ENV) or POOL_SIZE)
        # autocommit: every statement is its own transaction (PostgresSaver.setup() needs it for CREATE
        # INDEX CONCURRENTLY); prepare_threshold=0: no server-side prepared statements, so a pooler such as
        # PgBouncer in transaction mode works too.
        self.pool: ConnectionPool = ConnectionPool(
            url, min_size=1, max_size=max(2, size), open=False, name="mock-interviewer",
            kwargs={"autocommit": True, "row_factory": dict_row, "prepare_threshold": 0,
                    "connect_timeout": int(CONNECT_TIMEOUT)},
            check=ConnectionPool.check_connection, max_lifetime=POOL_MAX_LIFETIME, max_idle=POOL_MAX_IDLE,
            timeout=30.0)
        self.pool.open()
        try:
            self.pool.wait(timeout=CONNECT_TIMEOUT)
        except PoolTimeout:
            self.pool.close()
            raise DatabaseUnavailableError(
                f"cannot connect to the database {self.location} (${DATABASE_URL_ENV}); is the server running "
                f"and the URL right?") from None
        self.saver = PostgresSaver(self.pool)  # type: ignore[arg-type]
        if require_schema:
            missing = self.missing_schema()
            if missing:
                self.pool.close()
                raise SchemaMissingError(
                    f"the database {self.location} is not set up ({missing}); run `mock-interview db migrate` once")

    def missing_schema(self) -> str:
        """What of the schema is missing or behind, or "" when it is complete."""
        from langgraph.checkpoint.postgres import PostgresSaver

        present = {row["name"] for row in self.execute(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()")}
        lacking = [name for name in ("checkpoint_migrations", *OUR_TABLES) if name not in present]
        if lacking:
            return "missing tables: " + ", ".join(lacking)
        rows = self.execute("SELECT max(v) AS v FROM checkpoint_migrations")
        latest = len(PostgresSaver.MIGRATIONS) - 1
        if not rows or rows[0]["v"] is None or rows[0]["v"] < latest:
            return "checkpoint tables are behind this version"
        return ""

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self.pool.connection() as connection, connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), parameters)
            return [dict(row) for row in cursor.fetchall()] if cursor.description is not None else []

    def close(self) -> None:
        self.pool.close()


def open_database(home: Path) -> Database:
    """The configured database: PostgreSQL when $MOCK_INTERVIEWER_DATABASE_URL is set, else the
    SQLite file in `home`."""
    url = database_url()
    if url is None:
        return SqliteDatabase(home / SQLITE_FILE)
    return PostgresDatabase(url)


def migrate(url: str) -> list[str]:
    """Create or bring up to date the PostgreSQL schema (idempotent); returns what was done."""
    database = PostgresDatabase(url, pool_size=2, require_schema=False)
    try:
        before = database.missing_schema()
        database.saver.setup()  # type: ignore[attr-defined]
        for statement in SCHEMA:
            database.execute(statement)
        return [f"set up {database.location} ({before})"] if before else [f"{database.location} already up to date"]
    finally:
        database.close()
