"""The rubric index: Chroma collections of rubric key points and of questions, in the data directory
(`PersistentClient`, the default) or on a Chroma server ($MOCK_INTERVIEWER_CHROMA_URL, `HttpClient`)
shared by several app replicas: `mock-interview index` writes it there once, replicas only read it.
Embeddings are always computed here and passed to Chroma, so the server needs no model.

Each embedding backend gets its own pair of collections (the backend's name is part of the
collection name), so vectors of two models never mix. Indexing is incremental: a rubric whose
content hash is unchanged is not embedded again; changed rubrics are replaced, removed ones deleted.
For grading, all rubric vectors are also held in memory as numpy matrices (a few MB), because
scoring an answer compares it with every key point at once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import chromadb
import numpy as np
from chromadb.config import Settings
from pydantic import BaseModel, ConfigDict

from question_bank.models import Question
from rubrics.bundled import BundledVectors
from rubrics.embeddings import Embedder, embedding_function_for
from rubrics.models import CJK, Rubric

CHROMA_URL_ENV = "MOCK_INTERVIEWER_CHROMA_URL"
EMBED_BATCH = 256
WRITE_BATCH = 2000
# Documents of a misconception: its wrong claim, its correction and its other phrasings. Stored with the key
# points so grading never embeds a rubric text (the first answer to a question used to embed them).
MISCONCEPTION_ROLES = ("misconception", "correction", "phrasing")
# A key point's authored wrong claims: stored with it, kept out of the key-point matrix (they are not
# what a good answer says, so they must not count as evidence of a question's subject).
WRONG_CLAIM_ROLE = "wrong_claim"
# A key point's other wordings (KeyPoint.wordings): stored with it and likewise kept out of the key-point
# matrix, whose rows set every point's baseline and what an answer's subject is.
WORDING_ROLE = "wording"
ENGLISH_WORDING_ROLE = "english_wording"  # the same, in English: its baseline is measured among English rows
# The id of a question's English text in the questions collection: "{question id}@en".
ENGLISH_SUFFIX = "@en"
# Part of every rubric's stored version: bump when the documents stored per rubric change, so an index
# written by an older release is brought up to date (incrementally) instead of lacking documents.
INDEX_LAYOUT = 3
# Below this many wordings of other questions in a language, their similarities say nothing typical.
MIN_WORDINGS_FOR_BASELINE = 50
# Every rubric has a first key point, stored with the rubric's version: reading the versions from those
# rows (one per question) instead of from every row's metadata takes 0.07 s instead of 2 s once wrong
# claims are stored (19k rows, measured), and every start of the app or a command asks for them.
FIRST_POINT: dict[str, Any] = {"$and": [{"role": "point"}, {"point_index": 0}]}
Progress = Callable[[int, int], None]

log = logging.getLogger(__name__)


class IndexUnavailableError(RuntimeError):
    """The rubric index cannot be used as configured (server unreachable, index not built); the message
    says what to do."""


def chroma_url() -> str | None:
    """$MOCK_INTERVIEWER_CHROMA_URL (http://host:port) when set, else None (the on-disk index)."""
    url = os.environ.get(CHROMA_URL_ENV, "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IndexUnavailableError(f"${CHROMA_URL_ENV}={url!r} must look like http://host:port")
    return url


def local_client(home: Path) -> Any:
    return chromadb.PersistentClient(path=str(home / "chroma"), settings=Settings(anonymized_telemetry=False))


def chroma_client(home: Path) -> tuple[Any, str]:
    """(client, where it stores): a Chroma server when configured, else the data directory's `chroma/`."""
    url = chroma_url()
    if url is None:
        return local_client(home), str(home / "chroma")
    parts = urlsplit(url)
    try:
        client = chromadb.HttpClient(host=parts.hostname or "", port=parts.port or (443 if parts.scheme == "https"
                                                                                   else 8000),
                                     ssl=parts.scheme == "https", settings=Settings(anonymized_telemetry=False))
    except Exception as error:  # chromadb raises ValueError for a server it cannot reach
        raise IndexUnavailableError(f"cannot reach the Chroma server at {url} (${CHROMA_URL_ENV}): {error}") from None
    return client, url


class IndexReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: str
    rubric_points_indexed: int
    questions_indexed: int
    embedded: int
    deleted: int
    seconds: float


@dataclass(frozen=True)
class RubricVectors:
    """A rubric's vectors: for each key point its text and aliases (rows), and its misconceptions' claims;
    from the index also each misconception's correction and other phrasings (None: not stored, embed them)."""

    points: list[np.ndarray]
    misconceptions: np.ndarray
    corrections: np.ndarray | None = None  # one row per misconception
    phrasings: list[np.ndarray] | None = None  # per misconception, one row per phrasing
    wrong_claims: list[np.ndarray] | None = None  # per key point, one row per authored wrong claim
    wordings: list[np.ndarray] | None = None  # per key point, one row per other wording


@dataclass(frozen=True)
class _Document:
    id: str
    text: str
    metadata: dict[str, Any]


def _rubric_versions(rubrics: dict[str, Rubric], topics: dict[str, str]) -> dict[str, str]:
    """Question id -> what its stored points must match: the rubric's content, the question's topic
    (the topic is metadata that search and off-topic checks filter on) and the documents' layout."""
    return {qid: _text_hash(f"{rubric.content_hash()}|{topics[qid]}|{INDEX_LAYOUT}") for qid, rubric in rubrics.items()
            if qid in topics}


def _question_version(question: Question) -> str:
    english = f"|{question.text_en}" if question.text_en else ""  # a question without one keeps its version
    return _text_hash(f"{question.text}|{question.topic}|{question.kind}|{question.difficulty}{english}")


def _question_documents(question: Question) -> list[_Document]:
    """A question's text, and its English text where authored (matched in its own language)."""
    meta = {"question_id": question.id, "topic": question.topic, "kind": question.kind,
            "difficulty": question.difficulty, "question_hash": _question_version(question)}
    english = [_Document(question.id + ENGLISH_SUFFIX, question.text_en, meta)] if question.text_en else []
    return [_Document(question.id, question.text, meta), *english]


def question_of(document_id: str) -> str:
    """The question id of a document in the questions collection."""
    return document_id.removesuffix(ENGLISH_SUFFIX)


def _rubric_documents(rubric: Rubric, topic: str, version: str) -> list[_Document]:
    base = {"question_id": rubric.question_id, "topic": topic, "kind": rubric.kind, "rubric_hash": version}
    documents = []
    for index, point in enumerate(rubric.key_points):
        meta = {**base, "point_index": index, "weight": point.weight}
        documents.append(_Document(f"{rubric.question_id}:p{index}", point.text, {**meta, "role": "point"}))
        documents.extend(_Document(f"{rubric.question_id}:p{index}:a{alias_index}", alias, {**meta, "role": "alias"})
                         for alias_index, alias in enumerate(point.aliases))
        documents.extend(_Document(f"{rubric.question_id}:p{index}:w{claim_index}", claim,
                                   {**meta, "role": WRONG_CLAIM_ROLE, "variant_index": claim_index})
                         for claim_index, claim in enumerate(point.wrong_claims))
        for wording_index, wording in enumerate(point.wordings):
            chinese = bool(CJK.search(wording))
            documents.append(_Document(f"{rubric.question_id}:p{index}:{'s' if chinese else 'e'}{wording_index}",
                                       wording, {**meta, "role": WORDING_ROLE if chinese else ENGLISH_WORDING_ROLE,
                                                 "variant_index": wording_index}))
    for index, item in enumerate(rubric.misconceptions):
        meta = {**base, "point_index": index, "weight": 0}
        documents.append(_Document(f"{rubric.question_id}:m{index}", item.claim, {**meta, "role": "misconception"}))
        documents.append(_Document(f"{rubric.question_id}:m{index}:c", item.correction, {**meta, "role": "correction"}))
        documents.extend(_Document(f"{rubric.question_id}:m{index}:v{variant}", phrasing,
                                   {**meta, "role": "phrasing", "variant_index": variant})
                         for variant, phrasing in enumerate(item.phrasings))
    return documents


# What a stored row is, from its id as `_rubric_documents` writes it: "{question}:p{point}", then ":a{alias}",
# ":w{wrong claim}", ":s{wording}" or ":e{English wording}"; "{question}:m{misconception}", then ":c" (its
# correction) or ":v{phrasing}". Reading the ids instead of every row's metadata makes loading the vectors
# 3x faster (1.3 s instead of 4.4 s for 19k rows, measured).
_ROW_ID = re.compile(r"(?P<question>.+):(?P<part>[pm])(?P<index>\d+)(?::(?P<kind>[acvwse])(?P<order>\d*))?")
_ROW_ROLES = {("p", None): "point", ("p", "a"): "alias", ("p", "w"): WRONG_CLAIM_ROLE, ("p", "s"): WORDING_ROLE,
              ("p", "e"): ENGLISH_WORDING_ROLE,
              ("m", None): "misconception", ("m", "c"): "correction", ("m", "v"): "phrasing"}


def _row_of(identifier: str) -> tuple[str, str, int, int] | None:
    """(question id, role, point or misconception index, order among that item's rows) of a stored row,
    None for an id this module does not write. A point's text comes before its aliases (order 0)."""
    match = _ROW_ID.fullmatch(identifier)
    role = _ROW_ROLES.get((match["part"], match["kind"])) if match else None
    if match is None or role is None:
        return None
    order = int(match["order"] or 0) + (1 if role == "alias" else 0)
    return match["question"], role, int(match["index"]), order


def _cosine() -> dict[str, Any]:
    # A fresh dict per call: Chroma writes the embedding function into the configuration it is given.
    return {"hnsw": {"space": "cosine"}}


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RubricStore:
    """The index's collections, in a Chroma directory under the data home (one process at a time, see
    STYLE pitfalls) or on a Chroma server (`client`). `read_only`: open existing collections only."""

    def __init__(self, home: Path, embedder: Embedder, *, bundled: BundledVectors | None = None,
                 client: Any = None, location: str | None = None, read_only: bool = False) -> None:
        self.embedder = embedder
        self.bundled = bundled if bundled is not None else BundledVectors.load(embedder.name)
        self.client = client if client is not None else local_client(home)
        self.location = location or str(home / "chroma")
        slug = re.sub(r"[^a-z0-9]+", "-", embedder.name.lower()).strip("-")[:40]
        function = embedding_function_for(embedder)
        names = (f"rubric-points-{slug}", f"questions-{slug}")
        if read_only:
            try:
                self.points, self.questions = (
                    self.client.get_collection(name, embedding_function=function)
                    for name in names)
            except chromadb.errors.NotFoundError:
                raise IndexUnavailableError(
                    f"the rubric index ({embedder.name}) is not on {self.location}; run `mock-interview index` "
                    f"once with the same settings") from None
        else:
            self.points, self.questions = (
                self.client.get_or_create_collection(
                    name, embedding_function=function, configuration=_cosine())
                for name in names)
        self._lock = threading.Lock()
        self._cache: _VectorCache | None = None

    # --- indexing ---------------------------------------------------------------------------------

    def sync(self, rubrics: dict[str, Rubric], questions: list[Question], *, rebuild: bool = False,
             progress: Progress | None = None) -> IndexReport:
        started = time.perf_counter()
        topics = {question.id: question.topic for question in questions}
        with self._lock:
            stored = self._stored_hashes(self.points, "rubric_hash", FIRST_POINT)
            wanted = _rubric_versions(rubrics, topics)
            stale = [qid for qid, digest in stored.items() if rebuild or wanted.get(qid) != digest]
            fresh = [qid for qid, digest in wanted.items() if rebuild or stored.get(qid) != digest]
            documents = [doc for qid in fresh for doc in _rubric_documents(rubrics[qid], topics[qid], wanted[qid])]

            stored_questions = self._stored_hashes(self.questions, "question_hash")
            changed_questions = [q for q in questions if rebuild or stored_questions.get(q.id) != _question_version(q)]
            question_docs = [doc for q in changed_questions for doc in _question_documents(q)]
            # A changed question's documents are written again, and one no longer authored (its English
            # text) must not stay behind.
            rewritten = {question.id for question in changed_questions}
            stale_questions = [qid for qid in stored_questions if qid not in topics or qid in rewritten]

            # Vectors to reuse: the shipped ones, and those of documents about to be replaced (a changed
            # rubric keeps most of its texts; a changed topic keeps all of them).
            known_points = {} if rebuild else {**self.bundled.queries, **self._vectors_by_text(self.points, stale)}
            known_questions = {} if rebuild else {
                **self.bundled.passages,
                **self._vectors_by_text(self.questions, [question.id for question in changed_questions])}
            deleted = self._delete(self.points, stale) + self._delete(self.questions, stale_questions)
            to_embed = ({doc.text for doc in documents} - set(known_points)
                        | {doc.text for doc in question_docs} - set(known_questions))
            embedded = self._write(self.points, documents, self.embedder.embed_queries, known_points,
                                   progress, 0, len(to_embed))
            embedded += self._write(self.questions, question_docs, self.embedder.embed_passages, known_questions,
                                    progress, embedded, len(to_embed))
            if documents or deleted:
                self._cache = None
            points_indexed = self.points.count() - self._count_roles((*MISCONCEPTION_ROLES, WRONG_CLAIM_ROLE,
                                                                       WORDING_ROLE, ENGLISH_WORDING_ROLE, "alias"))
        return IndexReport(backend=self.embedder.name, rubric_points_indexed=points_indexed,
                           questions_indexed=len(self._stored_hashes(self.questions, "question_hash")),
                           embedded=embedded, deleted=deleted,
                           seconds=round(time.perf_counter() - started, 3))

    def needs_sync(self, rubrics: dict[str, Rubric], questions: list[Question]) -> bool:
        topics = {question.id: question.topic for question in questions}
        return (self._stored_hashes(self.points, "rubric_hash", FIRST_POINT) != _rubric_versions(rubrics, topics)
                or self._stored_hashes(self.questions, "question_hash") != {q.id: _question_version(q)
                                                                            for q in questions})

    @staticmethod
    def _vectors_by_text(collection: Any, question_ids: list[str]) -> dict[str, np.ndarray]:
        vectors: dict[str, np.ndarray] = {}
        for chunk in _chunks(question_ids, 500):
            rows = collection.get(where={"question_id": {"$in": chunk}}, include=["documents", "embeddings"])
            if rows["embeddings"] is not None:
                vectors.update(zip(rows["documents"] or [], rows["embeddings"], strict=True))
        return vectors

    @staticmethod
    def _stored_hashes(collection: Any, key: str, where: dict[str, Any] | None = None) -> dict[str, str]:
        metadatas = collection.get(where=where, include=["metadatas"])["metadatas"] or []
        return {str(meta["question_id"]): str(meta.get(key, "")) for meta in metadatas}

    def _count_roles(self, roles: tuple[str, ...]) -> int:
        where: Any = {"role": {"$in": list(roles)}}
        return len(self.points.get(where=where, include=[])["ids"])

    @staticmethod
    def _delete(collection: Any, question_ids: list[str]) -> int:
        deleted = 0
        for chunk in _chunks(question_ids, 500):
            ids = collection.get(where={"question_id": {"$in": chunk}}, include=[])["ids"]
            if ids:
                collection.delete(ids=ids)
                deleted += len(ids)
        return deleted

    @staticmethod
    def _write(collection: Any, documents: list[_Document], embed: Callable[[list[str]], np.ndarray],
               known: dict[str, np.ndarray], progress: Progress | None, done: int, total: int) -> int:
        """Upsert `documents`, embedding each distinct text once (aliases such as "LoRA" recur across
        rubrics) unless its vector is `known`; returns how many texts were embedded."""
        distinct = [text for text in dict.fromkeys(doc.text for doc in documents) if text not in known]
        vectors = {doc.text: known[doc.text] for doc in documents if doc.text in known}
        for chunk in _chunks(distinct, EMBED_BATCH):
            vectors.update(zip(chunk, embed(chunk), strict=True))
            done += len(chunk)
            if progress:
                progress(done, total)
        for chunk in _chunks(documents, WRITE_BATCH):
            collection.upsert(ids=[doc.id for doc in chunk], documents=[doc.text for doc in chunk],
                              metadatas=[doc.metadata for doc in chunk],
                              embeddings=np.vstack([vectors[doc.text] for doc in chunk]).astype(np.float32))
        return len(distinct)

    # --- queries ----------------------------------------------------------------------------------

    def search_questions(self, text: str, topic: str | None = None, k: int = 10) -> list[tuple[str, float]]:
        """Questions nearest to `text` (Chinese or English), as (question_id, cosine similarity)."""
        if not text.strip():
            return []
        return self.search_questions_by_vector(self.embedder.embed_queries([text])[0], topic, k)

    def search_questions_by_vector(self, vector: np.ndarray, topic: str | None = None,
                                   k: int = 10) -> list[tuple[str, float]]:
        """Questions nearest to a query vector, as (question_id, cosine similarity)."""
        count = self.questions.count()
        if count == 0:
            return []
        # A question may be stored in two languages: twice as many documents give k distinct questions.
        result = self.questions.query(query_embeddings=vector[None, :], n_results=min(2 * k, count),
                                      where={"topic": topic} if topic else None, include=["distances"])
        best: dict[str, float] = {}
        for document_id, distance in zip(result["ids"][0], (result["distances"] or [[]])[0], strict=False):
            best.setdefault(question_of(document_id), round(1.0 - float(distance), 4))
        return list(best.items())[:k]

    def rubric_vectors(self, question_id: str, rubric: Rubric | None = None) -> RubricVectors | None:
        """The stored vectors of a question's rubric; with `rubric`, only if they are that rubric's (a
        rubric read another way, as `Rubric.in_english`, has the same question and other texts)."""
        cache = self._vectors()
        if rubric is not None:
            topic = cache.rubric_topics.get(question_id)
            if topic is None or _rubric_versions({question_id: rubric}, {question_id: topic})[question_id] \
                    != cache.versions.get(question_id):
                return None
        return cache.by_question.get(question_id)

    def nearest_questions_by_vector(self, vector: np.ndarray, k: int = 5,
                                    exclude_topic: str | None = None) -> list[tuple[str, float]]:
        """Questions whose key points lie nearest to `vector` (best point per question), leaving out
        the questions of `exclude_topic` (to ask "is this about another subject?")."""
        cache = self._vectors()
        if not len(cache.matrix):
            return []
        similarities = cache.matrix @ vector
        if exclude_topic is not None:
            similarities = np.where(cache.topics == exclude_topic, -np.inf, similarities)
        best: dict[str, float] = {}
        for row in np.argsort(-similarities)[: k * 20]:
            if np.isneginf(similarities[row]):
                break
            qid = str(cache.question_ids[row])
            best.setdefault(qid, float(similarities[row]))
        return sorted(best.items(), key=lambda item: -item[1])[:k]

    def point_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """Every key point and alias vector of the bank, with the question id of each row (an array, for masks)."""
        cache = self._vectors()
        return cache.matrix, cache.question_ids

    def wording_baselines(self, rows: np.ndarray, english: Sequence[bool], question_id: str | None,
                          quantile: float) -> np.ndarray | None:
        """Per wording row: the `quantile` of its similarity to the other questions' wordings in its language
        (an English sentence is nearer any English text than a Chinese one). None when the index holds
        too few wordings to measure."""
        cache = self._vectors()
        if not len(cache.wording_matrix):
            return None
        is_english = np.asarray(english, dtype=bool)
        baselines = np.zeros(len(rows))
        if not len(rows):
            return baselines
        similarities = rows @ cache.wording_transposed  # one product for every row, then per language
        others = cache.wording_question_ids != question_id
        for language in (False, True):
            wanted = is_english == language
            if not wanted.any():
                continue
            columns = others & (cache.wording_english == language)
            if columns.sum() < MIN_WORDINGS_FOR_BASELINE:
                return None
            baselines[wanted] = np.quantile(similarities[np.ix_(wanted, columns)], quantile, axis=1)
        return baselines

    def point_similarities(self, rows: np.ndarray) -> np.ndarray:
        """`rows @ matrix.T` against `point_matrix()`'s rows (columns in its order), through a
        transposed copy kept for it: 2-3x faster than the strided product, same numbers (tested)."""
        return rows @ self._vectors().transposed

    def _vectors(self) -> _VectorCache:
        with self._lock:
            if self._cache is None:
                self._cache = _VectorCache.load(self.points)
            return self._cache


@dataclass(frozen=True)
class _VectorCache:
    matrix: np.ndarray
    transposed: np.ndarray  # matrix.T, C-contiguous
    question_ids: np.ndarray  # of str, one per row
    topics: np.ndarray  # of str, the question's topic, one per row
    by_question: dict[str, RubricVectors]
    # Per question: the stored rubric's version (see `_rubric_versions`) and its topic.
    versions: dict[str, str] = field(default_factory=dict)
    rubric_topics: dict[str, str] = field(default_factory=dict)
    # Every key point's other wordings: vectors, question ids, and which are English.
    wording_matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), dtype=np.float32))
    wording_question_ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=str))
    wording_english: np.ndarray = field(default_factory=lambda: np.array([], dtype=bool))
    wording_transposed: np.ndarray = field(default_factory=lambda: np.zeros((1, 0), dtype=np.float32))

    @classmethod
    def load(cls, collection: Any) -> _VectorCache:
        rows = collection.get(include=["embeddings"])  # and the ids, which say what each row is
        embeddings = rows["embeddings"]
        if embeddings is None or not len(embeddings):
            return cls(np.zeros((0, 1), dtype=np.float32), np.zeros((1, 0), dtype=np.float32), np.array([], dtype=str),
                       np.array([], dtype=str), {})
        firsts = collection.get(where=FIRST_POINT, include=["metadatas"])["metadatas"] or []
        topics = {str(meta["question_id"]): str(meta.get("topic", "")) for meta in firsts}
        versions = {str(meta["question_id"]): str(meta.get("rubric_hash", "")) for meta in firsts}
        matrix = np.asarray(embeddings, dtype=np.float32)
        # question -> role -> point (or misconception) index -> [(order, row)]; a key point's text comes
        # before its aliases, as written (the grader reads the first row as the point itself).
        grouped: dict[str, dict[str, dict[int, list[tuple[int, np.ndarray]]]]] = {}
        keep_rows, keep_ids, keep_topics = [], [], []
        wording_rows, wording_ids, wording_english = [], [], []
        unknown = 0
        for row, identifier in enumerate(rows["ids"]):
            parsed = _row_of(identifier)
            if parsed is None:
                unknown += 1
                continue
            qid, role, index, order = parsed
            if role in (WORDING_ROLE, ENGLISH_WORDING_ROLE):
                wording_rows.append(row)
                wording_ids.append(qid)
                wording_english.append(role == ENGLISH_WORDING_ROLE)
                role = WORDING_ROLE
            bucket = role if role in (*MISCONCEPTION_ROLES, WRONG_CLAIM_ROLE, WORDING_ROLE) else "point"
            grouped.setdefault(qid, {}).setdefault(bucket, {}).setdefault(index, []).append((order, matrix[row]))
            if bucket == "point":
                keep_rows.append(row)
                keep_ids.append(qid)
                keep_topics.append(topics.get(qid, ""))
        if unknown:
            log.warning("the rubric index holds %d rows this release did not write; they are left out", unknown)
        empty = np.zeros((0, matrix.shape[1]), dtype=np.float32)

        def stacked(by_index: dict[int, list[tuple[int, np.ndarray]]]) -> list[np.ndarray]:
            return [np.vstack([vector for _, vector in sorted(by_index[index], key=lambda pair: pair[0])])
                    for index in sorted(by_index)]

        by_question = {}
        for qid, parts in grouped.items():
            claims, corrections = stacked(parts.get("misconception", {})), stacked(parts.get("correction", {}))
            phrasings = parts.get("phrasing", {})
            wrong = parts.get(WRONG_CLAIM_ROLE, {})
            wordings = parts.get(WORDING_ROLE, {})
            point_rows = stacked(parts.get("point", {}))
            # An index written by an older layout has no corrections: the grader embeds them then.
            complete = len(corrections) == len(claims)
            by_question[qid] = RubricVectors(
                points=point_rows,
                misconceptions=np.vstack(claims) if claims else empty,
                corrections=(np.vstack(corrections) if corrections else empty) if complete else None,
                phrasings=[stacked({0: phrasings[index]})[0] if index in phrasings else empty
                           for index in range(len(claims))] if complete else None,
                wrong_claims=[stacked({0: wrong[index]})[0] if index in wrong else empty
                              for index in range(len(point_rows))],
                wordings=[stacked({0: wordings[index]})[0] if index in wordings else empty
                          for index in range(len(point_rows))])
        points = matrix[keep_rows]
        return cls(points, np.ascontiguousarray(points.T), np.array(keep_ids), np.array(keep_topics), by_question,
                   versions, topics, matrix[wording_rows], np.array(wording_ids, dtype=str),
                   np.array(wording_english, dtype=bool), np.ascontiguousarray(matrix[wording_rows].T))


