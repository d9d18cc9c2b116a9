"""`mock-interview`: the command-line entry point. Each command group lives in its own module."""

from __future__ import annotations

import typer

from interviewer.cli import bank, grade, index, practice, report, sessions, simulate, web

app = typer.Typer(
    name="mock-interview",
    help="LLM / NLP 工程师模拟面试官 — mock interviews, grading and score reports.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(bank.app, name="bank")
app.command("index")(index.index)
app.command("grade")(grade.grade)
app.command("practice")(practice.practice)
app.add_typer(sessions.app, name="sessions")
app.command("simulate")(simulate.simulate)
app.command("report")(report.report)
app.command("progress")(report.progress)
app.command("web")(web.web)


def main() -> None:
    app()
