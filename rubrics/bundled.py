"""Vectors of the built-in bank's texts, shipped with the package, so a new install indexes in seconds.

Embedding the ~9,000 distinct texts of the built-in rubrics and questions takes over a minute on
two cores, and they change only with a release; so their vectors are computed once, stored as
float16 (cosine error below 1e-3) and shipped. Texts not in the bundle (custom questions, edited
rubrics) are embedded as usual, and `mock-interview index --rebuild` ignores the bundle.

Regenerate after editing rubrics or the bank (a test fails until you do):

    python -m rubrics.rebundle
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

BUNDLE_DIR = Path(__file__).parent / "data"


def bundle_path(embedder_name: str) -> Path:
    return BUNDLE_DIR / f"vectors-{re.sub(r'[^a-z0-9]+', '-', embedder_name.lower()).strip('-')}.npz"


@dataclass(frozen=True)
class BundledVectors:
    """Known vectors by text: `queries` ("query: " side, rubric texts) and `passages` (questions)."""

    queries: dict[str, np.ndarray] = field(default_factory=dict)
    passages: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def load(cls, embedder_name: str) -> BundledVectors:
        path = bundle_path(embedder_name)
        if not path.exists():
            return cls()
        with np.load(path, allow_pickle=False) as data:
            if str(data["embedder"]) != embedder_name:
                return cls()
            return cls(queries=dict(zip(data["query_texts"].tolist(), data["query_vectors"], strict=True)),
                       passages=dict(zip(data["passage_texts"].tolist(), data["passage_vectors"], strict=True)))
