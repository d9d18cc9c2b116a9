"""Token caps, stop sequences and time limits for every kind of LLM call (the numbers live in tuning.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from interviewer.tuning import (
    BREAKER_COOLDOWN_SECONDS,
    BREAKER_FAILURES,
    CLOSING_REPLY_MAX_TOKENS,
    CLOSING_REPLY_TIMEOUT_SECONDS,
    JUDGE_BASE_TOKENS,
    JUDGE_TIMEOUT_SECONDS,
    JUDGE_TOKENS_PER_POINT,
    MIN_CALL_SECONDS,
    PHRASE_MAX_TOKENS,
    PHRASE_TIMEOUT_SECONDS,
    PROBE_MAX_TOKENS,
    PROBE_TIMEOUT_SECONDS,
    SUMMARY_MAX_TOKENS,
    SUMMARY_TIMEOUT_SECONDS,
    TURN_BUDGET_SECONDS,
)

__all__ = ["BREAKER_COOLDOWN_SECONDS", "BREAKER_FAILURES", "CLOSING_REPLY", "JUDGE_TIMEOUT_SECONDS",
           "MIN_CALL_SECONDS", "PHRASE", "PROBE", "SUMMARY", "TURN_BUDGET_SECONDS", "Job", "judge_job"]


@dataclass(frozen=True)
class Job:
    """One kind of LLM call: how much it may generate, where it stops and how long it may take."""

    name: str
    max_tokens: int
    timeout_seconds: float
    stop: tuple[str, ...] = ()
    streamed: bool = False  # text the candidate reads: streamed to the interface when it asks for it

    def with_extra_tokens(self, extra: int) -> Job:
        """Room for a reasoning block (`<think>…</think>`) that models such as R1 or Qwen3 write first."""
        return replace(self, max_tokens=self.max_tokens + extra) if extra else self


# A blank line after a question means the model has moved on to commentary.
PHRASE = Job("phrase", PHRASE_MAX_TOKENS, PHRASE_TIMEOUT_SECONDS, stop=("\n\n",), streamed=True)
CLOSING_REPLY = Job("closing_reply", CLOSING_REPLY_MAX_TOKENS, CLOSING_REPLY_TIMEOUT_SECONDS, streamed=True)
SUMMARY = Job("summary", SUMMARY_MAX_TOKENS, SUMMARY_TIMEOUT_SECONDS, streamed=True)
PROBE = Job("probe", PROBE_MAX_TOKENS, PROBE_TIMEOUT_SECONDS, stop=("\n\n",))


def judge_job(points: int) -> Job:
    return Job("judge", JUDGE_BASE_TOKENS + JUDGE_TOKENS_PER_POINT * max(1, points), JUDGE_TIMEOUT_SECONDS)
