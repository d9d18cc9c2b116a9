"""`mock-interview`: the command-line entry point. Each command group lives in its own module."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from interviewer.cli import bank, db, grade, index, llm, practice, report, sessions, simulate, users, web
from interviewer.cli.common import error_console
from interviewer.settings import configure_logging

app = typer.Typer(
    name="mock-interview",
    help="LLM / NLP 工程师模拟面试官 — mock interviews, grading and score reports.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def options(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every fallback (LLM errors, "
                                                  "missing fonts…) to stderr; or set MOCK_INTERVIEWER_LOG_LEVEL.")]
            = False,
            user: Annotated[str | None, typer.Option(
                "--user", help="Act as this account (default: $MOCK_INTERVIEWER_USER, else the local user).")]
            = None) -> None:
    if verbose:
        configure_logging(verbose=True)
    users.select_user(user)


app.add_typer(bank.app, name="bank")
app.command("index")(index.index)
app.command("grade")(grade.grade)
app.command("practice")(practice.practice)
app.add_typer(sessions.app, name="sessions")
app.command("simulate")(simulate.simulate)
app.command("report")(report.report)
app.command("progress")(report.progress)
app.command("web")(web.web)
app.add_typer(llm.app, name="llm")
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")


def main() -> None:
    """Run a command; a broken setting, embedding endpoint or index ends with one clear line, not a traceback."""
    from chromadb.errors import ChromaError

    from interviewer.settings import ConfigurationError, data_home
    from rubrics.embeddings import EmbeddingError
    from rubrics.store import IndexUnavailableError

    try:
        configure_logging()
        app()
    except (ConfigurationError, EmbeddingError, IndexUnavailableError) as error:
        error_console.print(f"[bold red]错误 / error:[/] {error}", highlight=False)
        sys.exit(1)
    except ChromaError as error:
        error_console.print(f"[bold red]错误 / error:[/] the rubric index is unreadable ({error}). Delete "
                            f"{data_home() / 'chroma'} and run `mock-interview index`.", highlight=False)
        sys.exit(1)
