"""`mock-interview db migrate`: set up the PostgreSQL schema once, before replicas start."""

from __future__ import annotations

import typer

from interviewer.cli.common import console, fail
from interviewer.service import DATABASE_URL_ENV, database_url
from interviewer.service import migrate as run_migrations

app = typer.Typer(help="数据库 / the shared database (PostgreSQL).", no_args_is_help=True)


@app.command()
def migrate() -> None:
    """Create or update the tables in $MOCK_INTERVIEWER_DATABASE_URL (safe to run again)."""
    url = database_url()
    if url is None:
        fail(f"${DATABASE_URL_ENV} is not set: the local SQLite file needs no migration")
    for line in run_migrations(url):
        console.print(line, highlight=False, markup=False)
