"""`mock-interview report` and `mock-interview progress`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interviewer.cli.common import console, fail, print_json, print_table
from interviewer.report import FORMATS, build_progress, build_report, write_report
from interviewer.report.fonts import MissingFontError
from interviewer.service import SessionError, create_service
from interviewer.settings import data_home


def report(
    session_id: Annotated[str, typer.Argument(help="Session id (see `mock-interview sessions list`).")],
    fmt: Annotated[str, typer.Option("--format", help="md, html, pdf or json.")] = "html",
    out: Annotated[Path | None, typer.Option(help="Output file (default: the data directory's reports/).")] = None,
) -> None:
    """Write the score report of a finished or paused session."""
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    service = create_service()
    try:
        built = build_report(service.snapshot(session_id), service.bank)
        path = write_report(built, fmt, out, data_home())
    except (SessionError, MissingFontError, OSError) as error:
        fail(str(error))
    console.print(f"{path}")


def progress(as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False) -> None:
    """Scores by topic across sessions, the trend, weakest topics and questions worth revisiting."""
    service = create_service()
    snapshots = [service.snapshot(summary.session_id) for summary in service.list_sessions()]
    built = build_progress(snapshots, service.bank)
    if as_json:
        print_json(built.model_dump(mode="json"))
        return
    print_table("历次面试 / sessions", ["id", "created", "status", "score"],
                [(s.session_id, s.created_at, s.status, "" if s.overall_score is None else s.overall_score)
                 for s in built.sessions])
    print_table("主题 / topics (weakest first)", ["topic", "average", "latest", "sessions"],
                [(t.label, t.average, t.latest, t.sessions) for t in built.topics])
    if built.trend is not None:
        console.print(f"趋势 / trend: {built.trend:+d}")
    print_table("建议复习 / revisit", ["id", "last score", "question"],
                [(item.question_id, item.last_score, item.question) for item in built.revisit])
