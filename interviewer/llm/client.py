"""Every LLM call the product makes goes through one client: capped, timed, guarded and negotiated.

- Each call has a token cap and stop sequences sized to its job (`limits.py`), so the server stops
  generating when we stop waiting.
- All calls made for one answer share a turn budget (`LLMClient.turn`): past it the offline path answers.
- A circuit breaker stops calling an endpoint that keeps failing (errors, time-outs) for a while; a
  second one stops asking for verdicts when the replies keep failing validation.
- Calls the policy allows to overlap (the judge and the wording of the next question) run in threads
  that carry the turn's budget and stream sink (`in_background`, `LLMClient.speculate`).
- Free text meant for the candidate streams token by token to a sink an interface sets
  (`LLMClient.streaming`); a wording made before it is known to be wanted is held back until it is.
- Structured output is negotiated: json_schema → json_mode → function calling → JSON asked for in the
  prompt; what works is remembered per endpoint and model. Replies are parsed after any reasoning block
  and inside code fences, then validated with the pydantic schema: garbage is rejected, never used.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from interviewer.llm.breaker import CircuitBreaker
from interviewer.llm.limits import MIN_CALL_SECONDS, TURN_BUDGET_SECONDS, Job
from interviewer.llm.methods import Method, MethodMemory, negotiation_order
from interviewer.llm.parsing import NoJSONError, extract_json, strip_reasoning, visible_so_far

logger = logging.getLogger(__name__)

Schema = TypeVar("Schema", bound=BaseModel)
Result = TypeVar("Result")
TokenParameter = Literal["max_tokens", "max_completion_tokens"]
FailureCode = Literal["unavailable", "failed", "invalid", "unsupported"]

# The end of the turn now being answered (a monotonic time). A context variable, not an attribute,
# because one client serves many sessions at once, each turn in its own thread.
_turn_ends_at: ContextVar[float | None] = ContextVar("llm_turn_ends_at", default=None)
# Where streamed text goes: (stream id, the visible text so far). Set per turn by the interface that
# shows it (the web app), in the same way and for the same reason.
StreamSink = Callable[[str, str], None]
_stream_sink: ContextVar[StreamSink | None] = ContextVar("llm_stream_sink", default=None)
_stream_ids = itertools.count(1)  # stream ids grow with the start of each call: an interface orders by them
CALL_LOG_SIZE = 512  # recent calls kept for benchmarks (bounded: a server runs for days)


@dataclass(frozen=True)
class CallRecord:
    """One request: which job, when it went out and when it came back (monotonic seconds)."""

    job: str
    started: float
    ended: float


def in_background(function: Callable[..., Result], *args: Any, **kwargs: Any) -> Future[Result]:
    """Run `function` in a thread of its own that sees the caller's turn budget and stream sink."""
    future: Future[Result] = Future()
    context = copy_context()

    def run() -> None:
        try:
            future.set_result(context.run(function, *args, **kwargs))
        except BaseException as error:  # handed to whoever waits on the future
            future.set_exception(error)

    threading.Thread(target=run, name=f"llm-{getattr(function, '__name__', 'call')}", daemon=True).start()
    return future


class HeldStream:
    """A sink that keeps what a speculative call streams until `release()`; never released, never shown."""

    def __init__(self, outer: StreamSink | None) -> None:
        self.outer = outer
        self._lock = threading.Lock()
        self._released = False
        self._latest: dict[str, str] = {}

    def __call__(self, stream_id: str, text: str) -> None:
        with self._lock:  # forwarding under the lock keeps the order of updates
            if not self._released:
                self._latest[stream_id] = text
            elif self.outer is not None:
                self.outer(stream_id, text)

    def release(self) -> None:
        with self._lock:
            self._released = True
            if self.outer is not None:
                for stream_id, text in self._latest.items():
                    self.outer(stream_id, text)
            self._latest.clear()


