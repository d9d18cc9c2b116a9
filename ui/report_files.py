"""The finished interview's report for the page and its downloads, made once per session version.

The PDF costs about a second of pure Python (fontTools subsetting a CJK font); made in the server
process it would hold the GIL and stall every other candidate's turn. So it is written in a worker
process while the page already shows the report, and the files are kept per session until the
session changes.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import secrets
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from interviewer.report import build_report, find_cjk_font, render_html, try_write_pdf, write_report
from interviewer.service import InterviewService

KEPT_SESSIONS = 256


PARENT_POLL_SECONDS = 1.0  # how soon a worker notices that the web process died


def _yield_to_interviews() -> None:
    """In the worker: a report can wait a moment; a candidate's next question should not. And a worker
    never outlives its web process: killed with SIGKILL (a replica lost), the parent cannot stop it."""
    if hasattr(os, "nice"):
        os.nice(10)
    parent = os.getppid()

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(0)

    threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()


@dataclass(frozen=True)
class SessionReport:
    """One version of a finished session's report: the page and text files now, the PDF when written."""

    page: str  # the report in a sandboxed iframe
    paths: list[str]  # md, html, json
    pdf: Future[tuple[str | None, str]]  # (path, "") or (None, why there is no PDF)

    def downloads(self, *, wait_for_pdf: bool) -> tuple[list[str], str | None]:
        """([md, html, (pdf,) json] paths, a notice code: "no_cjk_font" when the PDF could not be made).

        Without `wait_for_pdf` the PDF is included only if it is already written."""
        if not (wait_for_pdf or self.pdf.done()):
            return self.paths, None
        pdf_path, _why = self.pdf.result()
        return [*self.paths[:2], *([pdf_path] if pdf_path else []), self.paths[2]], None if pdf_path else "no_cjk_font"


class ReportFiles:
    """Report page and download paths for finished sessions; thread-safe."""

    def __init__(self, service: InterviewService, home: Path) -> None:
        self.service = service
        self.home = home
        self._made: OrderedDict[tuple[str, str], SessionReport] = OrderedDict()
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def for_session(self, session_id: str) -> SessionReport:
        """The session's report as it is now, made once per session version. Each call reads the
        session: a caller that shows the page and later the PDF keeps the result."""
        # Any owner's: asked only for a session the user's own service has just shown.
        snapshot = self.service.as_user(None).snapshot(session_id)
        key = (session_id, snapshot.updated_at)
        with self._lock:
            if key in self._made:
                return self._made[key]
        report = build_report(snapshot, self.service.bank)
        # Random names: Gradio serves these files to whoever has the URL.
        stem = self.home / "reports" / f"report-{session_id}-{secrets.token_hex(8)}"
        stem.parent.mkdir(parents=True, exist_ok=True)
        pdf = self._worker().submit(try_write_pdf, report, stem.with_suffix(".pdf"), self.home)
        page = render_html(report)
        stem.with_suffix(".html").write_text(page, encoding="utf-8")
        paths = [str(write_report(report, "md", stem.with_suffix(".md"), self.home)), str(stem.with_suffix(".html")),
                 str(write_report(report, "json", stem.with_suffix(".json"), self.home))]
        # In an iframe so the report's own styles stay out of the app; sandboxed, so nothing in it can run.
        frame = (f'<iframe title="report" sandbox srcdoc="{html.escape(page, quote=True)}" '
                 'style="width:100%;height:85vh;border:1px solid #e3e8f0;border-radius:8px"></iframe>')
        made = SessionReport(frame, paths, pdf)
        with self._lock:
            made = self._made.setdefault(key, made)
            while len(self._made) > KEPT_SESSIONS:
                self._made.popitem(last=False)
        return made

    def warm(self) -> None:
        """Start the worker now (spawning it imports fpdf and matplotlib: seconds of CPU), not when the
        first candidate finishes, when it would slow everyone's turns."""
        self._worker().submit(find_cjk_font)
        find_cjk_font()

    def _worker(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("the report worker was closed with the app")
            if self._pool is None:
                # "spawn": the server process runs threads (and the embedding engine); forking it is unsafe.
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_yield_to_interviews)
            return self._pool

    def close(self) -> None:
        """Stop the worker process (waiting for a PDF being written, dropping queued ones); idempotent."""
        with self._lock:
            pool, self._pool, self._closed = self._pool, None, True
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
