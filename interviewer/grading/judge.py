"""The LLM judge: per key point stated / contradicted / absent, a verbatim quote and a reason.

The same contract as the offline grader. The judge is optional and never trusted blindly: a stated
or contradicted verdict needs a quote that is meaningful (at least six characters or two words: "LoRA"
is not evidence for anything), really occurs in the answer and is not the same quote offered for most
key points; otherwise the point is absent. Verdicts in the older vocabulary (covered / partial /
missing / wrong) are read as their new names; anything else, a missing point, an error, a time-out or
invalid output falls back to the offline grade with a visible note.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter

from pydantic import BaseModel, ConfigDict, Field

from interviewer.grading.models import KeyPointGrade, MisconceptionHit, PointStatus, Verdict
from interviewer.llm.client import LLMCallError, LLMClient
from interviewer.llm.limits import judge_job
from interviewer.prompts import JUDGE_PROMPT
from rubrics.models import Rubric

MIN_QUOTE_CHARS = 6
MIN_QUOTE_WORDS = 2


class PointVerdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: int = Field(ge=0)
    verdict: PointStatus  # stated / contradicted / absent (older names are read as these)
    quote: str = ""
    reason: str = ""


class JudgeOutput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    points: list[PointVerdict]


class JudgeError(RuntimeError):
    """The judge gave no usable verdicts; the caller falls back to the embedding grade."""


def _compact(text: str) -> str:
    return re.sub(r"[\s\"'“”‘’「」`]+", "", text).lower()


def is_meaningful_quote(quote: str) -> bool:
    """At least six characters, or two words of at least four characters together ("KV cache")."""
    compact = _compact(quote)
    words = re.findall(r"[A-Za-z0-9_]+", quote)
    return len(compact) >= MIN_QUOTE_CHARS or (len(words) >= MIN_QUOTE_WORDS and len(compact) >= 4)


def quote_occurs(quote: str, answer: str) -> bool:
    """A quote counts only if it is meaningful and really in the answer (ignoring white space and quotes)."""
    return is_meaningful_quote(quote) and _compact(quote) in _compact(answer)


class LLMJudge:
    def __init__(self, llm: LLMClient) -> None:
        self.llm = llm

    def judge(self, question: str, rubric: Rubric, answer: str) -> list[KeyPointGrade]:
        """Per key point the judge's verdict, quote and reason; raises JudgeError when unusable."""
        tag = secrets.token_hex(6)
        messages = JUDGE_PROMPT.format_messages(
            question=question, answer=answer.replace(tag, ""),
            open_tag=f"<answer-{tag}>", close_tag=f"</answer-{tag}>",
            key_points="\n".join(f"{i}: {point.text}" for i, point in enumerate(rubric.key_points)),
            misconceptions="\n".join(f"- {item.claim}" for item in rubric.misconceptions) or "（无）")
        try:
            output = self.llm.structured(JudgeOutput, messages, judge_job(len(rubric.key_points)))
        except LLMCallError as error:  # network, time-out, paused endpoint or invalid output: fall back
            raise JudgeError(f"{error.code}: {error}") from error
        verdicts = {item.index: item for item in output.points if item.index < len(rubric.key_points)}
        if len(verdicts) < len(rubric.key_points):
            raise JudgeError(f"the judge covered {len(verdicts)} of {len(rubric.key_points)} key points")
        # One quote offered as evidence for most key points is evidence for none of them.
        uses = Counter(_compact(item.quote) for item in verdicts.values()
                       if item.verdict != "absent" and item.quote.strip())
        generic = {quote for quote, count in uses.items() if count >= 2 and count > len(rubric.key_points) / 2}
        grades = []
        for index, point in enumerate(rubric.key_points):
            verdict = verdicts[index]
            status: Verdict = verdict.verdict
            quote = verdict.quote.strip()
            reason = verdict.reason
            if status != "absent" and not quote_occurs(quote, answer):
                status = "absent"
                reason = f"引用过短或未在回答中找到，判定降级 / quote too short or not found in the answer: {reason}"
                quote = ""
            elif status != "absent" and _compact(quote) in generic:
                status = "absent"
                reason = f"同一引用被用于多数要点，判定降级 / the same quote was given for most key points: {reason}"
            # The judge's verdicts are its own: full confidence (credit is all or nothing).
            grades.append(KeyPointGrade(index=index, text=point.text, weight=point.weight, status=status,
                                        evidence=(quote or None) if status != "absent" else None,
                                        reason=reason[:200] or None, confidence=1.0))
        return grades


def contradicted_hits(grades: list[KeyPointGrade]) -> list[MisconceptionHit]:
    """The judge's contradicted points, reported like the offline grader's: the quote and the point."""
    return [MisconceptionHit(claim=grade.evidence or "", correction=grade.text, evidence=grade.evidence or "",
                             similarity=grade.confidence, point_index=grade.index)
            for grade in grades if grade.status == "contradicted" and grade.evidence]
