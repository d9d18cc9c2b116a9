"""Seed 000: a spreadsheet exported as text.

Rows are `N<TAB>question<TAB>answer...`; an answer may also start on the next line after a tab,
runs over many lines, and rows end with a notes column of empty tabs.
"""

from __future__ import annotations

import re

from question_bank.importer.cleaning import clean_answer, clean_heading
from question_bank.importer.records import Extracted, SeedResult

ROW_START = re.compile(r"^(\d+)\t(.*)$")
HEADER = re.compile(r"^序号\t问题\t答案")


def parse(text: str, file_name: str) -> SeedResult:
    result = SeedResult(file=file_name)
    rows: list[tuple[str, str, list[str]]] = []  # (number, question, answer lines)
    body = _strip_front_matter(text.splitlines())
    for line in body:
        if HEADER.match(line):
            continue
        match = ROW_START.match(line)
        if match:
            number, rest = match.groups()
            question, _, answer_start = rest.partition("\t")
            rows.append((number, question, [answer_start]))
        elif rows:
            rows[-1][2].append(line.lstrip("\t") if line.startswith("\t") else line)
    for number, question, answer_lines in rows:
        result.questions.append(
            Extracted(
                text=clean_heading(question),
                reference_answer=clean_answer(answer_lines),
                locator=f"row {number}",
            )
        )
    return result


def _strip_front_matter(lines: list[str]) -> list[str]:
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return lines[index + 1 :]
    return lines
