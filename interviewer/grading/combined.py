"""The grader the product uses: the embedding grade, checked by the LLM judge when one is configured."""

from __future__ import annotations

import logging

from interviewer.grading.embedding_grader import OFF_TOPIC_CAP, EmbeddingGrader, weighted_score
from interviewer.grading.feedback import write_feedback
from interviewer.grading.judge import JudgeError, LLMJudge, contradicted_hits
from interviewer.grading.models import GradeResult
from interviewer.tuning import hint_score_cap
from question_bank.models import Question
from rubrics.models import Rubric

logger = logging.getLogger(__name__)

DISAGREEMENT = 30  # points apart at which one number would hide a real doubt


class CombinedGrader:
    def __init__(self, embedding: EmbeddingGrader, judge: LLMJudge | None = None) -> None:
        self.embedding = embedding
        self.judge = judge

    def grade(self, question: Question, answer: str, *, hints_used: int = 0) -> GradeResult:
        return self.refine(question, answer, self.grade_offline(question, answer, hints_used=hints_used),
                           hints_used=hints_used)

    # The two stages apart, so the interview can word its next question while the judge reads the answer.
    def grade_offline(self, question: Question, answer: str, *, hints_used: int = 0) -> GradeResult:
        return self.embedding.grade(question, answer, hints_used=hints_used)

    def will_judge(self, question: Question, base: GradeResult) -> bool:
        """Whether `refine` would ask the judge (an LLM round trip) about this offline grade."""
        return self._judging(self.embedding.rubric_lookup(question), base) is not None

    def refine(self, question: Question, answer: str, base: GradeResult, *, hints_used: int = 0) -> GradeResult:
        """The offline grade `base` checked by the judge (`base` itself when there is none to ask)."""
        return self._with_judge(question.text, self.embedding.rubric_lookup(question), answer, base, hints_used)

    def prepare(self, question: Question) -> None:
        self.embedding.prepare(question)

    def grade_with_rubric(self, question_text: str, rubric: Rubric | None, answer: str,
                          question_id: str | None = None, *, topic: str | None = None,
                          reference: str | None = None) -> GradeResult:
        base = self.embedding.grade_with_rubric(question_text, rubric, answer, question_id, topic=topic,
                                                reference=reference)
        return self._with_judge(question_text, rubric, answer, base, 0)

    def _judging(self, rubric: Rubric | None, base: GradeResult) -> tuple[LLMJudge, Rubric] | None:
        """The judge and the rubric it reads the answer against; None when it is not asked: there is no judge,
        no rubric to judge against, or the answer is a non-answer."""
        if self.judge is None or rubric is None or "non_answer" in base.flags:
            return None
        return self.judge, rubric

    def _with_judge(self, question_text: str, rubric: Rubric | None, answer: str, base: GradeResult,
                    hints_used: int) -> GradeResult:
        judging = self._judging(rubric, base)
        if judging is None:
            return base
        judge, rubric = judging
        try:
            points = judge.judge(question_text, rubric, answer)
        except JudgeError as error:
            logger.warning("LLM judge failed, using the offline grade: %s", error)
            note = f"LLM 评分失败，使用离线评分 / the judge fell back to the offline grade: {error}"
            return base.model_copy(update={"flags": [*base.flags, "fallback"], "notes": [*base.notes, note]})
        for point, offline in zip(points, base.key_points, strict=True):
            point.similarity = offline.similarity
        llm_score = weighted_score(points)
        score = (llm_score + base.score) / 2
        if "injection" in base.flags:
            score = min(score, base.score)  # instructions in an answer never raise the score
        if "off_topic" in base.flags:
            score = min(score, OFF_TOPIC_CAP)
        if hints_used:
            score = min(score, hint_score_cap(hints_used))
        flags = list(base.flags)
        if abs(llm_score - base.score) >= DISAGREEMENT:
            flags.append("uncertain")
        # A point the judge read as contradicted is a misconception, as offline; an offline hit on a
        # point the judge found stated is dropped (the judge read the whole answer).
        judged = {point.index: point.status for point in points}
        hits = [hit for hit in base.misconceptions
                if hit.point_index is None or judged.get(hit.point_index) != "stated"]
        known = {hit.point_index for hit in hits}
        hits += [hit for hit in contradicted_hits(points) if hit.point_index not in known]
        if hits and "misconception" not in flags:
            flags.append("misconception")
        if not hits and "misconception" in flags:
            flags.remove("misconception")
        result = base.model_copy(update={"key_points": points, "score": round(max(0, min(100, score))),
                                         "misconceptions": hits, "flags": flags, "grader": "combined",
                                         "llm_score": round(llm_score), "embedding_score": base.score})
        result.feedback = write_feedback(result, rubric)
        return result
