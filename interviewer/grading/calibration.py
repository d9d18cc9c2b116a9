"""Thresholds that turn similarities into covered / partial / missing, fitted on labelled data.

e5 cosine values are compressed (unrelated Chinese text often scores 0.75+), so a raw value means
nothing by itself. Each key point's similarity is first rescaled against its own baseline (how
similar the point is to key points of *other* questions), then mixed with lexical evidence, and the
thresholds on that combined value come from `benchmarks/fit_calibration.py`, which writes the file
loaded here.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

CJK = re.compile(r"[\u4e00-\u9fff]")
CALIBRATION_PATH = Path(__file__).parent / "data" / "calibration.json"


class Thresholds(BaseModel):
    """How similarity and lexical evidence combine, and where covered / partial start."""

    model_config = ConfigDict(extra="forbid")

    lexical_weight: float = Field(ge=0.0, le=1.0)
    covered: float = Field(ge=0.0, le=1.0)
    partial: float = Field(ge=0.0, le=1.0)


class Calibration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    embedder: str
    baseline_quantile: float = Field(ge=0.5, le=1.0)
    # Knowledge points ("LoRA 冻结原权重…") and structure points ("给出可量化的结果") match answers
    # differently, so each family has its own fitted thresholds.
    technical: Thresholds
    structural: Thresholds
    # A misconception: calibrated similarity to the wrong claim, how much closer to it than to its
    # correction the answer must be, and the similarity that counts without a distinctive word.
    misconception: float = Field(ge=0.0, le=1.0)
    misconception_margin: float = Field(default=0.0, ge=0.0, le=1.0)
    misconception_sure: float = Field(default=1.0, ge=0.0, le=1.0)
    off_topic_margin: float = Field(ge=0.0, le=1.0)
    # Project / behavioural / opening answers touching no key point with question relevance below
    # this are unrelated (off topic).
    unrelated: float = Field(default=0.0, ge=0.0, le=1.0)
    # Raw question-to-question similarity (query vs passage) below which a question given as text
    # matches no bank question, and the answer is graded for relevance only.
    question_match: float = Field(default=0.0, ge=0.0, le=1.0)
    # The same, for a question asked in English about a bank question written in Chinese (or the other
    # way): e5 scores a translation lower than a rewording ("What is the KV cache?" ~0.88).
    question_match_cross: float = Field(default=0.0, ge=0.0, le=1.0)

    def question_threshold(self, asked: str, bank_question: str) -> float:
        """The match threshold for `asked` against `bank_question`, by whether their languages differ."""
        if bool(CJK.search(asked)) != bool(CJK.search(bank_question)) and self.question_match_cross:
            return self.question_match_cross
        return self.question_match
    fitted_on: int = Field(ge=0, description="labelled key-point judgements used for the fit")
    agreement: float = Field(ge=0.0, le=1.0, description="three-way status agreement on those judgements")

    def thresholds(self, rubric_kind: str) -> Thresholds:
        return self.structural if family(rubric_kind) == "structural" else self.technical


STRUCTURAL_KINDS = ("project_slot", "star", "structure")


def family(rubric_kind: str) -> str:
    return "structural" if rubric_kind in STRUCTURAL_KINDS else "technical"


def load_calibration(path: Path = CALIBRATION_PATH) -> Calibration:
    return Calibration.model_validate_json(path.read_text(encoding="utf-8"))


def rescale(raw: float, baseline: float) -> float:
    """Where `raw` lies between the point's baseline (0) and identity (1)."""
    return max(0.0, min(1.0, (raw - baseline) / max(1e-6, 1.0 - baseline)))
