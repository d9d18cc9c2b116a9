"""`mock-interview sessions`: list, show and delete saved sessions."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from interviewer.cli.common import console, fail, print_json, print_table
from interviewer.cli.messages import error_line
from interviewer.service import SessionError, create_service

app = typer.Typer(help="保存的面试 / saved sessions.", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
SessionId = Annotated[str, typer.Argument(help="Session id (see `sessions list`).")]


@app.command("list")
def list_sessions(as_json: JsonFlag = False) -> None:
    """All sessions, newest first, with status and score."""
    sessions = create_service().list_sessions()
    if as_json:
        print_json([session.model_dump() for session in sessions])
        return
    print_table("面试记录 / sessions", ["id", "created", "status", "mode", "score", "answered"],
                [(s.session_id, s.created_at, s.status, s.mode, "" if s.overall_score is None else s.overall_score,
                  s.questions_answered) for s in sessions])


@app.command()
def show(session_id: SessionId, as_json: JsonFlag = False) -> None:
    """The transcript, with every answer exactly as typed."""
    try:
        snapshot = create_service().snapshot(session_id)
    except SessionError as error:
        fail(error_line(error))
    if as_json:
        print_json(snapshot.model_dump(mode="json"))
        return
    console.print(f"[bold]{snapshot.session_id}[/] {snapshot.status} · {snapshot.mode} · {snapshot.created_at}")
    for turn in snapshot.turns:
        score = f" [{turn.grade.score}]" if turn.grade else ""
        console.print(Text.assemble((f"{turn.stage}/{turn.event}{score} ", "dim"), turn.text), highlight=False)


@app.command()
def delete(session_id: SessionId, yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False) -> None:
    """Delete a session and its transcript."""
    service = create_service()
    if not yes and not typer.confirm(f"delete session {session_id}?"):
        raise typer.Exit(1)
    try:
        service.delete(session_id)
    except SessionError as error:
        fail(error_line(error))
    console.print(f"deleted {session_id}")
