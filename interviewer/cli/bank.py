"""`mock-interview bank ...`: inspect, search and extend the question bank."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from interviewer.cli.common import fail, print_json, print_table
from interviewer.settings import data_home
from question_bank.custom import CustomImportError, import_custom_file
from question_bank.loader import BankError, load_bank
from question_bank.models import Question
from question_bank.taxonomy import KINDS
from rubrics.loader import RubricDataError, load_rubrics

app = typer.Typer(help="题库：统计、列表、查看、导入 / question bank commands.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


def _rubric_point_counts() -> dict[str, int]:
    """Key points per question id (authored or derived from the reference answer)."""
    try:
        rubrics = load_rubrics(data_home())
    except RubricDataError as error:
        fail(str(error))
    return {question_id: len(rubric.key_points) for question_id, rubric in rubrics.items()}


def _bank() -> list[Question]:
    try:
        return load_bank(data_home())
    except BankError as error:
        fail(str(error))


def _entry(question: Question, rubric_points: dict[str, int]) -> dict:
    return {
        "id": question.id,
        "text": question.text,
        "kind": question.kind,
        "topic": question.topic,
        "difficulty": question.difficulty,
        "source": f"{question.source.file}:{question.source.locator}",
        "has_reference": question.reference_answer is not None,
        "rubric_points": rubric_points.get(question.id, 0),
    }


@app.command()
def stats(as_json: JsonFlag = False) -> None:
    """Totals by source file, kind and topic."""
    questions = _bank()
    rubric_points = _rubric_point_counts()
    by_source: Counter[str] = Counter()
    for question in questions:
        for source_file in {source.file for source in question.sources}:
            by_source[source_file] += 1
    payload: dict[str, Any] = {
        "total": len(questions),
        "with_reference": sum(question.reference_answer is not None for question in questions),
        "with_rubric": sum(question.id in rubric_points for question in questions),
        "by_source": dict(sorted(by_source.items())),
        "by_kind": dict(sorted(Counter(question.kind for question in questions).items())),
        "by_topic": dict(sorted(Counter(question.topic for question in questions).items())),
    }
    if as_json:
        print_json(payload)
        return
    print_table(
        "题库统计 / bank stats",
        ["", "count"],
        [("total", payload["total"]), ("with_reference", payload["with_reference"]),
         ("with_rubric", payload["with_rubric"])],
    )
    for section in ("by_source", "by_kind", "by_topic"):
        print_table(section, ["name", "count"], payload[section].items())


@app.command("list")
def list_questions(
    topic: Annotated[str | None, typer.Option(help="Only this topic (see `bank stats`).")] = None,
    kind: Annotated[str | None, typer.Option(help=f"Only this kind: {', '.join(KINDS)}.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """One line per question."""
    questions = _bank()
    if kind is not None and kind not in KINDS:
        fail(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    if topic is not None and topic not in {question.topic for question in questions}:
        fail(f"unknown topic {topic!r}; see `mock-interview bank stats`")
    rubric_points = _rubric_point_counts()
    entries = [
        _entry(question, rubric_points)
        for question in questions
        if (topic is None or question.topic == topic) and (kind is None or question.kind == kind)
    ]
    if as_json:
        print_json(entries)
        return
    print_table(
        f"{len(entries)} questions",
        ["id", "text", "kind", "topic", "diff", "source", "ref", "points"],
        [(e["id"], e["text"], e["kind"], e["topic"], e["difficulty"], e["source"], "✓" if e["has_reference"] else "",
          e["rubric_points"]) for e in entries],
    )


@app.command()
def show(question_id: Annotated[str, typer.Argument(help="Question id.")], as_json: JsonFlag = False) -> None:
    """One question in full, with its sources and reference answer."""
    question = next((q for q in _bank() if q.id == question_id), None)
    if question is None:
        fail(f"no question with id {question_id!r}; try `mock-interview bank list`")
    if as_json:
        print_json(question.model_dump(mode="json"))
        return
    from interviewer.cli.common import console

    console.print(f"[bold]{question.id}[/]  {question.kind} · {question.topic} · 难度 {question.difficulty}")
    console.print(question.text, highlight=False)
    for source in question.sources:
        console.print(f"[dim]source: {source.file} ({source.locator})[/]", highlight=False)
    if question.reference_answer:
        console.print("\n[bold]参考答案 / reference[/]")
        console.print(question.reference_answer, highlight=False, markup=False)


@app.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(help="JSON, JSONL, YAML or CSV with at least `question`.")],
    as_json: JsonFlag = False,
) -> None:
    """Add your own questions to the bank (stored in the data directory)."""
    try:
        summary = import_custom_file(path, data_home())
    except CustomImportError as error:
        fail(str(error))
    if as_json:
        print_json(summary)
        return
    print_table("导入完成 / imported", ["", ""], summary.items())


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="What to look for, in Chinese or English.")],
    topic: Annotated[str | None, typer.Option(help="Only this topic.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=50, help="How many results.")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Semantic search over the questions (indexes the bank on first use)."""
    from rubrics.store import open_store

    if not text.strip():
        fail("search text is empty")
    bank = {question.id: question for question in _bank()}
    if topic and topic not in {question.topic for question in bank.values()}:
        fail(f"unknown topic {topic!r}; see `mock-interview bank stats`")
    hits = open_store(data_home()).search_questions(text, topic=topic, k=limit)
    results = [{"id": qid, "similarity": similarity, "text": bank[qid].text, "topic": bank[qid].topic}
               for qid, similarity in hits if qid in bank]
    if as_json:
        print_json(results)
        return
    print_table(f"搜索 / search: {text}", ["id", "similarity", "topic", "text"],
                [(r["id"], f"{r['similarity']:.3f}", r["topic"], r["text"]) for r in results])
