"""`mock-interview grade`: grade one answer, or a JSONL file of answers."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interviewer.cli.common import console, fail, print_json
from interviewer.grading import CombinedGrader, build_grader
from interviewer.grading.embedding_grader import GradingItem
from interviewer.grading.models import GradeResult
from interviewer.settings import LLMSettings, data_home
from question_bank.loader import load_bank
from question_bank.models import Question
from question_bank.normalize import normalize
from rubrics.derive import derive_rubric
from rubrics.embeddings import make_embedder
from rubrics.loader import RubricDataError
from rubrics.models import Rubric
from rubrics.store import RubricStore, open_store

BATCH_CHUNK = 64


class BatchRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str | int
    question: str = Field(min_length=1)
    answer: str
    reference: str | None = None


class QuestionResolver:
    """Turns a question given as an id or text into a bank question (exact, else nearest), with a cache."""

    def __init__(self, bank: list[Question], store: RubricStore) -> None:
        self.store = store
        self.by_id = {question.id: question for question in bank}
        self.by_text = {normalize(question.text): question for question in bank}
        self._cache: dict[str, Question | None] = {}

    def exact(self, text: str) -> Question | None:
        return self.by_id.get(text.strip()) or self.by_text.get(normalize(text))

    def nearest(self, text: str) -> Question | None:
        if text not in self._cache:
            hits = self.store.search_questions(text, k=1)
            self._cache[text] = self.by_id.get(hits[0][0]) if hits else None
        return self._cache[text]


def _plan(resolver: QuestionResolver, grader: CombinedGrader, question: str, answer: str,
          reference: str | None) -> tuple[GradingItem, str | None]:
    """What to grade against: a rubric derived from `reference`, else the matched bank question's rubric."""
    exact = resolver.exact(question)
    if reference:
        rubric = derive_rubric(exact.id if exact else "adhoc", reference)
        if rubric is None:
            raise ValueError("the reference answer has no sentence long enough to become a key point")
        return GradingItem(exact.text if exact else question, answer, rubric, exact.id if exact else None), (
            exact.id if exact else None)
    matched = exact or resolver.nearest(question)
    if matched is None:
        raise ValueError("the bank is empty; cannot match the question")
    bank_rubric: Rubric | None = grader.embedding.rubric_lookup(matched)
    return GradingItem(matched.text, answer, bank_rubric, matched.id), matched.id


def _services(llm_model: str | None, base_url: str | None) -> tuple[QuestionResolver, CombinedGrader]:
    home = data_home()
    try:
        bank = load_bank(home)
        store = open_store(home, make_embedder())
    except RubricDataError as error:
        fail(str(error))
    settings = LLMSettings.from_env().with_overrides(model=llm_model, base_url=base_url)
    return QuestionResolver(bank, store), build_grader(store.embedder, store, settings=settings)


def _row_output(row_id: Any, matched: str | None, result: GradeResult) -> dict[str, Any]:
    return {"id": row_id, "score": result.score, "matched_question_id": matched,
            "key_points": [point.model_dump(mode="json") for point in result.key_points],
            "flags": result.flags, "grader": result.grader}


def grade(
    question: Annotated[str | None, typer.Option(help="Question text or bank id.")] = None,
    answer: Annotated[str | None, typer.Option(help="The candidate's answer.")] = None,
    reference: Annotated[str | None, typer.Option(help="Reference answer to derive key points from.")] = None,
    batch: Annotated[Path | None, typer.Option(help="JSONL rows {id, question, answer, reference?}.")] = None,
    out: Annotated[Path | None, typer.Option(help="Where --batch writes its JSONL results.")] = None,
    llm_model: Annotated[str | None, typer.Option(help="Judge model (overrides MOCK_INTERVIEWER_LLM_MODEL).")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible base URL (overrides env).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Grade an answer against the rubric of a bank question (or of a reference answer you give)."""
    if batch is not None:
        if out is None:
            fail("--batch needs --out OUT.jsonl")
        _grade_batch(batch, out, llm_model, base_url)
        return
    if not question or answer is None:
        fail("give --question and --answer (or --batch IN.jsonl --out OUT.jsonl)")
    resolver, grader = _services(llm_model, base_url)
    try:
        item, matched = _plan(resolver, grader, question, answer, reference)
    except ValueError as error:
        fail(str(error))
    result = grader.grade_with_rubric(item.question_text, item.rubric, answer, item.question_id)
    if as_json:
        print_json({**result.model_dump(mode="json"), "matched_question_id": matched,
                    "matched_question": item.question_text})
        return
    console.print(f"[bold]题目[/] {item.question_text}  [dim]({matched or '自定义 / custom'})[/]", highlight=False)
    console.print(f"[bold]得分 / score: {result.score}[/]  grader={result.grader}  flags={result.flags}")
    for point in result.key_points:
        mark = {"covered": "✓", "partial": "◐", "missing": "✗", "wrong": "✗!"}[point.status]
        console.print(f" {mark} {point.text}" + (f"  [dim]← {point.evidence}[/]" if point.evidence else ""),
                      highlight=False)
    console.print(result.feedback, highlight=False, markup=False)


def _grade_batch(source: Path, out: Path, llm_model: str | None, base_url: str | None) -> None:
    if not source.is_file():
        fail(f"{source}: file not found")
    resolver, grader = _services(llm_model, base_url)
    outputs: list[dict[str, Any]] = []
    pending: list[tuple[int, Any, GradingItem, str | None]] = []
    errors = 0
    for line_number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row_id: Any = None
        try:
            raw = json.loads(line)
            row_id = raw.get("id") if isinstance(raw, dict) else None
            row = BatchRow.model_validate(raw)
            item, matched = _plan(resolver, grader, row.question, row.answer, row.reference)
        except (json.JSONDecodeError, ValidationError, ValueError) as error:
            message = _row_error(error)
            typer.echo(f"{source.name}: line {line_number}: {message}", err=True)
            outputs.append({"id": row_id, "line": line_number, "error": message})
            errors += 1
            continue
        outputs.append({})
        pending.append((len(outputs) - 1, row.id, item, matched))
    for start in range(0, len(pending), BATCH_CHUNK):
        chunk = pending[start : start + BATCH_CHUNK]
        if grader.judge is None:
            results = grader.embedding.grade_many([item for _, _, item, _ in chunk])
        else:
            results = [grader.grade_with_rubric(item.question_text, item.rubric, item.answer, item.question_id)
                       for _, _, item, _ in chunk]
        for (position, row_id, _, matched), result in zip(chunk, results, strict=True):
            outputs[position] = _row_output(row_id, matched, result)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for output in outputs:
            handle.write(json.dumps(output, ensure_ascii=False) + "\n")
    print(f"graded {len(pending)} rows, {errors} bad rows → {out}", file=sys.stderr)


def _row_error(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"invalid JSON ({error.msg})"
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return f"field {'.'.join(map(str, first['loc'])) or 'row'!r}: {first['msg']}"
    return str(error)
