"""The Gradio web app: setup, the live interview, the report, past sessions and progress.

Per-browser isolation: the only per-user value is the session id, kept in the browser
(`gr.BrowserState`, fixed storage key, secret from the data directory); everything else lives in
the service's checkpointer, so a refresh, a closed tab or a server restart loses nothing.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# A web server shares its cores between requests and the report worker. OpenMP threads that spin
# while waiting make the embedding engine ~6x slower whenever a core is busy (measured); passive
# waiting costs ~20% when idle. Must be set before the engine loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import gradio as gr

from interviewer.service import InterviewService, SessionError, SessionView
from interviewer.settings import LLMSettings
from interviewer.transcript import STAGES
from ui import handlers
from ui.i18n import STAGE_NAMES, text
from ui.report_files import ReportFiles

STORAGE_KEY = "mock-interviewer-session"
STREAM_STEPS = 4  # an interviewer message appears in this many increments
ANSWER_CONCURRENCY = 8  # answers of different candidates are graded in parallel


def browser_secret(home: Path) -> str:
    """A per-installation secret for the browser-stored session id, created once and kept on disk."""
    path = home / "web_secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(24), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def encode_state(state: dict[str, Any]) -> str:
    return json.dumps(state)


def decode_state(raw: Any) -> dict[str, Any]:
    """The browser's stored state; anything unreadable (tampered, old format) means a fresh start."""
    try:
        state = json.loads(raw) if isinstance(raw, str) else {}
    except json.JSONDecodeError:
        state = {}
    if not isinstance(state, dict):
        state = {}
    language = state.get("language") if state.get("language") in ("zh", "en") else "zh"
    session_id = state.get("session_id") if isinstance(state.get("session_id"), str) else None
    return {"session_id": session_id, "language": language}


def llm_status(settings: LLMSettings, language: str) -> str:
    if not settings.configured:
        return f"🟢 {text(language, 'offline')}"
    return f"🔵 {text(language, 'online')}: `{settings.model}` @ `{settings.base_url or 'api.openai.com'}`"


