"""Work a coming turn will need, done while the candidate writes the answer.

A turn ends when the interviewer's next message is out. Some of what a later turn needs is already
fixed by the state at that point and can be computed then, off every turn's critical path: the query
vectors of the résumé and project-card sentences by which the move to the technical stage ranks bank
questions (`nodes.ask._relevance`). Left to that turn, 15 to 30 clauses were embedded at once, which
made it the slowest offline turn (about 450 ms on an idle machine). Prepared after each turn, the move
embeds only the clauses of the last project answer. The rubric of the question just asked is prepared
too (its terms and baselines: a few milliseconds that otherwise fell on the answer's turn).

A vector does not depend on when or in which batch its text is embedded (tested in
tests/unit/test_grading_speed.py), so preparing ahead changes no question, follow-up or grade: it only
fills the embedder's query cache and the grader's rubric cache earlier.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from interviewer.grading.base import AnswerGrader, PreparingGrader
from interviewer.nodes.ask import relevance_sentences, relevance_text
from interviewer.plan import InterviewPlan
from interviewer.policy import planned_count
from interviewer.transcript import STAGES
from question_bank.models import Question
from rubrics.embeddings import Embedder

log = logging.getLogger(__name__)
AHEAD_THREAD = "ahead"  # the name prefix of the thread that prepares (benchmarks count its work apart)


def texts_ahead(values: Mapping[str, Any], plan: InterviewPlan) -> list[str]:
    """Texts whose query vectors a coming turn of this session will need, from its state after a turn:
    while the technical stage is still ahead, the sentences its questions will be ranked by."""
    stage = values.get("stage") or None
    if values.get("status") == "finished" or "technical" not in plan.stages or not planned_count(plan, "technical"):
        return []
    if stage is not None and STAGES.index(stage) >= STAGES.index("technical"):
        return []  # ranked already (the ranking is kept in the state)
    return relevance_sentences(relevance_text(plan.resume_text, values.get("project_card", {})))


class Preparer:
    """Prepares each session's next turn on one background thread. A session's next turn waits for its
    own preparation before it starts: nothing is done twice and the turn does not compete with it for
    the cores. A failed preparation is logged and forgotten: the turn does what it needs itself."""

    def __init__(self, embedder: Embedder | None, grader: AnswerGrader | None = None) -> None:
        self._embedder = embedder
        self._grader = grader if isinstance(grader, PreparingGrader) else None
        self._executor: ThreadPoolExecutor | None = None  # started on first use
        self._pending: dict[str, Future[None]] = {}
        self._lock = threading.Lock()

    def start(self, session_id: str, texts: Sequence[str], question: Question | None = None) -> None:
        """Embed `texts` (only those not in the query cache cost) and prepare `question`'s rubric, in the
        background for `session_id`."""
        texts = list(texts) if self._embedder is not None else []
        question = question if self._grader is not None else None
        if not texts and question is None:
            return
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=AHEAD_THREAD)
            pending = self._pending[session_id] = self._executor.submit(self._prepare, texts, question)
        # Done and not waited for (a session left open): forgotten, so the map stays small.
        pending.add_done_callback(lambda done: self._forget(session_id, done))

    def wait(self, session_id: str) -> float:
        """Wait for the session's preparation, if one is running; returns the seconds waited."""
        with self._lock:
            pending = self._pending.pop(session_id, None)
        if pending is None:
            return 0.0
        started = time.perf_counter()
        pending.result()  # _prepare never raises
        return time.perf_counter() - started

    def _forget(self, session_id: str, done: Future[None]) -> None:
        with self._lock:
            if self._pending.get(session_id) is done:
                del self._pending[session_id]

    def _prepare(self, texts: list[str], question: Question | None) -> None:
        try:
            if texts and self._embedder is not None:
                self._embedder.embed_queries(texts)
            if question is not None and self._grader is not None:
                self._grader.prepare(question)
        except Exception:  # the turn that needs it does it itself
            log.warning("preparing ahead failed; the turn will do its own work", exc_info=True)
