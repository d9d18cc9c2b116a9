"""What every renderer shows the same way: flag and grader labels, the configuration table, the thread of a
question (answers with the follow-ups that prompted them) and evidence quotes. Plain text; each renderer
escapes it for its own format."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from interviewer.report.build import STAGE_LABELS
from interviewer.report.models import (
    EvidencePart,
    QuestionReport,
    Report,
    ReportedClaim,
    ReportedMisconception,
    ReportedPoint,
)
from question_bank.taxonomy import topic_label

FLAG_LABELS = {
    "non_answer": "无有效回答", "off_topic": "偏题", "misconception": "有概念错误", "padding": "堆砌/重复",
    "injection": "疑似提示注入", "fallback": "离线评分兜底（LLM 不可用）", "uncertain": "评分不确定（建议复核）",
    "hint_used": "用了提示", "skipped": "跳过", "relevance_only": "无评分细则，仅按相关性评分",
}
GRADER_LABELS = {"embedding": "离线向量评分", "llm": "LLM 评分", "combined": "离线 + LLM 综合评分", "rule": "规则评分"}
MODE_LABELS = {"interview": "模拟面试", "practice": "练习模式"}
STATUS_LABELS = {"finished": "已完成", "paused": "已暂停", "active": "进行中"}
# Difficulty levels in every interface's words: the web app, the CLI and the report say the same.
DIFFICULTY_WORDS = {1: ("基础", "Basic"), 2: ("进阶", "Intermediate"), 3: ("深入", "Advanced")}
LANGUAGE_LABELS = {"zh": "中文", "en": "English"}
CONFIG_LABELS = {"llm": "大模型", "embeddings": "向量模型", "grader": "评分器"}
# Configuration values that are codes, in the report's words.
CONFIG_VALUES = {"llm": {"offline": "离线（未配置大模型）"},
                 "grader": {"embedding": "离线向量评分", "embedding+llm": "离线向量 + 大模型综合评分"}}
EXCHANGE_LABELS = {"follow_up": "追问", "redirect": "引导回题目"}


def difficulty_label(level: int, language: str = "zh") -> str:
    """"2 进阶" / "2 Intermediate": a level and its word."""
    words = DIFFICULTY_WORDS.get(level)
    return f"{level} {words[0 if language == 'zh' else 1]}" if words else str(level)


def flag_label(flag: str) -> str:
    return FLAG_LABELS.get(flag, flag)


def topic_line(q: QuestionReport) -> str:
    """Topic and interview stage, once when they are the same (项目深挖 · 项目深挖)."""
    stage = STAGE_LABELS.get(q.stage, q.stage)
    return q.topic_label if stage == q.topic_label else f"{q.topic_label} · {stage}"


def grader_line(q: QuestionReport) -> str:
    """Which grader scored the question and anything that qualifies the score."""
    parts = [f"评分：{GRADER_LABELS.get(q.grader, q.grader)}"]
    if q.embedding_score is not None and q.llm_score is not None:
        parts.append(f"离线 {q.embedding_score} / LLM {q.llm_score}")
    shown_elsewhere = {"skipped", "hint_used"} if q.hints_used else {"skipped"}
    flags = [flag_label(flag) for flag in q.flags if flag not in shown_elsewhere]
    if flags:
        parts.append("标记：" + "、".join(flags))
    if q.hints_used:
        parts.append(f"用了 {q.hints_used} 次提示")
    if q.skipped and q.answers:
        parts.append("跳过了追问（保留已得分）")
    parts += q.notes
    return " · ".join(parts)


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def config_rows(report: Report) -> list[tuple[str, str]]:
    """The plan and the models, as (label, value) rows a person can read."""
    config, plan = dict(report.config), dict(report.plan)
    rows = []
    for key in [key for key in CONFIG_LABELS if key in config]:
        value = config.pop(key)
        rows.append((CONFIG_LABELS[key], CONFIG_VALUES.get(key, {}).get(value, _plain(value))))
    rows += [(key, _plain(value)) for key, value in config.items()]
    if "mode" in plan:
        mode = plan.pop("mode")
        rows.append(("模式", MODE_LABELS.get(mode, _plain(mode))))
    if "stages" in plan:
        rows.append(("阶段", "、".join(STAGE_LABELS.get(stage, stage) for stage in plan.pop("stages"))))
    counts = [(label, plan.pop(key)) for key, label in (("project_questions", "项目"), ("technical_questions", "基础"),
                                                         ("behavioral_questions", "综合")) if key in plan]
    if counts:
        rows.append(("计划题数", " · ".join(f"{label} {count} 题" for label, count in counts)))
    if "topics" in plan:
        topics = plan.pop("topics")
        rows.append(("主题", "、".join(topic_label(topic) for topic in topics) if topics else "全部"))
    weights = plan.pop("topic_weights", None)
    if weights:
        rows.append(("主题权重", "、".join(f"{topic_label(t)} ×{w:g}" for t, w in weights.items())))
    if "difficulty" in plan:
        difficulty = plan.pop("difficulty")
        rows.append(("难度", difficulty_label(difficulty) if isinstance(difficulty, int) else _plain(difficulty)))
    if "max_follow_ups" in plan:
        rows.append(("每题最多追问", str(plan.pop("max_follow_ups"))))
    if "resume_text" in plan:
        resume = plan.pop("resume_text")
        rows.append(("简历", f"已提供（{len(resume)} 字）" if resume else "未提供"))
    if "job_description" in plan:
        job = plan.pop("job_description")
        rows.append(("岗位描述", f"已提供（{len(job)} 字）" if job else "未提供"))
    if "language" in plan:
        language = plan.pop("language")
        rows.append(("语言", LANGUAGE_LABELS.get(language, _plain(language))))
    rows += [(key, _plain(value)) for key, value in plan.items()]
    return rows


@dataclass(frozen=True)
class Step:
    """One line of a question's thread: the interviewer pressing on it, or the candidate answering."""

    kind: str  # "prompt" | "answer"
    label: str  # 追问 / 引导回题目 / 回答 2
    text: str | None  # None: a prompt left unanswered (skipped, or the session ended)
    note: str = ""  # 跳过 / 未回答


