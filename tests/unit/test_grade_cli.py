"""`mock-interview grade`: one answer, reference answers, and batch files with bad rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from rubrics.embeddings import HashEmbedder

runner = CliRunner()


@pytest.fixture(autouse=True)
def fast_embedder(monkeypatch: pytest.MonkeyPatch, indexed_home: Path) -> None:
    monkeypatch.setattr("interviewer.cli.grade.make_embedder", HashEmbedder)


def test_grade_by_id_and_by_text() -> None:
    by_id = runner.invoke(app, ["grade", "--question", "q-5a2b119b0b", "--answer", "缓存历史 token 的 key 和 value。",
                                "--json"])
    assert by_id.exit_code == 0, by_id.output
    payload = json.loads(by_id.stdout)
    assert payload["matched_question_id"] == "q-5a2b119b0b" and 0 <= payload["score"] <= 100
    by_text = json.loads(runner.invoke(app, ["grade", "--question", "什么是 KV cache？推理时它是如何工作的？",
                                             "--answer", "不知道", "--json"]).stdout)
    assert by_text["matched_question_id"] == "q-5a2b119b0b" and by_text["score"] == 0


def test_grade_with_a_reference_answer_outside_the_bank() -> None:
    result = runner.invoke(app, ["grade", "--question", "What is speculative decoding?", "--reference",
                                 "A small draft model proposes tokens. The large model verifies them in one pass.",
                                 "--answer", "A small draft model proposes tokens and the large model verifies them.",
                                 "--json"])
    payload = json.loads(result.stdout)
    assert payload["matched_question_id"] is None and payload["score"] > 0
    assert len(payload["key_points"]) == 2


def test_missing_arguments_are_clear_errors() -> None:
    result = runner.invoke(app, ["grade", "--question", "x"])
    assert result.exit_code == 1 and "--answer" in result.output
    result = runner.invoke(app, ["grade", "--question", "x", "--answer", "y", "--reference", "### **"])
    assert result.exit_code == 1 and "reference" in result.output


def test_a_one_word_reference_is_a_key_point(tmp_path: Path) -> None:
    """`grade --batch` accepts reference "push": the word itself is the point to state."""
    rows = [{"id": i, "question": "Which git command uploads local commits to the remote?", "answer": answer,
             "reference": "push"} for i, answer in enumerate(["You run git push.", "You use git pull to fetch them."])]
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    result = runner.invoke(app, ["grade", "--batch", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    right, wrong = (json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
    assert [point["text"] for point in right["key_points"]] == ["push"]
    assert right["key_points"][0]["status"] == "stated" and wrong["key_points"][0]["status"] == "absent"
    assert right["score"] > wrong["score"]


def test_batch_keeps_order_and_reports_bad_rows(tmp_path: Path) -> None:
    rows = [json.dumps({"id": 1, "question": "q-5a2b119b0b", "answer": "缓存 key 和 value"}, ensure_ascii=False),
            "{not json",
            json.dumps({"id": 3, "question": "什么是 KV cache？推理时它是如何工作的？"}, ensure_ascii=False),
            json.dumps({"id": 4, "question": "What is X?", "answer": "X is Y.", "reference": "X is a thing. It is Y."}),
            json.dumps({"id": 5, "question": "q-5a2b119b0b", "answer": "不知道"}, ensure_ascii=False)]
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(rows), encoding="utf-8")
    result = runner.invoke(app, ["grade", "--batch", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "line 2" in result.output and "line 3" in result.output
    outputs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [o.get("id") for o in outputs] == [1, None, 3, 4, 5]
    assert "error" in outputs[1] and "answer" in outputs[2]["error"]
    assert {"id", "score", "matched_question_id", "key_points", "flags", "grader"} <= set(outputs[0])
    assert outputs[4]["score"] == 0 and "non_answer" in outputs[4]["flags"]


def _batch_file(tmp_path: Path, count: int = 3) -> Path:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps({"id": i, "question": "q-5a2b119b0b", "answer": f"缓存 key 和 value {i}"},
                                           ensure_ascii=False) for i in range(count)), encoding="utf-8")
    return source


@pytest.mark.parametrize("out", ["/proc/x/o.jsonl", "DIR"])
def test_unwritable_output_is_a_clear_error_before_grading(tmp_path: Path, out: str) -> None:
    target = str(tmp_path) if out == "DIR" else out
    result = runner.invoke(app, ["grade", "--batch", str(_batch_file(tmp_path)), "--out", target])
    assert result.exit_code == 1
    assert "--out" in result.output and "Traceback" not in result.output
    assert ("directory" in result.output) if out == "DIR" else ("cannot write" in result.output)


def test_input_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["grade", "--batch", "/bin/ls", "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1 and "not UTF-8" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["grade", "--batch", str(tmp_path), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1 and "directory" in result.output


def test_rows_are_written_as_they_are_graded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure in a later chunk keeps the rows already graded and reports the rest as errors."""
    from interviewer.grading.embedding_grader import EmbeddingGrader

    monkeypatch.setattr("interviewer.cli.grade.BATCH_CHUNK", 2)
    real = EmbeddingGrader.grade_many
    calls = []

    def failing(self, items):  # type: ignore[no-untyped-def]
        calls.append(len(items))
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(self, items)

    monkeypatch.setattr(EmbeddingGrader, "grade_many", failing)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["grade", "--batch", str(_batch_file(tmp_path, 5)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == [0, 1, 2, 3, 4]
    assert "score" in rows[0] and "score" in rows[1] and "score" in rows[4]
    assert "disk on fire" in rows[2]["error"] and "disk on fire" in rows[3]["error"]


def test_batch_rows_carry_notes_and_a_question_far_from_the_bank_is_graded_for_relevance(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from interviewer.grading import calibration

    strict = calibration.load_calibration().model_copy(update={"question_match": 0.9999})
    monkeypatch.setattr("interviewer.grading.load_calibration", lambda: strict)
    rows = [{"id": 1, "question": "q-5a2b119b0b", "answer": "缓存 key 和 value"},
            {"id": 2, "question": "什么是梯度检查点？", "answer": "只保存部分激活，反向时重算其余的，用计算换显存。"}]
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    assert runner.invoke(app, ["grade", "--batch", str(source), "--out", str(out)]).exit_code == 0
    exact, far = (json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
    assert exact["notes"] == [] and exact["matched_question_id"] == "q-5a2b119b0b"
    assert far["matched_question_id"] is None and "relevance_only" in far["flags"]
    assert far["nearest_question_id"] and 0 < far["match_similarity"] < 0.9999
    assert any("relevance only" in note for note in far["notes"])
    single = runner.invoke(app, ["grade", "--question", "什么是梯度检查点？", "--answer", "用计算换显存。"])
    assert single.exit_code == 0 and "relevance only" in single.output and "similarity" in single.output


def test_human_output_shows_the_fallback_reason_and_both_scores(fake_openai, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("MOCK_INTERVIEWER_STRUCTURED_OUTPUT", "json_mode")
    args = ["grade", "--question", "q-5a2b119b0b", "--answer", "把之前 token 的 key 和 value 缓存起来，避免重复计算。"]
    failed = runner.invoke(app, args)  # the fake server answers 500 when nothing is queued
    assert failed.exit_code == 0 and "fallback" in failed.output and "fell back" in failed.output
    quote = "key 和 value 缓存起来"
    fake_openai.replies.clear()
    fake_openai.replies.append({"points": [{"index": i, "verdict": "covered" if i == 0 else "missing",
                                            "quote": quote if i == 0 else "", "reason": "r"} for i in range(5)]})
    both = runner.invoke(app, args)
    assert both.exit_code == 0 and "embedding score" in both.output and "LLM score" in both.output