_open_stores: dict[tuple[str, str], RubricStore] = {}
_open_lock = threading.Lock()


def open_store(home: Path, embedder: Embedder | None = None, *, progress: Progress | None = None,
               before_indexing: Callable[[], None] | None = None) -> RubricStore:
    """The store for `home` and `embedder`, indexed and up to date (indexes on first use, after
    calling `before_indexing`, so a caller can say why the start takes longer)."""
    from question_bank.loader import load_bank
    from rubrics.embeddings import make_embedder
    from rubrics.loader import load_rubrics

    embedder = embedder or make_embedder()
    remote = chroma_url()
    key = (remote or str(home), embedder.name)
    with _open_lock:
        store = _open_stores.get(key)
        if store is None:
            client, location = chroma_client(home)
            store = _open_stores[key] = RubricStore(home, embedder, client=client, location=location,
                                                    read_only=remote is not None)
    rubrics, questions = load_rubrics(home), load_bank(home)
    if remote is not None:
        # Replicas never write a shared index: `mock-interview index` does, once.
        if store.points.count() == 0:
            raise IndexUnavailableError(f"the rubric index on {remote} is empty; run `mock-interview index` once")
        if store.needs_sync(rubrics, questions):
            log.warning("the rubric index on %s is older than this bank; run `mock-interview index`", remote)
        return store
    if store.needs_sync(rubrics, questions):
        if before_indexing is not None:
            before_indexing()
        store.sync(rubrics, questions, progress=progress)
    return store
