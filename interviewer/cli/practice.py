"""`mock-interview practice`: the interview in a terminal (or driven line by line through a pipe).

On a terminal, answers are read with the standard library's `readline`: arrow keys move the cursor,
Up/Down recall earlier answers of this run. Piped input is read line by line, unchanged.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.cells import cell_len

from interviewer.cli.common import console, fail
from interviewer.cli.messages import error_line, say
from interviewer.report import difficulty_label
from interviewer.service import (
    DEFAULT_TECHNICAL_QUESTIONS,
    MAX_ANSWER_CHARS,
    MAX_TECHNICAL_QUESTIONS,
    STAGES,
    InterviewPlan,
    InterviewService,
    SessionError,
    SessionView,
    Turn,
    create_service,
)

SPEAKERS = {
    "zh": {"question": "面试官", "follow_up": "面试官（追问）", "redirect": "面试官", "system": "系统",
           "feedback": "反馈"},
    "en": {"question": "Interviewer", "follow_up": "Interviewer (follow-up)", "redirect": "Interviewer",
           "system": "System", "feedback": "Feedback"},
}
ReadLine = Callable[[str, str], str]  # (prompt, text to start from) -> the line typed


# A token the terminal must not split: a Latin word (with its trailing punctuation), a number, a path or URL.
_UNBREAKABLE = re.compile(r"[A-Za-z0-9_'’\-./:%+#@&=?]+[,.;:!?)\]]*|\s+|.", re.S)


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """`text` in lines of at most `width` terminal cells: breaks between Latin words and between CJK
    characters, never inside a word (a word longer than a line is the only thing cut). Continuation lines
    are indented by `indent` spaces; the text's own line breaks are kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for token in _UNBREAKABLE.findall(paragraph):
            size = cell_len(token)
            if token.isspace():
                if used and used + size < width:
                    line, used = line + token, used + size
                continue
            while used + size > width and size > width - indent:  # longer than any line: cut it
                room = max(1, width - used)
                head = token[:room]
                while cell_len(head) > room and len(head) > 1:
                    head = head[:-1]
                lines.append(line + head)
                token, size = token[len(head):], cell_len(token[len(head):])
                line, used = " " * indent, indent
            if used + size > width:
                lines.append(line.rstrip())
                line, used = " " * indent, indent
            line, used = line + token, used + size
        lines.append(line.rstrip())
    return lines


def turn_lines(turn: Turn, language: str, width: int) -> list[str]:
    """One interviewer message for a terminal `width` cells wide, with the speaker in front."""
    speaker = SPEAKERS.get(language, SPEAKERS["zh"]).get(turn.kind, turn.kind)
    first, *rest = wrap(f"{speaker}: {turn.text}", width, indent=2)
    return [first, *rest]


def print_turns(turns: list[Turn], language: str, *, width: int | None = None) -> None:
    """The interviewer's messages: wrapped to the terminal's width on a TTY (`width`), one raw line per
    message otherwise (piped output stays easy to parse)."""
    for turn in turns:
        if turn.kind == "answer":
            continue
        if width is None:
            speaker = SPEAKERS.get(language, SPEAKERS["zh"]).get(turn.kind, turn.kind)
            print(f"{speaker}: {turn.text}", flush=True)
        else:
            print("\n".join(turn_lines(turn, language, width)), flush=True)