class Speculation(Generic[Result]):
    """A call started before the policy knows it is wanted (a wording made while the judge reads the
    answer). `take()` waits for it and shows what it streamed; a speculation never taken shows nothing."""

    def __init__(self, function: Callable[..., Result], *args: Any, **kwargs: Any) -> None:
        outer = _stream_sink.get()
        self._held = HeldStream(outer)

        def held_call() -> Result:
            if outer is not None:  # nobody reads a stream: the call is a plain one
                _stream_sink.set(self._held)
            return function(*args, **kwargs)

        self._future = in_background(held_call)

    def take(self) -> Result:
        self._held.release()
        return self._future.result()

JSON_INSTRUCTION = ("Reply with one JSON object and nothing else (no prose, no code fence). It must match this "
                    "JSON Schema:\n{schema}")


class LLMCallError(RuntimeError):
    """A structured call that produced nothing usable. `code`: unavailable (breaker open or no time left),
    failed (network, server or time-out), invalid (the reply failed validation), unsupported (the
    endpoint rejected every structured-output method)."""

    def __init__(self, code: FailureCode, message: str) -> None:
        super().__init__(message)
        self.code = code


FORMAT_FIELDS = re.compile(r"response_format|json_schema|json_object|tool_choice|\btools?\b", re.IGNORECASE)


def is_format_rejection(error: BaseException) -> bool:
    """The server refused the request's shape (response_format, tools): try the next method. Most servers
    answer 400 or 422; some (llama-cpp-python) answer 500 with a validation error naming the field."""
    if isinstance(error, NotImplementedError):  # a chat model class without tool calling
        return True
    status = getattr(error, "status_code", None)
    return status in (400, 422) or (status == 500 and bool(FORMAT_FIELDS.search(str(error))))


