"""A circuit breaker: after repeated failures stop calling an endpoint for a while, then try once more."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from interviewer.llm.limits import BREAKER_COOLDOWN_SECONDS, BREAKER_FAILURES

logger = logging.getLogger(__name__)


class CircuitBreaker:
    """Closed: calls go through. Open (after `failures` in a row): calls are refused until `cooldown` has
    passed. Then one trial call is let through: success closes the breaker, failure opens it again.

    `opened_events` counts openings, so an interface can say "the LLM is paused" once per opening."""

    def __init__(self, name: str, *, failures: int = BREAKER_FAILURES, cooldown: float = BREAKER_COOLDOWN_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self.failures_to_open = failures
        self.cooldown = cooldown
        self.clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False
        self.opened_events = 0

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._opened_at is not None and self.clock() - self._opened_at < self.cooldown

    def allow(self) -> bool:
        """Whether a call may go out now (at most one trial call while half-open)."""
        with self._lock:
            if self._opened_at is None:
                return True
            if self.clock() - self._opened_at < self.cooldown or self._trial_running:
                return False
            self._trial_running = True
            return True

    def release(self) -> None:
        """A permitted call that was not made after all: no verdict on the endpoint."""
        with self._lock:
            self._trial_running = False

    def success(self) -> None:
        with self._lock:
            if self._opened_at is not None:
                logger.info("LLM %s calls work again; the circuit breaker closes", self.name)
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def failure(self) -> None:
        with self._lock:
            self._failures += 1
            trial_failed = self._trial_running
            self._trial_running = False
            if trial_failed or (self._opened_at is None and self._failures >= self.failures_to_open):
                self._opened_at = self.clock()
                self.opened_events += 1
                logger.warning("LLM %s calls failed %d times in a row; not calling the endpoint for %.0f s",
                               self.name, self._failures, self.cooldown)
