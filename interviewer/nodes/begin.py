"""Open the session: greet the candidate and explain how the interview works."""

from __future__ import annotations

from langgraph.runtime import Runtime

from interviewer import claims, slots
from interviewer.context import InterviewContext
from interviewer.grading.detectors import detect
from interviewer.scoring import make_turn
from interviewer.state import InterviewState

GREETING = {
    "interview": "你好，欢迎参加这场大模型算法工程师模拟面试。整个过程和真实面试一样，结束后会给你一份评分报告。",
    "practice": "你好，这是练习模式：每道题回答后我会给出评分、要点和参考答案，你可以再试一次。",
}
COMMANDS = "随时可以输入 /hint 获取提示，/skip 跳过，/repeat 重复问题，/end 结束面试。"


def begin(state: InterviewState, runtime: Runtime[InterviewContext]) -> dict:
    plan = runtime.context.plan
    resume = plan.resume_text or ""
    findings = detect(resume) if resume else []  # read once, for the slots and the claims
    # The résumé is listened to like an answer: its slots count as covered, its claims join the ledger
    # (so "350 ms" there and "800 ms" in the interview is caught), and it names the project.
    return {
        "resume_slots": slots.fill_slots(resume, findings) if resume else {},
        "project_name": slots.project_name([resume]) if resume else None,
        "pending_probes": [],
        "non_answer_streak": 0,
        "status": "active",
        "stage": "",
        "current": None,
        "asked_ids": [],
        "stage_counts": {},
        "project_card": {},
        "claims": [claim.model_dump() for claim in claims.extract_claims(resume, None, "resume", findings)],
        "probed_claims": [],
        "techniques_asked": [],
        "difficulty": plan.difficulty,
        "pending_input": None,
        "last_grade": None,
        "next_action": "next",
        "turns": [make_turn(plan.stages[0], "system", f"{GREETING[plan.mode]}{COMMANDS}", event="greeting")],
    }
