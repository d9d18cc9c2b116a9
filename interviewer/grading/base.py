"""The grading interface the interview engine depends on."""

from __future__ import annotations

from typing import Protocol

from interviewer.grading.models import GradeResult
from question_bank.models import Question


class AnswerGrader(Protocol):
    """Grades one answer to one question against that question's rubric."""

    def grade(self, question: Question, answer: str, *, hints_used: int = 0) -> GradeResult: ...
