"""What is on the page: every component, created once inside the Blocks context and kept in a dataclass.

Event handlers (ui/events.py) and the wiring (ui/app.py) refer to components through `Components`.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from interviewer.service import DEFAULT_TECHNICAL_QUESTIONS, MAX_TECHNICAL_QUESTIONS, STAGES
from interviewer.settings import LLMSettings
from ui import handlers
from ui.i18n import STAGE_NAMES, difficulty_choices, text
from ui.state import encode_state, fresh_state

STORAGE_KEY = "mock-interviewer-session"
LANGUAGE_LABEL = f"{text('zh', 'language')} / {text('en', 'language')}"  # findable whatever the language


def browser_secret(home: Path) -> str:
    """A per-installation secret for the browser-stored session id, created once and kept on disk;
    $MOCK_INTERVIEWER_WEB_SECRET instead, so that every replica reads what another one stored."""
    if os.environ.get("MOCK_INTERVIEWER_WEB_SECRET"):
        return os.environ["MOCK_INTERVIEWER_WEB_SECRET"]
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


@dataclass(frozen=True)
class Components:
    """Every component of the page, by the name the handlers use."""

    answer: Any
    browser: Any
    cancel_button: Any
    chat: Any
    check_button: Any
    closing: Any
    confirm_button: Any
    confirm_markdown: Any
    confirm_row: Any
    delete_button: Any
    difficulty: Any
    downloads: Any
    end_button: Any
    grade_box: Any
    grade_markdown: Any
    hint_button: Any
    interview_row: Any
    interview_tab: Any
    language: Any
    llm_markdown: Any
    mode: Any
    new_button: Any
    new_during_button: Any
    notice: Any
    panel: Any
    pause_button: Any
    progress_button: Any
    progress_markdown: Any
    progress_plot: Any
    progress_tab: Any
    questions: Any
    project_questions: Any
    job_text: Any
    reference_box: Any
    reference_markdown: Any
    refresh_button: Any
    report_column: Any
    report_html: Any
    resume_button: Any
    resume_text: Any
    selected: Any
    send_button: Any
    sessions_message: Any
    sessions_tab: Any
    sessions_table: Any
    setup_column: Any
    setup_message: Any
    skip_button: Any
    stages: Any
    start_button: Any
    tabs: Any
    title: Any
    topics: Any
    upload: Any
    upload_message: Any

    @property
    def screen(self) -> list[Any]:
        """The three screens of the interview tab: setup, the live interview, the report."""
        return [self.setup_column, self.interview_row, self.report_column]

    @property
    def live(self) -> list[Any]:
        """What a session view updates."""
        return [self.chat, self.panel, self.grade_box, self.grade_markdown, self.reference_box,
                self.reference_markdown, self.notice, self.closing, self.report_html, self.downloads]


def build_layout(home: Path, settings: LLMSettings, language0: str = "zh") -> Components:
    """Create the page's components (call inside a `gr.Blocks` context)."""
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
                    project_questions = gr.Slider(1, 13, value=6, step=1, elem_id="project-questions",
                                                  label=text(language0, "project_questions"))
                    difficulty = gr.Radio(difficulty_choices(language0), value=2,
                                          label=text(language0, "difficulty"), elem_id="difficulty")
                topics = gr.Dropdown(handlers.topic_choices(language0), multiselect=True, value=[],
                                     label=text(language0, "topics"), elem_id="topics")
                resume_text = gr.Textbox(lines=4, max_lines=16, label=text(language0, "resume"), elem_id="resume")
                job_text = gr.Textbox("", lines=3, max_lines=12, label=text(language0, "job_description"),
                                      elem_id="job-description")
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
    return Components(
        answer=answer, browser=browser, cancel_button=cancel_button, chat=chat, check_button=check_button,
        closing=closing, confirm_button=confirm_button, confirm_markdown=confirm_markdown, confirm_row=confirm_row,
        delete_button=delete_button, difficulty=difficulty, downloads=downloads, end_button=end_button,
        grade_box=grade_box, grade_markdown=grade_markdown, hint_button=hint_button, interview_row=interview_row,
        interview_tab=interview_tab, language=language, llm_markdown=llm_markdown, mode=mode, new_button=new_button,
        new_during_button=new_during_button, notice=notice, panel=panel, pause_button=pause_button,
        progress_button=progress_button, progress_markdown=progress_markdown, progress_plot=progress_plot,
        progress_tab=progress_tab, questions=questions, reference_box=reference_box,
        project_questions=project_questions, job_text=job_text,
        reference_markdown=reference_markdown, refresh_button=refresh_button, report_column=report_column,
        report_html=report_html, resume_button=resume_button, resume_text=resume_text, selected=selected,
        send_button=send_button, sessions_message=sessions_message, sessions_tab=sessions_tab,
        sessions_table=sessions_table, setup_column=setup_column, setup_message=setup_message,
        skip_button=skip_button, stages=stages, start_button=start_button, tabs=tabs, title=title, topics=topics,
        upload=upload, upload_message=upload_message
    )
