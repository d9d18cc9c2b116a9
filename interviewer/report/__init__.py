"""Score reports (Markdown, HTML, PDF, JSON) and progress across sessions."""

from interviewer.report.build import build_report, level_for
from interviewer.report.fonts import MissingFontError, find_cjk_font
from interviewer.report.models import Report
from interviewer.report.presentation import difficulty_label
from interviewer.report.progress import Progress, build_progress
from interviewer.report.render import FORMATS, render_html, render_report, try_write_pdf, write_report

__all__ = ["FORMATS", "MissingFontError", "Progress", "Report", "build_progress", "build_report", "difficulty_label",
           "find_cjk_font", "level_for", "render_html", "render_report", "try_write_pdf", "write_report"]
