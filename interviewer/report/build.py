"""Build a Report from a session snapshot: per question, per topic and per stage, all from the grades."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from interviewer.report.models import Exchange, QuestionReport, Report, ScoreGroup
from interviewer.scoring import now
from interviewer.transcript import STAGES, SessionSnapshot, Turn
from question_bank.models import Question
from question_bank.taxonomy import SLOT_LABELS, topic_label

LEVELS = [(85, "优秀"), (70, "良好"), (55, "及格"), (0, "需加强")]
STAGE_LABELS = {"opening": "自我介绍", "project": "项目深挖", "technical": "基础知识", "behavioral": "综合素质",
                "closing": "反问"}
STRONG, WEAK = 75, 55


def level_for(score: int | None) -> str:
    if score is None:
        return "未作答"
    return next(label for threshold, label in LEVELS if score >= threshold)


def _questions(snapshot: SessionSnapshot, bank: Mapping[str, Question]) -> list[QuestionReport]:
    grouped: dict[str, list[Turn]] = defaultdict(list)
    order: list[str] = []
    for turn in snapshot.turns:
        if turn.question_id and turn.kind in ("question", "follow_up", "redirect", "answer", "system"):
            if turn.question_id not in grouped:
                order.append(turn.question_id)
            grouped[turn.question_id].append(turn)
    reports = []
    for question_id in order:
        turns = grouped[question_id]
        answers = [turn for turn in turns if turn.kind == "answer"]
        if not answers or question_id.startswith("closing."):
            continue
        grade: dict[str, Any] = answers[-1].grade or {}
        question = bank.get(question_id)
        asked = next((turn.text for turn in turns if turn.kind == "question"), question.text if question else "")
        exchanges = []
        for index, turn in enumerate(turns):
            if turn.kind in ("follow_up", "redirect"):
                reply = next((later.text for later in turns[index + 1 :] if later.kind == "answer"), None)
                exchanges.append(Exchange(kind=turn.kind, question=turn.text, answer=reply))
        topic = question.topic if question else "custom"
        points = grade.get("key_points", [])
        reports.append(QuestionReport(
            question_id=question_id, stage=answers[-1].stage, topic=topic, topic_label=topic_label(topic),
            question=asked, answers=[turn.text for turn in answers], score=int(grade.get("score", 0)),
            key_points_hit=[p for p in points if p.get("status") == "covered"],
            key_points_missed=[p for p in points if p.get("status") != "covered"],
            misconceptions=grade.get("misconceptions", []), follow_ups=exchanges,
            hints_used=sum(1 for turn in turns if turn.kind == "system" and turn.text.startswith("提示")),
            feedback=grade.get("feedback", ""), reference_answer=question.reference_answer if question else None,
            grader=grade.get("grader", "rule"), flags=grade.get("flags", []), notes=grade.get("notes", []),
            embedding_score=grade.get("embedding_score"), llm_score=grade.get("llm_score")))
    return reports


def _group(questions: list[QuestionReport], key: str, labels: Mapping[str, str]) -> list[ScoreGroup]:
    scores: dict[str, list[int]] = defaultdict(list)
    for question in questions:
        scores[getattr(question, key)].append(question.score)
    groups = [ScoreGroup(name=name, label=labels.get(name, topic_label(name)), score=round(sum(v) / len(v)),
                         questions=len(v)) for name, v in scores.items()]
    if key == "stage":
        return sorted(groups, key=lambda group: STAGES.index(group.name) if group.name in STAGES else 99)
    return sorted(groups, key=lambda group: (-group.score, group.name))


def build_report(snapshot: SessionSnapshot, bank: Mapping[str, Question]) -> Report:
    questions = _questions(snapshot, bank)
    overall = round(sum(q.score for q in questions) / len(questions)) if questions else None
    topics = _group(questions, "topic", {})
    strengths = [f"{group.label}（{group.score} 分）" for group in topics if group.score >= STRONG][:3]
    gaps = [f"{group.label}（{group.score} 分）" for group in reversed(topics) if group.score < WEAK][:3]
    practice = []
    for question in sorted(questions, key=lambda q: q.score)[:3]:
        if question.score >= STRONG:
            break
        missing = "、".join(point["text"] for point in question.key_points_missed[:2])
        practice.append(f"「{question.question}」" + (f"：补上 {missing}" if missing else ""))
    claims = [claim.model_dump() for claim in snapshot.claims]
    return Report(
        session_id=snapshot.session_id, created_at=snapshot.created_at, generated_at=now(), status=snapshot.status,
        mode=snapshot.mode, overall_score=overall, level=level_for(overall), strengths=strengths, gaps=gaps,
        practice_next=practice, stage_scores=_group(questions, "stage", STAGE_LABELS), topic_scores=topics,
        questions=questions,
        project_card={SLOT_LABELS[slot][0]: text for slot, text in snapshot.project_card.items()
                      if slot in SLOT_LABELS},
        claims=claims, plan=snapshot.plan, config=snapshot.config)