def practice(
    mode: Annotated[str, typer.Option(help="interview (feedback at the end) or practice (after each answer).")]
    = "interview",
    questions: Annotated[int, typer.Option(min=0, max=MAX_TECHNICAL_QUESTIONS,
                                           help="Number of technical questions.")] = DEFAULT_TECHNICAL_QUESTIONS,
    topics: Annotated[list[str] | None, typer.Option(
        "--topics", "--topic", help="Technical topics: repeat the option or separate with commas.")] = None,
    stages: Annotated[list[str] | None, typer.Option(
        "--stages", "--stage", help="Stages to run, in interview order: repeat or separate with commas.")] = None,
    difficulty: Annotated[int, typer.Option(min=1, max=3, help="Starting difficulty: " + ", ".join(
        difficulty_label(level) for level in (1, 2, 3)) + ".")] = 2,
    language: Annotated[str, typer.Option(help="zh or en: the language of the terminal's own lines.")] = "zh",
    resume: Annotated[str | None, typer.Option(help="Continue a paused session by id.")] = None,
    resume_text: Annotated[Path | None, typer.Option(help="Your résumé or project description (.txt/.md).")] = None,
    jd: Annotated[Path | None, typer.Option(help="A job description (.txt/.md): weights topics to fit the role.")]
    = None,
    project_questions: Annotated[int, typer.Option(min=1, max=13, help="Project ladder questions (13: full ladder).")]
    = 6,
) -> None:
    """Run a mock interview in the terminal. Piped input: one answer per line; at end of input the
    session is paused and saved (resume it with --resume). An answer holds at most {limit} characters;
    a longer one is refused with a message and, on a terminal, put back on the line to shorten."""
    if language not in ("zh", "en"):
        fail("--language must be zh or en")
    interactive = sys.stdin.isatty()
    service = create_service()
    try:
        view = service.resume(resume) if resume else service.start(_plan(
            mode, questions, topics, stages, difficulty, resume_text, language, jd, project_questions))
    except SessionError as error:
        fail(error_line(error, language))
    print(f"session: {view.session_id}", flush=True)
    if view.finished:
        print(say("finished", view.language, session_id=view.session_id), flush=True)
        return
    print_turns(view.turns if resume is None else view.new_turns, view.language,
                width=console.width if interactive else None)
    run_loop(service, view, terminal_reader() if interactive else piped_reader)


practice.__doc__ = (practice.__doc__ or "").format(limit=MAX_ANSWER_CHARS)


def _split(values: list[str] | None) -> list[str]:
    """["rag,peft", "inference"] -> ["rag", "peft", "inference"]."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _read(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"cannot read {path}: {error}")
    return None


def _plan(mode: str, questions: int, topics: list[str] | None, stages: list[str] | None, difficulty: int,
          resume_text: Path | None, language: str, jd: Path | None = None,
          project_questions: int = 6) -> InterviewPlan:
    text, job = _read(resume_text), _read(jd)
    try:
        return InterviewPlan(mode=mode, technical_questions=questions, topics=_split(topics),  # type: ignore[arg-type]
                             stages=_split(stages) or list(STAGES), difficulty=difficulty,  # type: ignore[arg-type]
                             resume_text=text, language=language,  # type: ignore[arg-type]
                             job_description=(job or "").strip() or None, project_questions=project_questions)
    except ValidationError as error:
        first = error.errors()[0]
        fail(f"invalid option {'.'.join(map(str, first['loc']))}: {first['msg']}")


def piped_reader(prompt: str, draft: str) -> str:
    """One line of piped input ("" at the end of input); no prompt, nothing to edit."""
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def terminal_reader() -> ReadLine:
    """`input()` with readline's line editing and history; `draft` is put back on the line to edit."""
    import readline

    def read(prompt: str, draft: str) -> str:
        readline.set_startup_hook((lambda: readline.insert_text(draft)) if draft else None)
        try:
            return input(prompt)
        finally:
            readline.set_startup_hook(None)
    return read


def run_loop(service: InterviewService, view: SessionView, read: ReadLine) -> SessionView:
    """Answer until the interview ends or the input does (then the session is paused and saved)."""
    draft = ""
    while not view.finished:
        try:
            line = read(say("prompt", view.language), draft)
        except EOFError:
            service.pause(view.session_id)
            print(say("paused", view.language, session_id=view.session_id), flush=True)
            print(f"session: {view.session_id}", flush=True)
            return view
        except KeyboardInterrupt:
            service.pause(view.session_id)
            print("\n" + say("interrupted", view.language, session_id=view.session_id), flush=True)
            print(f"session: {view.session_id}", flush=True)
            return view
        draft = ""
        if not line.strip():
            continue
        try:
            view = service.answer(view.session_id, line)
        except SessionError as error:
            console.print(error_line(error, view.language), style="red", markup=False, highlight=False)
            if error.code == "answer_too_long":
                draft = line  # on a terminal it comes back to edit: nothing typed is lost
            continue
        print_turns(view.new_turns, view.language, width=None if read is piped_reader else console.width)
        if view.notice:
            print(f"（{say(view.notice, view.language)}）", flush=True)
    print(say("report", view.language, session_id=view.session_id), flush=True)
    print(f"session: {view.session_id}", flush=True)
    return view
