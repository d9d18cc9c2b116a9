"""Getting the answer out of what a model wrote: reasoning blocks removed, JSON found inside fences or prose."""

from __future__ import annotations

import json
import re
from typing import Any

THINK_BLOCK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
UNCLOSED_THINK = re.compile(r"<think>.*\Z", re.DOTALL | re.IGNORECASE)
FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)


class NoJSONError(ValueError):
    """The reply holds no JSON object."""


def strip_reasoning(text: str) -> str:
    """The reply without `<think>…</think>`; a block never closed (the cap cut it) leaves nothing of it."""
    without = THINK_BLOCK.sub("", text)
    return UNCLOSED_THINK.sub("", without).strip()


def visible_so_far(text: str) -> str:
    """What of a reply still being written can be shown: no reasoning block, closed or not, and no
    trailing piece that may be the start of one ("<thi")."""
    visible = strip_reasoning(text)
    tag = "<think>"
    for size in range(min(len(tag) - 1, len(visible)), 0, -1):
        if visible[-size:].lower() == tag[:size]:
            return visible[:-size].rstrip()
    return visible


def extract_json(text: str) -> dict[str, Any]:
    """The first JSON object in a reply: after any reasoning block, inside a code fence or amid prose."""
    body = strip_reasoning(text)
    candidates = [match.group(1) for match in FENCE.finditer(body)] + [body]
    decoder = json.JSONDecoder()
    for candidate in candidates:
        for start in (index for index, char in enumerate(candidate) if char == "{"):
            try:
                value, _ = decoder.raw_decode(candidate, start)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                return value
    raise NoJSONError(f"no JSON object in the reply: {body[:80]!r}")
