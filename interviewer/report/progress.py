"""Progress across sessions: scores by topic over time, the trend, weakest topics, questions to revisit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from interviewer.report.build import build_report
from interviewer.report.models import Report
from interviewer.revisit import revisit_priorities
from interviewer.transcript import SessionSnapshot
from question_bank.models import Question
from question_bank.taxonomy import topic_label

WEAKEST = 3
REVISIT = 10
MIN_ANSWERED_UNFINISHED = 2


class SessionProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str
    created_at: str
    status: str
    overall_score: int | None
    topic_scores: dict[str, int]
    answered: int = 0  # questions with a graded answer (skipped ones not counted)


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
    question: str  # as it was last asked (project questions are phrased around the candidate's project)
    last_score: int
    priority: float


class Progress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sessions: list[SessionProgress]  # oldest first; only sessions with at least one graded answer
    trend: int | None  # latest overall minus the first one
    topics: list[TopicProgress]  # weakest first
    weakest_topics: list[str]
    revisit: list[RevisitItem]


def answered(report: Report) -> int:
    """Questions the candidate really answered: a skip is not a graded answer."""
    return sum(1 for question in report.questions if question.answers)


def counts(report: Report) -> bool:
    """Whether a session says something about the candidate's level: one with no graded answer (opened
    and left, or only skipped), or an unfinished one with a single answer, would only drag the trend."""
    return answered(report) >= (1 if report.status == "finished" else MIN_ANSWERED_UNFINISHED)


def build_progress(snapshots: list[SessionSnapshot], bank: Mapping[str, Question]) -> Progress:
    """Scores and the trend come from the sessions that count (see counts()); every transcript still
    feeds spaced repetition, as in the interview itself."""
    ordered = sorted(snapshots, key=lambda snapshot: snapshot.created_at)
    sessions, per_topic = [], defaultdict(list)
    last_scores: dict[str, int] = {}
    asked: dict[str, str] = {}  # question id -> the wording the candidate saw last
    for snapshot in ordered:
        report = build_report(snapshot, bank)
        for question in report.questions:
            last_scores[question.question_id] = question.score
            asked[question.question_id] = question.question
        if not counts(report):
            continue
        topic_scores = {group.name: group.score for group in report.topic_scores}
        for group in report.topic_scores:
            per_topic[group.name].append(group.score)
        sessions.append(SessionProgress(session_id=snapshot.session_id, created_at=snapshot.created_at,
                                        status=report.status, overall_score=report.overall_score,
                                        topic_scores=topic_scores, answered=answered(report)))
    scored = [session.overall_score for session in sessions if session.overall_score is not None]
    topics = sorted((TopicProgress(topic=topic, label=topic_label(topic), average=round(sum(v) / len(v)),
                                   latest=v[-1], sessions=len(v)) for topic, v in per_topic.items()),
                    key=lambda item: (item.average, item.topic))
    newest_first = [[turn.model_dump() for turn in snapshot.turns] for snapshot in reversed(ordered)]
    priorities = revisit_priorities(newest_first)
    revisit = sorted((RevisitItem(question_id=qid, question=asked.get(qid) or (bank[qid].text if qid in bank else qid),
                                  last_score=last_scores.get(qid, 0), priority=round(priority, 2))
                      for qid, priority in priorities.items() if priority > 1.0 and not qid.startswith("closing.")),
                     key=lambda item: (-item.priority, item.question_id))[:REVISIT]
    return Progress(sessions=sessions, trend=scored[-1] - scored[0] if len(scored) >= 2 else None, topics=topics,
                    weakest_topics=[topic.label for topic in topics[:WEAKEST]], revisit=revisit)
