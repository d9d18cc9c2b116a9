"""What a run of the graph needs besides its state: the plan and the injected dependencies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from interviewer.grading.base import AnswerGrader
from interviewer.llm.client import LLMClient
from interviewer.plan import InterviewPlan
from question_bank.models import Question
from rubrics.models import Rubric
from rubrics.store import RubricStore


@dataclass(frozen=True)
class InterviewContext:
    """Passed as `context=` on every invoke; nothing in here is checkpointed."""

    plan: InterviewPlan
    bank: Mapping[str, Question]
    grader: AnswerGrader
    rubric_lookup: object  # Callable[[Question], Rubric | None]; kept loose so tests can pass a dict.get
    store: RubricStore | None = None
    llm: LLMClient | None = None  # None offline; every call is capped, timed and guarded by the client
    revisit: Mapping[str, float] = field(default_factory=dict)  # question id -> priority from past sessions

    def rubric(self, question: Question) -> Rubric | None:
        lookup = self.rubric_lookup
        return lookup(question) if callable(lookup) else None
