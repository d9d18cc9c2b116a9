"""The Gradio web app: setup, the live interview, the report, past sessions and progress.

Per-browser isolation: the only per-user data is what the browser keeps (`gr.BrowserState`, fixed
storage key, secret from the data directory; see ui/state.py): the current session id, the ids of
the sessions this browser started (the only ones it can list, resume, delete or see progress of),
the UI language and unsent drafts. Everything else lives in the service's checkpointer, so a
refresh, a closed tab or a server restart loses nothing.
"""

from __future__ import annotations

import atexit
import logging
import os
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# A web server shares its cores between requests and the report worker. OpenMP threads that spin
# while waiting make the embedding engine ~6x slower whenever a core is busy (measured); passive
# waiting costs ~20% when idle. Must be set before the engine loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import gradio as gr

from interviewer.service import ANSWER_CONCURRENCY, InterviewService
from interviewer.settings import LLMSettings
from ui.events import Events
from ui.i18n import text
from ui.layout import Components, build_layout
from ui.report_files import ReportFiles
from ui.state import (
    SAVE_ANSWER_DRAFT_JS,
    SAVE_RESUME_DRAFT_JS,
    decode_state,
    encode_state,
)

logger = logging.getLogger(__name__)


SET_TITLE_JS = f"""(language) => {{
    document.title = language === "en" ? {text("en", "title")!r} : {text("zh", "title")!r};
}}"""


class InterviewApp(gr.Blocks):
    """The Blocks app; closing it also stops the report worker process."""

    reports: ReportFiles | None = None

    def close(self, verbose: bool = True) -> None:
        super().close(verbose=verbose)
        if self.reports is not None:
            self.reports.close()
            atexit.unregister(self.reports.close)


def build_app(service: InterviewService, home: Path, settings: LLMSettings | None = None, *,
              all_sessions: bool = False, accounts: bool = False) -> InterviewApp:
    """The app around `service`: the layout (ui/layout.py), its event handlers (ui/events.py) and the wiring
    below. With `all_sessions` (a local single-user install: loopback, no login) the sessions and progress
    tabs show every session in the data directory, terminal ones included; otherwise each browser sees only
    the sessions it started. With `accounts`, logins are the app's accounts and each user sees only theirs."""
    settings = settings or LLMSettings.from_env()
    reports = ReportFiles(service, home)
    reports.warm()
    atexit.register(reports.close)  # also when the server stops without closing the app
    with InterviewApp(title=text("zh", "title"), analytics_enabled=False, delete_cache=(3600, 7200)) as demo:
        demo.reports = reports
        components = build_layout(home, settings)
        wire(demo, components, Events(service, reports, components, settings, all_sessions=all_sessions,
                                              accounts=accounts))
    return demo


def wire(demo: gr.Blocks, c: Components, events: Events) -> None:
    """Connect the page's events to the handlers (inside the Blocks context)."""
    label_outputs = list(events.relabel("zh"))
    private: dict[str, Any] = {"api_visibility": "private"}
    shown = [*c.screen, *c.live]  # what showing a session updates
    # Outputs end with [..., browser, x] so API clients find the browser state at index -2.
    demo.load(events.on_load, [c.browser],
              list(dict.fromkeys([*label_outputs, *shown, c.language, c.browser, c.answer, c.resume_text])),
              **private)
    c.start_button.click(
        events.on_start, [c.mode, c.stages, c.questions, c.topics, c.difficulty, c.resume_text, c.language, c.browser,
                          c.job_text, c.project_questions],
        [*shown, c.sessions_table, c.browser, c.setup_message], concurrency_limit=ANSWER_CONCURRENCY,
        api_name="start")
    answer_outputs = [*shown, c.sessions_table, c.browser, c.answer]
    answer_events = [
        c.answer.submit(events.on_answer, [c.answer, c.browser], answer_outputs,
                        concurrency_limit=ANSWER_CONCURRENCY, api_name="answer"),
        c.send_button.click(events.on_answer, [c.answer, c.browser], answer_outputs,
                            concurrency_limit=ANSWER_CONCURRENCY, **private)]
    for button, command in ((c.hint_button, "/hint"), (c.skip_button, "/skip"), (c.end_button, "/end")):
        answer_events.append(button.click(events.command_handler(command), [c.answer, c.browser], answer_outputs,
                                          concurrency_limit=ANSWER_CONCURRENCY, **private))
    # Drafts are saved in the browser on every change, typed or pasted (no server call), and re-saved
    # after each answer event in case the candidate kept typing while the reply appeared. (`.input`
    # would miss a paste with the mouse: Gradio fires it from key presses.)
    c.answer.change(None, [c.answer, c.browser], [c.browser], js=SAVE_ANSWER_DRAFT_JS, **private)
    for event in answer_events:
        event.then(None, [c.answer, c.browser], [c.browser], js=SAVE_ANSWER_DRAFT_JS, **private)
    c.resume_text.change(None, [c.resume_text, c.browser], [c.browser], js=SAVE_RESUME_DRAFT_JS, **private)
    for button in (c.new_button, c.new_during_button):
        button.click(events.on_new, [c.browser], [*shown, c.sessions_table, c.browser], **private)
    c.pause_button.click(events.on_pause, [c.browser], [*shown, c.sessions_table, c.browser, c.setup_message],
                         **private)
    c.language.input(events.on_language, [c.language, c.browser],
                     list(dict.fromkeys([*label_outputs, c.browser, c.sessions_table, c.setup_message,
                                         c.upload_message])), **private)
    c.language.change(None, [c.language], None, js=SET_TITLE_JS, **private)
    c.upload.upload(events.on_upload, [c.upload, c.resume_text, c.browser],
                    [c.resume_text, c.upload_message, c.browser], **private)
    c.check_button.click(events.on_check, [c.browser], [c.llm_markdown], **private)
    session_outputs = [c.sessions_table, c.confirm_row, c.sessions_message]
    c.sessions_tab.select(events.on_sessions, [c.browser], session_outputs, **private)
    c.refresh_button.click(events.on_sessions, [c.browser], session_outputs, **private)
    c.sessions_table.select(events.on_select, None, [c.selected, c.confirm_row, c.sessions_message], **private)
    c.resume_button.click(events.on_resume, [c.selected, c.browser],
                          [*shown, c.browser, c.tabs, c.sessions_message, c.sessions_table, c.confirm_row],
                          **private)
    c.delete_button.click(events.on_delete_ask, [c.selected, c.browser],
                          [c.confirm_row, c.confirm_markdown, c.sessions_message], **private)
    c.confirm_button.click(events.on_delete, [c.selected, c.browser],
                           [*shown, c.browser, c.sessions_table, c.selected, c.confirm_row, c.sessions_message],
                           **private)
    c.cancel_button.click(lambda: gr.update(visible=False), None, [c.confirm_row], **private)
    c.progress_tab.select(events.on_progress, [c.browser], [c.progress_markdown, c.progress_plot], **private)
    c.progress_button.click(events.on_progress, [c.browser], [c.progress_markdown, c.progress_plot], **private)


__all__ = ["InterviewApp", "build_app", "decode_state", "encode_state"]
