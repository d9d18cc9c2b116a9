"""What the web app does, as plain functions of the service and the inputs (testable without a browser)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from interviewer.plan import InterviewPlan
from interviewer.report import build_progress
from interviewer.service import InterviewService, SessionError, SessionView
from interviewer.transcript import Turn
from question_bank.taxonomy import SLOT_LABELS, TOPIC_LABELS
from ui.i18n import STAGE_NAMES, text

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
UPLOAD_TYPES = (".txt", ".md", ".pdf")
INTERVIEWER_KINDS = ("question", "follow_up", "redirect", "system", "feedback")


class UserError(ValueError):
    """Something the candidate can fix; shown as a short message, never a traceback."""


def chat_messages(turns: list[Turn]) -> list[dict[str, str]]:
    """Transcript turns as Chatbot messages; candidate answers exactly as typed."""
    messages = []
    for turn in turns:
        role = "user" if turn.kind == "answer" else "assistant"
        content = turn.text
        if turn.kind == "follow_up":
            content = "↳ " + content
        elif turn.kind == "feedback":
            content = "📝 " + content
        messages.append({"role": role, "content": content})
    return messages


def plan_from_setup(mode: str, stages: list[str], questions: float, topics: list[str], difficulty: float,
                    resume_text: str, language: str) -> InterviewPlan:
    try:
        return InterviewPlan.model_validate({
            "mode": mode, "stages": stages, "technical_questions": int(questions), "topics": topics or [],
            "difficulty": int(difficulty), "resume_text": resume_text.strip() or None, "language": language})
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(map(str, first["loc"]))
        raise UserError(f"{text(language, 'bad_setup')}: {field} — {first['msg']}") from error


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
    return content[:20_000]


def side_panel(view: SessionView, language: str) -> str:
    """Stage, progress and the project card as Markdown."""
    lines = [f"**{text(language, 'stage')}**：{STAGE_NAMES[language].get(view.stage, view.stage)}",
             f"**{text(language, 'progress')}**：{view.progress['asked']} / {view.progress['planned']}"]
    if view.project_card:
        lines.append(f"\n**{text(language, 'project_card')}**")
        for slot, said in view.project_card.items():
            label = SLOT_LABELS[slot][0 if language == "zh" else 1] if slot in SLOT_LABELS else slot
            lines.append(f"- **{label}**：{_escape(said[:80])}{'…' if len(said) > 80 else ''}")
    if view.notice:
        lines.append(f"\n⚠️ {view.notice}")
    return "\n".join(lines)


def grade_panel(view: SessionView, language: str) -> str:
    """Practice mode: the last answer's score and key points hit and missed."""
    grade = view.last_grade
    if not grade:
        return ""
    lines = [f"**{text(language, 'score')}：{grade['score']}**"]
    lines += [f"- ✓ {point['text']}" for point in grade.get("key_points", []) if point["status"] == "covered"]
    lines += [f"- ✗ {point['text']}" for point in grade.get("key_points", []) if point["status"] != "covered"]
    lines += [f"- ⚠️ {hit['claim']} → {hit['correction']}" for hit in grade.get("misconceptions", [])]
    return "\n".join(lines)


def _escape(value: str) -> str:
    return value.replace("<", "&lt;").replace(">", "&gt;")


def sessions_table(service: InterviewService) -> list[list[Any]]:
    return [[s.session_id, s.created_at.replace("T", " ")[:16], s.status, s.mode,
             "" if s.overall_score is None else s.overall_score, s.questions_answered]
            for s in service.list_sessions()]


def progress_markdown(service: InterviewService, language: str) -> tuple[str, Any]:
    snapshots = [service.snapshot(summary.session_id) for summary in service.list_sessions()]
    progress = build_progress(snapshots, service.bank)
    if not progress.sessions:
        return text(language, "no_sessions"), None
    lines = [f"**{text(language, 'weakest')}**：" + ("、".join(progress.weakest_topics) or "—")]
    if progress.trend is not None:
        lines.append(f"**{text(language, 'trend')}**：{progress.trend:+d}")
    if progress.revisit:
        lines.append(f"\n**{text(language, 'revisit')}**")
        lines += [f"- {_escape(item.question)}（{item.last_score}）" for item in progress.revisit]
    return "\n".join(lines), _progress_figure(progress)


def _progress_figure(progress: Any) -> Any:
    from matplotlib import pyplot as plt
    from matplotlib.font_manager import FontProperties

    from interviewer.report.fonts import find_cjk_font

    found = find_cjk_font()
    font = FontProperties(fname=str(found[0])) if found else None
    figure, axes = plt.subplots(figsize=(7, 3.2))
    for topic in progress.topics[:8]:
        points = [(i, s.topic_scores[topic.topic]) for i, s in enumerate(progress.sessions)
                  if topic.topic in s.topic_scores]
        axes.plot([p[0] + 1 for p in points], [p[1] for p in points], marker="o", label=topic.label)
    axes.set_ylim(0, 100)
    axes.set_xlabel("session")
    axes.legend(prop=font, fontsize=7, loc="best")
    plt.close(figure)
    return figure


def topic_choices(language: str) -> list[tuple[str, str]]:
    return [(labels[0 if language == "zh" else 1], topic) for topic, labels in TOPIC_LABELS.items()
            if topic not in ("behavioral", "project", "opening")]


__all__ = ["SessionError", "UserError"]
