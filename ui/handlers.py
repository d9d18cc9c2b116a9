"""What the web app does, as plain functions of the service and the inputs (testable without a browser).

Everything the candidate wrote, and everything that quotes it (the interviewer echoes the
candidate's terms), goes through `literal()` before a Markdown component shows it.
"""

from __future__ import annotations

import html
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from interviewer.report import build_progress, difficulty_label, find_cjk_font
from interviewer.service import (
    MAX_RESUME_CHARS,
    MAX_TECHNICAL_QUESTIONS,
    SLOT_LABELS,
    TOPIC_LABELS,
    InterviewPlan,
    InterviewService,
    SessionError,
    SessionSummary,
    SessionView,
    Turn,
    plan_problem,
    topic_label,
)
from ui.i18n import STAGE_NAMES, text

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
UPLOAD_TYPES = (".txt", ".md", ".pdf")
# /hint and /repeat leave no answer turn, only the engine's reply: the candidate's side shows a note.
COMMAND_NOTES = {"hint": "note_hint", "repeat": "note_repeat"}
PROGRESS_TOPICS = 8  # lines in the progress chart

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_SWALLOWED_SPACES = re.compile(r"^ +| {2,}")
_IMAGE = re.compile(r"!\[")


class UserError(ValueError):
    """Something the candidate can fix; shown as a short message, never a traceback."""


