"""The score report: content from a scripted session, every format, escaping of hostile answers, the PDF's
layout of mixed Chinese/Latin text, writing to a directory, and progress across sessions."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.grading.models import GradeResult, KeyPointGrade, MisconceptionHit
from interviewer.plan import InterviewPlan
from interviewer.report import Report, build_progress, build_report, render_report, write_report
from interviewer.report.fonts import find_cjk_font
from interviewer.transcript import Claim, SessionSnapshot, Turn
from question_bank.loader import load_bank
from question_bank.taxonomy import topic_label
from tests.conftest import hash_store_at, service_at

HOSTILE = ["<script>alert('x')</script>我做过 RAG 项目", "<img src=x onerror=alert(1)> LoRA 冻结原始权重",
           "[点我](javascript:alert(1)) **加粗** # 标题 | 表格 |", "</div><iframe src=//evil></iframe>"]
NEEDS_PDFTOTEXT = pytest.mark.skipif(shutil.which("pdftotext") is None or find_cjk_font() is None,
                                     reason="needs poppler-utils and a CJK font (installed by .ci/run)")
runner = CliRunner()


# --- a real session, played once for the module -------------------------------------------------------------

@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory, hash_index: Path):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("report-home")
    service = service_at(home, hash_store_at(home))
    view = service.start(InterviewPlan(technical_questions=2, project_questions=2, behavioral_questions=1))
    answers = iter([*HOSTILE, "缓存 key 和 value，避免重复计算。", "/skip", "团队做什么？", "好的"] * 3)
    while view.awaiting_answer:
        view = service.answer(view.session_id, next(answers))
    return service, service.snapshot(view.session_id)


# --- a scripted transcript: every case the report has to present ---------------------------------------------

MIXED = "我叫李四，主要方向是 RAG，底座模型是 Qwen2-7B。"
OVERVIEW = "挑一个你做得最深入的大模型项目，讲讲它的背景和整体方案？"  # the bank's wording is "聊一下RAG项目总体思路？"
FIRST = "我们做企业知识库问答，数据有 5 万条问答对，准确率 99.8%。检索之后用 cross-encoder"
SECOND = "我的项目准确率是在 500 条人工标注集上测的 86%。"
GLUED = "检索之后用 cross-encoder我的项目准确率是在 500 条人工标注集上测的 86%。"  # the grader's unit
PROBE = "你提到「准确率 99.8%」，几乎是 100%，这个结果是怎么测出来的？测试集有多大？"
ATTACK = ("<script>alert('x')</script>KV cache 缓存每层的 key 和 value，[点我](javascript:alert(1)) **加粗**"
          " # 标题 | 表格 |\n# 不是标题\n<img src=x onerror=alert(1)>\n1. 不是列表\n---\n![图](http://evil.example/x.png)")
LONG_MIXED = ("那次上线 RAG 服务时，召回阶段用 BM25 加 bge-large-zh 向量召回，相似度阈值 0.72，重排用 "
              "bge-reranker-v2-m3，生成用 Qwen2-7B-Instruct 配合 vLLM 部署在 2 张 A100-80G 上。"
              "压测时 P99 latency 从 800ms 涨到 3.2s，排查发现是 max_num_seqs 和 gpu_memory_utilization 配置不当，"
              "调整为 256 与 0.9 之后恢复正常；我复盘写了 postmortem 文档，并在 CI 里加了 locust 压测。") * 2
NOTE = "LLM 评分超时，改用离线评分"


def _turn(stage: str, kind: str, text: str, question_id: str | None = None, slot: str | None = None,
          grade: dict[str, Any] | None = None) -> Turn:
    return Turn(stage=stage, kind=kind, text=text, question_id=question_id, slot=slot, grade=grade,  # type: ignore[arg-type]
                at="2025-05-01T10:00:00.000+00:00")


def _grade(question_id: str, score: int, points: list[tuple[str, str, str | None]] = (), **extra: Any) -> dict[str, Any]:  # type: ignore[assignment]
    key_points = [KeyPointGrade(index=index, text=text, weight=1, status=status, evidence=evidence)  # type: ignore[arg-type]
                  for index, (text, status, evidence) in enumerate(points)]
    extra.setdefault("grader", "embedding")
    extra.setdefault("feedback", "建议先把核心概念讲清楚。")
    return GradeResult(question_id=question_id, score=score, key_points=key_points, **extra).model_dump(mode="json")


def _skip(question_id: str) -> dict[str, Any]:
    return _grade(question_id, 0, flags=["skipped"], grader="rule", feedback="跳过了这道题。")


def scripted(session_id: str = "scripted01", created_at: str = "2025-05-01T10:00:00.000+00:00",
             status: str = "finished", overview_score: int = 52) -> SessionSnapshot:
    turns = [
        _turn("opening", "system", "你好，欢迎参加这场模拟面试。"),
        _turn("opening", "question", "请先做一个简单的自我介绍。", "opening.self_intro"),
        _turn("opening", "answer", MIXED, "opening.self_intro", grade=_grade(
            "opening.self_intro", 72, [("点出掌握的核心技术栈", "covered", "主要方向是 RAG，底座模型是 Qwen2-7B。"),
                                       ("说明求职动机", "missing", None)])),
        _turn("project", "question", OVERVIEW, "project.overview", "overview"),
        _turn("project", "answer", FIRST, "project.overview", "overview", _grade(
            "project.overview", 40, [("说明整体技术方案", "covered", "数据有 5 万条问答对，准确率 99.8%。")])),
        _turn("project", "follow_up", PROBE, "project.overview", "overview"),
        _turn("project", "answer", SECOND, "project.overview", "overview", _grade(
            "project.overview", overview_score, [("说明整体技术方案", "covered", "数据有 5 万条问答对，准确率 99.8%。"),
                                                 ("给出可信的效果评估", "covered", GLUED),
                                                 ("说明自己负责的部分", "missing", None)])),
        _turn("project", "follow_up", "能再讲讲你自己负责的部分吗？", "project.overview", "overview"),
        _turn("project", "answer", "/skip", "project.overview", "overview", _skip("project.overview")),
        _turn("technical", "question", "什么是 KV cache？推理时它是如何工作的？", "q-5a2b119b0b"),
        _turn("technical", "system", "提示：可以从「缓存 key 和 value……」这个角度想想。（使用提示后本题得分有上限）",
              "q-5a2b119b0b"),
        _turn("technical", "answer", ATTACK, "q-5a2b119b0b", grade=_grade(
            "q-5a2b119b0b", 35, [("缓存已计算的 key/value", "covered", "KV cache 缓存每层的 key 和 value，"),
                                 ("显存随序列长度增长", "partial", "# 不是标题")],
            misconceptions=[MisconceptionHit(claim="KV cache 会减少显存占用", correction="KV cache 是用显存换计算",
                                             evidence="KV cache 缓存每层的 key 和 value，", similarity=0.8)],
            flags=["hint_used", "fallback", "uncertain", "misconception"], notes=[NOTE], embedding_score=35)),
        _turn("technical", "question", "什么是 Teacher Forcing（强制学习）？", "q-772e436c1d"),
        _turn("technical", "answer", "/skip", "q-772e436c1d", grade=_skip("q-772e436c1d")),
        _turn("behavioral", "question", "你经历过什么挫折？是怎么面对的？", "behavioral.setback"),
        _turn("behavioral", "answer", LONG_MIXED, "behavioral.setback", grade=_grade(
            "behavioral.setback", 58, [("讲一次真实具体的挫折经历", "covered", LONG_MIXED[:40])])),
        _turn("closing", "question", "你有什么想问我的吗？", "closing.candidate_questions"),
        _turn("closing", "answer", "团队做什么？", "closing.candidate_questions",
              grade=_grade("closing.candidate_questions", 0)),
        _turn("closing", "system", "面试到这里就结束了。"),
    ]
    return SessionSnapshot(
        session_id=session_id, created_at=created_at, updated_at=created_at, status=status, mode="interview",  # type: ignore[arg-type]
        plan=InterviewPlan(technical_questions=2, project_questions=1, behavioral_questions=1,
                           resume_text="三年 NLP 经验").model_dump(mode="json"),
        config={"llm": "qwen-plus", "embeddings": "multilingual-e5-small", "grader": "embedding+llm"},
        turns=turns, project_card={"overview": f"{FIRST}\n{SECOND}"}, probed_claims=["implausible:准确率 99.8%"],
        claims=[Claim(kind="dataset_size", value="50000", text="5 万条问答", slot="overview"),
                Claim(kind="metric", value="准确率=99.8", text="准确率 99.8%", slot="overview"),
                Claim(kind="model", value="qwen2", text="Qwen2", slot="overview")])


@pytest.fixture(scope="module")
def bank() -> dict[str, Any]:
    return {question.id: question for question in load_bank()}


@pytest.fixture(scope="module")
def report(bank: dict[str, Any]) -> Report:
    return build_report(scripted(), bank)


def _question(report: Report, question_id: str) -> Any:
    return next(q for q in report.questions if q.question_id == question_id)


def _pdf_text(report: Report, tmp_path: Path) -> str:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(report, "pdf"))
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def scripted_pdf_text(report: Report, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The scripted report's PDF as text, rendered once for the tests that read it (a render takes seconds)."""
    return _pdf_text(report, tmp_path_factory.mktemp("scripted-pdf"))


