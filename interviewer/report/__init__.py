"""Score reports (Markdown, HTML, PDF, JSON) and progress across sessions."""

from interviewer.report.build import build_report, level_for
from interviewer.report.models import Report
from interviewer.report.progress import Progress, build_progress
from interviewer.report.render import FORMATS, render_report, write_report

__all__ = ["FORMATS", "Progress", "Report", "build_progress", "build_report", "level_for", "render_report",
           "write_report"]
