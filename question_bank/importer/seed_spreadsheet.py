"""Seed 000: a spreadsheet exported as text.

Columns are 序号, 问题, 答案 and a notes column (列1). Rows are `N<TAB>question<TAB>answer...`; an
answer may also start on the next line after a tab and runs over many lines. The notes column
follows the last line of the answer after a tab ("…场景。<TAB>简要回答即可"): it is advice to
whoever reads the sheet, not part of the answer, so it is cut off and listed in the coverage report.
"""

from __future__ import annotations

import re

from question_bank.importer.cleaning import clean_answer, clean_heading
from question_bank.importer.records import Dropped, Extracted, SeedResult

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
            rows[-1][2].append(line.removeprefix("\t"))
    for number, question, answer_lines in rows:
        answer: list[str] = []
        for line in answer_lines:
            cell, _, notes = line.partition("\t")
            answer.append(cell)
            if notes.strip("\t "):
                result.dropped.append(Dropped(text=notes.strip("\t "), locator=f"row {number}",
                                              reason="notes column (advice to the reader, not part of the answer)"))
        result.questions.append(
            Extracted(
                text=clean_heading(question),
                reference_answer=clean_answer(answer),
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
