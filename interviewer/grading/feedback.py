"""Short Chinese feedback written from a grade: what was good, what was missing, how to improve."""

from __future__ import annotations

from interviewer.grading.models import GradeResult, is_stated
from rubrics.loader import RELEVANCE_ONLY_MESSAGE
from rubrics.models import Rubric

MAX_LISTED = 3


def _quote(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_feedback(result: GradeResult, rubric: Rubric | None) -> str:
    flags = set(result.flags)
    if "non_answer" in flags:
        return "这次没有给出有效回答。可以先说出你知道的部分，比如定义、核心思路或一个例子，哪怕不完整也比空白好。"
    lines: list[str] = []
    if "injection" in flags:
        lines.append("回答里有试图影响评分的指令，这部分不计分。")
    if "relevance_only" in flags:
        lines.append(RELEVANCE_ONLY_MESSAGE)
    if "off_topic" in flags:
        lines.append("回答偏离了题目，更像是在回答另一个问题。先确认题目问的是什么，再围绕它展开。")
    covered = [point for point in result.key_points if is_stated(point.status)]
    missing = result.missing_points()
    if covered:
        lines.append("答到了：" + "；".join(_quote(point.text) for point in covered[:MAX_LISTED]) + "。")
    if missing:
        probes = {index: point.probe for index, point in enumerate(rubric.key_points)} if rubric else {}
        hint = probes.get(missing[0].index)
        lines.append("还可以补充：" + "；".join(_quote(point.text) for point in missing[:MAX_LISTED]) + "。"
                     + (f"（可以想想：{hint}）" if hint else ""))
    for hit in result.misconceptions:
        lines.append(f"注意：你提到「{_quote(hit.evidence, 30)}」，这是常见误区。正确理解：{hit.correction}")
    if "padding" in flags:
        lines.append("只罗列术语或重复内容不会加分，挑重点解释清楚原理和取舍更好。")
    if "hint_used" in flags:
        lines.append("使用了提示，本题得分有上限。")
    if not lines:
        lines.append("回答覆盖了要点。")
    if result.score >= 80 and not missing:
        lines.append("整体很扎实，面试时可以再结合项目经验举例。")
    elif result.score < 40 and "relevance_only" not in flags:
        lines.append("建议先把核心概念和原理讲清楚，再补充细节与对比。")
    return "\n".join(lines)
