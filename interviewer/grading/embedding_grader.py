"""The embedding grader: key-point coverage from calibrated e5 similarity plus lexical evidence.

Always available and offline. Each key point (with its aliases) is scored by its best-matching
answer unit; rules handle what similarity cannot judge (non-answers, injections, padding).

A misconception counts only when an answer unit is clearly closer to the wrong claim than to its
correction and to the key point it contradicts, says it with the same polarity (not "不是…"), and
either uses a word only the wrong claim uses ("都", "全部", "SVD") or matches it almost verbatim.
An answer is off topic when it covers none of its key points, makes none of its known mistakes, and
is closer to questions of *other* topics than to its own rubric (sibling questions of the same topic
are not "another subject"); for project, behavioural and opening questions, when it touches no key
point at all and is unrelated to the question.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from interviewer.grading import text as answer_text
from interviewer.grading.calibration import Calibration, family, rescale
from interviewer.grading.feedback import write_feedback
from interviewer.grading.models import Flag, GradeResult, KeyPointGrade, MisconceptionHit, PointStatus
from interviewer.tuning import hint_score_cap
from question_bank.models import Question
from rubrics.embeddings import Embedder
from rubrics.loader import rubric_for
from rubrics.models import Rubric
from rubrics.store import RubricStore, RubricVectors

MISCONCEPTION_PENALTY = 15
OFF_TOPIC_CAP = 20
RELEVANCE_ONLY_CAP = 60
# Typical e5 similarity of unrelated Chinese texts; used only when no index exists to measure it.
UNINDEXED_BASELINE = 0.8
STATUS_CREDIT: dict[str, tuple[float, float]] = {"covered": (0.85, 0.15), "partial": (0.4, 0.2), "missing": (0.0, 0.1)}


@dataclass
class GradingItem:
    """One answer to grade; `rubric` None means relevance only."""

    question_text: str
    answer: str
    rubric: Rubric | None
    question_id: str | None = None
    hints_used: int = 0
    topic: str | None = None  # the question's topic: off topic means closer to *other* topics
    flags: list[Flag] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)  # sentences that count, after the rules
    units: list[answer_text.Unit] = field(default_factory=list)


@dataclass(frozen=True)
class _PreparedRubric:
    vectors: RubricVectors
    point_baselines: np.ndarray
    misconception_baselines: np.ndarray
    point_terms: list[set[str]]
    aliases: list[list[str]]
    code_terms: list[list[str]]
    # Per misconception: words only the wrong claim uses, words only its correction uses, the key
    # point it contradicts, its correction's vector, and whether the claim itself is a negation.
    distinctive_terms: list[set[str]]
    contrary_terms: list[set[str]]
    related_points: list[int]
    corrections: np.ndarray
    claim_negated: list[bool]


@dataclass(frozen=True)
class Candidate:
    """The answer unit nearest to one wrong claim, and whether it really makes that claim."""

    index: int
    evidence: str
    calibrated: float  # similarity to the claim, rescaled against the claim's baseline
    margin: float  # raw similarity to the claim minus that to its correction / related key point
    distinctive: bool  # uses a word only the wrong claim uses
    contradicted: bool  # negates the claim, or uses the correction's words and none of the claim's

    def is_hit(self, calibration: Calibration) -> bool:
        return (self.calibrated >= calibration.misconception and self.margin >= calibration.misconception_margin
                and not self.contradicted
                and (self.distinctive or self.calibrated >= calibration.misconception_sure))


class EmbeddingGrader:
    """Grades against rubric key points; thread-safe, caches prepared rubrics by content hash."""

    name = "embedding"

    def __init__(self, embedder: Embedder, store: RubricStore | None, calibration: Calibration,
                 rubric_lookup: Callable[[Question], Rubric | None] = rubric_for) -> None:
        self.embedder = embedder
        self.store = store
        self.calibration = calibration
        self.rubric_lookup = rubric_lookup
        self._prepared: dict[str, _PreparedRubric] = {}
        self._lock = threading.Lock()

    # --- public API ---------------------------------------------------------------------------------

    def grade(self, question: Question, answer: str, *, hints_used: int = 0) -> GradeResult:
        rubric = self.rubric_lookup(question)
        item = GradingItem(question.text, answer, rubric, question.id, hints_used, topic=question.topic)
        return self.grade_many([item])[0]

    def grade_with_rubric(self, question_text: str, rubric: Rubric | None, answer: str,
                          question_id: str | None = None, *, topic: str | None = None) -> GradeResult:
        return self.grade_many([GradingItem(question_text, answer, rubric, question_id, topic=topic)])[0]

    def grade_many(self, items: Sequence[GradingItem]) -> list[GradeResult]:
        """Grade several answers with one batched embedding call (the batch command's fast path)."""
        for item in items:
            self._apply_rules(item)
        pending = [item for item in items if item.units]
        # Everything these answers need embedded, in one call (the embedder keeps query vectors, so
        # what follows finds them): their sentences, the corrections of rubrics not prepared yet, and
        # the questions of answers graded for relevance only (an answer to a project or behavioural
        # question needs its question only when it touches no key point, so that one waits).
        rubrics = {self._key(item.rubric): item.rubric for item in pending if item.rubric is not None}
        with self._lock:
            fresh = [rubric for key, rubric in rubrics.items() if key not in self._prepared]
        self.embedder.embed_queries([unit.text for item in pending for unit in item.units if len(unit.sentences) == 1]
                                    + [m.correction for rubric in fresh for m in rubric.misconceptions]
                                    + [item.question_text for item in pending if item.rubric is None])
        return [self._score(item, self._unit_vectors(item.units) if item.units else None) for item in items]

    def _unit_vectors(self, units: list[answer_text.Unit]) -> np.ndarray:
        """Sentence vectors, and for two-sentence windows the normalised sum of their sentences'
        vectors (close to embedding the window, at no extra cost)."""
        singles = {unit.sentences[0]: unit.text for unit in units if len(unit.sentences) == 1}
        by_index = dict(zip(singles, self.embedder.embed_queries(list(singles.values())), strict=True))
        rows = []
        for unit in units:
            vector = np.sum([by_index[index] for index in unit.sentences], axis=0)
            rows.append(vector / max(1e-6, float(np.linalg.norm(vector))))
        return np.vstack(rows).astype(np.float32)

    # --- rules --------------------------------------------------------------------------------------

    def _apply_rules(self, item: GradingItem) -> None:
        injected = answer_text.injection_sentences(item.answer)
        if injected:
            item.flags.append("injection")
        remaining = [s for s in answer_text.sentences(item.answer) if s not in injected]
        if answer_text.is_non_answer(" ".join(remaining), item.question_text):
            item.flags.append("non_answer")
            return
        kept, repeated = answer_text.deduplicate(remaining)
        if repeated >= 2 or answer_text.is_keyword_list(item.answer):
            item.flags.append("padding")
        if item.hints_used:
            item.flags.append("hint_used")
        item.content = kept
        item.units = answer_text.units("\n".join(kept))

    # --- scoring ------------------------------------------------------------------------------------

    def _score(self, item: GradingItem, vectors: np.ndarray | None) -> GradeResult:
        rubric = item.rubric
        if vectors is None:
            points = [KeyPointGrade(index=i, text=p.text, weight=p.weight, status="missing")
                      for i, p in enumerate(rubric.key_points)] if rubric else []
            return self._result(item, points, [], 0, "rule")
        if rubric is None:
            return self._relevance_only(item, vectors)
        prepared = self._prepare(rubric)
        similarity = [vectors @ rows.T for rows in prepared.vectors.points]  # units x (point + aliases)
        keyword_list = "padding" in item.flags and answer_text.is_keyword_list(item.answer)
        grades: list[KeyPointGrade] = []
        thresholds = self.calibration.thresholds(rubric.kind)
        signals = self._signals(item, prepared, similarity, lexical=thresholds.lexical_weight > 0)
        code_units = [unit.text.lower() if answer_text.is_code(unit.text) else None for unit in item.units]
        for index, (raw, lexical) in enumerate(signals):
            point = rubric.key_points[index]
            semantic = np.array([rescale(float(value), float(prepared.point_baselines[index])) for value in raw])
            combined = (1 - thresholds.lexical_weight) * semantic + thresholds.lexical_weight * lexical
            if any(code_units):
                combined = np.maximum(combined, self._code_evidence(prepared.code_terms[index], code_units))
            best = int(np.argmax(combined))
            value = float(combined[best])
            status: PointStatus = ("covered" if value >= thresholds.covered
                                   else "partial" if value >= thresholds.partial else "missing")
            if keyword_list and status == "covered":
                status = "partial"  # a term named without explanation is not a covered point
            grades.append(KeyPointGrade(index=index, text=point.text, weight=point.weight, status=status,
                                        evidence=item.units[best].text if status != "missing" else None,
                                        similarity=round(value, 3)))
        hits = self._misconceptions(rubric, prepared, vectors, similarity, item)
        score = weighted_score(grades) - MISCONCEPTION_PENALTY * len(hits)
        # Project, behavioural and opening answers are about the candidate's own work, so naming
        # techniques the bank covers is expected there, not a sign of answering another question:
        # they are off topic only when they touch no key point and are unrelated to the question.
        # An answer that covers a key point, or makes one of this question's known mistakes, is about
        # this question's subject whatever else it resembles.
        if hits or any(grade.status == "covered" for grade in grades):
            off_topic = False
        elif family(rubric.kind) == "technical":
            off_topic = self._off_topic(item, vectors, prepared, score)
        else:
            off_topic = self._unrelated(item, vectors, grades)
        if off_topic:
            item.flags.append("off_topic")
            score = min(score, OFF_TOPIC_CAP)
        return self._result(item, grades, hits, score, "embedding")

    def point_signals(self, item: GradingItem) -> list[tuple[np.ndarray, np.ndarray, float]] | None:
        """Per key point: raw similarity and lexical evidence of every answer unit, and the point's
        baseline. What the calibration script fits thresholds on; None when rules decide alone."""
        self._apply_rules(item)
        if not item.units or item.rubric is None:
            return None
        vectors = self._unit_vectors(item.units)
        prepared = self._prepare(item.rubric)
        similarity = [vectors @ rows.T for rows in prepared.vectors.points]
        return [(raw, lexical, float(prepared.point_baselines[index]))
                for index, (raw, lexical) in enumerate(self._signals(item, prepared, similarity, lexical=True))]

    def _signals(self, item: GradingItem, prepared: _PreparedRubric, similarity: list[np.ndarray],
                 *, lexical: bool) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per point: raw similarity per unit, and lexical evidence per unit (zeros when not weighted)."""
        unit_terms = [answer_text.terms(unit.text) for unit in item.units] if lexical else []
        return [(similarity[index].max(axis=1),
                 np.array([self._lexical(prepared, index, unit, terms)
                           for unit, terms in zip(item.units, unit_terms, strict=True)])
                 if lexical else np.zeros(len(item.units)))
                for index in range(len(similarity))]

    @staticmethod
    def _code_evidence(identifiers: list[str], code_units: list[str | None]) -> np.ndarray:
        """Per unit: 1 where a line of code uses an identifier the point names (softmax, masked_fill)."""
        return np.array([1.0 if code and any(name in code for name in identifiers) else 0.0 for code in code_units])

    def _lexical(self, prepared: _PreparedRubric, index: int, unit: answer_text.Unit, terms: set[str]) -> float:
        lowered = unit.text.lower()
        if any(len(alias) >= 2 and alias.lower() in lowered for alias in prepared.aliases[index]):
            return 1.0
        wanted = prepared.point_terms[index]
        return len(wanted & terms) / len(wanted) if wanted else 0.0

    def _misconceptions(self, rubric: Rubric, prepared: _PreparedRubric, vectors: np.ndarray,
                        point_similarity: list[np.ndarray], item: GradingItem) -> list[MisconceptionHit]:
        calibration = self.calibration
        hits = [MisconceptionHit(claim=rubric.misconceptions[c.index].claim,
                                 correction=rubric.misconceptions[c.index].correction,
                                 evidence=c.evidence, similarity=round(c.calibrated, 3))
                for c in self._misconception_candidates(rubric, prepared, vectors, point_similarity, item)
                if c.is_hit(calibration)]
        if hits:
            item.flags.append("misconception")
        return hits

    def _misconception_candidates(self, rubric: Rubric, prepared: _PreparedRubric, vectors: np.ndarray,
                                  point_similarity: list[np.ndarray], item: GradingItem) -> list[Candidate]:
        """Per misconception, the answer unit nearest to the wrong claim and the evidence about it."""
        if not rubric.misconceptions or not len(prepared.vectors.misconceptions):
            return []
        claim_similarity = vectors @ prepared.vectors.misconceptions.T  # units x claims
        correction_similarity = vectors @ prepared.corrections.T
        question_terms = _question_terms(item.question_text)
        candidates = []
        for index in range(len(rubric.misconceptions)):
            column = claim_similarity[:, index]
            best = int(np.argmax(column))
            # What is right about the same thing: the correction, and the key point the claim contradicts.
            right = max(float(correction_similarity[best, index]),
                        float(point_similarity[prepared.related_points[index]][best].max()))
            unit = item.units[best].text
            words = answer_text.terms(unit) | answer_text.markers(unit)
            # The question's own subject ("PagedAttention") is no evidence of the wrong claim.
            distinctive = bool(prepared.distinctive_terms[index] & words - question_terms)
            contrary = bool(prepared.contrary_terms[index] & words)
            candidates.append(Candidate(
                index=index, evidence=unit, distinctive=distinctive,
                calibrated=rescale(float(column[best]), float(prepared.misconception_baselines[index])),
                margin=float(column[best]) - right,
                # "RoPE 不是把位置向量加到词向量上", "B 为零、A 随机初始化": the correction, not the claim.
                contradicted=answer_text.is_negated(answer_text.claim_clause(unit, rubric.misconceptions[index].claim))
                != prepared.claim_negated[index] or (contrary and not distinctive)))
        return candidates

    def misconception_signals(self, item: GradingItem) -> list[Candidate]:
        """The misconception candidates of an answer, before thresholds: what the calibration fits."""
        self._apply_rules(item)
        if not item.units or item.rubric is None:
            return []
        vectors = self._unit_vectors(item.units)
        prepared = self._prepare(item.rubric)
        similarity = [vectors @ rows.T for rows in prepared.vectors.points]
        return self._misconception_candidates(item.rubric, prepared, vectors, similarity, item)

    def _off_topic(self, item: GradingItem, vectors: np.ndarray, prepared: _PreparedRubric, score: float) -> bool:
        """Closer to a question of another topic than to this rubric, by the fitted margin."""
        if self.store is None or score >= 50:
            return False
        singles = vectors[[i for i, unit in enumerate(item.units) if len(unit.sentences) == 1]]
        centroid = singles.mean(axis=0)
        centroid /= max(1e-6, float(np.linalg.norm(centroid)))
        own = max(float((rows @ centroid).max()) for rows in prepared.vectors.points)
        others = [sim for qid, sim in self.store.nearest_questions_by_vector(centroid, k=5, exclude_topic=item.topic)
                  if qid != item.question_id]
        return bool(others) and others[0] - own >= self.calibration.off_topic_margin

    def _unrelated(self, item: GradingItem, vectors: np.ndarray, grades: list[KeyPointGrade]) -> bool:
        """A project, behavioural or opening answer that touches no key point and is unrelated to the
        question ("今天天气不错，我比较喜欢周末去爬山")."""
        if any(grade.status != "missing" for grade in grades):
            return False
        return self.question_relevance(item, vectors) < self.calibration.unrelated

    def question_relevance(self, item: GradingItem, vectors: np.ndarray) -> float:
        """How close the answer's best unit is to the question, rescaled against the question's baseline."""
        question_vector = self.embedder.embed_queries([item.question_text])[0]
        raw = float((vectors @ question_vector).max())
        return rescale(raw, float(self._baseline(question_vector[None, :], None)[0]))

    def _relevance_only(self, item: GradingItem, vectors: np.ndarray) -> GradeResult:
        score = round(RELEVANCE_ONLY_CAP * self.question_relevance(item, vectors))
        item.flags.append("relevance_only")
        return self._result(item, [], [], score, "embedding")

    def _result(self, item: GradingItem, points: list[KeyPointGrade], hits: list[MisconceptionHit],
                score: int | float, grader: str) -> GradeResult:
        if "non_answer" in item.flags:
            score = 0
        if item.hints_used:
            score = min(score, hint_score_cap(item.hints_used))
        final = int(max(0, min(100, round(score))))
        result = GradeResult(question_id=item.question_id, score=final, key_points=points, misconceptions=hits,
                             flags=list(dict.fromkeys(item.flags)), feedback="", grader=grader,  # type: ignore[arg-type]
                             notes=list(item.notes), embedding_score=final if grader == "embedding" else None)
        result.feedback = write_feedback(result, item.rubric)
        return result

    # --- rubric preparation (cached) ----------------------------------------------------------------

    @staticmethod
    def _key(rubric: Rubric) -> str:
        return f"{rubric.question_id}:{rubric.content_hash()}"

    def _prepare(self, rubric: Rubric) -> _PreparedRubric:
        key = self._key(rubric)
        with self._lock:
            cached = self._prepared.get(key)
        if cached is not None:
            return cached
        vectors = self._stored_vectors(rubric) or self._embed_rubric(rubric)
        answer_text.add_field_terms(alias for point in rubric.key_points for alias in point.aliases)
        main_rows = np.vstack([rows[0] for rows in vectors.points])
        point_terms = [answer_text.terms(point.text) for point in rubric.key_points]
        right_texts = [point.text for point in rubric.key_points] + [a for p in rubric.key_points for a in p.aliases]
        right_terms = set().union(*point_terms, *(answer_text.terms(" ".join(p.aliases)) for p in rubric.key_points),
                                  *(answer_text.markers(text) for text in right_texts))
        claims = [m.claim for m in rubric.misconceptions]
        claim_terms = [answer_text.terms(claim) | answer_text.markers(claim) for claim in claims]
        # The key point each wrong claim is about: the one whose text or aliases lie nearest to it.
        related = [int(np.argmax([float((rows @ claim).max()) for rows in vectors.points]))
                   for claim in vectors.misconceptions]
        contrary = [(answer_text.terms(m.correction) | answer_text.terms(rubric.key_points[point].text)) - words
                    for m, point, words in zip(rubric.misconceptions, related, claim_terms, strict=True)]
        corrections = (self.embedder.embed_queries([m.correction for m in rubric.misconceptions])
                       if claims else np.zeros((0, main_rows.shape[1]), dtype=np.float32))
        prepared = _PreparedRubric(
            vectors=vectors,
            point_baselines=self._baseline(main_rows, rubric.question_id),
            misconception_baselines=self._baseline(vectors.misconceptions, rubric.question_id)
            if len(vectors.misconceptions) else np.zeros(0),
            point_terms=point_terms,
            aliases=[point.aliases for point in rubric.key_points],
            code_terms=[answer_text.code_identifiers(point.aliases) for point in rubric.key_points],
            distinctive_terms=[words - right_terms for words in claim_terms],
            contrary_terms=contrary, related_points=related, corrections=corrections,
            claim_negated=[answer_text.is_negated(claim) for claim in claims])
        with self._lock:
            self._prepared[key] = prepared
        return prepared

    def _stored_vectors(self, rubric: Rubric) -> RubricVectors | None:
        if self.store is None or (rubric.kind == "derived" and rubric.question_id.startswith("adhoc")):
            return None
        vectors = self.store.rubric_vectors(rubric.question_id)
        expected = [1 + len(point.aliases) for point in rubric.key_points]
        if vectors is None or [len(rows) for rows in vectors.points] != expected:
            return None
        return vectors

    def _embed_rubric(self, rubric: Rubric) -> RubricVectors:
        texts = [text for point in rubric.key_points for text in (point.text, *point.aliases)]
        matrix = self.embedder.embed_queries(texts + [m.claim for m in rubric.misconceptions])
        rows, offset = [], 0
        for point in rubric.key_points:
            rows.append(matrix[offset : offset + 1 + len(point.aliases)])
            offset += 1 + len(point.aliases)
        return RubricVectors(points=rows, misconceptions=matrix[offset:])

    def _baseline(self, rows: np.ndarray, question_id: str | None) -> np.ndarray:
        """Per row: the similarity it typically has with key points of other questions."""
        matrix, owners = self.store.point_matrix() if self.store else (np.zeros((0, 1)), np.array([], dtype=str))
        if not len(matrix):
            return np.full(len(rows), UNINDEXED_BASELINE)
        similarities = rows @ matrix[owners != question_id].T
        return np.quantile(similarities, self.calibration.baseline_quantile, axis=1)


@lru_cache(maxsize=4096)
def _question_terms(question: str) -> frozenset[str]:
    return frozenset(answer_text.terms(question))


def weighted_score(grades: list[KeyPointGrade]) -> float:
    total = sum(grade.weight for grade in grades)
    if not total:
        return 0.0
    earned = sum(grade.weight * (STATUS_CREDIT[grade.status][0] + STATUS_CREDIT[grade.status][1] * grade.similarity)
                 for grade in grades if grade.status in STATUS_CREDIT)
    return 100.0 * earned / total
