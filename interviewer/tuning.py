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

# --- the web app -------------------------------------------------------------------------------------
# Answers of different candidates are graded in parallel; each grade uses about one core for ~50 ms.
ANSWER_CONCURRENCY = 8
