"""Run every seed parser, classify, merge near-duplicates and write the bank file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from question_bank.importer import seed_article, seed_blog, seed_markdown, seed_notes, seed_spreadsheet
from question_bank.importer.classify import classify_kind, classify_topic, difficulty
from question_bank.importer.records import Dropped, Extracted, SeedResult
from question_bank.models import Question, QuestionBank, SourceRef
from question_bank.normalize import normalize, question_id

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
# Filler words that do not change what a question asks, removed before comparing questions.
FILLER = re.compile(r"请问|请|存在|介绍一下|简单|谈谈|讲讲|说一下|说说|什么是|是什么|一下|大模型|的|吗|呢|啥|么")
ASCII_TOKEN = re.compile(r"[a-z0-9]+")
GENERIC_ASCII = frozenset({"llm", "llms", "ai"})
NON_CJK = re.compile(r"[^\u4e00-\u9fff]")
NEAR_DUPLICATE_JACCARD = 0.72


@dataclass
class Candidate:
    extracted: Extracted
    source: SourceRef
    seed_index: int
    position: int


@dataclass
class SeedReport:
    file: str
    found: int = 0
    merged: int = 0
    dropped: list[Dropped] = field(default_factory=list)


def find_seed_files(seeds_dir: Path) -> list[tuple[Path, Parser]]:
    files = []
    for prefix, parser in PARSERS.items():
        matches = sorted(seeds_dir.glob(f"{prefix}*.txt"))
        if len(matches) != 1:
            raise FileNotFoundError(
                f"{seeds_dir}: expected one seed file starting with {prefix!r}, found {len(matches)}")
        files.append((matches[0], parser))
    return files


def build_bank(seeds_dir: Path) -> tuple[QuestionBank, list[SeedReport]]:
    candidates: list[Candidate] = []
    reports: list[SeedReport] = []
    for seed_index, (path, parser) in enumerate(find_seed_files(seeds_dir)):
        result = parser(path.read_text(encoding="utf-8"), path.name)
        reports.append(SeedReport(file=path.name, found=len(result.questions), dropped=list(result.dropped)))
        for position, extracted in enumerate(result.questions):
            candidates.append(Candidate(extracted, SourceRef(file=path.name, locator=extracted.locator),
                                        seed_index, position))
    groups = _group_duplicates(candidates)
    questions = [_merge(group) for group in groups]
    for group in groups:
        for member in group[1:]:
            reports[member.seed_index].merged += 1
    questions.append(CLOSING)
    questions.sort(key=lambda q: (KIND_ORDER.index(q.kind), q.order or 0))  # stable: keeps seed order inside
    return QuestionBank(questions=questions), reports


def _signature(text: str) -> tuple[frozenset[str], frozenset[str]]:
    normalized = normalize(text)
    # Chinese wording is compared by character bigrams; technical names (ASCII) must match exactly.
    core = FILLER.sub("", NON_CJK.sub("", normalized).replace("有啥", "有哪些"))
    bigrams = frozenset(core[i : i + 2] for i in range(len(core) - 1)) if len(core) > 1 else frozenset({core})
    return bigrams, frozenset(ASCII_TOKEN.findall(normalized)) - GENERIC_ASCII


def _is_duplicate(a: Candidate, b: Candidate, sig_a: tuple, sig_b: tuple) -> bool:
    if a.extracted.fixed_id or b.extracted.fixed_id:
        return a.extracted.fixed_id == b.extracted.fixed_id
    if a.extracted.kind != b.extracted.kind or sig_a[1] != sig_b[1]:
        return False
    union = sig_a[0] | sig_b[0]
    return len(sig_a[0] & sig_b[0]) / len(union) >= NEAR_DUPLICATE_JACCARD


def _group_duplicates(candidates: list[Candidate]) -> list[list[Candidate]]:
    signatures = [_signature(candidate.extracted.text) for candidate in candidates]
    parent = list(range(len(candidates)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            if _is_duplicate(candidates[i], candidates[j], signatures[i], signatures[j]):
                parent[root(j)] = root(i)
    groups: dict[int, list[Candidate]] = {}
    for index, candidate in enumerate(candidates):
        groups.setdefault(root(index), []).append(candidate)
    return [sorted(group, key=_preference) for group in groups.values()]


def _preference(candidate: Candidate) -> tuple:
    """The kept question: the one with a ladder position, then a reference answer, then seed order."""
    extracted = candidate.extracted
    return (extracted.order is None, extracted.reference_answer is None, candidate.seed_index, candidate.position)


def _merge(group: list[Candidate]) -> Question:
    kept = group[0].extracted
    references = [c.extracted.reference_answer for c in group if c.extracted.reference_answer]
    reference = max(references, key=len) if references else None
    merged = Extracted(**{**kept.__dict__, "reference_answer": reference})
    sources = sorted({c.source: (c.seed_index, c.position) for c in group}.items(), key=lambda item: item[1])
    return Question(
        id=kept.fixed_id or question_id(kept.text),
        text=kept.text,
        kind=classify_kind(merged),
        topic=_topic_for(merged),
        difficulty=difficulty(merged),
        reference_answer=reference,
        sources=[source for source, _ in sources],
        slot=kept.slot,
        order=kept.order,
    )


def _topic_for(question: Extracted) -> str:
    if question.kind in ("opening", "project", "behavioral"):
        return question.kind
    return classify_topic(question)
