"""Answer text: splitting into units, lexical terms (jieba plus field terms), and the rule checks.

The rules recognise answers that must not earn credit whatever the embeddings say: non-answers,
gibberish, the question copied back, instructions aimed at the grader, and padding.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n+")
CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9+\-.]*|\d+(?:\.\d+)?")
VOWEL = re.compile(r"[aeiouy]", re.I)

NON_ANSWERS = re.compile(
    r"^(我?(也)?(真的|确实|完全)?(不知道|不清楚|不太清楚|不了解|不太了解|不会|不懂|没学过|没了解过|没做过|没接触过|忘了|"
    r"想不起来了?|答不上来|跳过|没有了?|没想法|不确定)|pass|skip|idk|no idea|i don'?t know|not sure|dunno|"
    r"n/?a|嗯+|啊+|额+|呃+|哦+|这个+|那个+|emm+|hmm+|\?+|？+|…+|\.+|。+)$",
    re.I,
)
FILLER_WORDS = re.compile(r"[，,。.!！?？~～\s]|不好意思|抱歉|sorry|这个问题|这道题|我觉得|吧|呢|啊|嗯|呀|哈", re.I)

# Text addressed to the grader rather than the interviewer. It never earns credit, with either grader.
INJECTION = re.compile(
    r"忽略.{0,12}(指令|规则|评分|标准|要求|rubric|提示)|无视.{0,8}(规则|评分|标准)|(给|打|评).{0,6}(满分|100\s*分|一百分)|"
    r"(满分|100\s*分|一百分).{0,6}(给|打|评)|评分(员|者|系统|模型)|你(现在)?是.{0,6}(评分|考官|系统)|系统提示|"
    r"system\s*prompt|ignore\s+(all\s+|the\s+|any\s+)?(previous|above|prior|rubric|instructions?)|"
    r"(give|award|score)\s+(me\s+|this\s+(answer\s+)?)?(full|100|maximum|perfect)|as\s+the\s+grader|"
    r"you\s+are\s+now|</?(system|instruction|rubric)>",
    re.I,
)
# Sentences that carry an explanation rather than a bare term.
EXPLANATION = re.compile(r"是|会|能|可以|通过|因为|所以|用于|用来|使得|导致|把|将|让|对|在|由|而|如果|需要|"
                         r"\b(is|are|uses?|because|so|by|makes?|lets?|reduces?|means?)\b", re.I)


@dataclass(frozen=True)
class Unit:
    """A sentence or a two-sentence window of the answer, exactly as the candidate wrote it."""

    text: str
    sentences: tuple[int, ...]


def sentences(answer: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(answer) if part and part.strip()]


def units(answer: str, *, max_sentences: int = 60) -> list[Unit]:
    """Sentences plus windows of two adjacent sentences (a point may span a sentence boundary)."""
    parts = sentences(answer)[:max_sentences]
    singles = [Unit(text, (index,)) for index, text in enumerate(parts)]
    pairs = [Unit(parts[index] + parts[index + 1], (index, index + 1)) for index in range(len(parts) - 1)]
    return singles + pairs


def bigrams(text: str) -> set[str]:
    compact = re.sub(r"\s+", "", text.lower())
    return {compact[index : index + 2] for index in range(len(compact) - 1)} or {compact}


def jaccard(left: str, right: str) -> float:
    a, b = bigrams(left), bigrams(right)
    return len(a & b) / len(a | b) if a and b else 0.0


# --- lexical terms ----------------------------------------------------------------------------------

_jieba_lock = threading.Lock()
_known_terms: set[str] = set()


@cache
def _jieba() -> Any:
    """jieba, imported on first use with its start-up chatter silenced (once: it clears logging caches)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def add_field_terms(terms: Iterable[str]) -> None:
    """Teach jieba the field's terms (aliases such as "低秩分解", "KV cache") so they stay whole."""
    jieba = _jieba()
    with _jieba_lock:
        for term in terms:
            cleaned = term.strip()
            if 2 <= len(cleaned) <= 20 and cleaned not in _known_terms:
                _known_terms.add(cleaned)
                jieba.add_word(cleaned, freq=20000)


def terms(text: str) -> set[str]:
    """Content terms: jieba words of two or more characters and English words, lower-cased."""
    jieba = _jieba()
    with _jieba_lock:
        words = jieba.lcut(text.lower())
    return {word.strip() for word in words if len(word.strip()) >= 2 and not word.isspace()} | {
        word.lower() for word in WORD.findall(text) if len(word) >= 2}