def literal(value: str) -> str:
    """`value` for a Markdown component, shown exactly as typed and never rendered.

    Every ASCII punctuation mark is backslash-escaped (CommonMark allows it for all of them), so no
    HTML tag, image, link, autolink, emphasis, heading, list or table can form; spaces Markdown would
    swallow (indentation, runs of spaces) become no-break spaces, so indentation is no code block."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").split("\n")
    return "\n".join(_SWALLOWED_SPACES.sub(lambda m: "\u00a0" * len(m.group()), _ASCII_PUNCTUATION.sub(r"\\\1", line))
                     for line in lines)


def bank_markdown(value: str) -> str:
    """Question-bank text (a reference answer) as Markdown: its own formatting (bold, lists) is kept,
    but raw HTML shows as text and no image can form (it would load from anywhere)."""
    return _IMAGE.sub(r"!\\[", html.escape(value, quote=False))


_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.、．)）]\s*(.*)$")


def reference_markdown(value: str) -> str:
    """A reference answer as Markdown with one numbered list per answer: the lines under a numbered item
    (and blank lines between items) are indented into that item, so "1." "2." "3." never each start a
    list of their own (which a sanitised page shows as "1." every time). Bold and the rest are kept;
    raw HTML and images are not (see `bank_markdown`)."""
    lines: list[str] = []
    in_item = False
    for line in bank_markdown(value).replace("\r\n", "\n").split("\n"):
        numbered = _NUMBERED.match(line)
        if numbered:
            lines.append(f"{numbered.group(1)}. {numbered.group(2)}")
            in_item = True
        elif in_item and line.strip():
            lines.append(f"   {line.strip()}")
        elif not in_item:
            lines.append(line)
    return "\n".join(lines)


def _one_line(value: str, limit: int) -> str:
    flat = " ".join(value.split())
    return literal(flat[:limit]) + ("…" if len(flat) > limit else "")


# --- the chat -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChatItem:
    """One chat bubble before formatting: `text` is raw (escaped only when shown)."""

    role: Literal["user", "assistant"]
    text: str
    turn: int  # index of the transcript turn it shows
    note: bool = False  # a command, shown as a small note

    def message(self) -> dict[str, str]:
        content = f"*{literal(self.text)}*" if self.note else literal(self.text)
        return {"role": self.role, "content": content}


def chat_items(turns: list[Turn], language: str) -> list[ChatItem]:
    items: list[ChatItem] = []
    for index, turn in enumerate(turns):
        if turn.kind == "answer":
            # A skip is the only command recorded as an answer turn (/hint, /repeat, /end leave none).
            items.append(ChatItem("user", text(language, "note_skip"), index, note=True) if turn.event == "skip"
                         else ChatItem("user", turn.text, index))
            continue
        if turn.event == "feedback":
            continue  # practice feedback is shown once, in the side panel's grade box
        if turn.event in COMMAND_NOTES:
            items.append(ChatItem("user", text(language, COMMAND_NOTES[turn.event]), index, note=True))
        items.append(ChatItem("assistant", ("↳ " if turn.kind == "follow_up" else "") + turn.text, index))
    return items


def chat_messages(turns: list[Turn], language: str = "zh") -> list[dict[str, str]]:
    """Transcript turns as Chatbot messages: the candidate's answers and every interviewer line shown
    literally; commands (/skip, /hint) as small notes."""
    return [item.message() for item in chat_items(turns, language)]


def reveal(item: ChatItem, steps: int) -> list[dict[str, str]]:
    """Growing prefixes of an interviewer message, for the typing effect (each escaped on its own)."""
    size = max(1, -(-len(item.text) // steps))
    return [replace(item, text=item.text[:end]).message() for end in range(size, len(item.text), size)]


# --- setup ----------------------------------------------------------------------------------------

def plan_from_setup(mode: str, stages: list[str], questions: float, topics: list[str], difficulty: float,
                    resume_text: str, language: str, job_description: str = "",
                    project_questions: float = 6) -> InterviewPlan:
    """The plan the setup describes, or a UserError in the UI language (never a raw validation message)."""
    if not stages:
        raise UserError(text(language, "no_stages"))
    resume = (resume_text or "").strip()
    if len(resume) > MAX_RESUME_CHARS:
        raise UserError(text(language, "resume_too_long"))
    try:
        plan = InterviewPlan.model_validate({
            "mode": mode, "stages": stages, "technical_questions": int(questions or 0), "topics": topics or [],
            "difficulty": int(difficulty or 2), "resume_text": resume or None, "language": language,
            "job_description": (job_description or "").strip() or None,
            "project_questions": int(project_questions or 6)})
    except (ValidationError, TypeError, ValueError) as error:
        raise UserError(text(language, "bad_setup")) from error
    problem = plan_problem(plan)
    if problem is not None:
        raise UserError(text(language, f"error_{problem}", limit=MAX_TECHNICAL_QUESTIONS))
    return plan


def read_upload(path: str | None, language: str) -> str:
    """Text of an uploaded résumé (.txt, .md or .pdf), size-limited and parsed defensively."""
    if not path:
        return ""
    file = Path(path)
    if file.suffix.lower() not in UPLOAD_TYPES:
        raise UserError(text(language, "upload_type"))
    if file.stat().st_size > MAX_UPLOAD_BYTES:
        raise UserError(text(language, "upload_size"))
    data = file.read_bytes()
    if file.suffix.lower() == ".pdf":
        try:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            content = "\n".join((page.extract_text() or "") for page in reader.pages[:20])
        except Exception as error:  # any malformed PDF: a clear message instead of a crash
            logger.info("unreadable PDF upload %s: %s", file.name, error)
            raise UserError(text(language, "upload_pdf")) from error
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                content = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UserError(text(language, "upload_encoding"))
    content = content.strip()
    if not content:
        raise UserError(text(language, "upload_empty"))
    return content[:MAX_RESUME_CHARS]


def merge_upload(existing: str, uploaded: str, name: str, language: str) -> tuple[str, str]:
    """(new résumé text, message): an upload never overwrites what the candidate already pasted."""
    if not existing.strip():
        return uploaded, text(language, "upload_ok", name=name)
    if uploaded in existing:
        return existing, text(language, "upload_same", name=name)
    return f"{existing.rstrip()}\n\n{uploaded}", text(language, "upload_appended", name=name)


def topic_choices(language: str) -> list[tuple[str, str]]:
    return [(labels[0 if language == "zh" else 1], topic) for topic, labels in TOPIC_LABELS.items()
            if topic not in ("behavioral", "project", "opening")]


# --- the side panel and the practice grade --------------------------------------------------------

def side_panel(view: SessionView, language: str) -> str:
    """Stage, progress and the project card as Markdown (notices are shown once, under the chat)."""
    colon = text(language, "colon")
    lines = [f"**{text(language, 'stage')}**{colon}{STAGE_NAMES[language].get(view.stage, view.stage)}", "",
             f"**{text(language, 'progress')}**{colon}{view.progress.asked} / {view.progress.planned}",
             "", f"**{text(language, 'difficulty')}**{colon}{difficulty_label(view.difficulty, language)}"]
    if view.project_card:
        lines += ["", f"**{text(language, 'project_card')}**", ""]
        for slot, said in view.project_card.items():
            label = SLOT_LABELS[slot][0 if language == "zh" else 1] if slot in SLOT_LABELS else literal(slot)
            lines.append(f"- **{label}**{colon}{_one_line(said, 80)}")
    return "\n".join(lines)


def grade_panel(view: SessionView, language: str, reference_answer: str = "") -> tuple[str, str]:
    """Practice mode: (the last answer's grade, the question's reference answer), both Markdown.

    The grade has the score, the key points covered (with the candidate's own words) and missed, any
    misconception, and the feedback; a skipped question says so instead of showing a bare 0."""
    grade = view.last_grade
    if not grade:
        return "", ""
    colon = text(language, "colon")
    lines = [f"**{text(language, 'score')}{colon}{grade.score}**"]
    if grade.skipped:
        lines += ["", f"*{text(language, 'skipped')}*"]
    elif "hint_used" in grade.flags:
        lines += ["", f"*{text(language, 'hint_used')}*"]
    hit, missed = grade.points_made(), grade.points_missed()
    if hit:
        lines += ["", f"**{text(language, 'hit')}**", ""]
        for point in hit:
            quoted = (f" — {text(language, 'evidence')}{colon}“{_one_line(point.evidence, 120)}”"
                      if point.evidence else "")
            lines.append(f"- ✓ {literal(point.text)}{quoted}")
    if missed:
        lines += ["", f"**{text(language, 'missed')}**", ""]
        lines += [f"- ✗ {literal(point.text)}" for point in missed]
    wrong = [(row.claim, row.correction) for row in grade.misconceptions]
    wrong += [(point.quote, point.correction) for point in grade.key_points if point.quote and point.correction]
    if wrong:
        lines += ["", f"**{text(language, 'misconceptions')}**", ""]
        lines += [f"- {literal(claim)} → {literal(correction)}" for claim, correction in wrong]
    feedback = grade.feedback.strip()
    if feedback and not grade.skipped:
        lines += ["", f"**{text(language, 'feedback')}**{colon}{literal(feedback)}"]
    return "\n".join(lines), reference_markdown(reference_answer) if reference_answer else ""


def closing_markdown(turns: list[Turn], language: str) -> str:
    """The end of a finished interview, shown above its report: the candidate's questions in the closing
    stage with the interviewer's replies, and the closing summary (all shown literally)."""
    lines: list[str] = []
    for turn in turns:
        if turn.stage == "closing" and turn.event == "answer":
            lines += [f"**{text(language, 'you')}**{text(language, 'colon')}{literal(turn.text)}", ""]
        elif turn.event in ("closing_reply", "summary"):
            lines += [f"**{text(language, 'interviewer')}**{text(language, 'colon')}{literal(turn.text)}", ""]
    return "\n".join(lines).strip()


# --- sessions and progress, limited to this browser's sessions ------------------------------------

def own_sessions(service: InterviewService, session_ids: Iterable[str] | None) -> list[SessionSummary]:
    """This browser's sessions that still exist, newest first; every session when `session_ids` is None
    (a local single-user install, where sessions started in the terminal belong to the same person)."""
    if session_ids is None:
        return service.list_sessions()
    wanted = set(session_ids)
    return [summary for summary in service.list_sessions() if summary.session_id in wanted]


def session_status(summary: SessionSummary, current: str | None, language: str) -> str:
    if summary.status == "active":  # an active session no browser is on was left mid-way
        return text(language, "status_current" if summary.session_id == current else "status_abandoned")
    return text(language, f"status_{summary.status}")


def sessions_table(summaries: list[SessionSummary], current: str | None, language: str) -> dict[str, Any]:
    """The sessions table (headers and rows) in the UI language, for a gr.Dataframe."""
    headers = [text(language, key) for key in ("col_id", "col_created", "col_status", "col_mode", "col_score",
                                                "col_answered")]
    rows = [[s.session_id, s.created_at.replace("T", " ")[:16], session_status(s, current, language),
             text(language, f"mode_{s.mode}"), "" if s.overall_score is None else s.overall_score,
             s.questions_answered] for s in summaries]
    return {"headers": headers, "data": rows}


def progress_view(service: InterviewService, session_ids: Iterable[str] | None, language: str) -> tuple[str, Any]:
    """(Markdown, matplotlib figure or None) for this browser's sessions (build_progress leaves out the
    ones with no graded answer)."""
    snapshots = []
    for summary in own_sessions(service, session_ids):
        try:
            snapshots.append(service.snapshot(summary.session_id))
        except SessionError:  # deleted meanwhile
            continue
    progress = build_progress(snapshots, service.bank)
    if not progress.sessions:
        return text(language, "no_progress"), None
    colon = text(language, "colon")
    separator = "、" if language == "zh" else ", "
    weakest = separator.join(topic_label(topic.topic, language) for topic in progress.topics[:3]) or "—"
    lines = [text(language, "progress_sessions", n=len(progress.sessions)), "",
             f"**{text(language, 'weakest')}**{colon}{literal(weakest)}"]
    if progress.trend is not None:
        scored = sum(1 for s in progress.sessions if s.overall_score is not None)
        opening, closing = ("（", "）") if language == "zh" else (" (", ")")
        lines += ["", f"**{text(language, 'trend')}**{colon}{progress.trend:+d}"
                      f"{opening}{text(language, 'trend_detail', n=scored)}{closing}"]
    if progress.revisit:
        lines += ["", f"**{text(language, 'revisit')}**", ""]
        lines += [f"- {literal(item.question)} ({item.last_score})" for item in progress.revisit]
    return "\n".join(lines), _progress_figure(progress, language)


def _progress_figure(progress: Any, language: str) -> Any:
    from matplotlib import pyplot as plt
    from matplotlib.font_manager import FontProperties

    found = find_cjk_font()
    font = FontProperties(fname=str(found[0]), size=8) if found else FontProperties(size=8)
    numbers = list(range(1, len(progress.sessions) + 1))
    figure, axes = plt.subplots(figsize=(8, 3.4), layout="constrained")
    overall = [(n, s.overall_score) for n, s in zip(numbers, progress.sessions, strict=True)
               if s.overall_score is not None]
    axes.plot([p[0] for p in overall], [p[1] for p in overall], color="black", linestyle="--", linewidth=1.5,
              marker="s", label=text(language, "plot_overall"))
    for topic in progress.topics[:PROGRESS_TOPICS]:
        points = [(n, s.topic_scores[topic.topic]) for n, s in zip(numbers, progress.sessions, strict=True)
                  if topic.topic in s.topic_scores]
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", linewidth=1,
                  label=topic_label(topic.topic, language))
    axes.set_xticks(numbers, [f"{n}\n{s.created_at[5:10]}" for n, s in zip(numbers, progress.sessions, strict=True)])
    for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        label.set_fontproperties(font)
    axes.set_xlim(0.5, len(numbers) + 0.5)
    axes.set_ylim(0, 100)
    axes.grid(axis="y", alpha=0.3)
    axes.set_xlabel(text(language, "plot_session"), fontproperties=font)
    axes.set_ylabel(text(language, "plot_score"), fontproperties=font)
    axes.legend(prop=font, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    plt.close(figure)
    return figure


__all__ = ["SessionError", "UserError"]
