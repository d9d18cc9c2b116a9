"""Seed 004: a blog post whose table of contents lists ~200 questions by chapter.

Only the first few questions are answered (after the line `答案`); the rest of the post is
advertising, which is cut off as a whole block.
"""

from __future__ import annotations

import re

from question_bank.importer.cleaning import clean_answer, clean_heading, is_advert
from question_bank.importer.records import Dropped, Extracted, SeedResult
from question_bank.normalize import normalize

CHAPTER = re.compile(r"^ {2}•\s*(.+)$")
ITEM = re.compile(r"^ {4}•\s*(.+)$")
NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[一二三四五六七八九十]+、)\s*(?:痛点\d+\s*[:：]\s*)?")
ANSWER_HEADER = re.compile(r"^\s*(\d+)\s+(.+[?？])\s*$")
ANSWERS_START = "答案"
ADVERT_BLOCK_START = re.compile(r"^如何学习AI大模型")
SECTION_SUFFIX = re.compile(r"(篇|面)\s*(\(.*\))?$")
# Table-of-contents entries that title a group of the questions listed right after them.
GROUP_TITLES = {"LLMs 复读机问题", "llama 系列问题", "避坑记录", "本地知识库问答系统(Langchain-chatGLM)",
                "提示学习(Prompting)", "模型参数迭代实验", "应用模式变更"}
QUESTION_WORDS = re.compile(r"[?？]|什么|哪些|如何|怎么|为什么|是否|吗|么|区别|写一下|介绍")


def _question_text(item: str) -> str:
    text = clean_heading(NUMBERING.sub("", item.strip()))
    text = text.replace("?", "？").replace(",", "，")
    return text if QUESTION_WORDS.search(text) else f"请谈谈{text}。"


def parse(text: str, file_name: str) -> SeedResult:
    result = SeedResult(file=file_name)
    lines = text.splitlines()
    chapter = ""
    toc: dict[str, Extracted] = {}
    answers_at = next((i for i, line in enumerate(lines) if line.strip() == ANSWERS_START), len(lines))
    for number, line in enumerate(lines[:answers_at], start=1):
        if is_advert(line):
            result.dropped.append(Dropped(text=line.strip()[:40], locator=f"line {number}", reason="advertising"))
        elif match := CHAPTER.match(line):
            chapter = clean_heading(match.group(1))
        elif match := ITEM.match(line):
            _add_toc_item(result, toc, match.group(1), chapter, number)
        elif line.strip() and number < 3:
            result.dropped.append(Dropped(text=line.strip()[:40], locator=f"line {number}", reason="article title"))

    current: Extracted | None = None
    answer_lines: list[str] = []
    for number, line in enumerate(lines[answers_at + 1 :], start=answers_at + 2):
        if ADVERT_BLOCK_START.match(line.strip()) or is_advert(line):
            result.dropped.append(Dropped(text=line.strip()[:40], locator=f"line {number}-{len(lines)}",
                                          reason="advertising block to the end of the post"))
            break
        if match := ANSWER_HEADER.match(line):
            _attach(current, answer_lines)
            current, answer_lines = toc.get(normalize(_question_text(match.group(2)))), []
            continue
        if match := ITEM.match(line):
            _add_toc_item(result, toc, match.group(1), "基础面", number)
            continue
        if CHAPTER.match(line):
            continue
        answer_lines.append(line)
    _attach(current, answer_lines)
    return result


def _add_toc_item(result: SeedResult, toc: dict[str, Extracted], item: str, chapter: str, number: int) -> None:
    cleaned = clean_heading(NUMBERING.sub("", item.strip()))
    if SECTION_SUFFIX.search(cleaned) or cleaned in GROUP_TITLES:
        result.dropped.append(Dropped(text=cleaned, locator=f"line {number}", reason="section title in the contents"))
        return
    question = _question_text(item)
    key = normalize(question)
    if key in toc:
        result.dropped.append(Dropped(text=cleaned, locator=f"line {number}", reason="listed twice in the contents"))
        return
    toc[key] = Extracted(text=question, reference_answer=None, locator=f"contents line {number} ({chapter})",
                         topic_hint=chapter, tags=[chapter])
    result.questions.append(toc[key])


def _attach(question: Extracted | None, answer_lines: list[str]) -> None:
    if question is not None:
        question.reference_answer = clean_answer(answer_lines)
