"""`mock-interview report` and `mock-interview progress`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from interviewer.cli.common import console, fail, print_json, print_table
from interviewer.cli.messages import error_line
from interviewer.report import FORMATS, MissingFontError, build_progress, build_report, write_report
from interviewer.service import SessionError, create_service, topic_label
from interviewer.settings import data_home


def report(
    session_id: Annotated[str, typer.Argument(help="Session id (see `mock-interview sessions list`).")],
    fmt: Annotated[str, typer.Option("--format", help="md, html, pdf or json.")] = "html",
    # A string, not a Path: Path("reports/") drops the trailing slash that says "a directory".
    out: Annotated[str | None, typer.Option(help="Output file, or a directory for the default file name "
                                                 "(default: the data directory's reports/).")] = None,
) -> None:
    """Write the score report of a finished or paused session."""
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    service = create_service()
    try:
        built = build_report(service.snapshot(session_id), service.bank)
        path = write_report(built, fmt, out, data_home())
    except SessionError as error:
        fail(error_line(error))
    except MissingFontError as error:
        fail(str(error))
    except OSError as error:
        where = error.filename or out or "the reports directory"
        fail(f"无法写入报告 {where}：{error.strerror or error} / cannot write the report to {where}: "
             f"{error.strerror or error}")
    console.print(str(path), highlight=False, markup=False, soft_wrap=True)  # a path to copy: never wrapped


def progress(as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False) -> None:
    """Scores by topic across sessions, the trend, weakest topics and questions worth revisiting."""
    service = create_service()
    snapshots = [service.snapshot(summary.session_id) for summary in service.list_sessions()]
    built = build_progress(snapshots, service.bank)
    if as_json:
        print_json(built.model_dump(mode="json"))
        return
    if not built.sessions:
        console.print("还没有已评分的面试 / no graded sessions yet")
    else:
        print_table("历次面试 / sessions", ["id", "created", "status", "score", "answered", "主题得分 / topic scores"],
                    [(s.session_id, s.created_at.replace("T", " ")[:16], s.status,
                      "—" if s.overall_score is None else s.overall_score, s.answered,
                      " · ".join(f"{escape(topic_label(topic))} {score}"
                                 for topic, score in sorted(s.topic_scores.items(), key=lambda item: item[1])))
                     for s in built.sessions])
        print_table("主题 / topics (weakest first)", ["topic", "average", "latest", "sessions"],
                    [(escape(t.label), t.average, t.latest, t.sessions) for t in built.topics])
    if built.trend is not None:
        console.print(f"趋势 / trend: {built.trend:+d}")
    if built.revisit:
        print_table("建议复习 / revisit", ["id", "last score", "question"],
                    [(item.question_id, item.last_score, escape(item.question)) for item in built.revisit])
