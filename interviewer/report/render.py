"""Report renderers: Markdown, self-contained HTML, PDF and JSON. Candidate text is always escaped."""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from interviewer.report import presentation as present
from interviewer.report.charts import question_chart, topic_chart
from interviewer.report.fonts import MissingFontError
from interviewer.report.models import QuestionReport, Report, ReportedMisconception, ReportedPoint
from interviewer.report.pdf import render_pdf

logger = logging.getLogger(__name__)

ReportFormat = Literal["md", "html", "pdf", "json"]
FORMATS: tuple[ReportFormat, ...] = ("md", "html", "pdf", "json")

# Markdown syntax that works anywhere in a line: emphasis, code spans, strikethrough, links and images
# ("[" opens both), table cells, a backslash escaping the next character, raw HTML and entities.
# "_" only counts at a word edge (CommonMark ignores it inside words like max_tokens).
MD_INLINE = re.compile(r"[`*~|\[\]]|\\(?=[!-/:-@\[-`{-~])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# Raw HTML (a tag, comment or autolink starts with "<" and a letter, "/", "!" or "?") and entities.
MD_HTML = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)")
# Syntax that only works at the start of a line: headings, quotes, list items, ordered lists,
# thematic breaks and setext underlines ("---" is covered by the list marker, "===" needs its own).
MD_LINE_START = re.compile(r"^(\s{0,3})(#|>|[-+](?=\s|$|-)|=+\s*$|\d{1,9}(?=[.)](?:\s|$)))")
_environment = Environment(loader=PackageLoader("interviewer.report", "templates"),
                           autoescape=select_autoescape(["html", "j2"]))


def md_escape(text: str, *, line_start: bool = False) -> str:
    """Untrusted text as literal Markdown, escaping only what could change the rendering where it stands.

    Every line after the first starts a line; pass `line_start=True` when the first one does too."""
    lines = []
    for number, line in enumerate(text.split("\n")):
        line = MD_HTML.sub(lambda match: "&amp;" if match.group(0) == "&" else "&lt;", line)
        line = MD_INLINE.sub(lambda match: "\\" + match.group(0), line)
        if number or line_start:
            line = MD_LINE_START.sub(_escape_line_start, line)
        lines.append(line)
    return "\n".join(lines)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return indent + marker + "\\"  # "1." -> "1\." (the delimiter follows the digits)
    return indent + "\\" + marker


def md_inline(text: str) -> str:
    """Untrusted text inside one line (a heading, a list item, a table cell): line breaks become spaces."""
    return md_escape(" ".join(text.split("\n")))


def md_heading(text: str) -> str:
    """Untrusted text ending a heading line, where a trailing " #" would be read as the heading's closing."""
    return re.sub(r"(\s)(#+\s*)$", r"\1\\\2", md_inline(text))


def _md_block(text: str) -> str:
    """Untrusted multi-line text as a block quote, every line literal."""
    return "\n".join("> " + md_escape(line, line_start=True) if line.strip() else ">"
                     for line in text.splitlines()) or "> "


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(md_inline(cell) for cell in row) + " |" for row in rows]


def _md_quotes(item: ReportedPoint | ReportedMisconception, q: QuestionReport) -> str:
    return present.EVIDENCE_SEPARATOR.join(md_inline(quote) for quote in present.evidence_quotes(item, len(q.answers)))


def _md_question(number: int, q: QuestionReport) -> list[str]:
    lines = ["", f"### {number}. {md_heading(q.question)}", "",
             f"**{q.score} 分** · {md_inline(present.topic_line(q))}",
             ""]
    if not q.answers:
        lines += [f"_{present.unanswered(q)}_", ""]
    for step in present.thread(q):
        if step.kind == "prompt":
            note = f"（{step.note}）" if step.note else ""
            lines += [f"**{step.label}**：{md_inline(step.text or '')}{note}", ""]
        else:
            lines += [f"**{step.label}**：", "", _md_block(step.text or ""), ""]
    for p in q.key_points_hit:
        quotes = _md_quotes(p, q)
        lines.append(f"- ✓ {md_inline(p.text)}" + (f" ← {quotes}" if quotes else ""))
    for p in q.key_points_missed:
        quotes = _md_quotes(p, q)
        lines.append(f"- ✗ {md_inline(p.text)}" + (f"（部分：{quotes}）" if quotes else ""))
    for m in q.misconceptions:
        quotes = _md_quotes(m, q)
        lines.append(f"- 误区：{md_inline(m.claim)} —— {md_inline(m.correction)}"
                     + (f"（{quotes}）" if quotes else ""))
    if q.feedback:
        lines += ["", md_escape(q.feedback, line_start=True)]
    if q.reference_answer:
        lines += ["", "<details><summary>参考答案</summary>", "", _md_block(q.reference_answer), "", "</details>"]
    lines += ["", f"_{md_inline(present.grader_line(q))}_"]
    return lines


