"""End of the interview: the overall score and where to look in the report."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from interviewer import phrasing
from interviewer.context import InterviewContext
from interviewer.scoring import final_grades, make_turn, overall_score
from interviewer.state import InterviewState


def finish(state: InterviewState, runtime: Runtime[InterviewContext]) -> dict[str, Any]:
    context = runtime.context
    turns = state.get("turns", [])
    score = overall_score(turns)
    grades = {qid: grade for qid, grade in final_grades(turns).items() if not qid.startswith("closing.")}
    asked: dict[str, str] = {}  # question id -> the wording the candidate saw
    for turn in turns:
        if turn["kind"] == "question" and turn.get("question_id"):
            asked.setdefault(turn["question_id"], turn["text"])
    weakest = sorted((grade["score"], asked.get(qid, qid)) for qid, grade in grades.items())[:2]
    lines = ["面试到这里就结束了，感谢你的时间。"]
    if score is None:
        lines.append("这次没有作答的题目，所以没有总分。")
    else:
        lines.append(f"总分：{score} / 100（共 {len(grades)} 道题）。")
        record = phrasing.summary_record(turns)
        spoken = None
        if record is not None:
            # Written while the judge read the closing answer (grade_answer), or now.
            ask_now, spoken = phrasing.worded_ahead(state.get("ahead"), phrasing.ahead_key("summary", record))
            if ask_now:
                spoken = phrasing.llm_summary(context.llm, record, context.plan.language)
        if spoken:
            lines.append(spoken)
        elif weakest:
            lines.append("最需要加强的题目：" + "；".join(f"「{text}」({value} 分)" for value, text in weakest) + "。")
        lines.append("完整的评分报告（每题要点、证据和参考答案）可以在报告页查看和下载。")
    return {"status": "finished", "current": None, "pending_input": None, "ahead": None,
            "turns": [make_turn(state.get("stage") or "closing", "system", "\n".join(lines), event="summary")]}
