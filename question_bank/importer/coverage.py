"""Question-shaped lines of a seed, and which of them the parser did not take as a question.

The coverage report counts every line that looks like a question, whatever the seed's format:
a numbered Markdown heading, a whole bold numbered line, or a short line ending in a question
mark. A line the parser took as a question (or reported as dropped) is accounted for; the others
are listed, so a question written in a shape a parser does not know is seen rather than lost
silently inside the answer above it. Most of those left are rhetorical questions inside answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from question_bank.importer.cleaning import clean_heading
from question_bank.importer.records import Dropped, Extracted, SeedResult
from question_bank.normalize import normalize

NUMBERED_HEADING = re.compile(r"^#{1,4}\s*\**\s*\d+\s*[.、．]")
# A whole bold numbered line; bold list items inside answers end in a colon ("**2. 优化索引结构：**").
BOLD_NUMBERED = re.compile(r"^\*\*\s*\d+\s*[.、．][^*]+[^*：:]\*\*$")
ENDS_IN_QUESTION_MARK = re.compile(r"[？?]$")
# Heading marks, bullets, bold and numbering in front of the words of a question.
LEAD = re.compile(r"^(?:#{1,6}\s*)?(?:[-*•]\s+)?\**\s*(?:\d+(?:\.\d+)*\s*[.、．)）]|[一二三四五六七八九十]+、)?\s*")
MAX_QUESTION_CHARS = 60  # longer lines ending in "？" are prose
LINE_LOCATOR = re.compile(r"^line (\d+)")


@dataclass(frozen=True)
class QuestionLine:
    number: int
    text: str


def question_lines(text: str) -> list[QuestionLine]:
    """Every question-shaped line outside code blocks, with its line number."""
    found: list[QuestionLine] = []
    in_code = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not stripped:
            continue
        words = clean_heading(LEAD.sub("", stripped)).split("\t")[0].strip()
        numbered = bool(NUMBERED_HEADING.match(stripped) or BOLD_NUMBERED.match(stripped))
        if words and (numbered or (len(words) <= MAX_QUESTION_CHARS and ENDS_IN_QUESTION_MARK.search(words))):
            found.append(QuestionLine(number, words))
    return found


def not_taken(lines: list[QuestionLine], parsed: SeedResult) -> list[QuestionLine]:
    """The question-shaped lines that are neither a question of `parsed` nor reported as dropped.

    A line is matched by its locator where the parser gives line numbers ("line 161"; a line inside a
    block the parser dropped goes with the block), else by its words (the parsers reword some
    questions, so containment either way counts)."""
    starts = {number: False for number in _line_numbers(parsed.questions)}
    starts.update({number: True for number in _line_numbers(parsed.dropped)})
    texts = [question.text for question in parsed.questions] + [dropped.text for dropped in parsed.dropped]
    known = [key for key in map(normalize, texts) if key]
    left = []
    for line in lines:
        block = max((number for number in starts if number <= line.number), default=None)
        if block == line.number or (block is not None and starts[block]):
            continue
        key = normalize(line.text)
        if key and any(key in other or other in key for other in known):
            continue
        left.append(line)
    return left


def _line_numbers(items: Sequence[Extracted | Dropped]) -> list[int]:
    return [int(match.group(1)) for item in items if (match := LINE_LOCATOR.match(item.locator))]
