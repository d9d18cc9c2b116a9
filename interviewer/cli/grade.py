"""`mock-interview grade`: grade one answer, or a JSONL file of answers."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interviewer.cli.common import console, fail, print_json
from interviewer.grading import CombinedGrader, build_grader
from interviewer.grading.calibration import Calibration
from interviewer.grading.embedding_grader import GradingItem
from interviewer.grading.models import GradeResult
from interviewer.settings import LLMSettings, data_home
from question_bank.loader import load_bank
from question_bank.models import Question
from question_bank.normalize import normalize
from rubrics.derive import derive_rubric
from rubrics.embeddings import make_embedder
from rubrics.loader import RubricDataError
from rubrics.models import CJK, Rubric
from rubrics.store import RubricStore, open_store, question_of

logger = logging.getLogger(__name__)

BATCH_CHUNK = 64
QUERY_CHUNK = 256
# Documents read per asked question: its own text and English text, and the next question's.
MATCH_CANDIDATES = 4


class BatchRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str | int
    question: str = Field(min_length=1)
    answer: str
    reference: str | None = None


@dataclass(frozen=True)
class Match:
    """The bank question nearest to a question given as text, and whether it is close enough to use."""

    question: Question | None
    similarity: float
    accepted: bool


@dataclass
class Plan:
    """What one answer is graded against, and how the question was matched."""

    item: GradingItem
    matched_id: str | None
    similarity: float | None = None  # of the nearest bank question, when matched by embedding
    extra: dict[str, Any] = field(default_factory=dict)


class QuestionResolver:
    """Turns a question given as an id or text into a bank question: exact, else the nearest one by
    embedding when it is similar enough (`threshold`, fitted in the calibration). Texts are embedded
    in batches and each distinct text once."""

    def __init__(self, bank: list[Question], store: RubricStore, calibration: Calibration) -> None:
        self.store = store
        self.calibration = calibration
        self.threshold = calibration.question_match
        self.by_id = {question.id: question for question in bank}
        self.by_text = {normalize(question.text): question for question in bank}
        self._cache: dict[str, Match] = {}

    def exact(self, text: str) -> Question | None:
        return self.by_id.get(text.strip()) or self.by_text.get(normalize(text))

    def prefetch(self, texts: Iterable[str]) -> None:
        """Match every distinct text not seen before with one batched embedding call."""
        missing = [text for text in dict.fromkeys(texts) if text not in self._cache and text.strip()]
        if not missing or self.store.questions.count() == 0:
            return
        vectors = self.store.embedder.embed_queries(missing)
        for start in range(0, len(missing), QUERY_CHUNK):
            chunk = missing[start : start + QUERY_CHUNK]
            # Two documents per question (its text and its English text): the nearest few, so that one in
            # the asked language is among them.
            result = self.store.questions.query(query_embeddings=vectors[start : start + QUERY_CHUNK],
                                                n_results=min(MATCH_CANDIDATES, self.store.questions.count()),
                                                include=["distances"])
            for text, ids, distances in zip(chunk, result["ids"], result["distances"] or [], strict=True):
                self._cache[text] = self._match(text, list(zip(ids, distances or [], strict=True)))

    def _match(self, text: str, found: list[tuple[str, float]]) -> Match:
        """The nearest bank question by its documents (`found`: id and distance, nearest first). A question
        asked in Chinese is matched by the bank's Chinese texts only: an English text is nearer by chance
        across languages ("什么是梯度检查点？" and "What is gradient descent?"), and a question with an
        English text has its Chinese one too. Across languages the match has its own threshold."""
        chinese = bool(CJK.search(text))
        for document_id, distance in found:
            question = self.by_id.get(question_of(document_id))
            if question is None:
                continue
            english_document = document_id != question.id
            if chinese and english_document:
                continue
            similarity = round(1.0 - float(distance), 4)
            matched = question.text_en if english_document and question.text_en else question.text
            return Match(question, similarity, similarity >= self.calibration.question_threshold(text, matched))
        return Match(None, 0.0, False)

    def nearest(self, text: str) -> Match:
        self.prefetch([text])
        return self._cache.get(text, Match(None, 0.0, False))


def _plan(resolver: QuestionResolver, grader: CombinedGrader, question: str, answer: str,
          reference: str | None) -> Plan:
    """What to grade against: a rubric derived from `reference`, else the matched bank question's rubric,
    else (no bank question close enough) relevance to the question only."""
    exact = resolver.exact(question)
    if reference:
        rubric = derive_rubric(exact.id if exact else "adhoc", reference)
        if rubric is None:
            raise ValueError("the reference answer has no sentence long enough to become a key point")
        if exact:
            return Plan(GradingItem(exact.text, answer, rubric, exact.id, topic=exact.topic, reference=reference),
                        exact.id)
        near = resolver.nearest(question)  # only to know which subject "off topic" is measured against
        topic = near.question.topic if near.accepted and near.question else None
        return Plan(GradingItem(question, answer, rubric, None, topic=topic, reference=reference), None)
    if exact:
        return Plan(_bank_item(grader, exact, answer), exact.id)
    if not resolver.by_id:
        raise ValueError("the bank is empty; cannot match the question")
    near = resolver.nearest(question)
    if near.accepted and near.question is not None:
        return Plan(_bank_item(grader, near.question, answer), near.question.id, near.similarity)
    nearest = f"{near.question.id} 「{near.question.text}」" if near.question else "none"
    note = (f"题库中没有足够相近的题目，只按相关性评分 / no bank question is close enough "
            f"(nearest {nearest}, similarity {near.similarity:.3f} below the threshold): "
            "graded for relevance only")
    item = GradingItem(question, answer, None, None, notes=[note])
    return Plan(item, None, near.similarity, {"nearest_question_id": near.question.id if near.question else None})


def _bank_item(grader: CombinedGrader, question: Question, answer: str) -> GradingItem:
    rubric: Rubric | None = grader.embedding.rubric_lookup(question)
    return GradingItem(question.text, answer, rubric, question.id, topic=question.topic)


def _services(llm_model: str | None, base_url: str | None) -> tuple[QuestionResolver, CombinedGrader]:
    home = data_home()
    try:
        bank = load_bank(home)
        store = open_store(home, make_embedder())
    except RubricDataError as error:
        fail(str(error))
    settings = LLMSettings.from_env().with_overrides(model=llm_model, base_url=base_url)
    grader = build_grader(store.embedder, store, settings=settings)
    return QuestionResolver(bank, store, grader.embedding.calibration), grader


def _grade(grader: CombinedGrader, items: list[GradingItem]) -> list[GradeResult]:
    if grader.judge is None:
        return grader.embedding.grade_many(items)  # one batched embedding call for the whole chunk
    results = []
    for item in items:
        result = grader.grade_with_rubric(item.question_text, item.rubric, item.answer, item.question_id,
                                          topic=item.topic, reference=item.reference)
        results.append(result.model_copy(update={"notes": [*item.notes, *result.notes]}) if item.notes else result)
    return results


def _row_output(row_id: Any, plan: Plan, result: GradeResult) -> dict[str, Any]:
    output = {"id": row_id, "score": result.score, "matched_question_id": plan.matched_id,
              "key_points": [point.model_dump(mode="json") for point in result.key_points],
              "flags": result.flags, "grader": result.grader, "notes": result.notes}
    if plan.similarity is not None:
        output["match_similarity"] = plan.similarity
    if result.llm_score is not None:
        output.update(embedding_score=result.embedding_score, llm_score=result.llm_score)
    return output | plan.extra


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
        plan = _plan(resolver, grader, question, answer, reference)
    except ValueError as error:
        fail(str(error))
    result = _grade(grader, [plan.item])[0]
    if as_json:
        print_json({**result.model_dump(mode="json"), "matched_question_id": plan.matched_id,
                    "matched_question": plan.item.question_text, "match_similarity": plan.similarity, **plan.extra})
        return
    _print_result(plan, result)


def _print_result(plan: Plan, result: GradeResult) -> None:
    item = plan.item
    match = f"{plan.matched_id or '自定义 / custom'}" + (
        f", similarity {plan.similarity:.3f}" if plan.similarity is not None else "")
    console.print(f"[bold]题目[/] {item.question_text}  [dim]({match})[/]", highlight=False)
    console.print(f"[bold]得分 / score: {result.score}[/]  grader={result.grader}  flags={result.flags}",
                  highlight=False)
    if result.llm_score is not None:
        console.print(f"离线评分 / embedding score: {result.embedding_score}  "
                      f"LLM 评分 / LLM score: {result.llm_score}", highlight=False)
    for note in result.notes:
        console.print(f"[yellow]注意 / note:[/] {note}", highlight=False)
    for point in result.key_points:
        mark = {"stated": "✓", "absent": "✗", "contradicted": "✗!"}[point.status]
        console.print(f" {mark} {point.text}" + (f"  [dim]← {point.evidence}[/]" if point.evidence else ""),
                      highlight=False)
    console.print(result.feedback, highlight=False, markup=False)


# --- batch ----------------------------------------------------------------------------------------


def _open_output(out: Path) -> IO[str]:
    """Open the output file before any grading, so a bad path fails at once with a clear message."""
    if out.is_dir():
        fail(f"--out {out}: is a directory; give a file path such as {out / 'graded.jsonl'}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return out.open("w", encoding="utf-8")
    except OSError as error:
        fail(f"--out {out}: cannot write there ({error.strerror or error})")


def _read_lines(source: Path) -> list[str]:
    if not source.is_file():
        fail(f"--batch {source}: " + ("is a directory, not a file" if source.is_dir() else "file not found"))
    try:
        return source.read_bytes().decode("utf-8").splitlines()
    except UnicodeDecodeError as error:
        fail(f"--batch {source}: not UTF-8 text (invalid byte at offset {error.start}); "
             "give JSON lines encoded as UTF-8")
    except OSError as error:
        fail(f"--batch {source}: cannot read it ({error.strerror or error})")


def _grade_batch(source: Path, out: Path, llm_model: str | None, base_url: str | None) -> None:
    lines = _read_lines(source)
    handle = _open_output(out)
    resolver, grader = _services(llm_model, base_url)
    rows: list[tuple[int, Any, BatchRow | str]] = []  # (line, id, row or error message)
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        row_id: Any = None
        try:
            raw = json.loads(line)
            row_id = raw.get("id") if isinstance(raw, dict) else None
            rows.append((line_number, row_id, BatchRow.model_validate(raw)))
        except (json.JSONDecodeError, ValidationError) as error:
            rows.append((line_number, row_id, _row_error(error)))
    # Questions given as text are matched to the bank together: one embedding call for all of them.
    resolver.prefetch(row.question for _, _, row in rows if isinstance(row, BatchRow)
                      and resolver.exact(row.question) is None)
    graded = errors = 0
    pending: list[tuple[int, Any, Plan | str]] = []
    with handle:
        for index, (line_number, row_id, row) in enumerate(rows):
            entry: Plan | str = row if isinstance(row, str) else ""
            if isinstance(row, BatchRow):
                try:
                    entry = _plan(resolver, grader, row.question, row.answer, row.reference)
                except ValueError as error:
                    entry = str(error)
            pending.append((line_number, row_id, entry))
            if sum(isinstance(e, Plan) for _, _, e in pending) == BATCH_CHUNK or index == len(rows) - 1:
                done, failed = _flush(grader, pending, source.name, handle)
                graded, errors, pending = graded + done, errors + failed, []
    print(f"graded {graded} rows, {errors} bad rows → {out}", file=sys.stderr)


def _flush(grader: CombinedGrader, pending: list[tuple[int, Any, Plan | str]], name: str,
           handle: IO[str]) -> tuple[int, int]:
    """Grade the planned rows, then write every row of `pending` in input order; returns (graded, bad)."""
    plans = [entry for _, _, entry in pending if isinstance(entry, Plan)]
    try:
        results = iter(_grade(grader, [plan.item for plan in plans]))
    except Exception as error:  # an unexpected failure loses this chunk's grades, not the file
        logger.exception("grading a chunk of %d rows failed; they are written as errors", len(plans))
        message = f"grading failed: {type(error).__name__}: {error}"
        results = None
        pending = [(line, row_id, message if isinstance(entry, Plan) else entry) for line, row_id, entry in pending]
    graded = errors = 0
    for line_number, row_id, entry in pending:
        if isinstance(entry, Plan) and results is not None:
            output = _row_output(row_id, entry, next(results))
            graded += 1
        else:
            typer.echo(f"{name}: line {line_number}: {entry}", err=True)
            output = {"id": row_id, "line": line_number, "error": entry}
            errors += 1
        handle.write(json.dumps(output, ensure_ascii=False) + "\n")
    handle.flush()
    return graded, errors


def _row_error(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"invalid JSON ({error.msg})"
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return f"field {'.'.join(map(str, first['loc'])) or 'row'!r}: {first['msg']}"
    return str(error)
