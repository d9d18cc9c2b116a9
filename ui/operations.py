"""Running the web app as one replica of several: a health endpoint, JSON logs that carry the session
id, and a graceful stop that lets the current turn finish before the process exits."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import signal
import threading
import time
from typing import Any

import gradio as gr
from fastapi.responses import JSONResponse

from interviewer.service import InterviewService, WebLogins
from interviewer.settings import LOG_LEVEL_ENV, OWN_PACKAGES

HEALTH_PATH = "/healthz"
DRAIN_SECONDS = 30.0  # a turn takes well under a second offline and ~20 s at worst with an LLM timeout
QUIET_SECONDS = 0.5  # no turn running for this long: nothing is in flight

log = logging.getLogger(__name__)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the replica and any `session_id`/`event`/`ms`."""

    def __init__(self, replica: str) -> None:
        super().__init__()
        self.replica = replica

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                                 "logger": record.name, "message": record.getMessage(), "replica": self.replica}
        for key in ("session_id", "event", "ms", "owner"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(replica: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter(replica))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for noisy in ("httpx", "httpx2", "httpcore", "chromadb", "uvicorn.access", "openai"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Our packages log through the JSON handler only (the CLI gave them a plain stderr handler of their own),
    # at INFO so that every turn is a line; $MOCK_INTERVIEWER_LOG_LEVEL still wins when set.
    level = logging.getLevelName(os.environ.get(LOG_LEVEL_ENV, "INFO").upper())
    for name in OWN_PACKAGES:
        package_logger = logging.getLogger(name)
        package_logger.handlers = []
        package_logger.setLevel(level if isinstance(level, int) else logging.INFO)


def share_logins(demo: gr.Blocks, logins: WebLogins, secret: str) -> None:
    """Keep web logins in the database instead of this process's memory, under a cookie name every replica
    derives from the shared secret: when a candidate's replica dies, the next one knows their login.

    Gradio keeps logins in `App.tokens` (token -> user) under the cookie `access-token-<cookie_id>`, both
    per process; its login and logout routes only get, set and delete tokens, which WebLogins provides."""
    app = demo.server_app
    app.tokens = logins  # type: ignore[assignment]  # a MutableMapping where Gradio expects its dict
    app.cookie_id = hmac.new(secret.encode("utf-8"), b"mock-interviewer web login", hashlib.sha256).hexdigest()[:32]


class Replica:
    """One running web process: answers /healthz and stops gracefully on SIGTERM or Ctrl-C."""

    def __init__(self, demo: gr.Blocks, service: InterviewService, name: str) -> None:
        self.demo = demo
        self.service = service
        self.name = name
        self.draining = threading.Event()
        self._stop = threading.Event()

    def add_health_route(self) -> None:
        def health() -> JSONResponse:
            try:
                self.service.database.database.execute("SELECT 1 AS one")
                database = "ok"
            except Exception as error:  # reported, not raised: the proxy or orchestrator decides
                database = f"error: {type(error).__name__}"
            healthy = database == "ok" and not self.draining.is_set()
            status = "draining" if self.draining.is_set() else ("ok" if healthy else "unhealthy")
            return JSONResponse({"status": status, "replica": self.name, "database": database},
                                status_code=200 if healthy else 503)

        app = self.demo.app
        app.add_api_route(HEALTH_PATH, health, methods=["GET"])
        # First in line: Gradio's own routes (and its login wall) must not shadow it.
        app.router.routes.insert(0, app.router.routes.pop())

    def busy(self) -> bool:
        """A turn is running, or Gradio is still streaming a reply or has events waiting."""
        queue = getattr(self.demo, "_queue", None)
        gradio_busy = queue is not None and (queue.get_active_worker_count() > 0 or len(queue) > 0)
        return gradio_busy or self.service.busy()

    def serve_until_stopped(self) -> None:
        """Block until SIGTERM/SIGINT, then drain: health turns 503, the turns running finish, then close."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self._stop.set())
        self._stop.wait()
        self.draining.set()
        log.info("draining", extra={"event": "shutdown"})
        deadline, quiet_since = time.monotonic() + DRAIN_SECONDS, None
        while time.monotonic() < deadline:
            if self.busy():
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_SECONDS:
                break
            time.sleep(0.05)
        log.info("stopped", extra={"event": "shutdown"})
        self.demo.close()
