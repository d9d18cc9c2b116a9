"""Run every seed parser, classify, merge near-duplicates and write the bank file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from question_bank.importer import curation, seed_article, seed_blog, seed_markdown, seed_notes, seed_spreadsheet
from question_bank.importer.classify import classify_kind, classify_topic, difficulty
from question_bank.importer.cleaning import display_text
from question_bank.importer.coverage import QuestionLine, not_taken, question_lines
from question_bank.importer.dedupe import Signature, same_question, signature
from question_bank.importer.records import Dropped, Extracted, SeedResult
from question_bank.importer.reviewed import (
    AUTHORED_DIR,
    AUTHORED_SOURCE,
    ENGLISH_DIR,
    REFERENCES_DIR,
    ReviewedReference,
    read_authored,
    read_english,
    read_references,
)
from question_bank.models import Question, QuestionBank, SourceRef
from question_bank.normalize import question_id

T = TypeVar("T")

Parser = Callable[[str, str], SeedResult]
# Seed files are recognised by their number prefix; each format has its own parser.
PARSERS: dict[str, Parser] = {
    "000_": seed_spreadsheet.parse,
    "001_": seed_markdown.parse,
    "002_": seed_article.parse,
    "003_": seed_notes.parse,
    "004_": seed_blog.parse,
}
KIND_ORDER = ("opening", "project", "technical", "coding", "behavioral", "closing")
CLOSING = Question(
    id="closing.candidate_questions", text="我这边的问题就到这里。你有什么想问我的吗？", kind="closing",
    topic="behavioral", difficulty=1, sources=[SourceRef(file="mock-interviewer", locator="closing stage")],
)
SAME_AFTER_NORMALISATION = "same question after term normalisation"


@dataclass
class Candidate:
    extracted: Extracted
    source: SourceRef
    seed_index: int
    position: int
    id: str  # the id it would have if kept: computed from the text as the seed words it
    text: str  # the text as shown
    signature: Signature


@dataclass(frozen=True)
class MergeRecord:
    """One question merged into another, for the coverage report."""

    kept_id: str
    kept_text: str
    merged_id: str
    merged_text: str
    source: SourceRef
    reason: str


@dataclass
class SeedReport:
    file: str
    found: int = 0
    merged: int = 0
    dropped: list[Dropped] = field(default_factory=list)
    question_lines: int = 0  # every question-shaped line of the seed
    not_taken: list[QuestionLine] = field(default_factory=list)  # question-shaped, left inside an answer


@dataclass
class BuildResult:
    bank: QuestionBank
    reports: list[SeedReport]
    merges: list[MergeRecord]
    authored: int = 0


def find_seed_files(seeds_dir: Path) -> list[tuple[Path, Parser]]:
    files = []
    for prefix, parser in PARSERS.items():
        matches = sorted(seeds_dir.glob(f"{prefix}*.txt"))
        if len(matches) != 1:
            raise FileNotFoundError(
                f"{seeds_dir}: expected one seed file starting with {prefix!r}, found {len(matches)}")
        files.append((matches[0], parser))
    return files


def build_bank(seeds_dir: Path, *, curated: bool = True) -> tuple[QuestionBank, list[SeedReport]]:
    result = build(seeds_dir, curated=curated)
    return result.bank, result.reports


def build(seeds_dir: Path, *, curated: bool = True, references_dir: Path = REFERENCES_DIR,
          authored_dir: Path = AUTHORED_DIR, english_dir: Path = ENGLISH_DIR) -> BuildResult:
    """Parse, merge and classify. `curated=False` skips the reviewed tables in `curation`, the reviewed
    references and the authored questions (they name questions of the real seeds; excerpts used as
    test fixtures hold only some of them)."""
    candidates: list[Candidate] = []
    reports: list[SeedReport] = []
    seed_files = find_seed_files(seeds_dir)
    for seed_index, (path, parser) in enumerate(seed_files):
        text = path.read_text(encoding="utf-8")
        parsed = parser(text, path.name)
        shaped = question_lines(text)
        reports.append(SeedReport(file=path.name, found=len(parsed.questions), dropped=list(parsed.dropped),
                                  question_lines=len(shaped), not_taken=not_taken(shaped, parsed)))
        for position, extracted in enumerate(parsed.questions):
            text = display_text(extracted.text)
            candidates.append(Candidate(
                extracted, SourceRef(file=path.name, locator=extracted.locator), seed_index, position,
                id=extracted.fixed_id or question_id(extracted.text), text=text, signature=signature(text)))
    authored = _authored_candidates(authored_dir, len(seed_files)) if curated else []
    candidates += authored
    if curated:
        _check_quotes("MERGES", {qid: text for merge in curation.MERGES for qid, text in merge.questions.items()},
                      {c.id: c.text for c in candidates})
        _check_quotes("TEXT_FIXES", {qid: quoted for qid, (_, quoted) in curation.TEXT_FIXES.items()},
                      {c.id: c.text for c in candidates})
    references = read_references(references_dir) if curated else {}
    groups = _group_duplicates(candidates, curation.MERGES if curated else ())
    questions: list[Question] = []
    merges: list[MergeRecord] = []
    for group, reasons in groups:
        kept = group[0]
        questions.append(_merge(group, curated, references.get(kept.id)))
        for member in group[1:]:
            if member.source.file != AUTHORED_SOURCE:
                reports[member.seed_index].merged += 1
            merges.append(MergeRecord(kept.id, kept.text, member.id, member.text, member.source,
                                      reasons[member.id]))
    if curated:
        shown = {question.id: question.text for question in questions}
        for table in ("KIND_OVERRIDES", "TOPIC_OVERRIDES", "DIFFICULTY_OVERRIDES", "RETIRED"):
            _check_quotes(table, {qid: quoted for qid, (_, quoted) in getattr(curation, table).items()}, shown)
        _check_quotes("references", {qid: reference.question for qid, reference in references.items()}, shown)
        english = read_english(english_dir)
        _check_quotes("english", {qid: item.question for qid, item in english.items()}, shown)
        questions = [question.model_copy(update={"text_en": english[question.id].english})
                     if question.id in english else question for question in questions]
    questions.append(CLOSING)
    # Stable sort: seed order inside a kind; the ladder in its order, then project questions without a slot.
    questions.sort(key=lambda q: (KIND_ORDER.index(q.kind), q.order is None, q.order or 0))
    return BuildResult(QuestionBank(questions=questions), reports, merges, authored=len(authored))


def _authored_candidates(directory: Path, seed_index: int) -> list[Candidate]:
    """Authored questions, after the seeds; they never merge by rule (a reviewed merge may join a seed
    question to one)."""
    candidates = []
    for position, (item, file_name) in enumerate(read_authored(directory)):
        extracted = Extracted(text=item.text, reference_answer=item.reference_answer, locator=file_name,
                              kind=item.kind, fixed_id=item.id, tags=list(item.tags), topic=item.topic,
                              difficulty=item.difficulty)
        text = display_text(item.text)
        candidates.append(Candidate(extracted, SourceRef(file=AUTHORED_SOURCE, locator=file_name), seed_index,
                                    position, id=item.id, text=text, signature=signature(text)))
    return candidates


def _check_quotes(table: str, quoted: dict[str, str], actual: dict[str, str]) -> None:
    for qid, text in quoted.items():
        if qid not in actual:
            raise ValueError(f"curation.{table}: question {qid} ({text!r}) is not in the bank")
        if actual[qid] != text:
            raise ValueError(f"curation.{table}: question {qid}: text is now {actual[qid]!r}, table quotes {text!r}")


def _group_duplicates(candidates: list[Candidate],
                      reviewed: tuple[curation.Merge, ...]) -> list[tuple[list[Candidate], dict[str, str]]]:
    """Groups of one question each, kept question first, with why each other member joined (by id)."""
    parent = list(range(len(candidates)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            if _is_duplicate(candidates[i], candidates[j]):
                parent[root(j)] = root(i)
    by_id: dict[str, list[int]] = {}
    for index, candidate in enumerate(candidates):
        by_id.setdefault(candidate.id, []).append(index)
    why: dict[str, str] = {}
    keep_requests: list[tuple[int, str]] = []
    for merge in reviewed:
        indexes = [index for qid in merge.questions for index in by_id[qid]]
        for index in indexes[1:]:
            parent[root(index)] = root(indexes[0])
        why.update({qid: f"reviewed merge: {merge.why}" for qid in merge.questions})
        if merge.keep:
            keep_requests.append((indexes[0], merge.keep))
    keep = {root(index): qid for index, qid in keep_requests}
    groups: dict[int, list[Candidate]] = {}
    for index, candidate in enumerate(candidates):
        groups.setdefault(root(index), []).append(candidate)
    ordered = []
    for group_root, group in groups.items():
        members = _kept_first(group, keep.get(group_root))
        ordered.append((members, {c.id: why.get(c.id, SAME_AFTER_NORMALISATION) for c in members[1:]}))
    return ordered


def _kept_first(group: list[Candidate], chosen: str | None) -> list[Candidate]:
    """The reviewed choice if there is one, else the ladder question, one with a reference answer, seed order."""
    return sorted(group, key=lambda candidate: (candidate.id != chosen, *_preference(candidate)))


def _is_duplicate(a: Candidate, b: Candidate) -> bool:
    if a.extracted.fixed_id or b.extracted.fixed_id:
        return a.extracted.fixed_id == b.extracted.fixed_id
    return a.extracted.kind == b.extracted.kind and same_question(a.signature, b.signature)


def _preference(candidate: Candidate) -> tuple:
    """The kept question: the one with a ladder position, then a reference answer, then seed order."""
    extracted = candidate.extracted
    return (extracted.order is None, extracted.reference_answer is None, candidate.seed_index, candidate.position)


def _merge(group: list[Candidate], curated: bool, reviewed: ReviewedReference | None) -> Question:
    kept = group[0]
    seed_reference, reference = _references(group, reviewed)
    text = _reviewed(curation.TEXT_FIXES, kept.id, curated, kept.text)
    merged = Extracted(**{**kept.extracted.__dict__, "text": text, "reference_answer": reference})
    # Seed order; an authored question stays authored first when a seed question is merged into it.
    sources = sorted({c.source: (c.source != kept.source or kept.source.file != AUTHORED_SOURCE, c.seed_index,
                                 c.position) for c in group}.items(), key=lambda item: item[1])
    tags = list(dict.fromkeys(display_text(tag) for c in group for tag in c.extracted.tags))
    # The kind first: topic and difficulty rules depend on it.
    merged.kind = kind = _reviewed(curation.KIND_OVERRIDES, kept.id, curated, classify_kind(merged))
    topic = merged.topic or _reviewed(curation.TOPIC_OVERRIDES, kept.id, curated, _topic_for(merged))
    level = merged.difficulty or _reviewed(curation.DIFFICULTY_OVERRIDES, kept.id, curated, difficulty(merged))
    return Question(
        id=kept.id,
        text=text,
        kind=kind,
        topic=topic,
        difficulty=level,
        reference_answer=reference,
        seed_reference=seed_reference if seed_reference != reference else None,
        sources=[source for source, _ in sources],
        tags=tags,
        slot=kept.extracted.slot,
        order=kept.extracted.order,
        retired=_reviewed(curation.RETIRED, kept.id, curated, None),
    )


def _references(group: list[Candidate], reviewed: ReviewedReference | None) -> tuple[str | None, str | None]:
    """(the seed's text, the text shown). An authored question shows its own answer; a seed question the
    reviewed one, else (not reviewed yet) the longest of its seeds' texts."""
    kept = group[0]
    seed_texts = [c.extracted.reference_answer for c in group
                  if c.source.file != AUTHORED_SOURCE and c.extracted.reference_answer]
    seed_reference = max(seed_texts, key=len) if seed_texts else None
    if kept.source.file == AUTHORED_SOURCE:
        return seed_reference, (kept.extracted.reference_answer or "").strip()
    if reviewed is None:
        return seed_reference, seed_reference
    if reviewed.change == "kept":
        if seed_reference is None:
            raise ValueError(f"references: question {kept.id} is marked kept but has no seed reference to keep")
        return seed_reference, seed_reference
    return seed_reference, (reviewed.answer or "").strip()


def _topic_for(question: Extracted) -> str:
    if question.kind in ("opening", "project", "behavioral"):
        return question.kind
    return classify_topic(question)


def _reviewed(overrides: Mapping[str, tuple[T, str]], question_id: str, curated: bool, derived: T) -> T:
    """The reviewed value for `question_id` when the curation tables apply, else the derived one."""
    return overrides[question_id][0] if curated and question_id in overrides else derived
