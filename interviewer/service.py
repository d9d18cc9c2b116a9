"""The interview service: the one API the terminal and the web app use to run sessions.

start, answer, command, resume, pause, list_sessions, show, delete: each returns a typed view
(`SessionView`, `SessionSummary`, `SessionSnapshot`) validated here, once, from the JSON-plain
checkpoint. Errors and notices carry codes (`SessionError.code`, `SessionView.notice`); each interface
turns them into its own words, in Chinese or English.

It owns the compiled graph (checkpointed in SQLite), rebuilds the run context from each session's
stored plan, and serialises calls per session while letting different sessions run in parallel.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import queue
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langgraph.types import Command, StateSnapshot
from pydantic import BaseModel, ConfigDict

from interviewer.accounts import USER_ENV, AccountError, UserStore, WebLogins  # public: accounts for the interfaces
from interviewer.ahead import Preparer, texts_ahead
from interviewer.context import InterviewContext
from interviewer.grading.base import AnswerGrader
from interviewer.graph import build_graph
from interviewer.llm import LLMClient, as_client
from interviewer.llm.check import CheckReport, check_endpoint
from interviewer.plan import InterviewPlan
from interviewer.policy import total_planned
from interviewer.revisit import revisit_priorities
from interviewer.scoring import now, overall_score, scored_grades
from interviewer.sessions import SessionDatabase
from interviewer.state import NOTICE_LLM_FALLBACK, NOTICE_LLM_PAUSED, NOTICE_LLM_REPLY_REPLACED
from interviewer.storage import (
    DATABASE_URL_ENV,
    SQLITE_FILE,
    Database,
    SqliteDatabase,
    database_url,
    migrate,
    open_database,
)
from interviewer.transcript import STAGES, Claim, SessionSnapshot, Turn, TurnGrade
from interviewer.tuning import (
    ANSWER_CONCURRENCY,
    DEFAULT_TECHNICAL_QUESTIONS,
    LLM_TIMEOUT_SECONDS,
    MAX_ANSWER_CHARS,
    MAX_RESUME_CHARS,
    MAX_TECHNICAL_QUESTIONS,
)
from question_bank.models import Question
from question_bank.taxonomy import SLOT_LABELS, TOPIC_LABELS, topic_label  # public: code → label tables
from rubrics.loader import rubric_for
from rubrics.models import Rubric
from rubrics.store import RubricStore

log = logging.getLogger(__name__)


ErrorCode = Literal["session_not_found", "session_finished", "answer_too_long", "too_many_questions", "empty_plan"]
CommandName = Literal["hint", "skip", "repeat", "end"]
_LEGACY_NOTICES = {"LLM 暂时不可用，本题使用离线评分。": NOTICE_LLM_FALLBACK}  # sessions saved before codes


class SessionError(ValueError):
    """A request the session cannot take; `code` says which (ErrorCode) and `params` give the details
    an interface puts in its message (e.g. `limit` and `length` for answer_too_long)."""

    def __init__(self, code: ErrorCode, **params: Any) -> None:
        self.code: ErrorCode = code
        self.params = params
        details = ", ".join(f"{key}={value!r}" for key, value in params.items())
        super().__init__(f"{code}" + (f" ({details})" if details else ""))


class SessionProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    asked: int  # questions asked so far (follow-ups are part of their question)
    planned: int  # questions the plan asks in all
    answered: int  # questions with a final grade, closing exchange excluded (as in the sessions list and report)
    stage_index: int


class SessionView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str
    status: Literal["active", "paused", "finished"]
    stage: str
    mode: Literal["interview", "practice"]
    language: Literal["zh", "en"]
    difficulty: int
    turns: list[Turn]
    new_turns: list[Turn]
    awaiting_answer: bool
    progress: SessionProgress
    project_card: dict[str, str]
    last_grade: TurnGrade | None  # practice mode: the grade of the last answer
    finished: bool
    notice: str | None = None  # a notice code, e.g. NOTICE_LLM_FALLBACK

    @property
    def pending_question(self) -> Turn | None:
        """The interviewer's question the candidate is answering now (a follow-up when there is one)."""
        return next((turn for turn in reversed(self.turns) if turn.kind in ("question", "follow_up", "redirect")),
                    None)


