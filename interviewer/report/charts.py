"""Charts for the report (matplotlib, Agg): per-topic bars and the score of each question."""

from __future__ import annotations

import io
from typing import Literal

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from interviewer.report.fonts import find_cjk_font
from interviewer.report.models import Report

ChartFormat = Literal["svg", "png"]
BAR_COLOR, LOW_COLOR = "#2f6fdf", "#e0703a"


def _font() -> font_manager.FontProperties | None:
    found = find_cjk_font()
    return font_manager.FontProperties(fname=str(found[0])) if found else None


def _save(figure: Figure, fmt: ChartFormat) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, bbox_inches="tight", dpi=150 if fmt == "png" else 72,
                   metadata={"Date": None} if fmt == "svg" else None)
    plt.close(figure)
    return buffer.getvalue()


def topic_chart(report: Report, fmt: ChartFormat) -> bytes | None:
    if not report.topic_scores:
        return None
    font = _font()
    groups = list(reversed(report.topic_scores))
    figure, axes = plt.subplots(figsize=(6, 0.45 * len(groups) + 1))
    axes.barh([g.label for g in groups], [g.score for g in groups],
              color=[BAR_COLOR if g.score >= 55 else LOW_COLOR for g in groups])
    axes.set_xlim(0, 100)
    axes.set_title("各主题得分 / score by topic", fontproperties=font)
    for label in axes.get_yticklabels():
        if font:
            label.set_fontproperties(font)
    for index, group in enumerate(groups):
        axes.text(group.score + 1, index, str(group.score), va="center", fontsize=8)
    return _save(figure, fmt)


def question_chart(report: Report, fmt: ChartFormat) -> bytes | None:
    if not report.questions:
        return None
    font = _font()
    scores = [question.score for question in report.questions]
    figure, axes = plt.subplots(figsize=(6, 2.4))
    axes.bar(range(1, len(scores) + 1), scores, color=[BAR_COLOR if s >= 55 else LOW_COLOR for s in scores])
    axes.set_ylim(0, 100)
    axes.set_xticks(range(1, len(scores) + 1))
    axes.set_xlabel("题号 / question", fontproperties=font)
    axes.set_title("每题得分 / score per question", fontproperties=font)
    return _save(figure, fmt)