# --- report content -------------------------------------------------------------------------------------------

def test_report_covers_every_question_with_the_candidates_own_words(finished) -> None:  # type: ignore[no-untyped-def]
    service, snapshot = finished
    report = build_report(snapshot, service.bank)
    asked = {t.question_id for t in snapshot.turns if t.kind == "question" and not t.question_id.startswith("closing.")}
    assert {q.question_id for q in report.questions} == asked
    typed = [t.text for t in snapshot.turns if t.kind == "answer"]
    for question in report.questions:
        assert all(answer in typed and not answer.startswith("/") for answer in question.answers)
        for point in question.key_points_hit:
            assert point.evidence_parts
            assert all(part.text in question.answers[(part.answer or 0) - 1] for part in point.evidence_parts)
    assert report.overall_score == round(sum(q.score for q in report.questions) / len(report.questions))
    for group in report.topic_scores:
        members = [q.score for q in report.questions if q.topic == group.name]
        assert group.score == round(sum(members) / len(members)) and group.questions == len(members)
    assert report.level and report.config["embeddings"] == "hash-ngram-384"
    assert any(q.skipped for q in report.questions)  # "/skip" is marked, never listed as an answer


def test_skipping_a_follow_up_keeps_the_score_earned_and_commands_are_not_answers(report: Report) -> None:
    overview = _question(report, "project.overview")
    assert overview.score == 52 and overview.skipped and overview.flags == []
    assert overview.answers == [FIRST, SECOND]
    assert [(f.answer_index, f.skipped, f.answer) for f in overview.follow_ups] == [(2, False, SECOND),
                                                                                   (None, True, None)]
    skipped = _question(report, "q-772e436c1d")
    assert skipped.score == 0 and skipped.answers == [] and skipped.flags == ["skipped"] and skipped.skipped
    assert report.overall_score == round((72 + 52 + 35 + 0 + 58) / 5)
    assert not any(answer.strip().startswith("/") for q in report.questions for answer in q.answers)
    markdown = render_report(report, "md").decode("utf-8")
    assert "/skip" not in markdown and "跳过了追问（保留已得分）" in markdown and "（跳过）" in markdown