class ReplyChunk(BaseModel):
    """The interviewer's words while the LLM writes them: the text so far of one reply. Replies are told
    apart by `stream` (ids grow in the order the replies started); the SessionView that follows has the
    final words, which may differ (see NOTICE_LLM_REPLY_REPLACED)."""

    model_config = ConfigDict(extra="forbid")

    stream: str
    text: str


class SessionSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str
    created_at: str
    updated_at: str
    status: Literal["active", "paused", "finished"]
    mode: Literal["interview", "practice"]
    overall_score: int | None
    questions_answered: int
    difficulty: int = 2


def plan_problem(plan: InterviewPlan) -> ErrorCode | None:
    """Why `start` would refuse this plan (an ErrorCode), or None: interfaces check a setup before starting."""
    if plan.technical_questions > MAX_TECHNICAL_QUESTIONS:
        return "too_many_questions"
    if total_planned(plan) == 0:
        return "empty_plan"
    return None


class InterviewService:
    def __init__(self, home: Path, *, grader: AnswerGrader, store: RubricStore | None, bank: list[Question],
                 chat_model: LLMClient | BaseChatModel | None = None,
                 rubric_lookup: Callable[[Question], Rubric | None] = rubric_for,
                 config: dict[str, str] | None = None, database: Database | None = None,
                 owner: str | None = "") -> None:
        self.home = home
        self.grader = grader
        self.store = store
        self.bank = {question.id: question for question in bank}
        self.llm = as_client(chat_model)
        self.rubric_lookup = rubric_lookup
        self.config = config or {}
        self.database = SessionDatabase(database or SqliteDatabase(home / SQLITE_FILE))
        # "" is the local single user; with accounts, the signed-in user's name; None: every owner's sessions
        # (for internal readers such as the report writer, never for what a user asks).
        self.owner = owner
        self.graph = build_graph().compile(checkpointer=self.database.saver)
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._locks_guard = threading.Lock()
        self._revisit_by_session: dict[str, dict[str, float]] = {}
        # Vectors a coming turn will need, embedded while the candidate writes the answer.
        self.preparer = Preparer(store.embedder if store is not None else None, grader)

    def reference_answer(self, question_id: str | None) -> str:
        """The bank's reference answer to a question ("" when it has none or the id is unknown)."""
        question = self.bank.get(question_id or "")
        return question.reference_answer if question and question.reference_answer else ""

    def as_user(self, owner: str | None) -> InterviewService:
        """The same service (graph, database, locks) acting for `owner`: it lists only their sessions and
        refuses any other's id as unknown."""
        view = copy.copy(self)
        view.owner = owner
        return view

    # --- running sessions ---------------------------------------------------------------------------

    def start(self, plan: InterviewPlan) -> SessionView:
        problem = plan_problem(plan)
        if problem is not None:
            raise SessionError(problem, limit=MAX_TECHNICAL_QUESTIONS)
        session_id = uuid.uuid4().hex[:12]
        self.database.create(session_id, now(), plan.mode, plan.model_dump(mode="json"), self.config,
                             owner=self.owner or "")
        with self._lock(session_id):
            return self._run(session_id, plan, {"session_id": session_id})

    def answer(self, session_id: str, text: str) -> SessionView:
        if len(text) > MAX_ANSWER_CHARS:
            raise SessionError("answer_too_long", length=len(text), limit=MAX_ANSWER_CHARS)
        meta = self._meta(session_id)
        with self._lock(session_id):
            if not self._complete_interrupted_step(session_id, InterviewPlan.model_validate(meta["plan"])):
                raise SessionError("session_finished", session_id=session_id)
            if meta["status"] == "paused":
                self.database.update(session_id, status="active", updated_at=now())
            return self._run(session_id, InterviewPlan.model_validate(meta["plan"]), Command(resume=text))

    def answer_stream(self, session_id: str, text: str) -> Iterator[ReplyChunk | SessionView]:
        """As `answer`, yielding the interviewer's reply as it is written (ReplyChunk, offline never), then
        the SessionView. The turn runs in a worker thread and is saved whatever becomes of the reader: a
        reader that stops early loses nothing the candidate typed."""
        if len(text) > MAX_ANSWER_CHARS:  # refused at once, before any thread starts
            raise SessionError("answer_too_long", length=len(text), limit=MAX_ANSWER_CHARS)
        if self.llm is None:
            yield self.answer(session_id, text)
            return
        updates: queue.Queue[ReplyChunk | SessionView | BaseException] = queue.Queue()
        client = self.llm

        def work() -> None:
            try:
                with client.streaming(lambda stream, words: updates.put(ReplyChunk(stream=stream, text=words))):
                    updates.put(self.answer(session_id, text))
            except BaseException as error:  # handed to the reader, raised there
                updates.put(error)

        threading.Thread(target=work, name=f"answer-{session_id}", daemon=True).start()
        shown: dict[str, str] = {}
        while True:
            update = updates.get()
            if isinstance(update, BaseException):
                raise update
            if isinstance(update, ReplyChunk):
                shown[update.stream] = update.text
                yield update
                continue
            said = "\n".join(turn.text for turn in update.new_turns)
            if update.notice is None and any(words not in said for words in shown.values()):
                update = update.model_copy(update={"notice": NOTICE_LLM_REPLY_REPLACED})
            yield update
            return

    def command(self, session_id: str, name: CommandName) -> SessionView:
        """/hint, /skip, /repeat or /end on the question waiting for an answer."""
        return self.answer(session_id, f"/{name}")

    def resume(self, session_id: str) -> SessionView:
        """Reopen a paused session; `new_turns` repeats the question that is waiting for an answer."""
        meta = self._meta(session_id)
        with self._lock(session_id):
            self._complete_interrupted_step(session_id, InterviewPlan.model_validate(meta["plan"]))
        if meta["status"] == "paused":
            self.database.update(session_id, status="active", updated_at=now())
        view = self.view(session_id)
        pending = view.pending_question
        return view.model_copy(update={"new_turns": [pending] if pending else []})

    def pause(self, session_id: str) -> None:
        meta = self._meta(session_id)
        if meta["status"] == "active":
            self.database.update(session_id, status="paused", updated_at=now())

    def delete(self, session_id: str) -> None:
        self._meta(session_id)
        with self._lock(session_id):
            self.preparer.wait(session_id)
            self.database.delete(session_id)
            self._revisit_by_session.pop(session_id, None)

    # --- reading sessions ---------------------------------------------------------------------------

    def view(self, session_id: str, since: int | None = None) -> SessionView:
        meta = self._meta(session_id)
        return self._view(meta, self._state(session_id), since)

    def _view(self, meta: dict[str, Any], state: StateSnapshot, since: int | None) -> SessionView:
        session_id = meta["session_id"]
        values = dict(state.values or {})
        turns = [Turn.model_validate(turn) for turn in values.get("turns", [])]
        plan = InterviewPlan.model_validate(meta["plan"])
        finished = values.get("status") == "finished"
        counts = values.get("stage_counts", {})
        stages = [stage for stage in plan.stages]
        stage = values.get("stage") or stages[0]
        return SessionView(
            session_id=session_id, status="finished" if finished else meta["status"], stage=stage, mode=plan.mode,
            language=plan.language, difficulty=plan.difficulty,
            turns=turns, new_turns=turns[since:] if since is not None else [], finished=finished,
            awaiting_answer=not finished and bool(state.interrupts),
            progress=SessionProgress(asked=sum(counts.values()), planned=total_planned(plan),
                                     answered=len(scored_grades(values.get("turns", []))),
                                     stage_index=stages.index(stage) if stage in stages else 0),
            project_card={k: v for k, v in values.get("project_card", {}).items() if not k.startswith("technique:")},
            last_grade=TurnGrade.model_validate(values["last_grade"])
            if plan.mode == "practice" and values.get("last_grade") else None,
            notice=_LEGACY_NOTICES.get(values.get("notice") or "", values.get("notice")))

    def list_sessions(self) -> list[SessionSummary]:
        return [SessionSummary(session_id=row["session_id"], created_at=row["created_at"],
                               updated_at=row["updated_at"], status=row["status"], mode=row["mode"],
                               overall_score=row["overall_score"], questions_answered=row["questions_answered"],
                               difficulty=int((row.get("plan") or {}).get("difficulty", 2)))
                for row in self.database.all(self.owner)]

    def show(self, session_id: str) -> SessionSnapshot:
        """The whole session: transcript, project card, claims (what `sessions show` and reports read)."""
        return self.snapshot(session_id)

    def snapshot(self, session_id: str) -> SessionSnapshot:
        meta = self._meta(session_id)
        values = self._values(session_id)
        status: Any = "finished" if values.get("status") == "finished" else meta["status"]
        return SessionSnapshot(
            session_id=session_id, created_at=meta["created_at"], updated_at=meta["updated_at"], status=status,
            mode=meta["mode"], plan=meta["plan"], config=meta["config"],
            turns=[Turn.model_validate(turn) for turn in values.get("turns", [])],
            project_card=values.get("project_card", {}),
            claims=[Claim.model_validate(claim) for claim in values.get("claims", [])],
            probed_claims=list(values.get("probed_claims", [])),
            project_name=values.get("project_name"), resume_slots=values.get("resume_slots"))

    # --- internals ----------------------------------------------------------------------------------

    def busy(self) -> bool:
        """Whether a turn is running now (a graceful stop waits for it)."""
        with self._locks_guard:
            return any(lock.locked() for lock in self._locks.values())

    def _run(self, session_id: str, plan: InterviewPlan, payload: Any) -> SessionView:
        started = time.perf_counter()
        self.preparer.wait(session_id)  # what the last turn prepared: this one may need it
        before = len(self._values(session_id).get("turns", []))
        context = InterviewContext(plan=plan, bank=self.bank, grader=self.grader, rubric_lookup=self.rubric_lookup,
                                   store=self.store, llm=self.llm, revisit=self._revisit(session_id))
        pauses = self.llm.pauses if self.llm else 0
        with self.llm.turn() if self.llm else contextlib.nullcontext():
            self.graph.invoke(payload, {"configurable": {"thread_id": session_id}}, context=context, durability="sync")
        state = self._state(session_id)
        turns = (state.values or {}).get("turns", [])
        finished = (state.values or {}).get("status") == "finished"
        self.database.update(session_id, updated_at=now(), status="finished" if finished else "active",
                             overall_score=overall_score(turns), questions_answered=len(scored_grades(turns)))
        log.info("turn", extra={"session_id": session_id, "owner": self.owner, "event": "finished" if finished else
                                "turn", "ms": round(1000 * (time.perf_counter() - started))})
        view = self._view(self._meta(session_id), state, since=before)
        if view.awaiting_answer:
            pending = view.pending_question
            self.preparer.start(session_id, texts_ahead(state.values or {}, plan),
                                self.bank.get(pending.question_id or "") if pending else None)
        if self.llm and self.llm.pauses > pauses:  # said once, when the endpoint is set aside
            view.notice = NOTICE_LLM_PAUSED
        return view

    def check_llm(self) -> CheckReport:
        """Probe the configured endpoint: model, structured-output method, latencies and a verdict."""
        return check_endpoint(self.llm)

    def _complete_interrupted_step(self, session_id: str, plan: InterviewPlan) -> bool:
        """Finish a step a crash cut short, and say whether a question is now waiting for an answer.
        The answer was checkpointed as soon as it arrived; if the process died while grading it, the
        graph still has work pending and no question waiting."""
        state = self._state(session_id)
        if state.next and not state.interrupts:
            return self._run(session_id, plan, None).awaiting_answer
        return bool(state.interrupts)

    def _revisit(self, session_id: str) -> dict[str, float]:
        """Spaced-repetition priorities from the other sessions, read once per session and process:
        reading every past transcript on every turn would make turns slower the more one practises."""
        cached = self._revisit_by_session.get(session_id)
        if cached is None:
            cached = self._revisit_by_session[session_id] = revisit_priorities(
                self._past_transcripts(exclude=session_id))
        return cached

    def _past_transcripts(self, exclude: str) -> list[list[dict[str, Any]]]:
        return [self._values(row["session_id"]).get("turns", []) for row in self.database.all(self.owner)
                if row["session_id"] != exclude]

    def _state(self, session_id: str) -> StateSnapshot:
        return self.graph.get_state({"configurable": {"thread_id": session_id}})

    def _values(self, session_id: str) -> dict[str, Any]:
        return dict(self._state(session_id).values or {})

    def _meta(self, session_id: str) -> dict[str, Any]:
        meta = self.database.get(session_id)
        # Another user's session is as good as unknown.
        if meta is None or (self.owner is not None and meta["owner"] != self.owner):
            raise SessionError("session_not_found", session_id=session_id)
        return meta

    def _lock(self, session_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks[session_id]


def create_service(home: Path | None = None, *, owner: str | None = None,
                   before_indexing: Callable[[], None] | None = None) -> InterviewService:
    """Everything wired from the environment: offline by default, an LLM when a key is configured.
    `before_indexing` is called only when the rubric index has to be built or updated first."""
    from interviewer.accounts import current_user
    from interviewer.grading import build_grader
    from interviewer.grading import text as answer_text
    from interviewer.llm import make_llm_client
    from interviewer.settings import ConfigurationError, LLMSettings, data_home
    from question_bank.loader import load_bank
    from rubrics.embeddings import make_embedder
    from rubrics.store import open_store

    home = home or data_home()
    database = open_database(home)  # first: a missing schema or server is reported before the slow parts
    owner = current_user() if owner is None else owner
    if owner and not UserStore(database).exists(owner):
        raise ConfigurationError(f"no account named {owner!r} (see `mock-interview users list`)")
    embedder = make_embedder()
    store = open_store(home, embedder, before_indexing=before_indexing)
    # Load the rubric vectors and jieba's dictionary now, so the first answer does not wait for them (~1.5 s).
    store.point_matrix()
    answer_text.terms("预热")
    settings = LLMSettings.from_env()
    client = make_llm_client(settings, home)
    return InterviewService(home, grader=build_grader(embedder, store, llm=client, settings=settings),
                            store=store, bank=load_bank(home), chat_model=client,
                            config={"llm": settings.model if client else "offline",
                                    "embeddings": embedder.name,
                                    "grader": "embedding+llm" if client else "embedding"},
                            database=database, owner=owner)


__all__ = [
    "ANSWER_CONCURRENCY",
    "DATABASE_URL_ENV",
    "DEFAULT_TECHNICAL_QUESTIONS",
    "LLM_TIMEOUT_SECONDS",
    "MAX_ANSWER_CHARS",
    "MAX_RESUME_CHARS",
    "MAX_TECHNICAL_QUESTIONS",
    "NOTICE_LLM_FALLBACK",
    "NOTICE_LLM_PAUSED",
    "NOTICE_LLM_REPLY_REPLACED",
    "SLOT_LABELS",
    "STAGES",
    "TOPIC_LABELS",
    "USER_ENV",
    "AccountError",
    "CommandName",
    "ErrorCode",
    "InterviewPlan",
    "InterviewService",
    "ReplyChunk",
    "SessionDatabase",
    "SessionError",
    "SessionProgress",
    "SessionSnapshot",
    "SessionSummary",
    "SessionView",
    "Turn",
    "TurnGrade",
    "UserStore",
    "WebLogins",
    "create_service",
    "database_url",
    "migrate",
    "open_database",
    "plan_problem",
    "topic_label",
]
