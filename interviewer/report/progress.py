"""Progress across sessions: scores by topic over time, the trend, weakest topics, questions to revisit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from interviewer.report.build import build_report
from interviewer.revisit import revisit_priorities
from interviewer.transcript import SessionSnapshot
from question_bank.models import Question
from question_bank.taxonomy import topic_label

WEAKEST = 3
REVISIT = 10


class SessionProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str
    created_at: str
    status: str
    overall_score: int | None
    topic_scores: dict[str, int]


class TopicProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str
    label: str
    average: int
    latest: int
    sessions: int


class RevisitItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str
    question: str
    last_score: int
    priority: float


class Progress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sessions: list[SessionProgress]  # oldest first
    trend: int | None  # latest overall minus the first one
    topics: list[TopicProgress]  # weakest first
    weakest_topics: list[str]
    revisit: list[RevisitItem]


def build_progress(snapshots: list[SessionSnapshot], bank: Mapping[str, Question]) -> Progress:
    ordered = sorted(snapshots, key=lambda snapshot: snapshot.created_at)
    sessions, per_topic = [], defaultdict(list)
    last_scores: dict[str, int] = {}
    for snapshot in ordered:
        report = build_report(snapshot, bank)
        topic_scores = {group.name: group.score for group in report.topic_scores}
        for topic, score in topic_scores.items():
            per_topic[topic].append(score)
        for question in report.questions:
            last_scores[question.question_id] = question.score
        sessions.append(SessionProgress(session_id=snapshot.session_id, created_at=snapshot.created_at,
                                        status=snapshot.status, overall_score=report.overall_score,
                                        topic_scores=topic_scores))
    scored = [session.overall_score for session in sessions if session.overall_score is not None]
    topics = sorted((TopicProgress(topic=topic, label=topic_label(topic), average=round(sum(v) / len(v)),
                                   latest=v[-1], sessions=len(v)) for topic, v in per_topic.items()),
                    key=lambda item: (item.average, item.topic))
    newest_first = [[turn.model_dump() for turn in snapshot.turns] for snapshot in reversed(ordered)]
    priorities = revisit_priorities(newest_first)
    revisit = sorted((RevisitItem(question_id=qid, question=bank[qid].text if qid in bank else qid,
                                  last_score=last_scores.get(qid, 0), priority=round(priority, 2))
                      for qid, priority in priorities.items() if priority > 1.0 and not qid.startswith("closing.")),
                     key=lambda item: (-item.priority, item.question_id))[:REVISIT]
    return Progress(sessions=sessions, trend=scored[-1] - scored[0] if len(scored) >= 2 else None, topics=topics,
                    weakest_topics=[topic.label for topic in topics[:WEAKEST]], revisit=revisit)
