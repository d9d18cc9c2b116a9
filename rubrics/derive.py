"""Derive a rubric from a reference answer: split it into checkable key points.

Used for custom questions imported with a reference answer and for questions graded with
`--reference`; every built-in bank question has an authored rubric. A reference too short to split
(one word or one phrase: "push") becomes a single key point. Chinese points are at most 60
characters and English ones at most 20 words; a point is cut only at a clause boundary outside
brackets, and headings ("KV Cache优化") are not points. `split_sentences` is also how the grader
splits answers, so Chinese and English sentences are recognised the same way everywhere.
"""

from __future__ import annotations

import re

from rubrics.models import CJK, MAX_POINT_CHARS, MAX_POINT_WORDS, KeyPoint, Rubric

MAX_POINTS = 6
MIN_POINT_CHARS = 10
MARKUP = re.compile(r"[*#`>|]+|\$+|\\[a-z]+")
LIST_PREFIX = re.compile(r"^\s*(?:[-•·]|\d+[.、)）]|[（(]\d+[)）]|[一二三四五六七八九十]+、)\s*")
# Sentence ends: Chinese and fullwidth marks, ! ? ; anywhere (after the quote or bracket they close:
# "用户输入：“滤网多久换一次？”" is one sentence), a full stop before white space, newlines.
_CLOSES_A_SENTENCE = "”’\"'」』）)】》"
SENTENCE_BREAK = re.compile(rf"(?<=[。！？；!?;])(?![{_CLOSES_A_SENTENCE}])|(?<=[。！？!?][{_CLOSES_A_SENTENCE}])"
                            r"|(?<=\.)(?=\s)|\n+")
# "e.g. A and B" and "Fig. 2" do not end a sentence; neither does a list number ("1. LoRA ...").
ABBREVIATION = re.compile(r"(?:^|[\s(（])(?:e\.g|i\.e|vs|cf|al|fig|eq|approx|incl|resp|mr|mrs|dr)\.$"
                          r"|^\s*(?:\d+|[a-z])\.$", re.I)
CLAUSE_BREAK = re.compile(r"[，,：:；;—]")
OPENING, CLOSING = "(（[【「《", ")）]】」》"
TERM = re.compile(r"[A-Za-z][A-Za-z0-9+\-./]{1,30}")
# In English text every word matches TERM; only names of things (LoRA, GPU, vLLM, GPT-2, d_k) are aliases.
TECHNICAL = re.compile(r"^[A-Z]{2}|[a-z][A-Z]|[A-Z].*[A-Z]|\d|[-_]")
LATIN_WORDS = re.compile(r"[A-Za-z0-9][\w'’+\-./]*")
# Sentences that only announce a list ("可以采取以下策略：") carry no checkable claim.
ANNOUNCEMENT = re.compile(r"(以下|如下)[^。，,]{0,12}$|[：:]$")
FILLER = re.compile(r"^(总结来说|综上所述|总之|例如|比如|具体来说|其基本步骤如下|如下)[，,：:]?")
TERMINAL = re.compile(r"[。！？；!?;.…]$")


def split_sentences(text: str) -> list[str]:
    """Sentences of Chinese or English text, each with its own end mark, stripped and non-empty."""
    pieces, start = [], 0
    for match in SENTENCE_BREAK.finditer(text):
        piece = text[start : match.start()]
        if not match.group() and piece.endswith(".") and ABBREVIATION.search(piece):
            continue  # "e.g." or "1.": the sentence goes on
        pieces.append(piece)
        start = match.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def is_latin(text: str) -> bool:
    return not CJK.search(text)


def _too_long(text: str) -> bool:
    return len(LATIN_WORDS.findall(text)) > MAX_POINT_WORDS if is_latin(text) else len(text) > MAX_POINT_CHARS


def _depth_changes(text: str) -> list[int]:
    """Bracket depth after each character (so cuts can avoid the inside of brackets)."""
    depth, depths = 0, []
    for char in text:
        depth += (char in OPENING) - (char in CLOSING and depth > 0)
        depths.append(depth)
    return depths