class LLMClient:
    def __init__(self, model: BaseChatModel, *, name: str, endpoint: str, memory: MethodMemory | None = None,
                 preferred_method: Method | None = None, token_parameter: TokenParameter = "max_tokens",
                 reasoning_tokens: int = 0, max_timeout: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.model = model
        self.name = name
        self.endpoint = endpoint
        self.memory = memory or MethodMemory(None)
        self.preferred_method = preferred_method
        self.token_parameter = token_parameter
        self.reasoning_tokens = reasoning_tokens
        self.max_timeout = max_timeout  # the configured $MOCK_INTERVIEWER_LLM_TIMEOUT bounds every job
        self.clock = clock
        self.breaker = CircuitBreaker("endpoint", clock=clock)
        self.judge_breaker = CircuitBreaker("structured output", clock=clock)
        self.method: Method | None = self.memory.get(endpoint)
        self.requests = 0  # requests sent, for benchmarks and the connection check
        self.calls: deque[CallRecord] = deque(maxlen=CALL_LOG_SIZE)  # for benchmarks: the critical path
        self._count_lock = threading.Lock()
        self.last_problem: str | None = None  # why the last call gave nothing, for the connection check

    # --- the turn budget ----------------------------------------------------------------------------

    @contextmanager
    def turn(self, seconds: float = TURN_BUDGET_SECONDS) -> Iterator[None]:
        """All calls inside share `seconds`; nested turns keep the outer (earlier) end."""
        outer = _turn_ends_at.get()
        ends_at = self.clock() + seconds
        token = _turn_ends_at.set(min(outer, ends_at) if outer is not None else ends_at)
        try:
            yield
        finally:
            _turn_ends_at.reset(token)

    def _timeout(self, job: Job) -> float | None:
        """The job's own limit (never above the configured one), shortened to what is left of the turn; None
        when too little of the turn is left for a call to be worth making."""
        timeout = min(job.timeout_seconds, self.max_timeout or job.timeout_seconds)
        ends_at = _turn_ends_at.get()
        if ends_at is None:
            return timeout
        left = ends_at - self.clock()
        return min(timeout, left) if left >= MIN_CALL_SECONDS else None

    @contextmanager
    def streaming(self, sink: StreamSink) -> Iterator[None]:
        """Free text for the candidate made inside streams to `sink` as it is generated."""
        token = _stream_sink.set(sink)
        try:
            yield
        finally:
            _stream_sink.reset(token)

    @staticmethod
    def speculate(function: Callable[..., Result], *args: Any, **kwargs: Any) -> Speculation[Result]:
        return Speculation(function, *args, **kwargs)

    @property
    def paused(self) -> bool:
        """Whether the endpoint is set aside: the interfaces say once that the interview carries on offline."""
        return self.breaker.is_open

    @property
    def pauses(self) -> int:
        return self.breaker.opened_events

    # --- calls --------------------------------------------------------------------------------------

    def _record(self, job: Job, started: float) -> None:
        with self._count_lock:
            self.calls.append(CallRecord(job.name, started, self.clock()))

    def _bound(self, job: Job, timeout: float, **extra: Any) -> Any:
        with self._count_lock:
            self.requests += 1
        cap = job.with_extra_tokens(self.reasoning_tokens).max_tokens
        kwargs: dict[str, Any] = {"timeout": timeout, **extra}
        if job.stop:
            kwargs["stop"] = list(job.stop)
        # OpenAI's own API wants max_completion_tokens; llama.cpp, vLLM, Ollama and most compatible
        # servers read max_tokens (and ignore the newer name, which would leave the call uncapped).
        if self.token_parameter == "max_completion_tokens":
            kwargs["max_tokens"] = cap  # langchain-openai sends it as max_completion_tokens
        else:
            kwargs["extra_body"] = {"max_tokens": cap}
        return self.model.bind(**kwargs)

    def text(self, job: Job, messages: Sequence[BaseMessage]) -> str | None:
        """A free-text reply, or None (breaker open, no time left, any failure or an empty reply)."""
        timeout = self._timeout(job)
        if timeout is None or not self.breaker.allow():
            logger.debug("LLM %s call skipped (breaker open or turn budget spent)", job.name)
            return None
        started = self.clock()
        sink = _stream_sink.get() if job.streamed else None
        try:
            if sink is None:
                content = getattr(self._bound(job, timeout).invoke(list(messages)), "content", "")
            else:
                content = self._stream(self._bound(job, timeout), list(messages), sink, started + timeout)
        except Exception as error:  # any provider, network or time-out failure: the caller words it offline
            logger.warning("LLM %s call failed after %.1f s: %s: %s", job.name, self.clock() - started,
                           type(error).__name__, str(error)[:200])
            self.breaker.failure()
            self.last_problem = f"{type(error).__name__}: {str(error)[:160]}"
            return None
        finally:
            self._record(job, started)
        self.breaker.success()
        text = strip_reasoning(content) if isinstance(content, str) else ""
        self.last_problem = None if text else "the reply was empty"
        return text or None

    def _stream(self, bound: Any, messages: list[BaseMessage], sink: StreamSink, deadline: float) -> str:
        """The reply, passed to `sink` as it grows (reasoning blocks never shown); a failure midway raises.
        The HTTP time-out bounds each wait for a chunk, so the whole stream gets its own deadline."""
        stream_id = f"s{next(_stream_ids)}"
        content = ""
        finished = False
        for chunk in bound.stream(messages):
            if self.clock() > deadline:
                raise TimeoutError("the stream ran past the call's time limit")
            finished = finished or bool((getattr(chunk, "response_metadata", None) or {}).get("finish_reason"))
            piece = getattr(chunk, "content", "")
            if isinstance(piece, str) and piece:
                content += piece
                visible = visible_so_far(content)
                if visible:
                    sink(stream_id, visible)
        if not finished:  # the connection dropped: what came is a fragment, not a reply
            raise ConnectionError("the stream ended before the reply was complete")
        return content

    def structured(self, schema: type[Schema], messages: Sequence[BaseMessage], job: Job,
                   only: Method | None = None) -> Schema:
        """A validated `schema` instance, negotiating the structured-output method (or trying `only` that
        one); LLMCallError otherwise."""
        if self._timeout(job) is None:
            raise LLMCallError("unavailable", "no time left in this turn")
        if not self.judge_breaker.allow():
            raise LLMCallError("unavailable", "verdicts are paused after repeated invalid replies")
        if not self.breaker.allow():
            self.judge_breaker.release()
            raise LLMCallError("unavailable", "the LLM is paused after repeated failures")
        methods = [only] if only else negotiation_order(self.memory.get(self.endpoint) or self.method,
                                                        self.preferred_method)
        for method in methods:
            timeout = self._timeout(job)
            if timeout is None:
                self.breaker.release()
                self.judge_breaker.release()
                raise LLMCallError("unavailable", "no time left in this turn")
            started = self.clock()
            try:
                try:
                    raw = self._call(method, schema, list(messages), job, timeout)
                finally:
                    self._record(job, started)
            except LLMCallError:  # a reply with no JSON in it
                self.breaker.success()
                self.judge_breaker.failure()
                raise
            except Exception as error:  # sorted below: a rejected format moves on, anything else fails
                if is_format_rejection(error):
                    logger.info("the endpoint rejected structured output by %s (%s); trying the next method",
                                method, str(error)[:160])
                    continue
                self.breaker.failure()
                logger.warning("LLM %s call by %s failed after %.1f s: %s: %s", job.name, method,
                               self.clock() - started, type(error).__name__, str(error)[:200])
                raise LLMCallError("failed", f"{type(error).__name__}: {str(error)[:160]}") from error
            try:
                value = schema.model_validate(raw)
            except ValidationError as error:
                self.breaker.success()
                self.judge_breaker.failure()
                logger.warning("LLM %s reply by %s failed validation: %s", job.name, method, str(error)[:200])
                raise LLMCallError("invalid", f"the reply failed validation: {str(error)[:160]}") from error
            self.breaker.success()
            self.judge_breaker.success()
            if self.method != method:
                logger.info("structured output for %s uses %s", self.endpoint, method)
            if only is None:
                self.method = method
                self.memory.put(self.endpoint, method)
            return value
        self.breaker.success()  # it answered every time, only never in a shape we can use
        self.judge_breaker.failure()
        raise LLMCallError("unsupported", "the endpoint rejected every structured-output method")

    def _call(self, method: Method, schema: type[BaseModel], messages: list[BaseMessage], job: Job,
              timeout: float) -> dict[str, Any]:
        json_schema = schema.model_json_schema()
        if method == "function_calling":
            tool = {"type": "function", "function": {"name": schema.__name__, "description": schema.__doc__ or "",
                                                     "parameters": json_schema}}
            bound = self._bound(job, timeout, tools=[tool],
                                tool_choice={"type": "function", "function": {"name": schema.__name__}})
            reply = bound.invoke(messages)
            calls = getattr(reply, "tool_calls", None) or []
            if calls:
                return dict(calls[0].get("args") or {})
            return self._parse(reply)
        if method == "json_schema":
            response_format: dict[str, Any] | None = {
                "type": "json_schema", "json_schema": {"name": schema.__name__, "schema": json_schema, "strict": False}}
        elif method == "json_mode":
            response_format = {"type": "json_object"}
        else:
            response_format = None
        # json_mode and the prompt method only work if the prompt says what JSON to write.
        if method in ("json_mode", "prompt"):
            instruction = JSON_INSTRUCTION.format(schema=json.dumps(json_schema, ensure_ascii=False))
            messages = [SystemMessage(instruction), *messages]
        extra = {"response_format": response_format} if response_format else {}
        return self._parse(self._bound(job, timeout, **extra).invoke(messages))

    @staticmethod
    def _parse(reply: Any) -> dict[str, Any]:
        content = getattr(reply, "content", "")
        if not isinstance(content, str):
            raise LLMCallError("invalid", "the reply has no text content")
        try:
            return extract_json(content)
        except NoJSONError as error:
            raise LLMCallError("invalid", str(error)) from error