def render_markdown(report: Report) -> str:
    score = report.overall_score if report.overall_score is not None else "—"
    lines = ["# 大模型算法工程师 · 模拟面试报告", "", md_inline(present.meta_line(report)), "",
             f"**总分：{score}**（{report.level}）", ""]
    for title, items in (("优势", report.strengths), ("薄弱", report.gaps)):
        if items:
            lines.append(f"- **{title}**：" + "；".join(md_inline(item) for item in items))
    if report.practice_next:
        lines += ["- **接下来练习**：", *(f"  - {md_inline(item)}" for item in report.practice_next)]
    lines += ["", "## 得分概览", ""]
    for name, groups in (("阶段", report.stage_scores), ("主题", report.topic_scores)):
        lines += [*_md_table((name, "得分", "题数"), [(g.label, str(g.score), str(g.questions)) for g in groups]), ""]
    if report.project_card:
        lines += ["", "## 项目卡片", ""]
        for slot, text in report.project_card.items():
            lines += [f"**{md_inline(slot)}**", "", _md_block(text), ""]
    if report.claims:
        lines += ["", "## 项目陈述核对（claims）", "",
                  *_md_table(("类型", "原话", "话题", "追问"),
                             [(c.label or c.kind, c.text, c.slot_label or "—",
                               present.claim_marker(c)) for c in report.claims])]
    lines += ["", "## 逐题反馈"]
    for number, q in enumerate(report.questions, start=1):
        lines += _md_question(number, q)
    if report.closing or report.summary:
        lines += ["", "## 反问与总结", ""]
        for exchange in report.closing:
            lines += [f"**你的问题**：{md_inline(exchange.question)}", ""]
            if exchange.reply:
                lines += [f"**面试官**：{md_inline(exchange.reply)}", ""]
        if report.summary:
            lines += ["**面试官总结**：", "", _md_block(report.summary), ""]
    lines += ["", "## 配置", "", *_md_table(("项目", "内容"), present.config_rows(report)), "",
              f"_生成于 {md_inline(report.generated_at)}_"]
    return "\n".join(lines) + "\n"


def render_html(report: Report) -> str:
    svgs = (("topic_svg", topic_chart(report, "svg")), ("question_svg", question_chart(report, "svg")))
    # Markup: the SVG is our own matplotlib output (its text is escaped by matplotlib), not candidate text.
    charts = {name: Markup(svg.decode("utf-8").split("?>", 1)[-1]) if svg else None for name, svg in svgs}
    return _environment.get_template("report.html.j2").render(
        r=report, p=present, config_rows=present.config_rows(report), **charts)


def render_report(report: Report, fmt: ReportFormat) -> bytes:
    if fmt == "md":
        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "json":
        return report.model_dump_json(indent=2).encode("utf-8")
    raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")


def default_name(report: Report, fmt: ReportFormat) -> str:
    """A random file name, so a served report cannot be guessed."""
    return f"report-{report.session_id}-{secrets.token_hex(8)}.{fmt}"


def write_report(report: Report, fmt: ReportFormat, out: Path | str | None, home: Path) -> Path:
    """Write the report to `out`: a file, or a directory (existing, or written with a trailing slash)
    that gets the default file name; by default under `home`/reports/."""
    content = render_report(report, fmt)
    if out is None:
        path = home / "reports" / default_name(report, fmt)
    elif str(out).endswith(("/", os.sep)) or Path(out).is_dir():
        path = Path(out) / default_name(report, fmt)
    else:
        path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def try_write_pdf(report: Report, path: Path, home: Path) -> tuple[str | None, str]:
    """(path, "") or (None, why there is no PDF); runs in the web app's worker process."""
    try:
        return str(write_report(report, "pdf", path, home)), ""
    except MissingFontError as error:
        logger.warning("no PDF report: %s", error)
        return None, str(error)