def _clauses(text: str) -> list[str]:
    """Clauses ending in a clause mark that lies outside any brackets."""
    depths = _depth_changes(text)
    clauses, start = [], 0
    for match in CLAUSE_BREAK.finditer(text):
        if depths[match.start()] == 0:
            clauses.append(text[start : match.end()])
            start = match.end()
    clauses.append(text[start:])
    return [clause for clause in clauses if clause]


def _balanced(text: str) -> str:
    """Drop an unclosed bracket and what follows it."""
    depths = _depth_changes(text)
    if not depths or depths[-1] == 0:
        return text
    cut = max(index for index, char in enumerate(text) if char in OPENING and depths[index] == 1
              and all(depth >= 1 for depth in depths[index:]))
    return text[:cut].rstrip()


def _fit(text: str) -> str:
    """Cut a long unit at a clause boundary outside brackets so the point stays one idea."""
    if not _too_long(text):
        return text
    kept = ""
    for clause in _clauses(text):
        if kept and _too_long(kept + clause):
            break
        kept += clause
    kept = kept.rstrip("，,：:；; —")
    if len(kept) >= MIN_POINT_CHARS and not _too_long(kept):
        return kept
    if is_latin(text):  # no clause fits: the first words, whole
        words = text.split()
        cut = " ".join(words[:MAX_POINT_WORDS])
        while _too_long(cut):
            cut = cut.rsplit(" ", 1)[0]
    else:
        cut = text[:MAX_POINT_CHARS]
    return _balanced(cut).rstrip("，,：:；; —")


def _is_heading(piece: str, is_last: bool) -> bool:
    """A short line without an end mark that introduces the next lines ("PagedAttention算法")."""
    if is_last or TERMINAL.search(piece) or CLAUSE_BREAK.search(piece):
        return False
    latin = LATIN_WORDS.findall(piece)
    return len(latin) <= 4 if is_latin(piece) else len(CJK.findall(piece)) + len(latin) <= 8


def _units(reference: str) -> list[str]:
    units = []
    pieces = split_sentences(reference)
    for index, raw in enumerate(pieces):
        if ANNOUNCEMENT.search(raw) or _is_heading(MARKUP.sub("", raw).strip(), index == len(pieces) - 1):
            continue
        text = FILLER.sub("", MARKUP.sub("", LIST_PREFIX.sub("", raw)).strip()).strip(" ：:，,")
        if len(text) >= MIN_POINT_CHARS:
            units.append(text)
    return units


def _head(text: str) -> str:
    """The start of a point, for the probe question: four words of English, 16 characters of Chinese."""
    if is_latin(text):
        return " ".join(text.split()[:4])
    return text[:16]


def derive_rubric(question_id: str, reference: str) -> Rubric | None:
    """Key points from the reference's most informative sentences; None when nothing usable remains."""
    seen: set[str] = set()
    points: list[KeyPoint] = []
    for unit in _units(reference):
        text = _fit(unit)
        if text in seen or len(text) < MIN_POINT_CHARS:
            continue
        seen.add(text)
        found = [term.rstrip(".") for term in TERM.findall(unit)]
        if is_latin(unit):
            found = [term for term in found if TECHNICAL.search(term)]
        terms = sorted(set(found), key=lambda term: (unit.find(term), term))[:4]
        points.append(KeyPoint(text=text, weight=3 if not points else 2, aliases=terms,
                               probe=f"关于「{_head(text)}…」这一点，能再具体讲讲吗？"))
        if len(points) == MAX_POINTS:
            break
    if not points:
        # A one-word or one-phrase reference ("push", "O(log n)") is itself the point to state.
        phrase = FILLER.sub("", MARKUP.sub("", reference)).strip(" 。.，,：:；;")
        if len(phrase) < 2 or _too_long(phrase) or "\n" in phrase:
            return None  # "好。" is an acknowledgement, not a term
        points.append(KeyPoint(text=phrase, weight=3, aliases=[],
                               probe=f"关于「{_head(phrase)}」，能再具体讲讲吗？"))
    return Rubric(question_id=question_id, kind="derived", key_points=points)
