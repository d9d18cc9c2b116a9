"""Derive a rubric from a reference answer: split it into checkable key points.

Used for custom questions imported with a reference answer and for questions graded with
`--reference`; every built-in bank question has an authored rubric.
"""

from __future__ import annotations

import re

from rubrics.models import KeyPoint, Rubric

MAX_POINTS = 6
MIN_POINT_CHARS = 10
MAX_POINT_CHARS = 60
MARKUP = re.compile(r"[*#`>|]+|\$+|\\[a-z]+")
LIST_PREFIX = re.compile(r"^\s*(?:[-•·]|\d+[.、)）]|[（(]\d+[)）]|[一二三四五六七八九十]+、)\s*")
UNIT_SPLIT = re.compile(r"(?<=[。！？；!?;])|(?<=[.!?;])\s+|\n+")
CLAUSE_SPLIT = re.compile(r"(?<=[，,：:])")
TERM = re.compile(r"[A-Za-z][A-Za-z0-9+\-./]{1,30}")
# Sentences that only announce a list ("可以采取以下策略：") carry no checkable claim.
ANNOUNCEMENT = re.compile(r"(以下|如下)[^。，,]{0,12}$|[：:]$")
FILLER = re.compile(r"^(总结来说|综上所述|总之|例如|比如|具体来说|其基本步骤如下|如下)[，,：:]?")


def _units(reference: str) -> list[str]:
    units = []
    for raw in UNIT_SPLIT.split(reference):
        if ANNOUNCEMENT.search((raw or "").strip()):
            continue
        text = FILLER.sub("", MARKUP.sub("", LIST_PREFIX.sub("", raw or "")).strip()).strip(" ：:，,")
        if len(text) >= MIN_POINT_CHARS:
            units.append(text)
    return units


def _fit(text: str) -> str:
    """Cut a long unit at a clause boundary so the point stays one idea of at most 60 characters."""
    if len(text) <= MAX_POINT_CHARS:
        return text
    kept = ""
    for clause in CLAUSE_SPLIT.split(text):
        if len(kept) + len(clause) > MAX_POINT_CHARS:
            break
        kept += clause
    kept = kept.rstrip("，,：: ")
    if len(kept) >= MIN_POINT_CHARS:
        return kept
    cut = text[:MAX_POINT_CHARS]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut  # keep English words whole


def derive_rubric(question_id: str, reference: str) -> Rubric | None:
    """Key points from the reference's most informative sentences; None when nothing usable remains."""
    seen: set[str] = set()
    points: list[KeyPoint] = []
    for unit in _units(reference):
        text = _fit(unit)
        if text in seen:
            continue
        seen.add(text)
        terms = sorted(set(TERM.findall(unit)), key=lambda term: (unit.find(term), term))[:4]
        head = text[:16]
        points.append(KeyPoint(text=text, weight=3 if not points else 2, aliases=terms,
                               probe=f"关于「{head}…」这一点，能再具体讲讲吗？"))
        if len(points) == MAX_POINTS:
            break
    if not points:
        return None
    return Rubric(question_id=question_id, kind="derived", key_points=points)
