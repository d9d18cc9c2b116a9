"""Text normalisation shared by ids and near-duplicate detection."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    """Lower-case NFKC text without punctuation or spaces: the identity of a question."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


def question_id(text: str, prefix: str = "q") -> str:
    """Stable id: the same question text gives the same id across re-imports."""
    digest = hashlib.sha1(normalize(text).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{digest}"