def test_evidence_across_two_answers_is_shown_per_answer(report: Report) -> None:
    point = next(p for p in _question(report, "project.overview").key_points_hit if p.text == "给出可信的效果评估")
    assert point.evidence == GLUED  # the grader's output is kept as it was
    assert [part.model_dump() for part in point.evidence_parts] == [
        {"answer": 1, "text": "检索之后用 cross-encoder"}, {"answer": 2, "text": SECOND}]
    for fmt in ("md", "html"):
        page = render_report(report, fmt).decode("utf-8")
        assert "cross-encoder我的" not in page and "回答 2：“我的项目准确率" in page.replace("&#34;", '"')


def test_claims_ledger_marks_what_was_probed(report: Report) -> None:
    probed = {claim.text: claim.probed for claim in report.claims}
    assert probed == {"5 万条问答": False, "准确率 99.8%": True, "Qwen2": False}
    assert next(c for c in report.claims if c.probed).probe == PROBE
    markdown = render_report(report, "md").decode("utf-8")
    assert re.search(r"\| 指标 \| 准确率 99\.8% \| 项目总体思路 \| 已追问 \|", markdown)
    assert re.search(r"\| 数据规模 \| 5 万条问答 \| 项目总体思路 \| — \|", markdown)
    page = render_report(report, "html").decode("utf-8")
    assert page.count('class="probed"') == 1 and "准确率 99.8%</td>" in page


