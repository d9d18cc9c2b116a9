"""Seed 001: Markdown with sections (一)…(八) and numbered `###`/`####` question headings.

Only numbered headings are questions; unnumbered sub-headings (e.g. "梯度消失") belong to the
answer above them and are kept there as bold lines. Section (八) ends with questions written as whole
bold lines without a heading mark ("**4.Megatron以及deepspeed实现原理…**"): a whole bold line whose
number continues the section's numbering is a question too; numbered bold list items inside an answer
("**1. vLLM：**适用于…", "**2. 优化索引结构：**") are not, as they do not continue it.
"""

from __future__ import annotations

import re

from question_bank.importer.cleaning import clean_answer, clean_heading
from question_bank.importer.records import Dropped, Extracted, SeedResult

SECTION = re.compile(r"^##\s*[(（]([一二三四五六七八九十]+)[)）]\s*$")
QUESTION_HEADING = re.compile(r"^#{3,4}\s*\**\s*(\d+)\s*[.、．]\s*(.+?)\s*\**\s*$")
BOLD_QUESTION = re.compile(r"^\*\*\s*(\d+)\s*[.、．]\s*([^*]+?[^*：:])\s*\*\*\s*$")
SUB_HEADING = re.compile(r"^#{3,6}\s*(.+?)\s*$")


def parse(text: str, file_name: str) -> SeedResult:
    result = SeedResult(file=file_name)
    section: str | None = None
    current: tuple[str, str, list[str]] | None = None  # (locator, question, answer lines)
    preamble: list[str] = []

    def flush() -> None:
        if current is not None:
            locator, question, answer_lines = current
            result.questions.append(
                Extracted(text=clean_heading(question), reference_answer=clean_answer(answer_lines),
                          locator=locator)
            )

    in_code = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            in_code = not in_code
        if not in_code and (match := SECTION.match(line)):
            flush()
            current, section = None, match.group(1)
            continue
        if not in_code and section and (match := QUESTION_HEADING.match(line) or _next_bold_question(line, current)):
            flush()
            current = (f"({section}) {match.group(1)}", match.group(2), [])
            continue
        if current is None:
            preamble.append(line)
            continue
        sub = None if in_code else SUB_HEADING.match(line)
        current[2].append(f"**{clean_heading(sub.group(1))}**" if sub else line)
    flush()
    noise = [line for line in preamble if line.strip() and not line.startswith("# ")]
    if noise:
        result.dropped.append(
            Dropped(text=f"{len(noise)} link/title lines before section (一)", locator="preamble",
                    reason="link list, not a question")
        )
    return result


def _next_bold_question(line: str, current: tuple[str, str, list[str]] | None) -> re.Match[str] | None:
    """A whole bold numbered line that continues the numbering of the section's questions."""
    match = BOLD_QUESTION.match(line.strip())
    if match is None or current is None:
        return None
    number = int(current[0].rsplit(" ", 1)[1])
    return match if int(match.group(1)) == number + 1 else None