def build_app(service: InterviewService, home: Path, settings: LLMSettings | None = None) -> gr.Blocks:
    settings = settings or LLMSettings.from_env()
    language0 = "zh"
    reports = ReportFiles(service, home)
    reports.warm()
    with gr.Blocks(title=text(language0, "title"), analytics_enabled=False, delete_cache=(3600, 7200)) as demo:
        # A JSON string, not a dict: Gradio would read a returned dict as a component update.
        browser = gr.BrowserState(encode_state({"session_id": None, "language": language0}), storage_key=STORAGE_KEY,
                                  secret=browser_secret(home))
        gr.Markdown(f"## {text(language0, 'title')}")
        with gr.Tabs(selected="interview") as tabs:
            with gr.Tab(text(language0, "tab_interview"), id="interview"):
                with gr.Column(visible=True, elem_id="setup") as setup_column:
                    language = gr.Radio([("中文", "zh"), ("English", "en")], value=language0,
                                        label=text(language0, "language"), elem_id="language")
                    mode = gr.Radio([(text(language0, "mode_interview"), "interview"),
                                     (text(language0, "mode_practice"), "practice")], value="interview",
                                    label=text(language0, "mode"), elem_id="mode")
                    stages = gr.CheckboxGroup([(STAGE_NAMES[language0][s], s) for s in STAGES], value=list(STAGES),
                                              label=text(language0, "stages"), elem_id="stages")
                    with gr.Row():
                        questions = gr.Slider(0, 15, value=5, step=1, label=text(language0, "questions"),
                                              elem_id="questions")
                        difficulty = gr.Slider(1, 3, value=2, step=1, label=text(language0, "difficulty"))
                    topics = gr.Dropdown(handlers.topic_choices(language0), multiselect=True, value=[],
                                         label=text(language0, "topics"))
                    resume_text = gr.Textbox(lines=4, label=text(language0, "resume"), elem_id="resume")
                    upload = gr.File(file_types=list(handlers.UPLOAD_TYPES), type="filepath",
                                     label=text(language0, "upload"))
                    with gr.Row():
                        llm_markdown = gr.Markdown(llm_status(settings, language0))
                        check_button = gr.Button(text(language0, "check"), size="sm")
                    start_button = gr.Button(text(language0, "start"), variant="primary", elem_id="start")
                    setup_message = gr.Markdown(elem_id="setup-message")
                with gr.Row(visible=False, elem_id="interview") as interview_row:
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(height=480, elem_id="chat", label=text(language0, "tab_interview"))
                        answer = gr.Textbox(lines=1, max_lines=12, label=text(language0, "answer"), elem_id="answer")
                        with gr.Row():
                            send_button = gr.Button(text(language0, "send"), variant="primary", elem_id="send")
                            hint_button = gr.Button(text(language0, "hint"), elem_id="hint")
                            skip_button = gr.Button(text(language0, "skip"), elem_id="skip")
                            end_button = gr.Button(text(language0, "end"), variant="stop", elem_id="end")
                        notice = gr.Markdown(elem_id="notice")
                    with gr.Column(scale=2):
                        panel = gr.Markdown(elem_id="panel")
                        with gr.Accordion(text(language0, "grade"), open=True, visible=False) as grade_box:
                            grade_markdown = gr.Markdown(elem_id="grade")
                with gr.Column(visible=False, elem_id="report") as report_column:
                    report_html = gr.HTML(elem_id="report-html")
                    downloads = gr.File(file_count="multiple", label=text(language0, "downloads"),
                                        elem_id="downloads", interactive=False)
                    new_button = gr.Button(text(language0, "new"), elem_id="new")
            with gr.Tab(text(language0, "tab_sessions"), id="sessions"):
                sessions_table = gr.Dataframe(headers=["id", "created", "status", "mode", "score", "answered"],
                                              interactive=False, elem_id="sessions-table")
                selected = gr.Textbox(label=text(language0, "session_id"), elem_id="selected-session")
                with gr.Row():
                    refresh_button = gr.Button(text(language0, "refresh"))
                    resume_button = gr.Button(text(language0, "resume_session"), elem_id="resume-session")
                    delete_button = gr.Button(text(language0, "delete"), variant="stop", elem_id="delete-session")
                sessions_message = gr.Markdown()
            with gr.Tab(text(language0, "tab_progress"), id="progress"):
                progress_button = gr.Button(text(language0, "refresh"))
                progress_markdown = gr.Markdown(elem_id="progress")
                progress_plot = gr.Plot()

        screen = [setup_column, interview_row, report_column]
        live = [chat, panel, grade_box, grade_markdown, notice, report_html, downloads]

        def show(view: SessionView | None, lang: str, messages: list[dict[str, str]] | None = None, *,
                 wait_for_pdf: bool = True) -> dict[Any, Any]:
            """Component updates for a session view (None: back to setup)."""
            if view is None:
                return {setup_column: gr.update(visible=True), interview_row: gr.update(visible=False),
                        report_column: gr.update(visible=False), chat: [], panel: "", notice: "",
                        grade_box: gr.update(visible=False), grade_markdown: "", report_html: "", downloads: None}
            updates: dict[Any, Any] = {setup_column: gr.update(visible=False),
                                       interview_row: gr.update(visible=not view.finished),
                       report_column: gr.update(visible=view.finished),
                       chat: messages if messages is not None else handlers.chat_messages(view.turns),
                       panel: handlers.side_panel(view, lang), notice: view.notice or "",
                       grade_box: gr.update(visible=view.mode == "practice" and bool(view.last_grade)),
                       grade_markdown: handlers.grade_panel(view, lang), report_html: "", downloads: None}
            if view.finished:
                page, files, font_notice = reports.for_session(view.session_id, wait_for_pdf=wait_for_pdf)
                updates.update({report_html: page, downloads: files, notice: font_notice})
            return updates

        def streamed(view: SessionView, lang: str, state: dict, final: dict | None = None) -> Iterator[dict]:
            """Reveal the interviewer's new messages progressively, then the final state (plus `final`)."""
            shown = handlers.chat_messages(view.turns[: len(view.turns) - len(view.new_turns)])
            for message in handlers.chat_messages(view.new_turns):
                if message["role"] == "user":
                    shown = [*shown, message]
                    continue
                content = message["content"]
                step = max(1, len(content) // STREAM_STEPS)
                for end in range(step, len(content), step):
                    yield {chat: [*shown, {"role": "assistant", "content": content[:end]}]}
                shown = [*shown, message]
            yield {**show(view, lang, shown, wait_for_pdf=False), browser: encode_state(state), **(final or {})}
            if view.finished:  # the report is on the page; the PDF joins the downloads when written
                _, files, font_notice = reports.for_session(view.session_id, wait_for_pdf=True)
                yield {downloads: files, notice: font_notice}

        def on_load(raw: str) -> dict:
            state = decode_state(raw)
            lang = state["language"]
            session_id = state.get("session_id")
            if not session_id:
                return {**show(None, lang), language: lang}
            try:
                view = service.resume(session_id)
            except SessionError:
                return {**show(None, lang), browser: encode_state({**state, "session_id": None}), language: lang}
            return {**show(view, lang), language: lang}

        def on_start(mode_value: str, stage_values: list[str], question_count: float, topic_values: list[str],
                     difficulty_value: float, resume_value: str, lang: str, raw: str) -> Iterator[dict]:
            try:
                plan = handlers.plan_from_setup(mode_value, stage_values, question_count, topic_values,
                                                difficulty_value, resume_value, lang)
                view = service.start(plan)
            except handlers.UserError as error:
                yield {setup_message: f"⚠️ {error}"}
                return
            state = {**decode_state(raw), "session_id": view.session_id, "language": lang}
            yield from streamed(view, lang, state, {setup_message: ""})

        def on_answer(message: str, raw: str, command: str | None = None) -> Iterator[dict]:
            state = decode_state(raw)
            lang = state["language"]
            session_id = state.get("session_id")
            if not session_id:
                yield {notice: f"⚠️ {text(lang, 'not_found')}", answer: message}
                return
            payload = command or message
            if not payload.strip():
                yield {notice: text(lang, "empty_answer"), answer: message}
                return
            try:
                view = service.answer(session_id, payload)
            except SessionError as error:
                yield {notice: f"⚠️ {error}", answer: message}
                return
            except Exception:  # never a traceback in the page; the typed text stays in the box
                yield {notice: f"⚠️ {text(lang, 'error')}", answer: message}
                return
            keep = message if command == "/hint" else ""  # a hint request keeps the draft answer
            yield {answer: keep}
            yield from streamed(view, lang, state, {answer: keep})

        def command_handler(command: str) -> Any:
            def handler(message: str, raw: str) -> Iterator[dict]:
                yield from on_answer(message, raw, command)
            return handler

        def on_new(raw: str) -> dict:
            state = decode_state(raw)
            return {**show(None, state["language"]), browser: encode_state({**state, "session_id": None})}

        def on_language(lang: str, raw: str) -> dict:
            return {browser: encode_state({**decode_state(raw), "language": lang}),
                    llm_markdown: llm_status(settings, lang),
                    start_button: gr.update(value=text(lang, "start")),
                    send_button: gr.update(value=text(lang, "send")),
                    hint_button: gr.update(value=text(lang, "hint")), skip_button: gr.update(value=text(lang, "skip")),
                    end_button: gr.update(value=text(lang, "end")), answer: gr.update(label=text(lang, "answer")),
                    mode: gr.update(label=text(lang, "mode"), choices=[(text(lang, "mode_interview"), "interview"),
                                                                        (text(lang, "mode_practice"), "practice")]),
                    stages: gr.update(label=text(lang, "stages"), choices=[(STAGE_NAMES[lang][s], s) for s in STAGES]),
                    topics: gr.update(label=text(lang, "topics"), choices=handlers.topic_choices(lang)),
                    resume_text: gr.update(label=text(lang, "resume"))}

        def on_upload(path: str | None, raw: str) -> dict:
            lang = decode_state(raw)["language"]
            try:
                return {resume_text: handlers.read_upload(path, lang), setup_message: ""}
            except handlers.UserError as error:
                return {setup_message: f"⚠️ {error}"}

        def on_check(raw: str) -> str:
            lang = decode_state(raw)["language"]
            if service.chat_model is None:
                return f"{llm_status(settings, lang)} · {text(lang, 'check_offline')}"
            try:
                service.chat_model.invoke("ping")
            except Exception:
                return f"{llm_status(settings, lang)} · ⚠️ {text(lang, 'check_fail')}"
            return f"{llm_status(settings, lang)} · ✅ {text(lang, 'check_ok')}"

        def on_select(event: gr.SelectData) -> str:
            row = event.row_value if event.row_value else []
            return str(row[0]) if row else ""

        def on_resume(session_id: str, raw: str) -> dict:
            state = decode_state(raw)
            lang = state["language"]
            try:
                view = service.resume(session_id.strip())
            except SessionError:
                return {sessions_message: f"⚠️ {text(lang, 'select_session')}"}
            return {**show(view, lang), browser: encode_state({**state, "session_id": view.session_id}),
                    tabs: gr.Tabs(selected="interview"), sessions_message: ""}

        def on_delete(session_id: str, raw: str) -> dict:
            state = decode_state(raw)
            lang = state["language"]
            try:
                service.delete(session_id.strip())
            except SessionError:
                return {sessions_message: f"⚠️ {text(lang, 'select_session')}"}
            updates: dict = {sessions_table: handlers.sessions_table(service), selected: "",
                             sessions_message: text(lang, "deleted")}
            if state.get("session_id") == session_id.strip():
                updates.update({**show(None, lang), browser: encode_state({**state, "session_id": None})})
            return updates

        def on_progress(raw: str) -> tuple[str, Any]:
            return handlers.progress_markdown(service, decode_state(raw)["language"])

        everything = [*screen, *live, browser, language]
        demo.load(on_load, [browser], everything, api_visibility="private")
        start_event = start_button.click(
            on_start, [mode, stages, questions, topics, difficulty, resume_text, language, browser],
            [*screen, *live, browser, setup_message], concurrency_limit=ANSWER_CONCURRENCY, api_name="start")
        answer_outputs = [*screen, *live, browser, answer]
        answer.submit(on_answer, [answer, browser], answer_outputs, concurrency_limit=ANSWER_CONCURRENCY,
                      api_name="answer")
        send_button.click(on_answer, [answer, browser], answer_outputs, concurrency_limit=ANSWER_CONCURRENCY,
                          api_visibility="private")
        for button, command in ((hint_button, "/hint"), (skip_button, "/skip"), (end_button, "/end")):
            button.click(command_handler(command), [answer, browser], answer_outputs,
                         concurrency_limit=ANSWER_CONCURRENCY, api_visibility="private")
        new_button.click(on_new, [browser], [*screen, *live, browser], api_visibility="private")
        language.change(on_language, [language, browser],
                        [browser, llm_markdown, start_button, send_button, hint_button, skip_button, end_button,
                         answer, mode, stages, topics, resume_text], api_visibility="private")
        upload.upload(on_upload, [upload, browser], [resume_text, setup_message], api_visibility="private")
        check_button.click(on_check, [browser], [llm_markdown], api_visibility="private")
        refresh_button.click(lambda: handlers.sessions_table(service), None, [sessions_table], api_visibility="private")
        sessions_table.select(on_select, None, [selected], api_visibility="private")
        resume_button.click(on_resume, [selected, browser], [*screen, *live, browser, tabs, sessions_message],
                            api_visibility="private")
        delete_button.click(on_delete, [selected, browser],
                            [*screen, *live, browser, sessions_table, selected, sessions_message],
                            api_visibility="private")
        progress_button.click(on_progress, [browser], [progress_markdown, progress_plot], api_visibility="private")
        demo.load(lambda: handlers.sessions_table(service), None, [sessions_table], api_visibility="private")
        del start_event
    return demo


def launch(demo: gr.Blocks, home: Path, *, host: str = "127.0.0.1", port: int | None = 7860,
           auth: tuple[str, str] | None = None, prevent_thread_lock: bool = False, quiet: bool = False) -> Any:
    """Safe defaults: loopback unless told otherwise, no share link, only the reports folder served."""
    reports = home / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    demo.queue(default_concurrency_limit=ANSWER_CONCURRENCY, max_size=256)
    return demo.launch(server_name=host, server_port=port, auth=auth, share=False, allowed_paths=[str(reports)],
                       max_file_size="5mb", footer_links=["gradio", "settings"], run_history=False,
                       prevent_thread_lock=prevent_thread_lock, quiet=quiet, show_error=False, ssr_mode=False)
