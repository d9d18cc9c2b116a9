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


# --- listening: follow-ups on a project answer (policy.py) --------------------------------------------
# Follow-ups on a project question that probe what was said (a vague claim, a figure), on top of the plan's
# follow-up budget: one keeps the ladder moving while still chasing the most telling claim.
LISTENING_FOLLOW_UPS = 1
# A contradiction is probed at once even when the budget is spent, once more: letting it pass is worse
# than one question over budget.
CONTRADICTION_ALLOWANCE = 1
# Figures not yet probed kept for later: older ones lose their point once the talk has moved on.
MAX_PENDING_FIGURES = 3
# Keyword-triggered bank questions in the project stage (counted apart from the ladder): one shows the
# interviewer heard the technique without turning the project talk into a quiz.
MAX_TECHNIQUE_QUESTIONS = 1
# A first answer to a slot question graded at least this well answers it (fills the slot even when no cue
# names it); a reply to a bank question graded below it did not answer that question. The weak line.
ANSWERED_SLOT_SCORE = WEAK_SCORE
# Non-answers in a row before the interviewer offers a hint, an easier question or an early end: one or
# two may be nerves, three is a candidate who is stuck.
NON_ANSWERS_BEFORE_OFFER = 3
# A topic a pasted job description asks for is drawn about this many times as often as otherwise: enough
# that an inference role hears mostly serving questions, not so much that other areas vanish.
JOB_TOPIC_BOOST = 3.0

# --- listening: technical question choice (policy.choose_technical) ----------------------------------
# Each difficulty level away from the current one costs this share of a question's weight.
DIFFICULTY_MISFIT = 0.35
# Résumé relevance 1.0 makes a question (and its topic) this many times more likely, plus one.
RELEVANCE_BOOST = 2.0
# A question without a rubric can only be graded roughly: drawn at about a third of the weight.
UNGRADED_WEIGHT = 0.35
# Each question already asked on a topic halves the topic's weight, so an interview covers several areas.
TOPIC_REPEAT_DECAY = 0.5

# --- listening: the claims ledger (claims.py) --------------------------------------------------------
# How far apart two figures about the same thing must be to be a contradiction, not rounding or a figure
# remembered loosely: percentages by absolute points, 0..1 scores by absolute points, the rest by ratio.
CONTRADICTION_PERCENT_POINTS = 2.0
CONTRADICTION_SCORE_POINTS = 0.03
CONTRADICTION_RATIO = 0.2
# A count below this is no claim about a data set ("配三条卖点").
MIN_DATA_COUNT = 100

# --- listening: the project's name (slots.py) --------------------------------------------------------
# A project name is a short noun phrase: longer ones are cut at a word boundary keeping the head noun.
MAX_NAME_CHARS = 18
# A phrase this much longer than that (an English name with spaces) is still taken whole.
NAME_SLACK_CHARS = 8

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
# How long a replica trusts a login it has looked up before asking the database again. A page load or a
# streamed reply makes dozens of requests within seconds, each checking the login on Gradio's event loop:
# this makes them one query. A sign-out on another replica, or a password change made by the CLI (another
# process), reaches this replica within this time; in the same process it is immediate.
LOGIN_CACHE_SECONDS = 10.0
# Answers of different candidates are graded in parallel; each grade uses about one core for ~50 ms.
ANSWER_CONCURRENCY = 8
