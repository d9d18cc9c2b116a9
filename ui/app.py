"""The Gradio web app: setup, the live interview, the report, past sessions and progress.

Per-browser isolation: the only per-user data is what the browser keeps (`gr.BrowserState`, fixed
storage key, secret from the data directory; see ui/state.py): the current session id, the ids of
the sessions this browser started (the only ones it can list, resume, delete or see progress of),
the UI language and unsent drafts. Everything else lives in the service's checkpointer, so a
refresh, a closed tab or a server restart loses nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# A web server shares its cores between requests and the report worker. OpenMP threads that spin
# while waiting make the embedding engine ~6x slower whenever a core is busy (measured); passive
# waiting costs ~20% when idle. Must be set before the engine loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import gradio as gr

from interviewer.service import (
    DEFAULT_TECHNICAL_QUESTIONS,
    MAX_TECHNICAL_QUESTIONS,
    STAGES,
    InterviewService,
    SessionError,
    SessionView,
)
from interviewer.settings import LLMSettings
from ui import handlers
from ui.i18n import STAGE_NAMES, difficulty_choices, error_text, notice_text, text
from ui.report_files import ReportFiles, SessionReport
from ui.state import (
    SAVE_ANSWER_DRAFT_JS,
    SAVE_RESUME_DRAFT_JS,
    decode_state,
    encode_state,
    fresh_state,
    with_session,
    without_session,
)

logger = logging.getLogger(__name__)

STORAGE_KEY = "mock-interviewer-session"
LANGUAGE_LABEL = f"{text('zh', 'language')} / {text('en', 'language')}"  # findable whatever the language
ANSWER_CONCURRENCY = 8  # answers of different candidates are graded in parallel
# The typing effect: an interviewer message appears in at most STREAM_STEPS pieces, STREAM_DELAY
# apart (at most 0.3 s a message); the pauses only hold a thread, not a core.
STREAM_STEPS = 6
STREAM_DELAY = 0.05
STREAM_CHARS_PER_STEP = 12

SET_TITLE_JS = f"""(language) => {{
    document.title = language === "en" ? {text("en", "title")!r} : {text("zh", "title")!r};
}}"""
def browser_secret(home: Path) -> str:
    """A per-installation secret for the browser-stored session id, created once and kept on disk."""
    path = home / "web_secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(24), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def llm_status(settings: LLMSettings, language: str) -> str:
    label = f"**{text(language, 'llm')}**{text(language, 'colon')}"
    if not settings.configured:
        return label + text(language, "offline")
    return f"{label}{text(language, 'online')} `{settings.model}` @ `{settings.base_url or 'api.openai.com'}`"


class InterviewApp(gr.Blocks):
    """The Blocks app; closing it also stops the report worker process."""

    reports: ReportFiles | None = None

    def close(self, verbose: bool = True) -> None:
        super().close(verbose=verbose)
        if self.reports is not None:
            self.reports.close()
            atexit.unregister(self.reports.close)


def build_app(service: InterviewService, home: Path, settings: LLMSettings | None = None, *,
              all_sessions: bool = False) -> InterviewApp:
    """The app around `service`. With `all_sessions` (a local single-user install: loopback, no login) the
    sessions and progress tabs show every session in the data directory, terminal ones included; otherwise
    each browser sees only the sessions it started."""
    settings = settings or LLMSettings.from_env()
    language0 = "zh"
    reports = ReportFiles(service, home)
    reports.warm()
    atexit.register(reports.close)  # also when the server stops without closing the app
    with InterviewApp(title=text(language0, "title"), analytics_enabled=False, delete_cache=(3600, 7200)) as demo:
        demo.reports = reports
        browser = gr.BrowserState(encode_state(fresh_state(language0)), storage_key=STORAGE_KEY,
                                  secret=browser_secret(home))
        title = gr.Markdown(f"## {text(language0, 'title')}", elem_id="title")
        with gr.Tabs(selected="interview") as tabs:
            with gr.Tab(text(language0, "tab_interview"), id="interview") as interview_tab:
                with gr.Column(visible=True, elem_id="setup") as setup_column:
                    language = gr.Radio([("中文", "zh"), ("English", "en")], value=language0, label=LANGUAGE_LABEL,
                                        elem_id="language")
                    mode = gr.Radio([(text(language0, "mode_interview"), "interview"),
                                     (text(language0, "mode_practice"), "practice")], value="interview",
                                    label=text(language0, "mode"), elem_id="mode")
                    stages = gr.CheckboxGroup([(STAGE_NAMES[language0][s], s) for s in STAGES], value=list(STAGES),
                                              label=text(language0, "stages"), elem_id="stages")
                    with gr.Row():
                        questions = gr.Slider(0, MAX_TECHNICAL_QUESTIONS, value=DEFAULT_TECHNICAL_QUESTIONS, step=1,
                                              label=text(language0, "questions"),
                                              elem_id="questions")
                        difficulty = gr.Radio(difficulty_choices(language0), value=2,
                                              label=text(language0, "difficulty"), elem_id="difficulty")
                    topics = gr.Dropdown(handlers.topic_choices(language0), multiselect=True, value=[],
                                         label=text(language0, "topics"), elem_id="topics")
                    resume_text = gr.Textbox(lines=4, max_lines=16, label=text(language0, "resume"), elem_id="resume")
                    with gr.Row(elem_id="upload-row"):
                        upload = gr.UploadButton(text(language0, "upload"), file_types=list(handlers.UPLOAD_TYPES),
                                                 type="filepath", size="sm", elem_id="upload-button")
                        upload_message = gr.Markdown(elem_id="upload-message")
                    with gr.Row(elem_id="llm-row"):
                        llm_markdown = gr.Markdown(llm_status(settings, language0), elem_id="llm")
                        check_button = gr.Button(text(language0, "check"), size="sm", elem_id="check")
                    start_button = gr.Button(text(language0, "start"), variant="primary", elem_id="start")
                    setup_message = gr.Markdown(elem_id="setup-message")
                with gr.Row(visible=False, elem_id="interview") as interview_row:
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(height=480, elem_id="chat", show_label=False, buttons=[],
                                          latex_delimiters=[], allow_tags=False, feedback_options=None)
                        answer = gr.Textbox(lines=1, max_lines=12, label=text(language0, "answer"), elem_id="answer")
                        with gr.Row():
                            send_button = gr.Button(text(language0, "send"), variant="primary", elem_id="send")
                            hint_button = gr.Button(text(language0, "hint"), elem_id="hint")
                            skip_button = gr.Button(text(language0, "skip"), elem_id="skip")
                            end_button = gr.Button(text(language0, "end"), variant="stop", elem_id="end")
                        with gr.Row():  # leave without ending: the session is paused and can be resumed
                            pause_button = gr.Button(text(language0, "pause"), size="sm", elem_id="pause")
                            new_during_button = gr.Button(text(language0, "new_during"), size="sm",
                                                          elem_id="new-during")
                        notice = gr.Markdown(elem_id="notice")
                    with gr.Column(scale=2):
                        panel = gr.Markdown(elem_id="panel", latex_delimiters=[])
                        with gr.Accordion(text(language0, "grade"), open=True, visible=False,
                                          elem_id="grade-box") as grade_box:
                            grade_markdown = gr.Markdown(elem_id="grade", latex_delimiters=[], line_breaks=True)
                            with gr.Accordion(text(language0, "reference"), open=False, visible=False,
                                              elem_id="reference-box") as reference_box:
                                reference_markdown = gr.Markdown(elem_id="reference", latex_delimiters=[],
                                                                 line_breaks=True)
                with gr.Column(visible=False, elem_id="report") as report_column:
                    closing = gr.Markdown(elem_id="closing", latex_delimiters=[])
                    report_html = gr.HTML(elem_id="report-html")
                    downloads = gr.File(file_count="multiple", label=text(language0, "downloads"),
                                        elem_id="downloads", interactive=False)
                    new_button = gr.Button(text(language0, "new"), elem_id="new")
            with gr.Tab(text(language0, "tab_sessions"), id="sessions", elem_id="sessions-tab") as sessions_tab:
                sessions_table = gr.Dataframe(handlers.sessions_table([], None, language0), interactive=False,
                                              elem_id="sessions-table", buttons=[])
                selected = gr.Textbox(label=text(language0, "session_id"), elem_id="selected-session")
                with gr.Row():
                    refresh_button = gr.Button(text(language0, "refresh"), elem_id="refresh-sessions")
                    resume_button = gr.Button(text(language0, "resume_session"), elem_id="resume-session")
                    delete_button = gr.Button(text(language0, "delete"), variant="stop", elem_id="delete-session")
                with gr.Row(visible=False, elem_id="confirm-delete-row") as confirm_row:
                    confirm_markdown = gr.Markdown(elem_id="confirm-delete-text")
                    confirm_button = gr.Button(text(language0, "confirm_delete"), variant="stop",
                                               elem_id="confirm-delete")
                    cancel_button = gr.Button(text(language0, "cancel"), elem_id="cancel-delete")
                sessions_message = gr.Markdown(elem_id="sessions-message")
            with gr.Tab(text(language0, "tab_progress"), id="progress", elem_id="progress-tab") as progress_tab:
                progress_button = gr.Button(text(language0, "refresh"), elem_id="refresh-progress")
                progress_markdown = gr.Markdown(elem_id="progress", latex_delimiters=[])
                progress_plot = gr.Plot(show_label=False, elem_id="progress-plot")

        screen = [setup_column, interview_row, report_column]
        live = [chat, panel, grade_box, grade_markdown, reference_box, reference_markdown, notice, closing,
                report_html, downloads]

        def relabel(lang: str) -> dict[Any, Any]:
            """Every label on the page in `lang`: the one place a language switch (or a reload) goes through."""
            def label(key: str) -> Any:
                return gr.update(label=text(lang, key))

            def value(key: str) -> Any:
                return gr.update(value=text(lang, key))

            return {
                title: f"## {text(lang, 'title')}", interview_tab: label("tab_interview"),
                sessions_tab: label("tab_sessions"), progress_tab: label("tab_progress"),
                mode: gr.update(label=text(lang, "mode"), choices=[(text(lang, "mode_interview"), "interview"),
                                                                   (text(lang, "mode_practice"), "practice")]),
                stages: gr.update(label=text(lang, "stages"), choices=[(STAGE_NAMES[lang][s], s) for s in STAGES]),
                questions: label("questions"),
                difficulty: gr.update(label=text(lang, "difficulty"), choices=difficulty_choices(lang)),
                topics: gr.update(label=text(lang, "topics"), choices=handlers.topic_choices(lang)),
                resume_text: label("resume"), upload: gr.update(label=text(lang, "upload")),
                llm_markdown: llm_status(settings, lang), check_button: value("check"), start_button: value("start"),
                answer: label("answer"), send_button: value("send"), hint_button: value("hint"),
                skip_button: value("skip"), end_button: value("end"), pause_button: value("pause"),
                new_during_button: value("new_during"), grade_box: label("grade"),
                reference_box: label("reference"), downloads: label("downloads"), new_button: value("new"),
                selected: label("session_id"), refresh_button: value("refresh"),
                resume_button: value("resume_session"), delete_button: value("delete"),
                confirm_button: value("confirm_delete"), cancel_button: value("cancel"),
                progress_button: value("refresh")}

        label_outputs = list(relabel(language0))

        def table(state: dict[str, Any]) -> dict[str, Any]:
            return handlers.sessions_table(handlers.own_sessions(service, visible(state)), state["session_id"],
                                           state["language"])

        def visible(state: dict[str, Any]) -> list[str] | None:
            """The session ids this browser may see (None: all of them, on a local install)."""
            return None if all_sessions else state["sessions"]

        def show(view: SessionView | None, lang: str, messages: list[dict[str, str]] | None = None,
                 report: SessionReport | None = None) -> dict[Any, Any]:
            """Component updates for a session view (None: back to setup); a finished one shows `report`
            with the downloads written so far."""
            # Updates of labelled components carry their label: they replace relabel()'s on a reload.
            def boxes(grade: bool, reference: bool, files: list[str] | None = None) -> dict[Any, Any]:
                return {grade_box: gr.update(visible=grade, label=text(lang, "grade")),
                        reference_box: gr.update(visible=reference, label=text(lang, "reference")),
                        downloads: gr.update(value=files, label=text(lang, "downloads"))}

            if view is None:
                return {setup_column: gr.update(visible=True), interview_row: gr.update(visible=False),
                        report_column: gr.update(visible=False), chat: [], panel: "", notice: "", closing: "",
                        grade_markdown: "", reference_markdown: "", report_html: "", **boxes(False, False)}
            grade, reference = handlers.grade_panel(view, lang, service.bank)
            updates: dict[Any, Any] = {
                setup_column: gr.update(visible=False), interview_row: gr.update(visible=not view.finished),
                report_column: gr.update(visible=view.finished),
                chat: messages if messages is not None else handlers.chat_messages(view.turns, lang),
                panel: handlers.side_panel(view, lang), notice: notice_text(lang, view.notice),
                grade_markdown: grade, reference_markdown: reference, report_html: "",
                closing: handlers.closing_markdown(view.turns, lang) if view.finished else "",
                **boxes(view.mode == "practice" and bool(view.last_grade), bool(reference))}
            if report is not None:
                files, font_notice = report.downloads(wait_for_pdf=False)
                updates.update({report_html: report.page, notice: notice_text(lang, font_notice),
                                **boxes(False, False, files)})
            return updates

        def shown(view: SessionView | None, lang: str, extra: dict[Any, Any],
                  messages: list[dict[str, str]] | None = None) -> Iterator[dict]:
            """`extra` and show()'s updates (which win: they carry the labels relabel() sets). A finished
            session's report shows at once; its PDF, written in the worker (seconds), joins the downloads
            in a second update, so the page never waits for it."""
            report = reports.for_session(view.session_id) if view is not None and view.finished else None
            yield {**extra, **show(view, lang, messages, report)}
            if report is not None:
                files, font_notice = report.downloads(wait_for_pdf=True)
                yield {downloads: files, notice: notice_text(lang, font_notice)}

        def streamed(view: SessionView, lang: str, state: dict[str, Any], final: dict | None = None) -> Iterator[dict]:
            """Reveal the interviewer's new messages progressively, then the final state (plus `final`)."""
            items = handlers.chat_items(view.turns, lang)
            first_new = len(view.turns) - len(view.new_turns)
            messages = [item.message() for item in items if item.turn < first_new]
            for item in (item for item in items if item.turn >= first_new):
                if item.role == "assistant":
                    steps = min(STREAM_STEPS, max(2, len(item.text) // STREAM_CHARS_PER_STEP))
                    for partial in handlers.reveal(item, steps):
                        yield {chat: [*messages, partial]}
                        time.sleep(STREAM_DELAY)
                messages.append(item.message())
            extra = {browser: encode_state(state), **(final or {})}
            if view.finished or first_new == 0:  # the sessions table changes when a session starts or ends
                extra[sessions_table] = table(state)
            yield from shown(view, lang, extra, messages)

        def pause_current(state: dict[str, Any]) -> None:
            """Leaving a session (new interview, resuming another): it is paused, not abandoned."""
            if state["session_id"]:
                with contextlib.suppress(SessionError):
                    service.pause(state["session_id"])

        def on_load(raw: str) -> Iterator[dict]:
            state = decode_state(raw)
            lang = state["language"]
            view = None
            if state["session_id"]:
                try:
                    view = service.resume(state["session_id"])
                except SessionError:
                    state = without_session(state, state["session_id"])
            yield from shown(view, lang, {
                **relabel(lang), language: lang, browser: encode_state(state),
                answer: gr.update(label=text(lang, "answer"), value=state["draft"]),
                resume_text: gr.update(label=text(lang, "resume"), value=state["resume_draft"])})

        def on_language(lang: str, raw: str) -> dict:
            state = {**decode_state(raw), "language": lang}
            return {**relabel(lang), browser: encode_state(state), sessions_table: table(state), setup_message: "",
                    upload_message: ""}

        def on_start(mode_value: str, stage_values: list[str], question_count: float, topic_values: list[str],
                     difficulty_value: float, resume_value: str, lang: str, raw: str) -> Iterator[dict]:
            try:
                plan = handlers.plan_from_setup(mode_value, stage_values, question_count, topic_values,
                                                difficulty_value, resume_value, lang)
                view = service.start(plan)
            except handlers.UserError as error:
                yield {setup_message: str(error)}
                return
            except SessionError as error:
                yield {setup_message: error_text(lang, error)}
                return
            state = {**with_session(decode_state(raw), view.session_id), "language": lang, "draft": "",
                     "resume_draft": resume_value or ""}
            yield from streamed(view, lang, state, {setup_message: ""})

        def on_answer(message: str, raw: str, command: str | None = None) -> Iterator[dict]:
            state = decode_state(raw)
            lang = state["language"]
            session_id = state["session_id"]
            if not session_id:
                yield {notice: text(lang, "not_found"), answer: message}
                return
            payload = command or message
            if not payload.strip():
                yield {notice: text(lang, "empty_answer"), answer: message}
                return
            try:
                view = service.answer(session_id, payload)
            except SessionError as error:
                yield {notice: error_text(lang, error), answer: message}
                return
            except Exception:  # never a traceback in the page; the typed text stays in the box
                logger.exception("answering session %s failed", session_id)
                yield {notice: text(lang, "error"), answer: message}
                return
            keep = message if command == "/hint" else ""  # a hint request keeps the draft answer
            # The box is cleared once, now: what the candidate types while the reply appears is kept.
            yield {answer: keep}
            yield from streamed(view, lang, {**state, "draft": keep})

        def command_handler(command: str) -> Callable[[str, str], Iterator[dict]]:
            def handler(message: str, raw: str) -> Iterator[dict]:
                yield from on_answer(message, raw, command)
            return handler

        def on_new(raw: str) -> dict:
            state = decode_state(raw)
            pause_current(state)
            state = {**state, "session_id": None}
            return {**show(None, state["language"]), browser: encode_state(state), sessions_table: table(state)}

        def on_pause(raw: str) -> dict:
            """Pause and leave: the session is kept as it is, to be resumed from the sessions tab."""
            state = decode_state(raw)
            had_session = bool(state["session_id"])
            updates = on_new(raw)
            return {**updates, setup_message: text(state["language"], "paused") if had_session else ""}

        def on_upload(path: str | None, existing: str, raw: str) -> dict:
            state = decode_state(raw)
            lang = state["language"]
            try:
                content = handlers.read_upload(path, lang)
            except handlers.UserError as error:
                return {upload_message: f'<p class="error">{handlers.literal(str(error))}</p>'}
            if not content:
                return {}
            merged, message = handlers.merge_upload(existing or "", content, Path(path or "").name, lang)
            return {resume_text: merged, upload_message: handlers.literal(message),
                    browser: encode_state({**state, "resume_draft": merged})}

        def on_check(raw: str) -> str:
            lang = decode_state(raw)["language"]
            report = service.check_llm()
            if report.verdict == "offline":
                return f"{llm_status(settings, lang)} · {text(lang, 'check_offline')}"
            if report.verdict == "not_usable":
                return f"{llm_status(settings, lang)} · {text(lang, 'check_fail')}"
            method = f" ({report.method}, {report.judge_seconds} s)" if report.method else ""
            keys = {"usable": "check_ok", "phrasing_only": "check_phrasing_only"}
            key = keys.get(report.verdict, "check_judging_only")
            return f"{llm_status(settings, lang)} · {text(lang, key)}{method}"

        def on_sessions(raw: str) -> dict:
            state = decode_state(raw)
            shown = table(state)
            return {sessions_table: shown, confirm_row: gr.update(visible=False),
                    sessions_message: "" if shown["data"] else text(state["language"], "no_sessions")}

        def on_select(event: gr.SelectData) -> dict:
            row = event.row_value if event.row_value else []
            return {selected: str(row[0]) if row else "", confirm_row: gr.update(visible=False),
                    sessions_message: ""}

        def own(session_id: str, state: dict[str, Any]) -> str | None:
            """The id if it is one of this browser's sessions, else None."""
            session_id = (session_id or "").strip()
            if all_sessions:
                return session_id if any(s.session_id == session_id for s in service.list_sessions()) else None
            return session_id if session_id in state["sessions"] else None

        def selection(session_id: str, raw: str) -> tuple[dict[str, Any], str, str | None]:
            """This browser's state, its language, and the chosen session if it is one of this browser's."""
            state = decode_state(raw)
            return state, state["language"], own(session_id, state)

        def nothing_selected(lang: str) -> dict:
            return {sessions_message: text(lang, "select_session"), confirm_row: gr.update(visible=False)}

        def on_resume(session_id: str, raw: str) -> Iterator[dict]:
            state, lang, chosen = selection(session_id, raw)
            if chosen is None:
                yield nothing_selected(lang)
                return
            try:
                view = service.resume(chosen)
            except SessionError:
                state = without_session(state, chosen)
                yield {sessions_message: text(lang, "not_found"), browser: encode_state(state),
                       sessions_table: table(state)}
                return
            if state["session_id"] != chosen:
                pause_current(state)
            state = with_session(state, chosen)
            yield from shown(view, lang, {
                browser: encode_state(state), tabs: gr.Tabs(selected="interview"), sessions_message: "",
                sessions_table: table(state), confirm_row: gr.update(visible=False)})

        def on_delete_ask(session_id: str, raw: str) -> dict:
            _, lang, chosen = selection(session_id, raw)
            if chosen is None:
                return nothing_selected(lang)
            return {confirm_row: gr.update(visible=True), confirm_markdown: text(lang, "delete_ask", id=chosen),
                    sessions_message: ""}

        def on_delete(session_id: str, raw: str) -> dict:
            state, lang, chosen = selection(session_id, raw)
            if chosen is None:
                return nothing_selected(lang)
            with contextlib.suppress(SessionError):  # already gone: forget it all the same
                service.delete(chosen)
            was_current = state["session_id"] == chosen
            state = without_session(state, chosen)
            updates: dict[Any, Any] = {
                sessions_table: table(state), selected: "", confirm_row: gr.update(visible=False),
                sessions_message: text(lang, "deleted", id=chosen), browser: encode_state(state)}
            if was_current:
                updates.update(show(None, lang))
            return updates

        def on_progress(raw: str) -> tuple[str, Any]:
            state = decode_state(raw)
            return handlers.progress_view(service, visible(state), state["language"])

        private: dict[str, Any] = {"api_visibility": "private"}
        # Outputs end with [..., browser, x] so API clients find the browser state at index -2.
        demo.load(on_load, [browser],
                  list(dict.fromkeys([*label_outputs, *screen, *live, language, browser, answer, resume_text])),
                  **private)
        start_event = start_button.click(
            on_start, [mode, stages, questions, topics, difficulty, resume_text, language, browser],
            [*screen, *live, sessions_table, browser, setup_message], concurrency_limit=ANSWER_CONCURRENCY,
            api_name="start")
        answer_outputs = [*screen, *live, sessions_table, browser, answer]
        answer_events = [
            answer.submit(on_answer, [answer, browser], answer_outputs, concurrency_limit=ANSWER_CONCURRENCY,
                          api_name="answer"),
            send_button.click(on_answer, [answer, browser], answer_outputs, concurrency_limit=ANSWER_CONCURRENCY,
                              **private)]
        for button, command in ((hint_button, "/hint"), (skip_button, "/skip"), (end_button, "/end")):
            answer_events.append(button.click(command_handler(command), [answer, browser], answer_outputs,
                                              concurrency_limit=ANSWER_CONCURRENCY, **private))
        # Drafts are saved in the browser on every change, typed or pasted (no server call), and re-saved
        # after each answer event in case the candidate kept typing while the reply appeared. (`.input`
        # would miss a paste with the mouse: Gradio fires it from key presses.)
        answer.change(None, [answer, browser], [browser], js=SAVE_ANSWER_DRAFT_JS, **private)
        for event in answer_events:
            event.then(None, [answer, browser], [browser], js=SAVE_ANSWER_DRAFT_JS, **private)
        resume_text.change(None, [resume_text, browser], [browser], js=SAVE_RESUME_DRAFT_JS, **private)
        new_button.click(on_new, [browser], [*screen, *live, sessions_table, browser], **private)
        new_during_button.click(on_new, [browser], [*screen, *live, sessions_table, browser], **private)
        pause_button.click(on_pause, [browser], [*screen, *live, sessions_table, browser, setup_message], **private)
        language.input(on_language, [language, browser],
                       list(dict.fromkeys([*label_outputs, browser, sessions_table, setup_message, upload_message])),
                       **private)
        language.change(None, [language], None, js=SET_TITLE_JS, **private)
        upload.upload(on_upload, [upload, resume_text, browser], [resume_text, upload_message, browser], **private)
        check_button.click(on_check, [browser], [llm_markdown], **private)
        session_outputs = [sessions_table, confirm_row, sessions_message]
        sessions_tab.select(on_sessions, [browser], session_outputs, **private)
        refresh_button.click(on_sessions, [browser], session_outputs, **private)
        sessions_table.select(on_select, None, [selected, confirm_row, sessions_message], **private)
        resume_button.click(on_resume, [selected, browser],
                            [*screen, *live, browser, tabs, sessions_message, sessions_table, confirm_row], **private)
        delete_button.click(on_delete_ask, [selected, browser], [confirm_row, confirm_markdown, sessions_message],
                            **private)
        confirm_button.click(on_delete, [selected, browser],
                             [*screen, *live, browser, sessions_table, selected, confirm_row, sessions_message],
                             **private)
        cancel_button.click(lambda: gr.update(visible=False), None, [confirm_row], **private)
        progress_tab.select(on_progress, [browser], [progress_markdown, progress_plot], **private)
        progress_button.click(on_progress, [browser], [progress_markdown, progress_plot], **private)
        del start_event
    return demo


__all__ = ["InterviewApp", "build_app", "decode_state", "encode_state"]