def test_markdown_shows_notes_hints_and_a_readable_configuration(report: Report) -> None:
    markdown = render_report(report, "md").decode("utf-8")
    assert NOTE in markdown and "用了 1 次提示" in markdown
    assert "离线评分兜底（LLM 不可用）" in markdown and "评分不确定（建议复核）" in markdown
    assert "| 大模型 | qwen-plus |" in markdown and "| 向量模型 | multilingual-e5-small |" in markdown
    assert "| 简历 | 已提供（9 字） |" in markdown and "三年 NLP 经验" not in markdown
    assert "{'" not in markdown and "'llm'" not in markdown
    page = render_report(report, "html").decode("utf-8")
    assert "<th style=\"width: 14em\">大模型</th><td>qwen-plus</td>" in page and "{&#39;" not in page


def test_an_offline_session_says_so_in_words_and_difficulty_reads_as_in_the_ui(report: Report) -> None:
    offline = report.model_copy(update={"config": {"llm": "offline", "embeddings": "hash", "grader": "embedding"},
                                        "plan": {**report.plan, "difficulty": 2}})
    markdown = render_report(offline, "md").decode("utf-8")
    assert "| 大模型 | 离线（未配置大模型） |" in markdown and "LLM offline" not in markdown
    assert "| 难度 | 2 进阶 |" in markdown and "中等" not in markdown


def test_markdown_escapes_only_what_would_change_the_rendering(report: Report) -> None:
    markdown = render_report(report, "md").decode("utf-8")
    assert "Qwen2-7B" in markdown and "0.72" in markdown and "max_num_seqs" in markdown
    assert "Qwen2\\-7B" not in markdown and "0\\.72" not in markdown and "max\\_num" not in markdown
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<script" not in rendered and "<img" not in rendered and "<iframe" not in rendered
    assert "href=" not in rendered and "src=" not in rendered.replace("src=x", "")  # no link or image was made
    assert "&lt;script&gt;" in rendered and "&lt;img src=x onerror=alert(1)&gt;" in rendered
    assert "<strong>加粗</strong>" not in rendered and "**加粗**" in rendered
    assert "<h1>不是标题</h1>" not in rendered and "<li>不是列表" not in rendered and "<hr" not in rendered
    assert "[点我](javascript:alert(1))" in rendered