# --- rules ------------------------------------------------------------------------------------------


def is_gibberish(answer: str) -> bool:
    """Keyboard mashing or random characters: no recognisable words."""
    jieba = _jieba()
    stripped = re.sub(r"\s+", "", answer)
    if len(stripped) < 4:
        return False
    meaningful = len(CJK.findall(stripped)) + sum(len(word) for word in WORD.findall(stripped))
    if meaningful / len(stripped) < 0.4:
        return True
    english = WORD.findall(answer)
    if english and not CJK.search(answer):
        nonsense = [word for word in english if len(word) >= 4 and (not VOWEL.search(word)
                                                                   or re.search(r"[^aeiouy\d]{5,}", word, re.I))]
        return len(nonsense) >= max(1, len(english) // 2)
    cjk_text = "".join(CJK.findall(answer))
    if len(cjk_text) >= 6:
        with _jieba_lock:
            words = [word for word in jieba.lcut(cjk_text) if CJK.search(word)]
        multi = [word for word in words if len(word) >= 2 and (word in jieba.dt.FREQ or word in _known_terms)]
        return sum(map(len, multi)) / len(cjk_text) < 0.25
    return False


def is_copied_question(answer: str, question: str) -> bool:
    compact = FILLER_WORDS.sub("", answer)
    return bool(compact) and len(compact) <= len(question) * 1.3 and jaccard(compact, question) >= 0.6


def is_non_answer(answer: str, question: str = "") -> bool:
    """Empty, "不知道", filler, gibberish, or the question copied back: no credit by rule."""
    stripped = answer.strip()
    if len(FILLER_WORDS.sub("", stripped)) < 2:
        return True
    core = re.sub(r"[。.!！~～\s，,]+$", "", stripped)
    core = re.sub(r"^(嗯+|呃+|额+|这个+|那个+|抱歉|不好意思|sorry)[，,\s]*", "", core, flags=re.I)
    if NON_ANSWERS.match(core) or NON_ANSWERS.match(FILLER_WORDS.sub("", core)):
        return True
    # "没了解过，跳过吧": every clause is itself a non-answer.
    clauses = [FILLER_WORDS.sub("", part) for part in re.split(r"[，,。.!！;；、\s]+", core)]
    if [c for c in clauses if c] and all(NON_ANSWERS.match(c) for c in clauses if c):
        return True
    return is_gibberish(stripped) or (bool(question) and is_copied_question(stripped, question))


def injection_sentences(answer: str) -> list[str]:
    return [sentence for sentence in sentences(answer) if INJECTION.search(sentence)]


def deduplicate(parts: list[str], threshold: float = 0.8) -> tuple[list[str], int]:
    """Drop sentences that repeat an earlier one; returns the kept ones and how many were dropped."""
    kept: list[str] = []
    for part in parts:
        if not any(jaccard(part, earlier) >= threshold for earlier in kept):
            kept.append(part)
    return kept, len(parts) - len(kept)


# A line of program code: e5 embeds code poorly, so code is matched by the identifiers it uses.
CODE_LINE = re.compile(r"^\s*(def |class |import |from \S+ import|return\b|for .+:|if .+:|@|#|```)|"
                       r"[A-Za-z_][\w.]*\s*\(.*\)|\w\s*=\s*\S|[{};]\s*$")
IDENTIFIER = re.compile(r"^[A-Za-z_][\w.()\-*/^√ ]*$")


def is_code(line: str) -> bool:
    return bool(CODE_LINE.search(line)) and not CJK.search(re.sub(r"#.*$", "", line))


def code_identifiers(aliases: Iterable[str]) -> list[str]:
    """Aliases that name code (masked_fill, softmax, transpose(1, 2)): evidence when they appear in code."""
    return [alias.lower() for alias in aliases if len(alias) >= 3 and IDENTIFIER.match(alias)]


def is_keyword_list(answer: str) -> bool:
    """Terms listed without explanation ("LoRA、QLoRA、Adapter、P-Tuning、Prefix")."""
    items = [item.strip() for item in re.split(r"[,，、;；/|\n]+", answer.strip()) if item.strip()]
    if len(items) < 4:
        return False
    average = sum(map(len, items)) / len(items)
    explained = [sentence for sentence in sentences(answer) if len(sentence) >= 15 and EXPLANATION.search(sentence)
                 and len(re.split(r"[,，、]", sentence)) < 4]
    return average <= 10 and not explained
