"""The grading interface the interview engine depends on."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from interviewer.grading.models import GradeResult
from question_bank.models import Question


class AnswerGrader(Protocol):
    """Grades one answer to one question against that question's rubric."""

    def grade(self, question: Question, answer: str, *, hints_used: int = 0) -> GradeResult: ...


@runtime_checkable
class StagedGrader(AnswerGrader, Protocol):
    """A grader whose LLM judge can run apart from its offline grade (CombinedGrader): the interview words
    its next question while the judge reads the answer."""

    def grade_offline(self, question: Question, answer: str, *, hints_used: int = 0) -> GradeResult: ...

    def will_judge(self, question: Question, base: GradeResult) -> bool: ...

    def refine(self, question: Question, answer: str, base: GradeResult, *, hints_used: int = 0) -> GradeResult: ...


@runtime_checkable
class PreparingGrader(AnswerGrader, Protocol):
    """A grader that can prepare a question's rubric before its answer arrives (interviewer/ahead.py)."""

    def prepare(self, question: Question) -> None: ...