def test_every_format_is_generated_and_json_validates(finished, home: Path) -> None:  # type: ignore[no-untyped-def]
    service, snapshot = finished
    report = build_report(snapshot, service.bank)
    paths = {fmt: write_report(report, fmt, None, home) for fmt in ("md", "html", "json", "pdf")}
    assert all(path.parent == home / "reports" and path.stat().st_size > 500 for path in paths.values())
    assert len({path.stem for path in paths.values()}) == 4  # random names
    restored = Report.model_validate_json(paths["json"].read_text(encoding="utf-8"))
    assert restored == report
    assert list(json.loads(paths["json"].read_text(encoding="utf-8"))) == list(Report.model_fields)
    page = paths["html"].read_text(encoding="utf-8")
    assert "<svg" in page and "<link" not in page and "<script" not in page and "@media print" in page


def test_hostile_answers_are_escaped_in_html_and_markdown(finished) -> None:  # type: ignore[no-untyped-def]
    service, snapshot = finished
    report = build_report(snapshot, service.bank)
    page = render_report(report, "html").decode("utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page and "<iframe src=//evil" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<script") == 0
    markdown = render_report(report, "md").decode("utf-8")
    assert "<script>" not in markdown and "<img" not in markdown and "<iframe" not in markdown
    assert "\\[点我\\](javascript:alert(1))" in markdown and "\\*\\*加粗\\*\\*" in markdown


# --- PDF ------------------------------------------------------------------------------------------------------

@pytest.mark.slow  # a PDF render takes seconds; pdftotext is a child process
@NEEDS_PDFTOTEXT
def test_pdf_text_contains_the_chinese_questions(finished, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service, snapshot = finished
    report = build_report(snapshot, service.bank)
    compact = "".join(_pdf_text(report, tmp_path).split())
    assert "模拟面试报告" in compact
    for question in report.questions:
        assert "".join(question.question.split())[:12] in compact
    assert "<script>alert('x')</script>" in compact.replace("’", "'")  # shown as text, harmless in a PDF


@pytest.mark.slow  # a PDF render takes seconds; pdftotext is a child process
@NEEDS_PDFTOTEXT
def test_pdf_keeps_latin_words_whole_in_chinese_lines(scripted_pdf_text: str) -> None:
    lines = scripted_pdf_text.splitlines()
    assert any(MIXED in line for line in lines), "a short mixed line is laid out as one line with single spaces"
    assert any("那次上线 RAG 服务时，召回阶段用 BM25 加 bge-large-zh 向量召回" in line for line in lines)
    for word in set(re.findall(r"[A-Za-z0-9][\w.\-]*\w", LONG_MIXED)):  # bge-reranker-v2-m3, Qwen2-7B-Instruct…
        holding = [line for line in lines if re.search(rf"(?<![\w.\-]){re.escape(word)}(?![\w\-])", line)]
        assert holding, f"{word!r} was split across lines"
        assert all(re.search(r"[\u4e00-\u9fff]", line) for line in holding), f"{word!r} stands apart from the Chinese"


@pytest.mark.slow  # a PDF render takes seconds; pdftotext is a child process
@NEEDS_PDFTOTEXT
def test_pdf_has_everything_the_html_has(scripted_pdf_text: str) -> None:
    text = scripted_pdf_text
    compact = "".join(text.split())
    for expected in ("得分概览", "阶段", "自我介绍", "项目深挖", "基础知识", "综合素质", topic_label("inference"),
                     "项目卡片", "项目总体思路", "项目陈述核对", "5万条问答", "准确率99.8%", "已追问",
                     "误区：KVcache会减少显存占用", NOTE.replace(" ", ""), "离线评分兜底（LLM不可用）",
                     "评分不确定（建议复核）", "用了1次提示", "跳过了追问（保留已得分）", "配置", "qwen-plus",
                     "multilingual-e5-small", "项目1题·基础2题·综合1题", "参考答案", PROBE.replace(" ", "")):
        assert expected in compact, expected
    assert compact.count("已追问") == 2  # the note above the ledger and the one probed claim


@pytest.mark.slow  # a PDF render takes seconds; pdftotext is a child process
def test_pdf_survives_control_characters_and_emoji(bank: dict[str, Any]) -> None:
    if find_cjk_font() is None:
        pytest.skip("needs a CJK font")
    snapshot = scripted()
    snapshot.turns[2] = snapshot.turns[2].model_copy(update={"text": "a\x00b\x1b[31m 红\u202e字 😀\r\n\tx" + "W" * 400})
    assert render_report(build_report(snapshot, bank), "pdf").startswith(b"%PDF")


def test_pdf_without_a_cjk_font_points_to_the_html_report(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    from interviewer.report import pdf
    from interviewer.report.fonts import MissingFontError

    monkeypatch.setattr(pdf, "find_cjk_font", lambda: None)
    with pytest.raises(MissingFontError, match="HTML"):
        render_report(report, "pdf")


# --- writing and the CLI --------------------------------------------------------------------------------------

def _stub_service(*snapshots: SessionSnapshot, bank: dict[str, Any]) -> SimpleNamespace:
    by_id = {snapshot.session_id: snapshot for snapshot in snapshots}
    return SimpleNamespace(bank=bank, snapshot=by_id.__getitem__,
                           list_sessions=lambda: [SimpleNamespace(session_id=key) for key in by_id])


def test_out_can_be_a_directory(report: Report, tmp_path: Path, home: Path) -> None:
    existing = tmp_path / "existing"
    existing.mkdir()
    written = write_report(report, "md", existing, home)
    assert written.parent == existing and written.name.startswith("report-scripted01-") and written.suffix == ".md"
    new = write_report(report, "json", f"{tmp_path / 'new'}/", home)
    assert new.parent == tmp_path / "new" and new.suffix == ".json"
    assert write_report(report, "md", tmp_path / "named.md", home) == tmp_path / "named.md"


def test_cli_report_into_a_directory_and_clear_errors(bank: dict[str, Any], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("interviewer.cli.report.create_service", lambda: _stub_service(scripted(), bank=bank))
    result = runner.invoke(app, ["report", "scripted01", "--format", "md", "--out", f"{tmp_path / 'out'}/"])
    assert result.exit_code == 0, result.output
    written = list((tmp_path / "out").iterdir())
    assert len(written) == 1 and written[0].suffix == ".md" and str(written[0]) in result.stdout.replace("\n", "")
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory")
    failed = runner.invoke(app, ["report", "scripted01", "--format", "md", "--out", str(blocker / "sub" / "r.md")])
    assert failed.exit_code == 1 and isinstance(failed.exception, SystemExit)
    assert "无法写入报告" in failed.output and "Traceback" not in failed.output


# --- progress -------------------------------------------------------------------------------------------------

def _abandoned(session_id: str, created_at: str, answers: list[str], status: str = "paused") -> SessionSnapshot:
    turns = [_turn("opening", "question", "请先做一个简单的自我介绍。", "opening.self_intro")]
    for text in answers:
        grade = _skip("opening.self_intro") if text == "/skip" else _grade("opening.self_intro", 10)
        turns.append(_turn("opening", "answer", text, "opening.self_intro", grade=grade))
    return scripted(session_id, created_at, status).model_copy(update={"turns": turns, "claims": []})


def test_progress_counts_only_sessions_with_graded_answers(bank: dict[str, Any]) -> None:
    snapshots = [scripted("first", "2025-05-01T10:00:00.000+00:00", overview_score=30),
                 _abandoned("opened", "2025-05-02T10:00:00.000+00:00", []),
                 _abandoned("one-answer", "2025-05-03T10:00:00.000+00:00", ["我是张三"], status="active"),
                 _abandoned("all-skipped", "2025-05-04T10:00:00.000+00:00", ["/skip"], status="finished"),
                 scripted("second", "2025-05-05T10:00:00.000+00:00", overview_score=52)]
    progress = build_progress(snapshots, bank)
    assert [s.session_id for s in progress.sessions] == ["first", "second"]
    assert progress.trend == round((72 + 52 + 35 + 0 + 58) / 5) - round((72 + 30 + 35 + 0 + 58) / 5)
    assert progress.sessions[1].topic_scores["project"] == 52 and progress.sessions[1].answered == 4
    revisit = {item.question_id: item for item in progress.revisit}
    assert revisit["project.overview"].question == OVERVIEW  # as asked, not the bank's "聊一下RAG项目总体思路？"
    assert revisit["q-772e436c1d"].question == "什么是 Teacher Forcing（强制学习）？"


def test_cli_progress_shows_topic_scores_per_session(bank: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from interviewer.cli.common import console

    snapshots = (scripted("first", "2025-05-01T10:00:00.000+00:00", overview_score=30),
                 scripted("second", "2025-05-05T10:00:00.000+00:00", overview_score=52))
    monkeypatch.setattr("interviewer.cli.report.create_service", lambda: _stub_service(*snapshots, bank=bank))
    monkeypatch.setattr(console, "_width", 240)  # no folding of the table's cells
    result = runner.invoke(app, ["progress"])
    assert result.exit_code == 0, result.output
    first, second = (next(line for line in result.stdout.splitlines() if name in line) for name in ("first", "second"))
    assert f"{topic_label('project')} 30" in first and f"{topic_label('project')} 52" in second
    assert f"{topic_label('inference')} 35" in second
    assert OVERVIEW in result.stdout and "趋势 / trend: +4" in result.stdout


def test_progress_across_real_sessions_brings_weak_questions_back(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    plan = InterviewPlan(stages=["technical"], technical_questions=2)
    first = service.start(plan)
    weak_question = first.new_turns[-1].question_id
    while first.awaiting_answer:
        first = service.answer(first.session_id, "不知道")
    second = service.start(plan)
    while second.awaiting_answer:
        second = service.answer(second.session_id, "缓存 key 和 value，避免重复计算。")
    skipped = service.start(plan)
    while skipped.awaiting_answer:
        skipped = service.answer(skipped.session_id, "/skip")
    progress = build_progress([service.snapshot(s.session_id) for s in service.list_sessions()], service.bank)
    assert [s.session_id for s in progress.sessions] == [first.session_id, second.session_id]
    assert progress.trend is not None and progress.weakest_topics
    assert weak_question in {item.question_id for item in progress.revisit}


def test_a_claim_recorded_as_probed_is_marked_even_when_the_probe_was_reworded(bank: dict[str, Any]) -> None:
    snapshot = scripted()
    reworded = snapshot.model_copy(update={
        "turns": [turn for turn in snapshot.turns if turn.kind != "follow_up" or "99.8%" not in turn.text],
        "probed_claims": ["implausible:5 万条问答"]})
    probed = {claim.text: claim.probed for claim in build_report(reworded, bank).claims}
    assert probed["5 万条问答"] is True and probed["准确率 99.8%"] is False


def test_the_project_name_and_resume_slots_are_the_ones_the_interview_kept(bank: dict[str, Any]) -> None:
    snapshot = scripted()
    resume = "项目：企业内部知识库问答系统\n- vLLM 部署，首 token 延迟 350 ms"
    plan = {**snapshot.plan, "resume_text": resume}
    kept = snapshot.model_copy(update={"plan": plan, "project_name": "合同审查",
                                       "resume_slots": {"dataset": "5 万条问答"}})
    report = build_report(kept, bank)
    statuses = {row.slot: row.status for row in report.project_slots}
    assert report.project_name == "合同审查", "the name the interview asked its questions with"
    assert statuses["dataset"] == "resume" and statuses["deployment"] == "missing"

    older = build_report(snapshot.model_copy(update={"plan": plan}), bank)  # saved before the state kept them
    assert older.project_name == "企业内部知识库问答系统"
    assert {row.slot: row.status for row in older.project_slots}["deployment"] == "resume"
