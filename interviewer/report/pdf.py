"""The PDF report (fpdf2) with a CJK font.

Text is left-aligned and broken into lines here, before fpdf2 sees it: Chinese may break between any two
characters, a Latin word or number ("Qwen2-7B", "0.72") only at its edges, and punctuation never starts
(，。）) or ends (（「) a line. fpdf2's own word wrap treats a whole Chinese sentence as one word and its
justification stretches the spaces around Latin words into gaps; its character wrap (kept as a safety
net) would split Latin words. Candidate text is plain text here: nothing in it is interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.util import Padding

from interviewer.report import presentation as present
from interviewer.report.charts import question_chart, topic_chart
from interviewer.report.fonts import MissingFontError, find_cjk_bold_font, find_cjk_font
from interviewer.report.models import QuestionReport, Report

RGB = tuple[int, int, int]
TEXT: RGB = (29, 35, 48)
MUTED: RGB = (107, 115, 133)
ACCENT: RGB = (47, 111, 223)
RULE: RGB = (214, 220, 230)
HEAD_FILL: RGB = (239, 243, 250)
ANSWER_FILL: RGB = (246, 248, 251)
SUMMARY_FILL: RGB = (236, 242, 253)
HIT: RGB = (29, 127, 59)
MISS: RGB = (180, 80, 42)
WRONG: RGB = (180, 42, 42)
REFERENCE_CHARS = 1500
SCORE_TABLE_WIDTH = 110.0

# Chinese, Japanese and Korean characters and full-width forms: a line may break before or after each one.
CJK = "\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
TOKEN = re.compile(rf"\s+|[^\s{CJK}]+|.", re.S)
NO_LINE_START = set("，。、；：！？）」』》〉】〕”’,.;:!?)]}%…·～")
NO_LINE_END = set("（「『《〈【〔“‘([{")
BOLD_MARKUP = re.compile(r"\*\*(.+?)\*\*")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def clean(text: str) -> str:
    """Text fpdf2 can lay out: Unix line breaks, tabs as spaces, no control or direction characters."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))


def tokens(paragraph: str) -> list[str]:
    """Unbreakable pieces: runs of spaces, Latin words, single CJK characters with their punctuation."""
    pieces: list[str] = []
    for token in TOKEN.findall(paragraph):
        if (pieces and not token.isspace() and not pieces[-1].isspace()
                and (token[0] in NO_LINE_START or pieces[-1][-1] in NO_LINE_END)):
            pieces[-1] += token
        else:
            pieces.append(token)
    return pieces


def line_height(size: float) -> float:
    return size * 0.3528 * 1.5  # points to millimetres, 1.5 line spacing


