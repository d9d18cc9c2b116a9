"""Custom question files and the `bank` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from question_bank.custom import CustomImportError, import_custom_file, parse_custom_file
from question_bank.loader import CUSTOM_BANK_FILENAME, load_bank

runner = CliRunner()

GOOD_ROWS = [
    {"question": "什么是 FlashAttention？", "reference_answer": "分块计算注意力，减少显存读写。", "topic": "inference"},
    {"question": "What is speculative decoding?", "difficulty": 3},
]


def write_rows(path: Path, rows: list[dict]) -> Path:
    if path.suffix == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    elif path.suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    elif path.suffix == ".yaml":
        import yaml

        path.write_text(yaml.safe_dump({"questions": rows}, allow_unicode=True), encoding="utf-8")
    else:
        header = "question,reference_answer,topic,difficulty\n"
        body = "".join(
            f"{row['question']},{row.get('reference_answer', '')},{row.get('topic', '')},{row.get('difficulty', '')}\n"
            for row in rows
        )
        path.write_text(header + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".yaml", ".csv"])
def test_every_supported_format_imports(tmp_path: Path, home: Path, suffix: str) -> None:
    path = write_rows(tmp_path / f"mine{suffix}", GOOD_ROWS)
    summary = import_custom_file(path, home)
    assert summary["imported"] == 2 and summary["with_reference"] == 1
    bank = {question.text: question for question in load_bank(home)}
    assert bank["什么是 FlashAttention？"].reference_answer == "分块计算注意力，减少显存读写。"
    assert bank["What is speculative decoding?"].difficulty == 3
    assert bank["什么是 FlashAttention？"].id.startswith("custom-")


def test_reimporting_the_same_question_replaces_it(tmp_path: Path, home: Path) -> None:
    import_custom_file(write_rows(tmp_path / "a.json", GOOD_ROWS), home)
    summary = import_custom_file(write_rows(tmp_path / "b.json", GOOD_ROWS[:1]), home)
    assert summary["replaced"] == 1 and summary["custom_total"] == 2


def test_bad_row_names_row_and_field_and_writes_nothing(tmp_path: Path, home: Path) -> None:
    rows = [*GOOD_ROWS, {"question": "缺难度的题", "difficulty": 7}]
    path = write_rows(tmp_path / "bad.jsonl", rows)
    with pytest.raises(CustomImportError, match=r"row 3: field 'difficulty'"):
        import_custom_file(path, home)
    assert not (home / CUSTOM_BANK_FILENAME).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.json", "[{", "invalid JSON"),
        ("empty.yaml", "", "non-empty list"),
        ("notes.txt", "hello", "unsupported file type"),
        ("missing.csv", "reference_answer\n只有答案\n", "row 1: field 'question'"),
        ("lines.jsonl", '{"question": "好的问题"}\n{oops\n', "row 2: invalid JSON"),
        ("unterminated.csv", 'question,reference_answer\n好的问题,答案\n"没有结束的引号,答案\n', r"row 2 \(line 3\): malformed CSV"),
        ("stray.csv", 'question,reference_answer\n"问题"多余,答案\n', r"row 1 \(line 2\): malformed CSV"),
        ("extra.csv", 'question,reference_answer\n问题一,答案一,多出来的一格\n', r"row 1 \(line 2\): 2 columns in the header"),
        ("bool.json", '[{"question": "好的问题", "difficulty": true}]', r"row 1: field 'difficulty'.*not a boolean"),
        ("keys.yaml", "questions:\n  - question: 好的问题\n    2: x\n", "row 1: 2 is not a field name"),
    ],
)
def test_malformed_files_get_clear_errors(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CustomImportError, match=message):
        parse_custom_file(path)


def test_malformed_csv_writes_nothing(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "half.csv"
    path.write_text('question,reference_answer\n好的问题,答案\n"没有结束的引号,答案\n', encoding="utf-8")
    with pytest.raises(CustomImportError):
        import_custom_file(path, home)
    assert not (home / CUSTOM_BANK_FILENAME).exists()


def test_identical_rows_are_stored_and_counted_once(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("question,reference_answer\n同一个问题,答案\n同一个问题,答案\n", encoding="utf-8")
    summary = import_custom_file(path, home)
    assert summary["imported"] == 1 and summary["duplicates_in_file"] == 1 and summary["custom_total"] == 1
    assert len([q for q in load_bank(home) if q.id.startswith("custom-")]) == 1


def test_bank_import_command_reports_errors_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"answer": "no question"}]', encoding="utf-8")
    result = runner.invoke(app, ["bank", "import", str(bad)])
    assert result.exit_code == 1
    assert "row 1" in result.output and "Traceback" not in result.output

    good = write_rows(tmp_path / "good.json", GOOD_ROWS)
    result = runner.invoke(app, ["bank", "import", str(good), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"] == 2


def test_bank_stats_list_and_show_as_json() -> None:
    stats = json.loads(runner.invoke(app, ["bank", "stats", "--json"]).stdout)
    assert {"total", "with_reference", "by_source", "by_kind", "by_topic", "with_rubric"} <= set(stats)
    assert sum(stats["by_kind"].values()) == stats["total"]
    assert len([name for name in stats["by_source"] if name[:3] in {"000", "001", "002", "003", "004"}]) == 5

    listed = json.loads(runner.invoke(app, ["bank", "list", "--topic", "rag", "--json"]).stdout)
    assert listed and {entry["topic"] for entry in listed} == {"rag"}
    assert {"id", "text", "kind", "topic", "difficulty", "source", "has_reference", "rubric_points"} <= set(listed[0])

    shown = json.loads(runner.invoke(app, ["bank", "show", listed[0]["id"], "--json"]).stdout)
    assert shown["id"] == listed[0]["id"]


@pytest.mark.parametrize(("option", "value"), [("--topic", "nosuch"), ("--kind", "bogus")])
def test_bank_list_with_an_unknown_filter_is_a_clear_error(option: str, value: str) -> None:
    result = runner.invoke(app, ["bank", "list", option, value])
    assert result.exit_code == 1 and f"unknown {option[2:]} {value!r}" in result.output
    assert "Traceback" not in result.output


def test_bank_list_table_shows_the_source() -> None:
    result = runner.invoke(app, ["bank", "list", "--kind", "opening"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "source" in result.output and "003_" in result.output


def test_bank_show_unknown_id_is_a_clear_error() -> None:
    result = runner.invoke(app, ["bank", "show", "q-doesnotexist"])
    assert result.exit_code == 1 and "q-doesnotexist" in result.output


def test_every_command_has_help() -> None:
    for command in (["--help"], ["bank", "--help"], ["bank", "stats", "--help"], ["bank", "import", "--help"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0 and "Usage" in result.output
