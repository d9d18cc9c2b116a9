"""What the web app does when something happens on the page: one small controller whose methods take
the inputs and the browser state and return component updates (no browser needed to call them).

The presenters they use (chat messages, panels, tables) are plain functions in ui/handlers.py.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from interviewer.service import STAGES, InterviewService, SessionError, SessionView
from interviewer.settings import LLMSettings
from ui import handlers
from ui.i18n import STAGE_NAMES, difficulty_choices, error_text, notice_text, text
from ui.layout import Components, llm_status
from ui.report_files import ReportFiles, SessionReport
from ui.state import decode_state, encode_state, with_session, without_session

logger = logging.getLogger(__name__)

# The typing effect: an interviewer message appears in at most STREAM_STEPS pieces, STREAM_DELAY
# apart (at most 0.3 s a message); the pauses only hold a thread, not a core.
STREAM_STEPS = 6
STREAM_DELAY = 0.05
STREAM_CHARS_PER_STEP = 12


class Events:
    """The event handlers of one app: the service, the report files, the page's components and whether
    every session is visible (a local single-user install) or only each browser's own."""

    def __init__(self, service: InterviewService, reports: ReportFiles, components: Components,
                 settings: LLMSettings, *, all_sessions: bool = False, accounts: bool = False) -> None:
        self.service = service
        self.accounts = accounts  # logins are the app's accounts: each user sees only their own sessions
        self.reports = reports
        self.c = components
        self.settings = settings
        self.all_sessions = all_sessions

    def relabel(self, lang: str) -> dict[Any, Any]:
        """Every label on the page in `lang`: the one place a language switch (or a reload) goes through."""
        c = self.c
        def label(key: str) -> Any:
            return gr.update(label=text(lang, key))

        def value(key: str) -> Any:
            return gr.update(value=text(lang, key))

        return {
            c.title: f"## {text(lang, 'title')}", c.interview_tab: label("tab_interview"),
            c.sessions_tab: label("tab_sessions"), c.progress_tab: label("tab_progress"),
            c.mode: gr.update(label=text(lang, "mode"), choices=[(text(lang, "mode_interview"), "interview"),
                                                               (text(lang, "mode_practice"), "practice")]),
            c.stages: gr.update(label=text(lang, "stages"), choices=[(STAGE_NAMES[lang][s], s) for s in STAGES]),
            c.questions: label("questions"),
            c.difficulty: gr.update(label=text(lang, "difficulty"), choices=difficulty_choices(lang)),
            c.topics: gr.update(label=text(lang, "topics"), choices=handlers.topic_choices(lang)),
            c.resume_text: label("resume"), c.upload: gr.update(label=text(lang, "upload")),
            c.job_text: label("job_description"), c.project_questions: label("project_questions"),
            c.llm_markdown: llm_status(self.settings, lang), c.check_button: value("check"),
            c.start_button: value("start"),
            c.answer: label("answer"), c.send_button: value("send"), c.hint_button: value("hint"),
            c.skip_button: value("skip"), c.end_button: value("end"), c.pause_button: value("pause"),
            c.new_during_button: value("new_during"), c.grade_box: label("grade"),
            c.reference_box: label("reference"), c.downloads: label("downloads"), c.new_button: value("new"),
            c.selected: label("session_id"), c.refresh_button: value("refresh"),
            c.resume_button: value("resume_session"), c.delete_button: value("delete"),
            c.confirm_button: value("confirm_delete"), c.cancel_button: value("cancel"),
            c.progress_button: value("refresh")}

    def decode(self, raw: str, request: gr.Request | None) -> dict[str, Any]:
        """The browser's state and the signed-in user ("" without accounts): sessions are the user's."""
        user = request.username if self.accounts and request is not None else None
        return {**decode_state(raw), "user": user or ""}

    def user_service(self, state: dict[str, Any]) -> InterviewService:
        return self.service.as_user(state.get("user", ""))

    def table(self, state: dict[str, Any]) -> dict[str, Any]:
        return handlers.sessions_table(handlers.own_sessions(self.user_service(state), self.visible(state)),
                                       state["session_id"], state["language"])

    def visible(self, state: dict[str, Any]) -> list[str] | None:
        """The session ids this browser may see (None: all of them, on a local install)."""
        return None if self.all_sessions or self.accounts else state["sessions"]

    def show(self, view: SessionView | None, lang: str, messages: list[dict[str, str]] | None = None,
             report: SessionReport | None = None) -> dict[Any, Any]:
        """Component updates for a session view (None: back to setup); a finished one shows `report`
        with the downloads written so far."""
        c = self.c
        # Updates of labelled components carry their label: they replace relabel()'s on a reload.
        def boxes(grade: bool, reference: bool, files: list[str] | None = None) -> dict[Any, Any]:
            return {c.grade_box: gr.update(visible=grade, label=text(lang, "grade")),
                    c.reference_box: gr.update(visible=reference, label=text(lang, "reference")),
                    c.downloads: gr.update(value=files, label=text(lang, "downloads"))}

        if view is None:
            return {c.setup_column: gr.update(visible=True), c.interview_row: gr.update(visible=False),
                    c.report_column: gr.update(visible=False), c.chat: [], c.panel: "", c.notice: "", c.closing: "",
                    c.grade_markdown: "", c.reference_markdown: "", c.report_html: "", **boxes(False, False)}
        graded_question = view.last_grade.question_id if view.last_grade else None
        grade, reference = handlers.grade_panel(view, lang, self.service.reference_answer(graded_question))
        updates: dict[Any, Any] = {
            c.setup_column: gr.update(visible=False), c.interview_row: gr.update(visible=not view.finished),
            c.report_column: gr.update(visible=view.finished),
            c.chat: messages if messages is not None else handlers.chat_messages(view.turns, lang),
            c.panel: handlers.side_panel(view, lang), c.notice: notice_text(lang, view.notice),
            c.grade_markdown: grade, c.reference_markdown: reference, c.report_html: "",
            c.closing: handlers.closing_markdown(view.turns, lang) if view.finished else "",
            **boxes(view.mode == "practice" and bool(view.last_grade), bool(reference))}
        if report is not None:
            files, font_notice = report.downloads(wait_for_pdf=False)
            updates.update({c.report_html: report.page, c.notice: notice_text(lang, font_notice),
                            **boxes(False, False, files)})
        return updates

    def shown(self, view: SessionView | None, lang: str, extra: dict[Any, Any],
              messages: list[dict[str, str]] | None = None) -> Iterator[dict]:
        """`extra` and show()'s updates (which win: they carry the labels relabel() sets). A finished
        session's report shows at once; its PDF, written in the worker (seconds), joins the downloads
        in a second update, so the page never waits for it."""
        c = self.c
        report = self.reports.for_session(view.session_id) if view is not None and view.finished else None
        yield {**extra, **self.show(view, lang, messages, report)}
        if report is not None:
            files, font_notice = report.downloads(wait_for_pdf=True)
            yield {c.downloads: files, c.notice: notice_text(lang, font_notice)}

    def streamed(self, view: SessionView, lang: str, state: dict[str, Any],
                 final: dict | None = None, typing: bool = True) -> Iterator[dict]:
        """Reveal the interviewer's new messages progressively (unless the LLM's words already streamed in:
        `typing` False), then the final state (plus `final`)."""
        c = self.c
        items = handlers.chat_items(view.turns, lang)
        first_new = len(view.turns) - len(view.new_turns)
        messages = [item.message() for item in items if item.turn < first_new]
        for item in (item for item in items if item.turn >= first_new):
            if item.role == "assistant" and typing:
                steps = min(STREAM_STEPS, max(2, len(item.text) // STREAM_CHARS_PER_STEP))
                for partial in handlers.reveal(item, steps):
                    yield {c.chat: [*messages, partial]}
                    time.sleep(STREAM_DELAY)
            messages.append(item.message())
        extra = {c.browser: encode_state(state), **(final or {})}
        if view.finished or first_new == 0:  # the sessions table changes when a session starts or ends
            extra[c.sessions_table] = self.table(state)
        yield from self.shown(view, lang, extra, messages)

    def pause_current(self, state: dict[str, Any]) -> None:
        """Leaving a session (new interview, resuming another): it is paused, not abandoned."""
        if state["session_id"]:
            with contextlib.suppress(SessionError):
                self.user_service(state).pause(state["session_id"])

    def on_load(self, raw: str, request: gr.Request | None = None) -> Iterator[dict]:
        c = self.c
        state = self.decode(raw, request)
        lang = state["language"]
        view = None
        if state["session_id"]:
            try:
                view = self.user_service(state).resume(state["session_id"])
            except SessionError:
                state = without_session(state, state["session_id"])
        yield from self.shown(view, lang, {
            **self.relabel(lang), c.language: lang, c.browser: encode_state(state),
            c.answer: gr.update(label=text(lang, "answer"), value=state["draft"]),
            c.resume_text: gr.update(label=text(lang, "resume"), value=state["resume_draft"])})

    def on_language(self, lang: str, raw: str, request: gr.Request | None = None) -> dict:
        c = self.c
        state = {**self.decode(raw, request), "language": lang}
        return {**self.relabel(lang), c.browser: encode_state(state), c.sessions_table: self.table(state),
                c.setup_message: "",
                c.upload_message: ""}

    def on_start(self, mode_value: str, stage_values: list[str], question_count: float, topic_values: list[str],
                 difficulty_value: float, resume_value: str, lang: str, raw: str, job_value: str = "",
                 project_count: float = 6, request: gr.Request | None = None) -> Iterator[dict]:
        c = self.c
        try:
            plan = handlers.plan_from_setup(mode_value, stage_values, question_count, topic_values,
                                            difficulty_value, resume_value, lang, job_value, project_count)
            view = self.user_service(self.decode(raw, request)).start(plan)
        except handlers.UserError as error:
            yield {c.setup_message: str(error)}
            return
        except SessionError as error:
            yield {c.setup_message: error_text(lang, error)}
            return
        state = {**with_session(self.decode(raw, request), view.session_id), "language": lang, "draft": "",
                 "resume_draft": resume_value or ""}
        yield from self.streamed(view, lang, state, {c.setup_message: ""})

    def on_answer(self, message: str, raw: str, request: gr.Request | None = None,
                  command: str | None = None) -> Iterator[dict]:
        c = self.c
        state = self.decode(raw, request)
        lang = state["language"]
        session_id = state["session_id"]
        if not session_id:
            yield {c.notice: text(lang, "not_found"), c.answer: message}
            return
        payload = command or message
        if not payload.strip():
            yield {c.notice: text(lang, "empty_answer"), c.answer: message}
            return
        keep = message if command == "/hint" else ""  # a hint request keeps the draft answer
        cleared = False
        live: dict[str, str] = {}  # the interviewer's words as the LLM writes them, by stream
        try:
            service = self.user_service(state)
            before: list[dict[str, str]] | None = None  # the chat under the live words, read once they come
            view = None
            for update in service.answer_stream(session_id, payload):
                if isinstance(update, SessionView):
                    view = update
                    break
                if before is None:  # offline replies never stream: they skip this read
                    turns = service.view(session_id).turns
                    before = handlers.chat_messages(turns, lang)
                    recorded = any(turn.kind == "answer" and turn.text == message for turn in turns[-2:])
                    if command is None and not recorded:  # not checkpointed yet: show it all the same
                        before.append(handlers.ChatItem("user", message, len(before)).message())
                live[update.stream] = update.text
                partial = [handlers.ChatItem("assistant", words, 0).message() for _, words in sorted(live.items())]
                # The box is cleared once, with the first words: what the candidate types after stays.
                yield {c.chat: [*before, *partial], **({} if cleared else {c.answer: keep})}
                cleared = True
        except SessionError as error:
            yield {c.notice: error_text(lang, error), c.answer: message}
            return
        except Exception:  # never a traceback in the page; the typed text stays in the box
            logger.exception("answering session %s failed", session_id)
            yield {c.notice: text(lang, "error"), c.answer: message}
            return
        if view is None:
            return
        if not cleared:
            yield {c.answer: keep}
        yield from self.streamed(view, lang, {**state, "draft": keep}, typing=not live)

    def command_handler(self, command: str) -> Callable[..., Iterator[dict]]:
        def handler(message: str, raw: str, request: gr.Request | None = None) -> Iterator[dict]:
            yield from self.on_answer(message, raw, request, command)
        return handler

    def on_new(self, raw: str, request: gr.Request | None = None) -> dict:
        c = self.c
        state = self.decode(raw, request)
        self.pause_current(state)
        state = {**state, "session_id": None}
        return {**self.show(None, state["language"]), c.browser: encode_state(state),
                c.sessions_table: self.table(state)}

    def on_pause(self, raw: str, request: gr.Request | None = None) -> dict:
        """Pause and leave: the session is kept as it is, to be resumed from the sessions tab."""
        c = self.c
        state = decode_state(raw)
        had_session = bool(state["session_id"])
        updates = self.on_new(raw, request)
        return {**updates, c.setup_message: text(state["language"], "paused") if had_session else ""}

    def on_upload(self, path: str | None, existing: str, raw: str) -> dict:
        c = self.c
        state = decode_state(raw)
        lang = state["language"]
        try:
            content = handlers.read_upload(path, lang)
        except handlers.UserError as error:
            return {c.upload_message: f'<p class="error">{handlers.literal(str(error))}</p>'}
        if not content:
            return {}
        merged, message = handlers.merge_upload(existing or "", content, Path(path or "").name, lang)
        return {c.resume_text: merged, c.upload_message: handlers.literal(message),
                c.browser: encode_state({**state, "resume_draft": merged})}

    def on_check(self, raw: str) -> str:
        lang = decode_state(raw)["language"]
        report = self.service.check_llm()
        if report.verdict == "offline":
            return f"{llm_status(self.settings, lang)} · {text(lang, 'check_offline')}"
        if report.verdict == "not_usable":
            return f"{llm_status(self.settings, lang)} · {text(lang, 'check_fail')}"
        method = f" ({report.method}, {report.judge_seconds} s)" if report.method else ""
        keys = {"usable": "check_ok", "phrasing_only": "check_phrasing_only"}
        key = keys.get(report.verdict, "check_judging_only")
        return f"{llm_status(self.settings, lang)} · {text(lang, key)}{method}"

    def on_sessions(self, raw: str, request: gr.Request | None = None) -> dict:
        c = self.c
        state = self.decode(raw, request)
        rows = self.table(state)
        return {c.sessions_table: rows, c.confirm_row: gr.update(visible=False),
                c.sessions_message: "" if rows["data"] else text(state["language"], "no_sessions")}

    def on_select(self, event: gr.SelectData) -> dict:
        c = self.c
        row = event.row_value if event.row_value else []
        return {c.selected: str(row[0]) if row else "", c.confirm_row: gr.update(visible=False),
                c.sessions_message: ""}

    def own(self, session_id: str, state: dict[str, Any]) -> str | None:
        """The id if it is one of this browser's sessions (with accounts: of this user's), else None."""
        session_id = (session_id or "").strip()
        if self.all_sessions or self.accounts:
            listed = self.user_service(state).list_sessions()
            return session_id if any(s.session_id == session_id for s in listed) else None
        return session_id if session_id in state["sessions"] else None

    def selection(self, session_id: str, raw: str,
                  request: gr.Request | None = None) -> tuple[dict[str, Any], str, str | None]:
        """This browser's state, its language, and the chosen session if it is one of this browser's."""
        state = self.decode(raw, request)
        return state, state["language"], self.own(session_id, state)

    def nothing_selected(self, lang: str) -> dict:
        c = self.c
        return {c.sessions_message: text(lang, "select_session"), c.confirm_row: gr.update(visible=False)}

    def on_resume(self, session_id: str, raw: str, request: gr.Request | None = None) -> Iterator[dict]:
        c = self.c
        state, lang, chosen = self.selection(session_id, raw, request)
        if chosen is None:
            yield self.nothing_selected(lang)
            return
        try:
            view = self.user_service(state).resume(chosen)
        except SessionError:
            state = without_session(state, chosen)
            yield {c.sessions_message: text(lang, "not_found"), c.browser: encode_state(state),
                   c.sessions_table: self.table(state)}
            return
        if state["session_id"] != chosen:
            self.pause_current(state)
        state = with_session(state, chosen)
        yield from self.shown(view, lang, {
            c.browser: encode_state(state), c.tabs: gr.Tabs(selected="interview"), c.sessions_message: "",
            c.sessions_table: self.table(state), c.confirm_row: gr.update(visible=False)})

    def on_delete_ask(self, session_id: str, raw: str) -> dict:
        c = self.c
        _, lang, chosen = self.selection(session_id, raw)
        if chosen is None:
            return self.nothing_selected(lang)
        return {c.confirm_row: gr.update(visible=True), c.confirm_markdown: text(lang, "delete_ask", id=chosen),
                c.sessions_message: ""}

    def on_delete(self, session_id: str, raw: str, request: gr.Request | None = None) -> dict:
        c = self.c
        state, lang, chosen = self.selection(session_id, raw, request)
        if chosen is None:
            return self.nothing_selected(lang)
        with contextlib.suppress(SessionError):  # already gone: forget it all the same
            self.user_service(state).delete(chosen)
        was_current = state["session_id"] == chosen
        state = without_session(state, chosen)
        updates: dict[Any, Any] = {
            c.sessions_table: self.table(state), c.selected: "", c.confirm_row: gr.update(visible=False),
            c.sessions_message: text(lang, "deleted", id=chosen), c.browser: encode_state(state)}
        if was_current:
            updates.update(self.show(None, lang))
        return updates

    def on_progress(self, raw: str, request: gr.Request | None = None) -> tuple[str, Any]:
        state = self.decode(raw, request)
        return handlers.progress_view(self.user_service(state), self.visible(state), state["language"])
