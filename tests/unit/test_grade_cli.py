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
def fast_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
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
    result = runner.invoke(app, ["grade", "--question", "x", "--answer", "y", "--reference", "短"])
    assert result.exit_code == 1 and "reference" in result.output


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