class ReportPDF(FPDF):
    def __init__(self, report: Report) -> None:
        super().__init__(format="A4")
        self.report = report
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)
        self.alias_nb_pages()
        self.set_title(f"模拟面试报告 {report.session_id}")
        self.set_creator("mock-interviewer")

    # --- page furniture ---------------------------------------------------------------------------------

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("cjk", size=8)
        self.set_text_color(*MUTED)
        self.cell(self.epw / 2, 5, "大模型算法工程师 · 模拟面试报告")
        self.cell(self.epw / 2, 5, f"会话 {self.report.session_id}", align="R")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.t_margin + 6, self.l_margin + self.epw, self.t_margin + 6)
        self.set_y(self.t_margin + 10)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"第 {self.page_no()} / {{nb}} 页", align="C")

    # --- text ---------------------------------------------------------------------------------------------

    def wrap(self, text: str, width: float) -> list[str]:
        """Lines of `text` (in the current font) no wider than `width` millimetres."""
        width -= 0.05  # rounding: fpdf2 must never need to break a line again
        lines: list[str] = []
        for paragraph in clean(text).split("\n"):
            line, used, first = "", 0.0, True
            for token in tokens(paragraph):
                size = self.get_string_width(token)
                if token.isspace():
                    if line and used + size > width:  # a break at a space drops the space
                        lines.append(line.rstrip())
                        line, used, first = "", 0.0, False
                    elif line or first:  # keep the paragraph's indentation, not a wrapped line's
                        line, used = line + token, used + size
                    continue
                if line.strip() and used + size > width:
                    lines.append(line.rstrip())
                    line, used, first = "", 0.0, False
                if size > width:  # longer than a whole line (a URL, a long number): break between characters
                    for char in token:
                        char_size = self.get_string_width(char)
                        if line and used + char_size > width:
                            lines.append(line)
                            line, used, first = "", 0.0, False
                        line, used = line + char, used + char_size
                    continue
                line, used = line + token, used + size
            lines.append(line.rstrip())
        return lines

    def para(self, text: str, *, size: float = 10, color: RGB = TEXT, bold: bool = False, indent: float = 0,
             fill: RGB | None = None, padding: float = 0, gap: float = 0) -> None:
        """A left-aligned paragraph across the page (from `indent`), optionally on a filled box."""
        self.set_font("cjk", "B" if bold else "", size)
        self.set_text_color(*color)
        width = self.epw - indent
        lines = self.wrap(text, width - 2 * self.c_margin - 2 * padding)
        if fill:
            self.set_fill_color(*fill)
        self.set_x(self.l_margin + indent)
        self.multi_cell(width, line_height(size), "\n".join(lines), align="L", wrapmode=WrapMode.CHAR,
                        fill=fill is not None, padding=Padding.new(padding),
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if gap:
            self.ln(gap)

    def keep(self, height: float) -> None:
        """Start a new page unless `height` millimetres still fit on this one."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def rule(self, color: RGB = RULE, width: float = 0.2) -> None:
        self.set_draw_color(*color)
        self.set_line_width(width)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.set_line_width(0.2)

    def section(self, title: str) -> None:
        self.keep(30)
        self.ln(4)
        self.para(title, size=14, bold=True, color=ACCENT)
        self.ln(0.5)
        self.rule(ACCENT, 0.4)
        self.ln(3)

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], *,
             total: float | None = None, aligns: str = "", size: float = 9.5) -> None:
        """A table: wrapped cells, a rule under each row, the header again after a page break.
        `widths` are shares of `total` (default: the page width); `aligns` one letter per column (L, R, C)."""
        total = total or self.epw
        columns = [total * share / sum(widths) for share in widths]
        aligns = aligns.ljust(len(columns), "L")
        height, pad = line_height(size), 1.4

        def draw(cells: Sequence[str], head: bool) -> None:
            self.set_font("cjk", "B" if head else "", size)
            wrapped = [self.wrap(cell, width - 2 * (pad + self.c_margin))
                       for cell, width in zip(cells, columns, strict=True)]
            row_height = max(len(lines) for lines in wrapped) * height + 2 * pad
            if self.get_y() + row_height > self.page_break_trigger:
                self.add_page()
                if not head:
                    draw(header, True)
                    self.set_font("cjk", size=size)
            top, x = self.get_y(), self.l_margin
            if head:
                self.set_fill_color(*HEAD_FILL)
                self.rect(self.l_margin, top, total, row_height, style="F")
            self.set_text_color(*(MUTED if head else TEXT))
            for lines, width, align in zip(wrapped, columns, aligns, strict=True):
                for number, line in enumerate(lines):
                    self.set_xy(x + pad, top + pad + number * height)
                    self.cell(width - 2 * pad, height, line, align=align)
                x += width
            self.set_y(top + row_height)
            self.set_draw_color(*RULE)
            self.line(self.l_margin, self.get_y(), self.l_margin + total, self.get_y())

        draw(header, True)
        for row in rows:
            draw(row, False)
        self.ln(3)


# --- the report -------------------------------------------------------------------------------------------

def _summary(pdf: ReportPDF, report: Report) -> None:
    pdf.para("大模型算法工程师 · 模拟面试报告", size=20, bold=True)
    pdf.para(present.meta_line(report), size=9, color=MUTED, gap=4)
    items = [(title, "；".join(values)) for title, values in (("优势", report.strengths), ("薄弱", report.gaps))
             if values]
    items += [("接下来练习", f"{number}. {item}") for number, item in enumerate(report.practice_next, start=1)]
    left, size, pad, label = 42.0, 9.5, 4.0, 22.0
    pdf.set_font("cjk", size=size)
    text_width = pdf.epw - left - 2 * pad
    blocks = [(title, pdf.wrap(text, text_width - label - 2 * pdf.c_margin)) for title, text in items]
    height = max(34.0, sum(len(lines) for _, lines in blocks) * line_height(size) + 2 * pad)
    pdf.keep(height)
    top = pdf.get_y()
    pdf.set_fill_color(*SUMMARY_FILL)
    pdf.rect(pdf.l_margin, top, pdf.epw, height, style="F")
    pdf.set_xy(pdf.l_margin, top + 5)
    pdf.set_font("cjk", "B", 30)
    pdf.set_text_color(*ACCENT)
    pdf.cell(left, 14, str(report.overall_score) if report.overall_score is not None else "—", align="C")
    pdf.set_xy(pdf.l_margin, top + 20)
    pdf.set_font("cjk", "B", 11)
    pdf.set_text_color(*TEXT)
    pdf.cell(left, 6, f"{report.level} · 满分 100", align="C")
    y = top + pad
    shown = ""
    for title, lines in blocks:
        for line in lines:
            pdf.set_xy(pdf.l_margin + left + pad, y)
            pdf.set_font("cjk", "B", size)
            pdf.set_text_color(*MUTED)
            pdf.cell(label, line_height(size), title if title != shown else "")
            shown = title
            pdf.set_font("cjk", size=size)
            pdf.set_text_color(*TEXT)
            pdf.cell(text_width - label, line_height(size), line)
            y += line_height(size)
    if not blocks:
        pdf.set_xy(pdf.l_margin + left + pad, top + pad)
        pdf.set_font("cjk", size=size)
        pdf.set_text_color(*MUTED)
        pdf.cell(text_width, line_height(size), "没有已评分的回答。" if report.overall_score is None else "")
    pdf.set_y(top + height + 2)


def _scores(pdf: ReportPDF, report: Report) -> None:
    pdf.section("得分概览")
    if report.stage_scores:
        pdf.grid(("阶段", "得分", "题数"), [(g.label, str(g.score), str(g.questions)) for g in report.stage_scores],
                 (4, 1, 1), total=SCORE_TABLE_WIDTH, aligns="LRR")
    if report.topic_scores:
        pdf.grid(("主题", "得分", "题数"), [(g.label, str(g.score), str(g.questions)) for g in report.topic_scores],
                 (4, 1, 1), total=SCORE_TABLE_WIDTH, aligns="LRR")
    for chart, width in ((topic_chart(report, "png"), 125.0), (question_chart(report, "png"), 115.0)):
        if chart:
            pdf.image(chart, x=pdf.l_margin + (pdf.epw - width) / 2, w=width)
            pdf.ln(2)


def _project(pdf: ReportPDF, report: Report) -> None:
    if report.project_card:
        pdf.section("项目卡片")
        for slot, text in report.project_card.items():
            pdf.keep(14)
            pdf.para(slot, size=9.5, bold=True, color=MUTED)
            pdf.para(text, size=10, fill=ANSWER_FILL, padding=1.5, gap=2.5)
    if report.claims:
        pdf.section("项目陈述核对")
        pdf.para("面试中记录下的具体数字和事实；“已追问”表示面试官就这一条追问过（前后矛盾或不太可信）。",
                 size=8.5, color=MUTED, gap=1.5)
        pdf.grid(("类型", "原话", "话题", "追问"),
                  [(c.label or c.kind, c.text, c.slot_label or "—", present.claim_marker(c))
                   for c in report.claims], (1.2, 3.2, 1.6, 1))


def _score_colour(score: int) -> RGB:
    return HIT if score >= 75 else ACCENT if score >= 55 else MISS


def _question(pdf: ReportPDF, number: int, q: QuestionReport) -> None:
    pdf.keep(40)
    top = pdf.get_y()
    badge = 18.0
    pdf.set_font("cjk", "B", 11.5)
    pdf.set_text_color(*TEXT)
    title = pdf.wrap(f"{number}. {q.question}", pdf.epw - badge - 4 - 2 * pdf.c_margin)
    pdf.multi_cell(pdf.epw - badge - 4, line_height(11.5), "\n".join(title), align="L", wrapmode=WrapMode.CHAR,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + pdf.epw - badge, top + 0.5)
    pdf.set_fill_color(*_score_colour(q.score))
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("cjk", "B", 10)
    pdf.cell(badge, 7, f"{q.score} 分", align="C", fill=True)
    pdf.set_y(max(bottom, top + 8))
    pdf.para(present.topic_line(q), size=8.5, color=MUTED, gap=1.5)

    if not q.answers:
        pdf.para(present.unanswered(q), size=9.5, color=MUTED, gap=1.5)
    for step in present.thread(q):
        if step.kind == "prompt":
            note = f"（{step.note}）" if step.note else ""
            pdf.para(f"{step.label}：{step.text}{note}", size=9.5, color=ACCENT, gap=1)
        else:
            pdf.para(step.label, size=8.5, bold=True, color=MUTED)
            pdf.para(step.text or "", size=10, fill=ANSWER_FILL, padding=1.5, gap=1.5)

    answers = len(q.answers)
    if q.key_points_hit or q.key_points_missed or q.misconceptions:
        pdf.ln(1)
    for point in q.key_points_hit:
        pdf.para(f"✓ {point.text}", size=9.5, color=HIT)
        for quote in present.evidence_quotes(point, answers):
            pdf.para(quote, size=8.5, color=MUTED, indent=5)
    for point in q.key_points_missed:
        pdf.para(f"× {point.text}", size=9.5, color=MISS)
        for quote in present.evidence_quotes(point, answers):
            pdf.para(f"部分答到：{quote}", size=8.5, color=MUTED, indent=5)
    for hit in q.misconceptions:
        pdf.para(f"误区：{hit.claim} —— {hit.correction}", size=9.5, color=WRONG, bold=True)
        for quote in present.evidence_quotes(hit, answers):
            pdf.para(quote, size=8.5, color=MUTED, indent=5)
    if q.feedback:
        pdf.ln(1)
        pdf.para(q.feedback, size=9.5)
    if q.reference_answer:
        pdf.ln(1)
        pdf.para("参考答案", size=8.5, bold=True, color=MUTED)
        reference = BOLD_MARKUP.sub(r"\1", q.reference_answer)  # the bank's own Markdown emphasis
        if len(reference) > REFERENCE_CHARS:
            reference = reference[:REFERENCE_CHARS] + "……（完整内容见 HTML 报告）"
        pdf.para(reference, size=9, color=(70, 76, 90))
    pdf.ln(1)
    pdf.para(present.grader_line(q), size=8, color=MUTED)
    pdf.ln(2)
    pdf.rule()
    pdf.ln(3)


def render_pdf(report: Report) -> bytes:
    found = find_cjk_font()
    if found is None:
        raise MissingFontError()
    bold = find_cjk_bold_font() or found
    pdf = ReportPDF(report)
    pdf.add_font("cjk", fname=str(found[0]), collection_font_number=found[1])
    pdf.add_font("cjk", style="B", fname=str(bold[0]), collection_font_number=bold[1])
    pdf.add_page()
    _summary(pdf, report)
    _scores(pdf, report)
    _project(pdf, report)
    pdf.section("逐题反馈")
    for number, question in enumerate(report.questions, start=1):
        _question(pdf, number, question)
    if report.closing or report.summary:
        pdf.section("反问与总结")
        for exchange in report.closing:
            pdf.para("你的问题：" + exchange.question, size=10, fill=ANSWER_FILL, padding=1.5, gap=1.5)
            if exchange.reply:
                pdf.para("面试官：" + exchange.reply, size=10, gap=2.5)
        if report.summary:
            pdf.para("面试官总结：", size=9.5, bold=True, color=MUTED)
            pdf.para(report.summary, size=10, gap=2.5)
    pdf.section("配置")
    pdf.grid(("项目", "内容"), present.config_rows(report), (1.3, 3))
    pdf.para(f"生成于 {report.generated_at}", size=8, color=MUTED)
    return bytes(pdf.output())
