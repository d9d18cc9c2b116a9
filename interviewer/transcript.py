"""Transcript turns: the record of everything said in a session, typed at the boundary.

Checkpoints keep turns JSON-plain (dicts); `Turn.model_validate` reads them once, when the service
hands a session to an interface. Old checkpoints still load: a turn without an `event` gets one
inferred from its kind (and, for system turns of old sessions only, from the engine's old prefixes).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Stage = Literal["opening", "project", "technical", "behavioral", "closing"]
TurnKind = Literal["question", "follow_up", "redirect", "answer", "feedback", "system"]
STAGES: tuple[Stage, ...] = ("opening", "project", "technical", "behavioral", "closing")

# What a turn is, so an interface never has to recognise it by its wording.
TurnEvent = Literal[
    "greeting",  # the interviewer's opening words and the list of commands
    "stage_intro",  # "let's move on to …" before a stage's first question
    "question",
    "follow_up",
    "redirect",  # the answer was off the question: asked again, pointing back to it
    "answer",
    "skip",  # /skip, recorded as an answer turn
    "hint",  # the reply to /hint
    "repeat",  # the reply to /repeat
    "feedback",  # practice mode: the grade and the reference after an answer
    "closing_reply",  # the interviewer's reply to the candidate's question in the closing stage
    "summary",  # the closing summary when the interview ends
    "non_answer_reply",  # a natural word after "跳过吧", gibberish or small talk, before the next question
    "offer",  # after non-answers in a row: a hint, an easier question or an early end is offered
    "notice",  # any other message from the system
]
EVENT_OF_KIND: dict[str, TurnEvent] = {"question": "question", "follow_up": "follow_up", "redirect": "redirect",
                                       "answer": "answer", "feedback": "feedback", "system": "notice"}
# Sessions saved before turns carried events: their hints and repeats are recognised by these openings.
_LEGACY_PREFIXES: tuple[tuple[str, TurnEvent], ...] = (("提示：", "hint"), ("再说一遍问题：", "repeat"))

# A key point's verdict. "stated" / "absent" / "contradicted" are the grader's verdicts; "covered" /
# "partial" / "missing" / "wrong" are those of sessions saved before them, still accepted.
PointStatus = Literal["stated", "partial", "absent", "contradicted", "covered", "missing", "wrong"]
MADE = frozenset({"stated", "covered"})  # statuses that count a key point as made


class KeyPointRow(BaseModel):
    """One key point of a graded answer: its verdict and the candidate's own words as evidence."""

    model_config = ConfigDict(extra="allow")  # the grader may add fields; they are kept, not lost

    index: int
    text: str
    weight: int = 1
    status: PointStatus
    evidence: str | None = None
    similarity: float = 0.0
    reason: str | None = None
    quote: str | None = None  # a contradicted point: the candidate's words that state the opposite
    correction: str | None = None  # … and what is right instead

    @property
    def made(self) -> bool:
        return self.status in MADE


class MisconceptionRow(BaseModel):
    model_config = ConfigDict(extra="allow")

    claim: str
    correction: str
    evidence: str = ""
    similarity: float = 0.0


class ClaimRow(BaseModel):
    """A concrete claim the candidate made about their project (number, size, model, metric...)."""

    model_config = ConfigDict(extra="forbid")

    kind: str  # e.g. "data_size", "metric", "model", "hardware", "duration"
    value: str  # as normalised for comparison, e.g. "10000"
    text: str  # the candidate's words it came from
    slot: str | None = None
    # (subject, quantity, unit, number, role): what the claim is about, so only like is compared with like
    subject: str | None = None  # "训练", "SFT", "首 token", "底座模型"
    quantity: str | None = None  # "gpu_count", "count", "latency", "accuracy", "model"...
    unit: str | None = None
    number: float | None = None
    role: str | None = None  # models: base | judge | teacher | baseline | embedding
    source: str = "interview"  # interview | resume
    approximate: bool = False  # "几百份", "两千多条": only an order of magnitude, unless `upper` bounds it
    upper: float | None = None  # an approximate figure's upper end when it has one ("两千多": 2000..3000)
    qualifier: str | None = None  # a rate's regime and scope ("峰值·单卡"): a peak is no typical figure
    mentions: int = 1  # the same claim said again is merged, not listed twice


class TurnGrade(BaseModel):
    """The grade of one answer as the interfaces and the report read it."""

    model_config = ConfigDict(extra="allow")

    question_id: str | None = None
    score: int = Field(ge=0, le=100)
    key_points: list[KeyPointRow] = Field(default_factory=list)
    misconceptions: list[MisconceptionRow] = Field(default_factory=list)
    claims: list[ClaimRow] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    feedback: str = ""
    grader: str = "rule"
    notes: list[str] = Field(default_factory=list)
    embedding_score: int | None = None
    llm_score: int | None = None

    @property
    def skipped(self) -> bool:
        return "skipped" in self.flags

    def points_made(self) -> list[KeyPointRow]:
        return [point for point in self.key_points if point.made]

    def points_missed(self) -> list[KeyPointRow]:
        return [point for point in self.key_points if not point.made]


class Turn(BaseModel):
    """One message. Answers keep the candidate's text exactly as typed."""

    model_config = ConfigDict(extra="forbid")

    stage: Stage
    kind: TurnKind
    event: TurnEvent
    text: str
    question_id: str | None = None
    slot: str | None = None
    grade: TurnGrade | None = None  # on graded answers
    at: str  # ISO 8601 UTC

    @model_validator(mode="before")
    @classmethod
    def _event_of_old_turns(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("event"):
            data = {**data, "event": legacy_event(data)}
        return data


def legacy_event(turn: dict[str, Any]) -> TurnEvent:
    """The event of a turn saved without one."""
    kind, text = turn.get("kind", ""), turn.get("text") or ""
    if kind == "answer" and "skipped" in ((turn.get("grade") or {}).get("flags") or []):
        return "skip"
    if kind == "system":
        return next((event for prefix, event in _LEGACY_PREFIXES if text.startswith(prefix)), "notice")
    return EVENT_OF_KIND.get(kind, "notice")


SessionStatus = Literal["active", "paused", "finished"]


Claim = ClaimRow  # the ledger's entries and a grade's claims are the same rows


class SessionSnapshot(BaseModel):
    """Everything a report or a sessions view needs about one session, read from the checkpointer."""

    model_config = ConfigDict(extra="forbid")

    session_id: str
    created_at: str
    updated_at: str
    status: SessionStatus
    mode: Literal["interview", "practice"]
    plan: dict  # InterviewContext plan fields, JSON-plain
    config: dict  # models used: {"llm": "...", "embeddings": "...", "grader": "..."}
    turns: list[Turn]
    project_card: dict[str, str]  # slot -> what the candidate said
    claims: list[Claim]
    # policy.Probe keys: "conflict:A|B", "vague:A|B", "number:A", "implausible:A" (and "figure:…" markers)
    probed_claims: list[str] = Field(default_factory=list)
    # The project's name and the résumé's slots as the interview worked them out (InterviewState). Both are
    # None in a session saved before the interview kept them: `resume_slots is None` tells such a session.
    project_name: str | None = None
    resume_slots: dict[str, str] | None = None