def thread(q: QuestionReport) -> list[Step]:
    """The candidate's answers in order, each after the follow-up that prompted it."""
    steps: list[Step] = []
    pending = list(q.follow_ups)
    numbered = len(q.answers) > 1
    for index, answer in enumerate(q.answers, start=1):
        while pending and pending[0].answer_index is not None and pending[0].answer_index <= index:
            exchange = pending.pop(0)
            steps.append(Step("prompt", EXCHANGE_LABELS.get(exchange.kind, exchange.kind), exchange.question))
        steps.append(Step("answer", f"回答 {index}" if numbered else "回答", answer))
    for exchange in pending:  # a follow-up that was skipped or never answered ends the thread
        steps.append(Step("prompt", EXCHANGE_LABELS.get(exchange.kind, exchange.kind), exchange.question,
                          note="跳过" if exchange.skipped else "未回答"))
    return steps


def unanswered(q: QuestionReport) -> str:
    return "（跳过了本题，没有作答）" if q.skipped else "（没有作答）"


EVIDENCE_SEPARATOR = " ／ "


def evidence_quotes(item: ReportedPoint | ReportedMisconception, answers: int) -> list[str]:
    """The evidence as quotes of the candidate's words, one per answer it came from."""
    parts = item.evidence_parts or ([EvidencePart(answer=None, text=item.evidence)] if item.evidence else [])
    quotes = []
    for part in parts:
        source = f"回答 {part.answer}：" if answers > 1 and part.answer else ""
        quotes.append(f"{source}“{part.text}”")
    return quotes


def claim_marker(claim: ReportedClaim) -> str:
    return "已追问" if claim.probed else "—"


def meta_line(report: Report) -> str:
    line = (f"会话 {report.session_id} · {report.created_at.replace('T', ' ')[:16]} UTC · "
            f"{MODE_LABELS.get(report.mode, report.mode)} · {STATUS_LABELS.get(report.status, report.status)}")
    return " ".join([line, *report.plan_notes])


def slot_rows(report: Report) -> list[tuple[str, str, str]]:
    """The project card as rows: slot, filled / probed / missing, the candidate's words."""
    return [(row.label, row.status_label, row.evidence) for row in report.project_slots]
