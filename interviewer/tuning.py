"""Every tuning number of the interview in one place, each with the reason for its value.

Thresholds the grader fits from data live in `interviewer/grading/data/calibration.json` (written by
`benchmarks/fit_calibration.py`), not here: these are the hand-set ones.
"""

from __future__ import annotations

# --- scores ------------------------------------------------------------------------------------------
# A score this high means the point was made: the policy moves on, the report lists it as a strength.
STRONG_SCORE = 80
# Below this the candidate did not know it: the policy eases the difficulty, the report lists it as a gap.
WEAK_SCORE = 40
# Partly right: worth drilling into with a follow-up (from just above a non-answer up to "made the point").
FOLLOW_UP_BAND = (15, STRONG_SCORE)

# Each hint lowers the ceiling of the question's score by this much…
HINT_COST = 20
# …but never below this: a candidate who needed hints and then answered well still passes the question.
HINT_FLOOR = 40


def hint_score_cap(hints_used: int) -> int:
    """The highest score a question can get after `hints_used` hints (100 without any)."""
    return max(HINT_FLOOR, 100 - HINT_COST * hints_used) if hints_used else 100


# --- sizes -------------------------------------------------------------------------------------------
# One answer: about ten minutes of speech. Longer text is pasted, not said, and fills pages of the report.
MAX_ANSWER_CHARS = 4_000
# A résumé or project description pasted at setup: a few pages.
MAX_RESUME_CHARS = 20_000
# Technical questions per session: a 90-minute interview asks at most about this many fundamentals,
# the same limit in the web slider and the CLI.
MAX_TECHNICAL_QUESTIONS = 15
DEFAULT_TECHNICAL_QUESTIONS = 5

# --- the LLM -----------------------------------------------------------------------------------------
# Seconds to wait for one LLM call before falling back to the offline wording or grade: long enough for a
# hosted model's structured reply, short enough that a candidate does not wait on a stalled endpoint.
LLM_TIMEOUT_SECONDS = 20.0
# One retry absorbs a dropped connection; more would multiply the wait on a broken endpoint.
LLM_MAX_RETRIES = 1
# Token caps per kind of call: the server stops generating there, so a model that rambles cannot keep the
# GPU (and every request queued behind it) busy after we stop waiting.
# A question or follow-up is one or two sentences (under 160 characters, about 100 tokens of Chinese).
PHRASE_MAX_TOKENS = 120
PHRASE_TIMEOUT_SECONDS = 8.0
# A reply to the candidate's question at the end: a short paragraph (under 400 characters).
CLOSING_REPLY_MAX_TOKENS = 300
CLOSING_REPLY_TIMEOUT_SECONDS = 10.0
# The spoken wrap-up: one paragraph (under 500 characters).
SUMMARY_MAX_TOKENS = 400
SUMMARY_TIMEOUT_SECONDS = 12.0
# The connection check's greeting: one sentence.
PROBE_MAX_TOKENS = 40
PROBE_TIMEOUT_SECONDS = 10.0
# The judge writes per key point an index, a verdict, a quote of at most a clause and a one-line reason
# (about 70 tokens of JSON), plus the envelope.
JUDGE_BASE_TOKENS = 48
JUDGE_TOKENS_PER_POINT = 90
JUDGE_TIMEOUT_SECONDS = 15.0
# Everything the LLM does for one answer (judge, then phrasing the next question) shares this budget;
# past it the offline path answers, so a slow endpoint costs a turn at most this much.
TURN_BUDGET_SECONDS = 20.0
# Less time than this left in the turn is not worth a call that would only time out.
MIN_CALL_SECONDS = 0.5
# After this many failures in a row the endpoint is not called for the cool-down; then one trial call
# decides. Three rules out a single network blip; a minute lets a restarting server come back.
BREAKER_FAILURES = 3
BREAKER_COOLDOWN_SECONDS = 60.0

# --- the web app -------------------------------------------------------------------------------------
# A web login lasts a working week: long enough for a candidate's practice sessions, short enough that a
# forgotten browser on a shared machine is signed out.
LOGIN_LIFETIME_SECONDS = 7 * 24 * 3600.0
# Answers of different candidates are graded in parallel; each grade uses about one core for ~50 ms.
ANSWER_CONCURRENCY = 8
