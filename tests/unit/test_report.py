"""The score report from a scripted session: content, every format, escaping of hostile answers, progress."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from interviewer.plan import InterviewPlan
from interviewer.report import Report, build_progress, build_report, render_report, write_report
from interviewer.report.fonts import find_cjk_font

HOSTILE = ["<script>alert('x')</script>我做过 RAG 项目", "<img src=x onerror=alert(1)> LoRA 冻结原始权重",
           "[点我](javascript:alert(1)) **加粗** # 标题 | 表格 |", "</div><iframe src=//evil></iframe>"]


@pytest.fixture
def finished(hash_store, make_service):  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    view = service.start(InterviewPlan(technical_questions=2, project_questions=2, behavioral_questions=1))
    answers = iter([*HOSTILE, "缓存 key 和 value，避免重复计算。", "/skip", "团队做什么？", "好的"] * 3)
    while view.awaiting_answer:
        view = service.answer(view.session_id, next(answers))
    return service, service.snapshot(view.session_id)


def test_report_covers_every_question_with_the_candidates_own_words(finished) -> None:  # type: ignore[no-untyped-def]
    service, snapshot = finished
    report = build_report(snapshot, service.bank)
    asked = {t.question_id for t in snapshot.turns if t.kind == "question" and not t.question_id.startswith("closing.")}
    assert {q.question_id for q in report.questions} == asked
    typed = [t.text for t in snapshot.turns if t.kind == "answer"]
    for question in report.questions:
        assert all(answer in typed for answer in question.answers)
        for point in question.key_points_hit:
            assert point["evidence"] and any(point["evidence"] in answer for answer in question.answers)
    assert report.overall_score == round(sum(q.score for q in report.questions) / len(report.questions))
    for group in report.topic_scores:
        members = [q.score for q in report.questions if q.topic == group.name]
        assert group.score == round(sum(members) / len(members)) and group.questions == len(members)
    assert report.level and report.config["embeddings"] == "hash-ngram-384"
    assert any(q.flags == ["skipped"] for q in report.questions)


def test_every_format_is_generated_and_json_validates(finished, home: Path) -> None:  # type: ignore[no-untyped-def]
    service, snapshot = finished
    report = build_report(snapshot, service.bank)
    paths = {fmt: write_report(report, fmt, None, home) for fmt in ("md", "html", "json", "pdf")}
    assert all(path.parent == home / "reports" and path.stat().st_size > 500 for path in paths.values())
    assert len({path.stem for path in paths.values()}) == 4  # random names
    restored = Report.model_validate_json(paths["json"].read_text(encoding="utf-8"))
    assert restored == report
    assert list(json.loads(paths["json"].read_text(encoding="utf-8"))) == list(Report.model_fields)


def test_hostile_answers_are_escaped_in_html_and_markdown(finished) -> None:  # type: ignore[no-untyped-def]
    service, snapshot = finished
    report = build_report(snapshot, service.bank)
    page = render_report(report, "html").decode("utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page and "<iframe src=//evil" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<script") == 0
    markdown = render_report(report, "md").decode("utf-8")
    assert "<script>" not in markdown and "<img" not in markdown
    assert "\\[点我\\]\\(javascript:alert\\(1\\)\\)" in markdown and "\\*\\*加粗\\*\\*" in markdown


@pytest.mark.skipif(shutil.which("pdftotext") is None or find_cjk_font() is None,
                    reason="needs poppler-utils and a CJK font (installed by .ci/run)")
def test_pdf_text_contains_the_chinese_questions(finished, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service, snapshot = finished
    report = build_report(snapshot, service.bank)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(report, "pdf"))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    compact = "".join(text.split())
    assert "模拟面试报告" in compact
    for question in report.questions:
        assert "".join(question.question.split())[:12] in compact
    assert "<script>alert('x')</script>" in compact.replace("’", "'")  # shown as text, harmless in a PDF


def test_pdf_without_a_cjk_font_points_to_the_html_report(finished, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from interviewer.report import render
    from interviewer.report.fonts import MissingFontError

    monkeypatch.setattr(render, "find_cjk_font", lambda: None)
    service, snapshot = finished
    with pytest.raises(MissingFontError, match="HTML"):
        render_report(build_report(snapshot, service.bank), "pdf")


def test_progress_across_sessions_brings_weak_questions_back(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    plan = InterviewPlan(stages=["technical"], technical_questions=2)
    first = service.start(plan)
    weak_question = first.new_turns[-1].question_id
    while first.awaiting_answer:
        first = service.answer(first.session_id, "不知道")
    second = service.start(plan)
    while second.awaiting_answer:
        second = service.answer(second.session_id, "/skip")
    progress = build_progress([service.snapshot(s.session_id) for s in service.list_sessions()], service.bank)
    assert [s.session_id for s in progress.sessions] == [first.session_id, second.session_id]
    assert progress.trend is not None and progress.weakest_topics
    assert weak_question in {item.question_id for item in progress.revisit}
