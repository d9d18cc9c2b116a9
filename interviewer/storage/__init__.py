"""Where the app keeps what it writes: one SQLite file in the data directory (the default), or a
PostgreSQL server named by $MOCK_INTERVIEWER_DATABASE_URL for several replicas.

Both back ends hold the same things: LangGraph's checkpoints, the session index and the accounts.
On SQLite the schema is created on open (one process owns the file); on PostgreSQL it is created
once by `mock-interview db migrate`, and a replica that finds it missing stops with one clear line.
"""

from interviewer.storage.backends import (
    DATABASE_URL_ENV,
    SQLITE_FILE,
    Database,
    DatabaseUnavailableError,
    PostgresDatabase,
    SchemaMissingError,
    SqliteDatabase,
    database_url,
    describe_url,
    migrate,
    open_database,
)

__all__ = [
    "DATABASE_URL_ENV",
    "SQLITE_FILE",
    "Database",
    "DatabaseUnavailableError",
    "PostgresDatabase",
    "SchemaMissingError",
    "SqliteDatabase",
    "database_url",
    "describe_url",
    "migrate",
    "open_database",
]
