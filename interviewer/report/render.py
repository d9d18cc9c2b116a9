"""Report renderers: Markdown, self-contained HTML, PDF and JSON. Candidate text is always escaped."""

from __future__ import annotations

import html
import re
import secrets
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from interviewer.report.charts import question_chart, topic_chart
from interviewer.report.fonts import MissingFontError, find_cjk_font
from interviewer.report.models import Report

ReportFormat = Literal["md", "html", "pdf", "json"]
FORMATS: tuple[ReportFormat, ...] = ("md", "html", "pdf", "json")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")
_environment = Environment(loader=PackageLoader("interviewer.report", "templates"),
                           autoescape=select_autoescape(["html", "j2"]))


def md_escape(text: str) -> str:
    """Untrusted text as literal Markdown: HTML entities first, then Markdown syntax characters."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _md_block(text: str) -> str:
    return "\n".join("> " + md_escape(line) if line.strip() else ">" for line in text.splitlines()) or "> "


def render_markdown(report: Report) -> str:
    lines = ["# 大模型算法工程师 · 模拟面试报告", "",
             f"- 会话：{report.session_id}（{report.created_at}，{report.mode}，{report.status}）",
             f"- 总分：**{report.overall_score if report.overall_score is not None else '—'}**（{report.level}）"]
    for title, items in (("优势", report.strengths), ("薄弱", report.gaps), ("接下来练习", report.practice_next)):
        if items:
            lines.append(f"- {title}：" + "；".join(md_escape(item) for item in items))
    lines += ["", "## 得分概览", "", "| 阶段 | 得分 | 题数 |", "|---|---|---|"]
    lines += [f"| {g.label} | {g.score} | {g.questions} |" for g in report.stage_scores]
    lines += ["", "| 主题 | 得分 | 题数 |", "|---|---|---|"]
    lines += [f"| {md_escape(g.label)} | {g.score} | {g.questions} |" for g in report.topic_scores]
    if report.project_card:
        lines += ["", "## 项目卡片", ""]
        for slot, text in report.project_card.items():
            lines += [f"**{slot}**", "", _md_block(text), ""]
    lines += ["", "## 逐题反馈"]
    for number, q in enumerate(report.questions, start=1):
        lines += ["", f"### {number}. {md_escape(q.question)}（{q.score} 分 · {md_escape(q.topic_label)}）", ""]
        for answer in q.answers:
            lines += [_md_block(answer), ""]
        lines += [f"- ✓ {md_escape(p['text'])}" + (f" ← “{md_escape(p['evidence'])}”" if p.get("evidence") else "")
                  for p in q.key_points_hit]
        lines += [f"- ✗ {md_escape(p['text'])}" for p in q.key_points_missed]
        lines += [f"- 误区：{md_escape(m['claim'])} —— {md_escape(m['correction'])}" for m in q.misconceptions]
        for exchange in q.follow_ups:
            reply = md_escape(exchange.answer or "（未回答）")
            lines += [f"- 追问：{md_escape(exchange.question)}", f"  - 回答：{reply}"]
        if q.flags:
            lines.append("- 标记：" + ", ".join(q.flags))
        lines += ["", md_escape(q.feedback)]
        if q.reference_answer:
            lines += ["", "<details><summary>参考答案</summary>", "", _md_block(q.reference_answer), "", "</details>"]
        lines.append(f"\n_评分：{q.grader}_")
    lines += ["", "## 配置", "", f"- 模型：{md_escape(str(report.config))}", f"- 计划：{md_escape(str(report.plan))}"]
    return "\n".join(lines) + "\n"


def render_html(report: Report) -> str:
    svgs = (("topic_svg", topic_chart(report, "svg")), ("question_svg", question_chart(report, "svg")))
    # Markup: the SVG is our own matplotlib output (its text is escaped by matplotlib), not candidate text.
    charts = {name: Markup(svg.decode("utf-8").split("?>", 1)[-1]) if svg else None for name, svg in svgs}
    return _environment.get_template("report.html.j2").render(r=report, **charts)


class _ReportPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.cell(0, 8, f"{self.page_no()}", align="C")


def render_pdf(report: Report) -> bytes:
    found = find_cjk_font()
    if found is None:
        raise MissingFontError()
    pdf = _ReportPDF()
    pdf.add_font("cjk", fname=str(found[0]), collection_font_number=found[1])
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()

    def write(text: str, size: float = 10.5, height: float = 6.0) -> None:
        pdf.set_font("cjk", size=size)
        pdf.multi_cell(0, height, text.replace("\t", "    "), new_x="LMARGIN", new_y="NEXT")

    write("大模型算法工程师 · 模拟面试报告", 18, 10)
    write(f"会话 {report.session_id} · {report.created_at} · {report.mode}", 9)
    write(f"总分：{report.overall_score if report.overall_score is not None else '—'}（{report.level}）", 14, 9)
    for title, items in (("优势", report.strengths), ("薄弱", report.gaps), ("接下来练习", report.practice_next)):
        if items:
            write(f"{title}：" + "；".join(items))
    for chart in (topic_chart(report, "png"), question_chart(report, "png")):
        if chart:
            pdf.image(chart, w=160)
    for number, q in enumerate(report.questions, start=1):
        pdf.ln(2)
        write(f"{number}. {q.question}（{q.score} 分 · {q.topic_label}）", 12, 7)
        for answer in q.answers:
            write("回答：" + answer, 10)
        for point in q.key_points_hit:
            write("✓ " + point["text"], 9.5)
        for point in q.key_points_missed:
            write("× " + point["text"], 9.5)
        for exchange in q.follow_ups:
            write(f"追问：{exchange.question}\n回答：{exchange.answer or '（未回答）'}", 9.5)
        write(q.feedback, 9.5)
        if q.reference_answer:
            write("参考答案：" + q.reference_answer[:1500], 9)
    return bytes(pdf.output())


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


def write_report(report: Report, fmt: ReportFormat, out: Path | None, home: Path) -> Path:
    """Write the report; the default path has a random name so it cannot be guessed when served."""
    content = render_report(report, fmt)
    if out is None:
        out = home / "reports" / f"report-{report.session_id}-{secrets.token_hex(8)}.{fmt}"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    return out


def try_write_pdf(report: Report, path: Path, home: Path) -> tuple[str | None, str]:
    """(path, "") or (None, why there is no PDF); runs in the web app's worker process."""
    try:
        return str(write_report(report, "pdf", path, home)), ""
    except MissingFontError as error:
        return None, str(error)
