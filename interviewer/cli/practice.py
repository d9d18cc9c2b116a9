"""`mock-interview practice`: the interview in a terminal (or driven line by line through a pipe)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from interviewer.cli.common import console, fail
from interviewer.plan import InterviewPlan
from interviewer.service import InterviewService, SessionError, SessionView, create_service
from interviewer.transcript import STAGES, Turn

SPEAKERS = {"question": "面试官", "follow_up": "面试官（追问）", "redirect": "面试官", "system": "系统",
            "feedback": "反馈"}


def print_turns(turns: list[Turn], *, rich_output: bool) -> None:
    for turn in turns:
        if turn.kind == "answer":
            continue
        speaker = SPEAKERS.get(turn.kind, turn.kind)
        if rich_output:
            style = "bold cyan" if turn.kind in ("question", "follow_up", "redirect") else "dim"
            console.print(f"[{style}]{speaker}[/]: ", end="")
            console.print(turn.text, markup=False, highlight=False)
        else:
            print(f"{speaker}: {turn.text}", flush=True)


def practice(
    mode: Annotated[str, typer.Option(help="interview (feedback at the end) or practice (after each answer).")]
    = "interview",
    questions: Annotated[int, typer.Option(min=0, max=30, help="Number of technical questions.")] = 5,
    topics: Annotated[list[str] | None, typer.Option(
        "--topics", "--topic", help="Technical topics: repeat the option or separate with commas.")] = None,
    stages: Annotated[list[str] | None, typer.Option(
        "--stages", "--stage", help="Stages to run, in interview order: repeat or separate with commas.")] = None,
    difficulty: Annotated[int, typer.Option(min=1, max=3, help="Starting difficulty.")] = 2,
    resume: Annotated[str | None, typer.Option(help="Continue a paused session by id.")] = None,
    resume_text: Annotated[Path | None, typer.Option(help="Your résumé or project description (.txt/.md).")] = None,
) -> None:
    """Run a mock interview in the terminal. Piped input: one answer per line; at end of input the
    session is paused and saved (resume it with --resume)."""
    interactive = sys.stdin.isatty()
    service = create_service()
    try:
        view = service.resume(resume) if resume else service.start(_plan(mode, questions, topics, stages,
                                                                         difficulty, resume_text))
    except SessionError as error:
        fail(str(error))
    print(f"session: {view.session_id}", flush=True)
    if view.finished:
        print(f"这场面试已经结束 / this session has finished. "
              f"report: mock-interview report {view.session_id} --format html", flush=True)
        return
    print_turns(view.turns if resume is None else view.new_turns, rich_output=interactive)
    _loop(service, view, interactive)


def _split(values: list[str] | None) -> list[str]:
    """["rag,peft", "inference"] -> ["rag", "peft", "inference"]."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _plan(mode: str, questions: int, topics: list[str] | None, stages: list[str] | None, difficulty: int,
          resume_text: Path | None) -> InterviewPlan:
    text = None
    if resume_text is not None:
        try:
            text = resume_text.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            fail(f"cannot read {resume_text}: {error}")
    try:
        return InterviewPlan(mode=mode, technical_questions=questions, topics=_split(topics),  # type: ignore[arg-type]
                             stages=_split(stages) or list(STAGES), difficulty=difficulty,  # type: ignore[arg-type]
                             resume_text=text)
    except ValidationError as error:
        first = error.errors()[0]
        fail(f"invalid option {'.'.join(map(str, first['loc']))}: {first['msg']}")


def _loop(service: InterviewService, view: SessionView, interactive: bool) -> None:
    while not view.finished:
        try:
            line = console.input("[bold green]你> [/]") if interactive else sys.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            line = ""
            interactive = False  # treat like end of input
        if not line and not interactive:
            service.pause(view.session_id)
            print(f"paused. resume with: mock-interview practice --resume {view.session_id}", flush=True)
            print(f"session: {view.session_id}", flush=True)
            return
        answer = line.rstrip("\n")
        if not answer.strip():
            continue
        try:
            view = service.answer(view.session_id, answer)
        except SessionError as error:
            console.print(f"[red]{error}[/]")
            continue
        print_turns(view.new_turns, rich_output=interactive)
        if view.notice:
            print(f"（{view.notice}）", flush=True)
    print(f"report: mock-interview report {view.session_id} --format html", flush=True)
    print(f"session: {view.session_id}", flush=True)
