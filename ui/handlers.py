"""What the web app does, as plain functions of the service and the inputs (testable without a browser).

Everything the candidate wrote, and everything that quotes it (the interviewer echoes the
candidate's terms), goes through `literal()` before a Markdown component shows it.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from interviewer.nodes.give_hint import HINT_PREFIX
from interviewer.nodes.repeat import REPEAT_PREFIX
from interviewer.plan import MAX_RESUME_CHARS, InterviewPlan
from interviewer.policy import total_planned
from interviewer.report import build_progress
from interviewer.report.build import is_skip
from interviewer.service import InterviewService, SessionError, SessionSummary, SessionView
from interviewer.transcript import Turn
from question_bank.models import Question
from question_bank.taxonomy import SLOT_LABELS, TOPIC_LABELS, topic_label
from ui.i18n import STAGE_NAMES, text

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
UPLOAD_TYPES = (".txt", ".md", ".pdf")
# /hint and /repeat leave no answer turn, only the engine's reply: the note on the candidate's side
# is inferred from how that reply starts.
COMMAND_REPLIES = ((HINT_PREFIX, "note_hint"), (REPEAT_PREFIX, "note_repeat"))
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
            items.append(ChatItem("user", text(language, "note_skip"), index, note=True) if is_skip(turn)
                         else ChatItem("user", turn.text, index))
            continue
        if turn.kind == "system":
            items += [ChatItem("user", text(language, key), index, note=True)
                      for prefix, key in COMMAND_REPLIES if turn.text.startswith(prefix)]
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
                    resume_text: str, language: str) -> InterviewPlan:
    """The plan the setup describes, or a UserError in the UI language (never a raw validation message)."""
    if not stages:
        raise UserError(text(language, "no_stages"))
    resume = (resume_text or "").strip()
    if len(resume) > MAX_RESUME_CHARS:
        raise UserError(text(language, "resume_too_long"))
    try:
        plan = InterviewPlan.model_validate({
            "mode": mode, "stages": stages, "technical_questions": int(questions or 0), "topics": topics or [],
            "difficulty": int(difficulty or 2), "resume_text": resume or None, "language": language})
    except (ValidationError, TypeError, ValueError) as error:
        raise UserError(text(language, "bad_setup")) from error
    if total_planned(plan) == 0:
        raise UserError(text(language, "empty_plan"))
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


def difficulty_choices(language: str) -> list[tuple[str, int]]:
    return [(text(language, f"difficulty_{level}"), level) for level in (1, 2, 3)]


# --- the side panel and the practice grade --------------------------------------------------------

def side_panel(view: SessionView, language: str) -> str:
    """Stage, progress and the project card as Markdown (notices are shown once, under the chat)."""
    colon = text(language, "colon")
    lines = [f"**{text(language, 'stage')}**{colon}{STAGE_NAMES[language].get(view.stage, view.stage)}", "",
             f"**{text(language, 'progress')}**{colon}{view.progress['asked']} / {view.progress['planned']}"]
    if view.project_card:
        lines += ["", f"**{text(language, 'project_card')}**", ""]
        for slot, said in view.project_card.items():
            label = SLOT_LABELS[slot][0 if language == "zh" else 1] if slot in SLOT_LABELS else literal(slot)
            lines.append(f"- **{label}**{colon}{_one_line(said, 80)}")
    return "\n".join(lines)


def grade_panel(view: SessionView, language: str, bank: Mapping[str, Question] | None = None) -> tuple[str, str]:
    """Practice mode: (the last answer's grade, the question's reference answer), both Markdown.

    The grade has the score, the key points covered (with the candidate's own words) and missed, any
    misconception, and the feedback; a skipped question says so instead of showing a bare 0."""
    grade = view.last_grade
    if not grade:
        return "", ""
    colon = text(language, "colon")
    flags = grade.get("flags", [])
    points = grade.get("key_points", [])
    lines = [f"**{text(language, 'score')}{colon}{grade['score']}**"]
    if "skipped" in flags:
        lines += ["", f"*{text(language, 'skipped')}*"]
    elif "hint_used" in flags:
        lines += ["", f"*{text(language, 'hint_used')}*"]
    hit = [point for point in points if point["status"] == "covered"]
    missed = [point for point in points if point["status"] != "covered"]
    if hit:
        lines += ["", f"**{text(language, 'hit')}**", ""]
        for point in hit:
            evidence = point.get("evidence")
            quoted = f" — {text(language, 'evidence')}{colon}“{_one_line(evidence, 120)}”" if evidence else ""
            lines.append(f"- ✓ {literal(point['text'])}{quoted}")
    if missed:
        lines += ["", f"**{text(language, 'missed')}**", ""]
        lines += [f"- ✗ {literal(point['text'])}" for point in missed]
    if grade.get("misconceptions"):
        lines += ["", f"**{text(language, 'misconceptions')}**", ""]
        lines += [f"- {literal(hit['claim'])} → {literal(hit['correction'])}" for hit in grade["misconceptions"]]
    feedback = (grade.get("feedback") or "").strip()
    if feedback and "skipped" not in flags:
        lines += ["", f"**{text(language, 'feedback')}**{colon}{literal(feedback)}"]
    question = (bank or {}).get(grade.get("question_id") or "")
    reference = bank_markdown(question.reference_answer) if question and question.reference_answer else ""
    return "\n".join(lines), reference


# --- sessions and progress, limited to this browser's sessions ------------------------------------

def own_sessions(service: InterviewService, session_ids: Iterable[str]) -> list[SessionSummary]:
    """This browser's sessions that still exist, newest first."""
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


def progress_view(service: InterviewService, session_ids: Iterable[str], language: str) -> tuple[str, Any]:
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

    from interviewer.report.fonts import find_cjk_font

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
