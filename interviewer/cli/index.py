"""`mock-interview index`: build or update the rubric index in the data directory."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from interviewer.cli.common import console, fail, print_json, print_table
from interviewer.settings import data_home
from question_bank.loader import BankError, load_bank
from rubrics.embeddings import make_embedder
from rubrics.loader import RubricDataError, load_rubrics
from rubrics.store import RubricStore, chroma_client


def index(
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Embed everything again (ignore the vectors shipped with the bank).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Embed rubric key points and questions into Chroma (the data directory, or the server at
    $MOCK_INTERVIEWER_CHROMA_URL); unchanged rubrics are not embedded again."""
    home = data_home()
    try:
        rubrics, questions = load_rubrics(home), load_bank(home)
    except (RubricDataError, BankError) as error:
        fail(str(error))
    client, location = chroma_client(home)
    store = RubricStore(home, make_embedder(), client=client, location=location)
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True, disable=as_json) as bar:
        task = bar.add_task("embedding", total=None)
        report = store.sync(rubrics, questions, rebuild=rebuild,
                            progress=lambda done, total: bar.update(task, completed=done, total=total))
    if as_json:
        print_json(report.model_dump())
        return
    print_table(f"索引 / index ({location})", ["", ""], report.model_dump().items())
