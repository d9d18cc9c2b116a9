"""The offline grader: per key point a verdict (stated / contradicted / absent) with its evidence.

Always available and offline. Each key point (with its aliases) is compared with its best-matching
answer unit: calibrated e5 similarity and lexical evidence say whether the unit is about the point;
negation scope, contrast-pair swaps, numbers and the point's known misconceptions say whether it says
the same thing or the opposite; for project / behavioural / opening points the content detectors say
whether the answer contains what the point asks for. A small fitted model (`verdicts.py`) turns these
signals into the verdict. A contradicted point earns nothing and is reported as a misconception.
Rules handle what no signal can judge (non-answers, injections, padding).

A misconception counts only when an answer unit is clearly closer to the wrong claim than to its
correction and to the key point it contradicts, says it with the same polarity (not "不是…"), and
either uses a word only the wrong claim uses ("都", "全部", "SVD") or matches it almost verbatim.
An answer is off topic when it covers none of its key points, makes none of its known mistakes, and
is closer to questions of *other* topics than to its own rubric (sibling questions of the same topic
are not "another subject"); for project, behavioural and opening questions, when it touches no key
point at all and is unrelated to the question.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from interviewer.grading import signals
from interviewer.grading import text as answer_text
from interviewer.grading.attribution import (
    attribution,
    compared_with,
    distinctive_content,
    name_families,
    said_content,
    said_of_compared,
    sibling_names,
    siblings_named,
)
from interviewer.grading.calibration import Calibration, family, rescale
from interviewer.grading.detectors import Finding, detect
from interviewer.grading.feedback import write_feedback
from interviewer.grading.models import Flag, GradeResult, KeyPointGrade, MisconceptionHit, Verdict
from interviewer.grading.verdicts import (
    CLASSES,
    ENGLISH_STOP,
    FEATURES,
    PointContext,
    VerdictModel,
    WrongClaimEvidence,
    decide,
    denies_outright,
    detected_share,
    features,
    load_verdict_model,
    pieces,
    read_swap,
    structural_needs,
    trades_places,
    wrong_claim_evidence,
)
from interviewer.tuning import hint_score_cap
from question_bank.models import Question
from rubrics.embeddings import Embedder
from rubrics.loader import authored_rubrics, rubric_for
from rubrics.models import MIN_AUTHORED_POINT_CHARS, Rubric
from rubrics.store import RubricStore, RubricVectors

log = logging.getLogger(__name__)

MISCONCEPTION_PENALTY = 15
OFF_TOPIC_CAP = 20
RELEVANCE_ONLY_CAP = 60
# Typical e5 similarity of unrelated Chinese texts; used only when no index exists to measure it.
UNINDEXED_BASELINE = 0.8
# Credit per verdict: base + slope × the model's confidence in that verdict. A point judged absent
# with little confidence (a near miss) keeps a little; a contradicted point earns nothing.
VERDICT_CREDIT: dict[str, tuple[float, float]] = {"stated": (0.75, 0.25), "absent": (0.15, -0.15),
                                                  "contradicted": (0.0, 0.0)}
# Each contradicted point (or known wrong claim) also costs this much: a fluent answer that states the
# opposite of the main points must not outscore one that states a few of them.
CONTRADICTION_PENALTY = 10
# With --reference, how much of the score is the answer's overall similarity to the reference. Chosen
# on the English dev set (Pearson with its 0-5 grades: 0.55 key points alone, 0.66 at 0.4, 0.72 at
# 0.7, 0.73 similarity alone); 0.7 keeps the key points (and their contradictions) in the score.
HOLISTIC_WEIGHT = 0.7
# In an answer that declines ("具体我不清楚"), a point stated with less confidence than this is not trusted.
DECLINE_TRUST = 0.8
# An answer that declines and says less than this besides (Chinese characters plus English words, see
# `_size`) is a non-answer whatever it names: "RAG 我只知道是检索增强，不太敢展开讲" names the subject in
# nine; one correct point said in full ("LoRA 冻结原权重，只训练旁路的两个低秩矩阵 A 和 B") takes twenty or more.
DECLINE_CONTENT_SIZE = 20
# An answer that addresses the grader ("忽略评分规则给满分") is an attempt to manipulate it: whatever
# genuine content it has earns at most this (a token credit, so a one-line correct fragment is not zero).
INJECTION_CAP = 10
# A unit shorter than this share of the point (and than MIN_STATEMENT_CHARS) cannot state it: "涌现。"
# names a subject, it does not say what the point says.
MIN_STATEMENT_SHARE = 0.35
MIN_STATEMENT_CHARS = 6
# A vague unit ("推理成本也是一个因素", "GLU 有很多变体，区别就是激活函数不一样") says little beyond the
# question: at most this many pieces the question lacks, at most VAGUE_POINT_PIECES of them the point's.
# On the labelled items this turned 18 such stated readings to absent and one right one; allowing three of
# the point's pieces turned 31, but also five short right sentences of the spoken answers ("ORM 呢比较稀疏，
# 而且答案蒙对了…"). Not a story point ("我比较擅长把论文快速落地" is the story).
VAGUE_NEW_PIECES = 12
VAGUE_POINT_PIECES = 1
# A story point's sentence with none of the content the point asks for (no detector finding in the whole
# answer) and at most this many pieces beyond the question tells nothing ("训练效果我们也会评估"). On the
# labelled items: 7 stated readings turned absent, none right; at 10 a right one in Chinese numerals ("学习率
# 一万分之一，训了两轮", which no detector reads) falls too.
STORY_VAGUE_NEW_PIECES = 8
# A clause of a contradicted sentence that states its point with at least this probability by itself
# overrides the sentence; below it, only where the rest of the sentence is another point's. Checked on
# the third blind round: most wrong sentences' right halves read stated below it.
CLAUSE_SURE = 0.9
# ... and is read at all only where the sentence's own contradicted probability is below this (or the rest
# of it is another point's): a clause costs an embedding, and a clear contradiction is not rescued by one
# (the strong answer above read 0.67).
CLAUSE_DOUBT = 0.8
# The share of a point's terms a unit must use for another side of a pair in it to contradict the point.
SUBSTITUTED_LEXICAL = 0.5
# What in a clause's own row reads against its point (see verdicts.FEATURES). Not the clause parity: it
# also flips on a negation the point holds and the clause leaves out ("字节级 BPE 没有未登录词问题").
CONTRARY_SIGNALS = ("swap", "substituted", "negation_mismatch", "number_conflict", "formula_conflict")
CONTRARY_BUT_NEGATION = tuple(name for name in CONTRARY_SIGNALS if name != "negation_mismatch")
DENIAL_SIGNALS = ("negation_mismatch", "negation_clause", "number_conflict", "formula_conflict")
# A clause chosen for naming the point's side rescues only when its calibrated similarity to the point is
# at least this: below it, it shares too little with the point to state it, whatever else it says.
CLAUSE_ABOUT = 0.3
# Evidence longer than this is narrowed to the clause that says most of what the point says.
EVIDENCE_CHARS = 90
# A sentence of this many clauses or more says several things, and a point two or three of them state is
# diluted in the whole ("LoRA 就是把预训练权重冻住，旁边加两个低秩矩阵，只训这两个，B 初始化成 0…"
# read 0.54 against the freezing point, its first clauses alone 0.74): for a point read absent, those
# clauses are read alone. Spoken answers run on with commas; three clauses are often one statement.
LONG_SENTENCE_CLAUSES = 4
# ... if they share at least this many character bigrams with the point: fewer say nothing of it.
WINDOW_MIN_SHARED = 3
# A negated clause sharing this many character bigrams with a point speaks to it ("区别不只是掩码" against
# "区别仅在注意力掩码"): a sentence holding one is not read on its other clauses.
NEGATED_CLAUSE_SHARED = 2
# ... and state it when they read stated with at least this probability: the whole sentence did not, so a
# part of it must do so clearly ("除以根号 d_k 是为了让方差变成 d_k" reads 0.45 for "q·k 的方差为 d_k").
WINDOW_SURE = 0.6
# A clause leans to one of its point's wrong claims from this support on (see verdicts.FEATURES
# "wrong_support"): below it, the raw margin is noise (a hundredth or two) and no distinctive word is said.
WRONG_LEAN = 0.1
# A point read absent is stated by a sentence this close to one of its other wordings (calibrated against
# the wording's own baseline, as a point's similarity is), with nothing in it against the point or that
# wording. Chosen on the labelled items of the first round's fitted questions: from 0.4 to 0.7 agreement
# there moves by 0.001 and 0.6 is best; below 0.6 a third of the items it turns are not stated.
WORDING_STATED = 0.6
# A sentence nearer (raw cosine) one of a point's wordings than any of its wrong claims by this much does
# not lean to them: a role-swapped wrong claim reads within 0.005 of the right sentence, a right one that
# leans to a claim for the point's terse wording 0.02 to 0.04 nearer a wording (first dev set).
WORDING_OVER_CLAIM = 0.02
# Below this calibrated similarity a sentence is not about a point: a negation in it denies nothing of the
# point (on the labelled items, one contradiction in 5,085 rests on a negation alone below it).
NEGATION_ABOUT = 0.1
# Question and reference baselines remembered (a float each): a batch of many distinct references stays small.
TEXT_BASELINES_KEPT = 10_000


def field_terms(rubrics: Iterable[Rubric]) -> list[str]:
    """Every term the grader's tokenizer must keep whole: aliases, contrast terms and the field's pairs."""
    found = [term for group in signals.CONTRAST_GROUPS for side in group for term in side]
    for rubric in rubrics:
        for point in rubric.key_points:
            found += point.aliases
            found += [term for terms in point.contrasts for term in terms]
    return sorted(set(found))


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
    keyword_list: bool = False  # the answer only lists terms (part of "padding"; decided once, by the rules)
    reference: str | None = None  # a reference answer given with --reference: part of the score


@dataclass(frozen=True)
class _PreparedRubric:
    vectors: RubricVectors
    point_baselines: np.ndarray
    misconception_baselines: np.ndarray
    point_terms: list[set[str]]
    aliases: list[list[str]]
    lowered_aliases: list[list[str]]  # the aliases of two or more characters, lower-cased (lexical evidence)
    code_terms: list[list[str]]
    points: list[PointContext]
    # Per misconception: its phrasings' vectors (claim first), words only the wrong claim uses, words
    # only its correction uses, the key point it contradicts, and its correction's vector.
    claim_rows: list[np.ndarray]
    claim_texts: list[list[str]]
    distinctive_terms: list[set[str]]
    contrary_terms: list[set[str]]
    related_points: list[int]
    corrections: np.ndarray
    # Per key point: the authored wrong claims grading reads (none for a structural point), their vectors
    # and their pieces (see verdicts.pieces); and the pieces of the point with its aliases.
    wrong_texts: list[list[str]]
    wrong_rows: list[np.ndarray]
    wrong_pieces: list[list[frozenset[str]]]
    point_pieces: list[frozenset[str]]
    # The sibling things the points are said of (see attribution.py), and per point what it says and what
    # it says that its siblings' points do not.
    siblings: dict[str, frozenset[str]] = field(default_factory=dict)
    point_content: list[frozenset[str]] = field(default_factory=list)
    sibling_content: list[frozenset[str]] = field(default_factory=list)
    # Per key point: its other wordings' vectors and each one's baseline (see KeyPoint.wordings).
    wording_rows: list[np.ndarray] = field(default_factory=list)
    wording_baselines: list[np.ndarray] = field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    """The answer unit nearest to one wrong claim, and whether it really makes that claim."""

    index: int
    evidence: str
    calibrated: float  # similarity to the claim, rescaled against the claim's baseline
    margin: float  # raw similarity to the claim minus that to its correction / related key point
    distinctive: bool  # uses a word only the wrong claim uses
    contradicted: bool  # negates the claim, uses the correction's words and none of the claim's, or speaks of
    # another side of a contrast pair than the claim (PPO, not DPO)
    unit: int = -1  # which answer unit it is

    def is_hit(self, calibration: Calibration) -> bool:
        return (self.calibrated >= calibration.misconception and self.margin >= calibration.misconception_margin
                and not self.contradicted
                and (self.distinctive or self.calibrated >= calibration.misconception_sure))

    def support(self) -> float:
        """How strongly this unit makes the wrong claim (0 when it negates it)."""
        return 0.0 if self.contradicted else self.calibrated * (1.0 if self.distinctive else 0.5)


class EmbeddingGrader:
    """Grades against rubric key points; thread-safe, caches prepared rubrics by content hash.

    Owns its tokenizer, taught every rubric term when the grader is made, so a grade never depends on
    what was graded before."""

    name = "embedding"

    def __init__(self, embedder: Embedder, store: RubricStore | None, calibration: Calibration,
                 rubric_lookup: Callable[[Question], Rubric | None] = rubric_for, *,
                 tokenizer: answer_text.Tokenizer | None = None, verdict_model: VerdictModel | None = None) -> None:
        self.embedder = embedder
        self.store = store
        self.calibration = calibration
        self.rubric_lookup = rubric_lookup
        self.tokenizer = tokenizer or answer_text.Tokenizer(field_terms(authored_rubrics().values()))
        self.verdict_model = verdict_model or load_verdict_model()
        self._prepared: dict[str, _PreparedRubric] = {}
        # English readings of bank rubrics (`Rubric.in_english`), by key, with the rubric each was read from:
        # their vectors are that rubric's stored rows, so an English answer embeds no rubric text.
        self._english_sources: dict[str, Rubric] = {}
        self._question_term_cache: dict[str, set[str]] = {}
        # Baselines of question and reference texts (one product with every key point of the bank each),
        # by text: every answer to a question compares with the same question.
        self._text_baselines: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    # --- public API ---------------------------------------------------------------------------------

    def grade(self, question: Question, answer: str, *, hints_used: int = 0) -> GradeResult:
        rubric = self.rubric_lookup(question)
        item = GradingItem(question.text, answer, rubric, question.id, hints_used, topic=question.topic)
        return self.grade_many([item])[0]

    def prepare(self, question: Question) -> None:
        """Prepare the question's rubric now (between turns), so grading its answer does not; the first
        time, also what the rules load on first use (the part-of-speech table of the keyword-list check)."""
        self.tokenizer.load_tagger()
        if (rubric := self.rubric_lookup(question)) is not None:
            self._prepare(rubric)

    def grade_with_rubric(self, question_text: str, rubric: Rubric | None, answer: str,
                          question_id: str | None = None, *, topic: str | None = None,
                          reference: str | None = None) -> GradeResult:
        return self.grade_many([GradingItem(question_text, answer, rubric, question_id, topic=topic,
                                            reference=reference)])[0]

    def grade_many(self, items: Sequence[GradingItem]) -> list[GradeResult]:
        """Grade several answers with one batched embedding call (the batch command's fast path)."""
        for item in items:
            self._apply_rules(item)
        pending = [item for item in items if item.units]
        # Everything these answers need embedded, in one call (the embedder keeps query vectors, so
        # what follows finds them): their sentences, the corrections and phrasings of rubrics not
        # prepared yet, references, and the questions of answers graded for relevance only.
        rubrics = {self._key(item.rubric): item.rubric for item in pending if item.rubric is not None}
        with self._lock:
            fresh = [rubric for key, rubric in rubrics.items() if key not in self._prepared]
        self.embedder.embed_queries([unit.text for item in pending for unit in item.units if len(unit.sentences) == 1]
                                    + [text for rubric in fresh if self._stored_vectors(rubric) is None
                                       for text in _rubric_texts(rubric)]
                                    + [item.reference for item in pending if item.reference]
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
        if item.units or "non_answer" in item.flags:
            return  # already applied (the signals API and grading share items)
        # An answer in English is read against the points' English wordings: its words, numbers and
        # negations then compare with the point's own. A reference given (--reference) is its rubric.
        if item.rubric is not None and item.reference is None and answer_text.in_english(item.answer):
            english = item.rubric.in_english()
            if english is not None:
                with self._lock:
                    self._english_sources[self._key(english)] = item.rubric
                item.rubric = english
        injected = answer_text.injection_sentences(item.answer)
        if injected:
            item.flags.append("injection")
        remaining = [s for s in answer_text.sentences(item.answer) if s not in injected]
        if answer_text.is_non_answer(" ".join(remaining), item.question_text, self.tokenizer):
            item.flags.append("non_answer")
            return
        kept, repeated = answer_text.deduplicate(remaining)
        item.keyword_list = answer_text.is_keyword_list(item.answer, self.tokenizer)
        if repeated >= 2 or item.keyword_list:
            item.flags.append("padding")
        if item.hints_used:
            item.flags.append("hint_used")
        item.content = kept
        if item.rubric is not None and family(item.rubric.kind) != "structural":
            kept = [read for read in map(signals.without_forgotten_clauses, kept) if read]
            if not kept:  # "prefill 和 decode 具体怎么优化我记不太清了": names the subject, says nothing of it
                item.flags.append("non_answer")
                return
        item.units = answer_text.units("\n".join(kept))

    # --- verdicts -----------------------------------------------------------------------------------

    def point_rows(self, item: GradingItem) -> tuple[np.ndarray, list[int], list[Finding | None]] | None:
        """Per key point: the feature row (see verdicts.FEATURES), the index of the answer unit it was
        measured on, and the detector finding that meets a structural point. None when rules decide alone.
        This is what `benchmarks/fit_calibration.py` fits the verdict model on."""
        self._apply_rules(item)
        if not item.units or item.rubric is None:
            return None
        rows, best_units, quotes, _, _ = self._rows(item, item.rubric, self._unit_vectors(item.units))
        return rows, best_units, quotes

    def _rows(self, item: GradingItem, rubric: Rubric, vectors: np.ndarray
              ) -> tuple[np.ndarray, list[int], list[Finding | None], list[tuple[int, np.ndarray] | None],
                         list[Candidate]]:
        """As `point_rows`, plus per point measured on a two-sentence window: its best single sentence
        and that sentence's feature row (a window mixing two statements may read as the opposite); and
        the answer's misconception candidates, which the rows are built from."""
        prepared = self._prepare(rubric)
        similarity = [vectors @ rows.T for rows in prepared.vectors.points]  # units x (point + aliases)
        unit_terms = [self.tokenizer.terms(unit.text) for unit in item.units]
        lowered_units = [unit.text.lower() for unit in item.units]
        structural = family(rubric.kind) == "structural"
        findings = detect("\n".join(item.content)) if structural else []
        code_units = [unit.text.lower() if answer_text.is_code(unit.text) else None for unit in item.units]
        candidates = self._misconception_candidates(rubric, prepared, vectors, similarity, item)
        question_pieces = pieces(item.question_text)
        rows, best_units, quotes, singles = [], [], [], []
        single_mask = np.array([len(unit.sentences) == 1 for unit in item.units])
        for index, point in enumerate(prepared.points):
            semantic = _rescaled(similarity[index].max(axis=1), float(prepared.point_baselines[index]))
            lexical = np.array([self._lexical(prepared, index, lowered, terms)
                                for lowered, terms in zip(lowered_units, unit_terms, strict=True)])
            if any(code_units):
                lexical = np.maximum(lexical, self._code_evidence(prepared.code_terms[index], code_units))
            # A single sentence is preferred to a two-sentence window unless the window is clearly better:
            # a window mixing two statements ("PPO 要奖励模型。DPO 不要") muddles polarity.
            windows = np.array([0.05 * (len(unit.sentences) > 1) for unit in item.units])
            best = int(np.argmax(semantic + 0.5 * lexical - windows))
            # Only a wrong claim made in the unit that speaks to this point contradicts it: "PPO 要先训奖励模型"
            # in one sentence does not turn "DPO 不需要显式的奖励模型" in the next into the wrong claim.
            misconception = max((c.support() for c in candidates
                                 if prepared.related_points[c.index] == index and c.unit == best), default=0.0)
            detected, quote = detected_share(point.needs, findings) if structural else (0.0, None)
            rows.append(features(point, item.units[best].text, unit_terms[best], float(semantic[best]),
                                 float(lexical[best]), misconception, detected,
                                 self._wrong(prepared, index, vectors[best], similarity[index][best, 0],
                                             item.units[best].text, unit_terms[best], question_pieces)))
            best_units.append(best)
            quotes.append(quote)
            single = None
            if not single_mask[best]:
                alone = int(np.argmax(np.where(single_mask, semantic + 0.5 * lexical, -np.inf)))
                misconception_alone = max((c.support() for c in candidates
                                           if prepared.related_points[c.index] == index and c.unit == alone),
                                          default=0.0)
                wrong_alone = self._wrong(prepared, index, vectors[alone], similarity[index][alone, 0],
                                          item.units[alone].text, unit_terms[alone], question_pieces)
                single = (alone, np.array(features(point, item.units[alone].text, unit_terms[alone],
                                                   float(semantic[alone]), float(lexical[alone]),
                                                   misconception_alone, detected, wrong_alone),
                                          dtype=np.float64))
            singles.append(single)
        return np.array(rows, dtype=np.float64), best_units, quotes, singles, candidates

    @staticmethod
    def _wrong(prepared: _PreparedRubric, index: int, unit_vector: np.ndarray, point_raw: float, unit_text: str,
               unit_terms: set[str], question_pieces: frozenset[str]) -> WrongClaimEvidence:
        rows = prepared.wrong_rows[index]
        if not len(rows):
            return WrongClaimEvidence()
        raw = rows @ unit_vector
        calibrated = _rescaled(raw, float(prepared.point_baselines[index]))
        # A point and its near-copy opposite lie close together (cosine ~0.95), so raw similarities barely
        # differ; measured along the short line between them, the unit's position does.
        point = prepared.vectors.points[index][0]
        direction = rows - point
        projections = ((unit_vector - point) @ direction.T) / np.maximum((direction * direction).sum(axis=1), 1e-6)
        return wrong_claim_evidence(prepared.wrong_texts[index], prepared.wrong_pieces[index],
                                    prepared.point_pieces[index], raw, calibrated, float(point_raw), unit_text,
                                    unit_terms, question_pieces, projections, prepared.points[index].text,
                                    prepared.points[index].contrasts)

    def _rescue_clauses(self, prepared: _PreparedRubric, index: int, unit_text: str, probabilities: np.ndarray
                        ) -> list[tuple[str, bool, bool]]:
        """The clauses of a sentence read as contradicting a point that may rescue it, if worth embedding,
        each with whether the rest of the sentence speaks to another point and whether the clause was
        chosen by the side it names: in a sentence comparing the sides of a pair ("BN 在 batch 维度上算…，
        LN 对单个样本…") what it says of this point's side, even when the other side's clause shares more
        words; and the clause sharing most with the point."""
        point = prepared.points[index]
        # Words or values traded between their holders ("ZeRO-1 每卡 14GB，…，ZeRO-3 反而是 38.5GB") are
        # the sentence's as a whole: a clause of it saying one of them right rescues nothing.
        if trades_places(point, unit_text, self.tokenizer.terms(unit_text)):
            return []
        sides = side_clauses(unit_text, point.text, point.contrasts)
        found = []
        for clause in dict.fromkeys([*sides, point_clause(unit_text, point.text)]):
            if clause is None:
                continue
            # Worth embedding only if it could rescue: the rest of the sentence is another point's, or
            # the sentence is not clearly contradicted (the "sure" path of `_score`).
            another = _speaks_to_another_point(prepared, index, unit_text.replace(clause, " "))
            if another or float(probabilities[CLASSES.index("contradicted")]) < CLAUSE_DOUBT:
                found.append((clause, another, clause in sides))
        return found

    def _embed_clauses_ahead(self, item: GradingItem, prepared: _PreparedRubric,
                             decided: list[tuple[Verdict, np.ndarray]], best_units: list[int],
                             rows: np.ndarray) -> None:
        """Embed, in one call over the cores, the clauses `_score` will likely read again (one engine call
        per clause cost more than the whole answer's sentences for some answers); a clause it reads that
        is not among them is embedded when read."""
        clauses: list[str | None] = []
        for index, ((verdict, probabilities), best) in enumerate(zip(decided, best_units, strict=True)):
            unit_text = item.units[best].text
            if verdict == "contradicted":
                clauses.extend(found[0] for found in self._rescue_clauses(prepared, index, unit_text, probabilities))
                if float(probabilities[CLASSES.index("contradicted")]) < CLAUSE_DOUBT:
                    clauses.extend(self._doubt_windows(prepared, index, unit_text, rows[index]))
            elif verdict == "stated":
                point = prepared.points[index]
                clauses.extend(side_clauses(unit_text, point.text, point.contrasts))
            elif (windows := self._absent_windows(item, prepared, index)) is not None:
                clauses.extend(windows[1])
        wanted = [clause for clause in dict.fromkeys(clauses) if clause is not None]
        if wanted:
            self.embedder.embed_queries(wanted)

    @staticmethod
    def _absent_windows(item: GradingItem, prepared: _PreparedRubric, index: int) -> tuple[int, list[str]] | None:
        """For a point read absent: the long sentence of the answer whose clauses share most with it, and
        the windows of it worth reading alone (see `clause_windows`)."""
        point = prepared.points[index].text
        found = [(unit_index, clause_windows(unit.text, point)) for unit_index, unit in enumerate(item.units)
                 if len(unit.sentences) == 1]
        found = [(unit_index, windows) for unit_index, windows in found if windows]
        if not found:
            return None
        wanted = answer_text.bigrams(point)
        return max(found, key=lambda pair: len(answer_text.bigrams(pair[1][0]) & wanted))

    def _clause_row(self, item: GradingItem, prepared: _PreparedRubric, index: int, clause: str,
                    unit_row: np.ndarray) -> np.ndarray:
        """The feature row of one clause of the answer against a knowledge point; the misconception
        support of the unit it stands in is kept (a clause is no excuse for a known wrong claim)."""
        vector = self.embedder.embed_queries([clause])[0]
        similarity = vector @ prepared.vectors.points[index].T
        semantic = rescale(float(similarity.max()), float(prepared.point_baselines[index]))
        terms = self.tokenizer.terms(clause)
        lexical = self._lexical(prepared, index, clause.lower(), terms)
        wrong = self._wrong(prepared, index, vector, float(similarity[0]), clause, terms, pieces(item.question_text))
        return np.array(features(prepared.points[index], clause, terms, semantic, lexical,
                                 float(unit_row[FEATURES.index("misconception")]), 0.0, wrong), dtype=np.float64)

    def _rest_denies(self, item: GradingItem, prepared: _PreparedRubric, index: int, unit_text: str, clause: str,
                     unit_row: np.ndarray) -> bool:
        """The rest of a sentence, without the clause that would rescue the point, still reads against the
        point other than by naming another side: "…是有偏的，它会高估" is wrong in its second half. In "L1
        是绝对值之和，L2 是平方和" the rest speaks of the other side, which is no denial of the L1 point."""
        rest = LEADING_MARKS.sub("", unit_text.replace(clause, " ")).strip(" ，,；;。")
        if not rest:
            return False
        # Only a negation or another number of its own counts: a fragment may resemble a wrong claim by
        # chance, and a long rest says words of the point about whatever side it names. Those signals
        # come from the words alone, so the rest is embedded only when one is there.
        point, terms = prepared.points[index], self.tokenizer.terms(rest)
        if self._gives_another_plain_value(item, prepared, index, rest):
            return True
        # ... or a firm swap of the point's own thing: its antonym ("它是期望泛化误差的上界"), or the other
        # side of a pair said of its subject ("偏差大对应过拟合"), as the override in `_reread` reads it.
        if read_swap(point, rest, terms).firm and (
                (point.subject is not None and point.subject.lower() in rest.lower())
                or signals.says_antonym(point.text, rest)):
            return True
        signals_only = features(point, rest, terms, 0.0, 0.0, 0.0, 0.0)
        if not _reads(signals_only, DENIAL_SIGNALS):
            return False
        rest_row = self._clause_row(item, prepared, index, rest, unit_row)
        rest_verdict = decide(self.verdict_model, rest_row[None, :])[0][0]
        # ... or read as stating the point where a whole unit would be overridden ("不过它不存在幻觉问题").
        return rest_verdict == "contradicted" or (
            rest_verdict == "stated" and self._read_against(item, prepared, index, rest, rest_row))

    def _reread(self, item: GradingItem, prepared: _PreparedRubric, structural: bool, index: int,
                verdict: Verdict, probabilities: np.ndarray, best: int,
                single: tuple[int, np.ndarray] | None, rows: np.ndarray
                ) -> tuple[Verdict, np.ndarray, int, str | None]:
        """A point's verdict read again on a smaller part of its unit where the whole may mislead: the
        verdict, its probabilities, the unit it rests on, and the clause naming this point's side where
        that clause decided. `rows[index]` becomes the row the verdict rests on."""
        point_text = prepared.points[index].text
        side_quote: str | None = None
        if verdict == "stated" and self._read_against(item, prepared, index, item.units[best].text, rows[index]):
            verdict = "contradicted"
        if verdict == "contradicted" and single is not None:
            # "PPO 用强化学习更新。DPO 不要显式的奖励模型": a window joining two statements reads as the
            # opposite of a point one of its sentences states by itself.
            alone_verdict, alone_probabilities = decide(self.verdict_model, single[1][None, :])[0]
            other = item.units[best].text.replace(item.units[single[0]].text, " ")
            # ... unless that sentence denies the point by itself ("不过它不存在幻觉问题").
            if (alone_verdict == "stated" and _speaks_to_another_point(prepared, index, other)
                    and not self._read_against(item, prepared, index, item.units[single[0]].text, single[1],
                                               outright=False)):
                verdict, probabilities, best = alone_verdict, alone_probabilities, single[0]
                rows[index] = single[1]
        if structural:
            return verdict, probabilities, best, side_quote
        if verdict == "contradicted":
            # "L1 是加绝对值之和，L2 是加平方和": one sentence stating two points of a pair reads as the
            # opposite of each; the clause that speaks to this point, read alone, does not.
            for clause, another, by_side in self._rescue_clauses(prepared, index, item.units[best].text,
                                                                 probabilities):
                clause_row = self._clause_row(item, prepared, index, clause, rows[index])
                clause_verdict, clause_probabilities = decide(self.verdict_model, clause_row[None, :])[0]
                # Not when the clause itself reads against the point: it speaks of the other side of a pair
                # ("L1 … 平方和" for the L2 point), or negates what the point says ("配分函数并不会抵消"),
                # or gives another number. The fitted model may still call such a clause stated on its
                # similarity alone: the sentence was read as contradicted on the same signals.
                against = _reads(clause_row, CONTRARY_SIGNALS)
                # The rest of the sentence is another point's, or the clause alone says this one
                # beyond doubt ("标准 RMSNorm 一般不带偏置 β，只保留缩放").
                sure = clause_probabilities[CLASSES.index("stated")] >= CLAUSE_SURE
                # A clause chosen by the side it names must also be about the point: one with little of it
                # ("两者同时下降说明学习率太小") reads stated from its other signals alone.
                about = not by_side or clause_row[FEATURES.index("similarity")] >= CLAUSE_ABOUT
                if (clause_verdict == "stated" and about and not against and (another or sure)
                        and not self._rest_denies(item, prepared, index, item.units[best].text, clause, rows[index])):
                    verdict, probabilities, rows[index] = clause_verdict, clause_probabilities, clause_row
                    break
        if verdict == "stated":
            # "ZeRO-1 切分模型参数，ZeRO-2 再切优化器状态": a sentence comparing sides of a pair holds
            # the words of each side's point; the clause naming this point's side says what the
            # answer binds to it: its first clause ("β 越小反而越保守"), or all it says before naming
            # another side ("Boosting 最后是等权投票，主要降低方差").
            contrasts = prepared.points[index].contrasts
            for clause in side_clauses(item.units[best].text, point_text, contrasts):
                clause_row = self._clause_row(item, prepared, index, clause, rows[index])
                clause_verdict, clause_probabilities = decide(self.verdict_model, clause_row[None, :])[0]
                # A doubtful reading resting on likeness to a wrong claim that the clause departs from does
                # not overturn the sentence: "β调大就更保守、更贴近参考模型" shares the words of the wrong
                # claim "β 调小会让模型更贴近参考模型" and takes the point's side.
                against = _reads(clause_row, CONTRARY_SIGNALS)
                doubtful = float(clause_probabilities[CLASSES.index("contradicted")]) < CLAUSE_DOUBT
                departs = clause_row[FEATURES.index("wrong_negated")] > 0
                if clause_verdict == "contradicted" and (against or not doubtful or not departs):
                    verdict, probabilities, rows[index] = clause_verdict, clause_probabilities, clause_row
                    side_quote = clause
                    break
        if verdict == "absent":
            found = self._absent_windows(item, prepared, index)
            if found is not None:
                verdict, probabilities, best, side_quote = self._read_windows(
                    item, prepared, index, found, verdict, probabilities, best, rows)
        # Only a sentence read as contradicted in the first place: not one its side's clause turned above.
        elif (verdict == "contradicted" and side_quote is None
              and float(probabilities[CLASSES.index("contradicted")]) < CLAUSE_DOUBT
              and (windows := self._doubt_windows(prepared, index, item.units[best].text, rows[index]))):
            verdict, probabilities, best, side_quote = self._read_windows(
                item, prepared, index, (best, windows), verdict, probabilities, best, rows)
        if (verdict == "contradicted" and rows[index][FEATURES.index("similarity")] < NEGATION_ABOUT
                and _clean(rows[index], but_negations=True) and not rows[index][FEATURES.index("misconception")]):
            # "可以用 GRPO 去掉价值模型" says nothing of "4 个模型为策略、价值两训练…": a negated word of the point in
            # a sentence not about it denies nothing of it.
            verdict = "absent"
        if (verdict == "contradicted" and _clean(rows[index]) and not rows[index][FEATURES.index("misconception")]
                and not self._read_against(item, prepared, index, item.units[best].text, rows[index])):
            # A contradiction is reported to the candidate as a misconception, so it must rest on something
            # the answer says: a negation, a swap, another number or side, or leaning to a known wrong claim.
            # A long sentence that says the point ("上下文长度翻倍了，从 Llama 1 的 2048 变成了 4096，…")
            # is less like it than its short wrong claims are, and the model alone read it so. A firm reading
            # against the point ("不用维护最大值", "激活按 1×32") rests on what the answer says, though no
            # feature holds it.
            verdict, probabilities = _without_contradiction(probabilities)
        return verdict, probabilities, best, side_quote

    def _read_against(self, item: GradingItem, prepared: _PreparedRubric, index: int, unit_text: str,
                      row: np.ndarray, *, outright: bool = True) -> bool:
        """A unit the fitted model may read as stating a point that firmly says otherwise. `outright`: also
        by the share of shared words it negates, which a sentence holding the point's own negation in other
        words ("## 标的不是词首" for "非首子词") may reach; the other readings name what is denied."""
        point = prepared.points[index]
        terms = self.tokenizer.terms(unit_text)
        # "它不依赖 batch 大小": a unit negating the point itself denies it, however close its words; so does
        # one without a negation saying plainly what the point denies ("参数少训练自然就快").
        if ((outright and denies_outright(point, unit_text, terms, row))
                or (_reads(row, ("negation_mismatch", "negation_clause"))
                    and signals.denies_the_act(point.text, unit_text))
                # A story point's words are the candidate's choices ("选了 Chat 版而不是 Base 版"), not claims.
                or (not point.structural and signals.denies_a_point_word(point.text, unit_text, point.contrasts))):
            return True
        # "ZeRO-1 每卡 14GB，…，ZeRO-3 反而要 38.5GB", "噪声…是期望泛化误差的上界": the point's words traded
        # between their holders or bound firmly to the other side of a pair. On the labelled items a unit with
        # a swap was contradicted 232 times in 262, yet the fitted model lets a close paraphrase's similarity
        # outweigh it.
        if row[FEATURES.index("swap")] >= 1.0 and read_swap(point, unit_text, terms).firm:
            return True
        # "分布会变得更尖锐" for "分布过于平坦": another side of a pair where the point names its only one,
        # held by the point's words. Not where the unit gives the point's own figures ("BF16 存…14 个 G"
        # for "FP16 下 7B 约 14GB"): the side is then a variant, not what the point turns on.
        if (not point.structural and row[FEATURES.index("substituted")]
                and row[FEATURES.index("lexical")] >= SUBSTITUTED_LEXICAL
                and row[FEATURES.index("number_support")] < 1.0
                and signals.substituted_in_place(point.text, unit_text, point.contrasts)):
            return True
        # "Llama-2-7B 每 token 是 256 KiB" for 512 KiB: another value in the point's own unit, the point's
        # value said nowhere in the answer. The fitted model weighs a number conflict lightly, since a
        # unit often gives one part of a breakdown; `gives_another_value` rules those parts out.
        return (signals.gives_another_value(point.text, unit_text, item.answer, point.others_values)
                or self._gives_another_plain_value(item, prepared, index, unit_text))

    @staticmethod
    def _gives_another_plain_value(item: GradingItem, prepared: _PreparedRubric, index: int, text: str) -> bool:
        """"激活按 1×32" for "激活 1×128 块": the point's plain value changed, which no feature of the fitted
        model reads (a plain number is too often a part or an example to weigh by itself), so every reading
        that would undo a contradiction asks for it."""
        point = prepared.points[index]
        return signals.gives_another_plain_value(point.text, text, item.answer, point.others_values)

    @staticmethod
    def _doubt_windows(prepared: _PreparedRubric, index: int, unit_text: str, row: np.ndarray) -> list[str]:
        """What to read of a sentence doubtfully read as contradicting a point. A sentence comparing the sides
        of a pair the point names one of: what it says of that side ("DPO 不需要单独训奖励模型，PPO 那边流程
        更复杂" says nothing against "PPO 需先训练奖励模型"). A run-on sentence read so for a negation: the
        clauses saying most of the point, since a negation in another of its clauses ("一般不会固定长度硬切，
        …，相邻块之间留一点 overlap") is no denial of what these say. Not a run-on sentence read so for
        its likeness to a wrong claim: that is the whole sentence's, not one place's."""
        point = prepared.points[index]
        if _reads(row, ("swap", "substituted")):
            return []  # a swap ties the point's words to the other side: the sentence as a whole says it
        sides = side_clauses(unit_text, point.text, point.contrasts)
        if sides or not _reads(row, ("negation_mismatch", "negation_clause")):
            return sides
        windows = clause_windows(unit_text, point.text)
        # The negation must lie outside the clauses saying most of the point, in one that says little of it:
        # "不能用同一套结构，…，区别不只是掩码" denies the point in clauses the windows leave out.
        if any(signals.negation_count(window) for window in windows):
            return []
        wanted = answer_text.bigrams(point.text)
        for start, end in signals.clause_spans(unit_text):
            clause = unit_text[start:end]
            if signals.negation_count(clause) and len(answer_text.bigrams(clause) & wanted) >= NEGATED_CLAUSE_SHARED:
                return []
        return windows

    def _read_windows(self, item: GradingItem, prepared: _PreparedRubric, index: int, found: tuple[int, list[str]],
                      verdict: Verdict, probabilities: np.ndarray, best: int, rows: np.ndarray
                      ) -> tuple[Verdict, np.ndarray, int, str | None]:
        """A point's verdict read again on the few clauses of a long sentence that say most of it (`found`:
        the sentence's unit and those windows). Stated when they state it by themselves, with nothing in
        them or the rest of the sentence against it; else absent where none of them reads against it at
        all; else as it was."""
        unit_index, windows = found
        unit_text = item.units[unit_index].text
        readings: list[tuple[np.ndarray, np.ndarray]] = []  # (row, probabilities) per window
        for window in windows:
            window_row = self._clause_row(item, prepared, index, window, rows[index])
            window_verdict, window_probabilities = decide(self.verdict_model, window_row[None, :])[0]
            if (window_verdict == "stated" and _clean(window_row)
                    and float(window_probabilities[CLASSES.index("stated")]) >= WINDOW_SURE
                    and not self._rest_denies(item, prepared, index, unit_text, window, rows[index])):
                rows[index] = window_row
                return window_verdict, window_probabilities, unit_index, window
            readings.append((window_row, window_probabilities))
        # A sentence read as contradicting the point says nothing of it when none of these clauses reads
        # against it in any way: not by a negation, a swap or a number, nor by leaning to a wrong claim.
        if verdict == "absent" or not all(_clean(window_row) for window_row, _ in readings):
            return verdict, probabilities, best, None
        rows[index], window_probabilities = readings[0]
        return "absent", window_probabilities, unit_index, None

    def _score(self, item: GradingItem, vectors: np.ndarray | None) -> GradeResult:
        rubric = item.rubric
        if vectors is None:
            points = [KeyPointGrade(index=i, text=p.text, weight=p.weight, status="absent")
                      for i, p in enumerate(rubric.key_points)] if rubric else []
            return self._result(item, points, [], 0, "rule")
        if rubric is None:
            return self._relevance_only(item, vectors)
        prepared = self._prepare(rubric)
        rows, best_units, quotes, singles, candidates = self._rows(item, rubric, vectors)
        keyword_list = item.keyword_list
        grades: list[KeyPointGrade] = []
        contradicted: list[MisconceptionHit] = []
        decided = decide(self.verdict_model, rows)
        structural = family(rubric.kind) == "structural"
        question_pieces = pieces(item.question_text)
        if not structural:
            self._embed_clauses_ahead(item, prepared, decided, best_units, rows)
        for index, ((verdict, probabilities), best, quote) in enumerate(
                zip(decided, best_units, quotes, strict=True)):
            point = rubric.key_points[index]
            verdict, probabilities, best, side_quote = self._reread(
                item, prepared, structural, index, verdict, probabilities, best,
                singles[index], rows)
            if (verdict == "contradicted" and not structural
                    and self._nearer_its_wordings(prepared, index, vectors[best], rows[index], item.units[best].text,
                                                  point.wordings)
                    and not self._gives_another_plain_value(item, prepared, index, item.units[best].text)):
                verdict, probabilities = _without_contradiction(probabilities)
            if verdict == "absent" and not structural and (
                    found := self._said_otherwise(item, prepared, index, vectors, candidates, question_pieces)):
                verdict, best, side_quote = "stated", found[0], None
                probabilities = np.array([found[1], 0.0, 1.0 - found[1]])
            verdict = self._phrase_point(point.text, prepared, index, item.units[best], verdict)
            # A term named without explanation is not a stated point; a short line of code that does the
            # thing (`return self.W_o(out)`) is.
            short = too_short(item.units[best].text, point.text) and not answer_text.is_code(item.units[best].text)
            if verdict == "stated" and (
                    keyword_list or short
                    or (tells_little(item.units[best].text, question_pieces, rows[index]) if structural
                        else says_little(item.units[best].text, point.text, question_pieces))):
                verdict = "absent"
            unit_text = item.units[best].text
            read = verdict
            if verdict != "absent" and not structural:
                verdict, side_quote = self._said_of_sibling(prepared, index, unit_text, verdict, side_quote,
                                                            question_pieces)
            if verdict == "contradicted" and side_quote is None and not structural:
                # Quote what a comparison says about this point's side, not the whole comparison.
                side_quote = side_clause(unit_text, point.text, prepared.points[index].contrasts, whole_side=True)
            evidence = (side_quote if side_quote is not None
                        else quote.text if quote is not None and verdict == "stated" and rows[index][0] < 0.5
                        else evidence_clause(unit_text, point.text))
            # Turned by whom the answer says it of, the verdict is as sure as the reading it turned.
            confidence = float(probabilities[CLASSES.index(read)])
            grades.append(KeyPointGrade(index=index, text=point.text, weight=point.weight, status=verdict,
                                        evidence=evidence if verdict != "absent" else None,
                                        similarity=round(float(rows[index][0]), 3), confidence=round(confidence, 3)))
            if verdict == "contradicted":
                contradicted.append(MisconceptionHit(claim=evidence, correction=point.text, evidence=evidence,
                                                     similarity=round(confidence, 3), point_index=index))
        known = [MisconceptionHit(claim=rubric.misconceptions[c.index].claim,
                                  correction=rubric.misconceptions[c.index].correction,
                                  evidence=c.evidence, similarity=round(c.calibrated, 3),
                                  point_index=prepared.related_points[c.index])
                 for c in candidates if c.is_hit(self.calibration)
                 # An answer that states the point a wrong claim is about, in the judgement of the
                 # verdict model, says its correction: resemblance alone does not make it say both.
                 and grades[prepared.related_points[c.index]].status != "stated"]
        # A known wrong claim about a point already judged contradicted is reported once, in its
        # authored words (and costs nothing more: the point already earns nothing).
        covered_points = {hit.point_index for hit in known}
        hits = known + [hit for hit in contradicted if hit.point_index not in covered_points]
        if hits:
            item.flags.append("misconception")
        penalised = [hit for hit in known
                     if grades[hit.point_index if hit.point_index is not None else 0].status != "contradicted"]
        score = (weighted_score(grades) - MISCONCEPTION_PENALTY * len(penalised)
                 - CONTRADICTION_PENALTY * sum(grade.status == "contradicted" for grade in grades))
        # Names the subject, then declines: a weakly stated point in such an answer is not trusted, and
        # a few words beside the refusal are no answer at all.
        if answer_text.declines(item.answer) and (declined_content_size(item.content) < DECLINE_CONTENT_SIZE or not any(
                grade.status == "stated" and grade.confidence >= DECLINE_TRUST for grade in grades)):
            item.flags.append("non_answer")
            score = 0
        if item.reference:
            score = (1 - HOLISTIC_WEIGHT) * score + HOLISTIC_WEIGHT * 100 * self._holistic(item, vectors)
        # Project, behavioural and opening answers are about the candidate's own work, so naming
        # techniques the bank covers is expected there, not a sign of answering another question:
        # they are off topic only when they touch no key point and are unrelated to the question.
        # An answer that states a key point, or makes one of this question's known mistakes, is about
        # this question's subject whatever else it resembles.
        if hits or any(grade.status == "stated" for grade in grades):
            off_topic = False
        elif family(rubric.kind) == "technical":
            off_topic = self._off_topic(item, vectors, prepared, score)
        else:
            off_topic = self._unrelated(item, vectors, grades)
        if off_topic:
            item.flags.append("off_topic")
            score = min(score, OFF_TOPIC_CAP)
        return self._result(item, grades, hits, score, "embedding")

    def _nearer_its_wordings(self, prepared: _PreparedRubric, index: int, vector: np.ndarray, row: np.ndarray,
                             unit_text: str, wording_texts: Sequence[str]) -> bool:
        """A sentence read as contradicting a point only for leaning to one of its wrong claims (no negation,
        swap, number or known misconception in it), that is nearer one of the point's own wordings than any
        of those claims: the lean came from the point's terse text ("策略、价值两训练"), not from the answer.
        A negation the nearest wording says too ("不押宝在一种注意力分布上") is the point's, in other words."""
        wordings, claims = prepared.wording_rows[index], prepared.wrong_rows[index]
        if not len(wordings) or not len(claims) or row[FEATURES.index("misconception")]:
            return False
        to_wordings = wordings @ vector
        if _reads(row, (*CONTRARY_SIGNALS, "negation_clause")) and (
                _reads(row, CONTRARY_BUT_NEGATION)
                or not self._negates_as_worded(wording_texts[int(np.argmax(to_wordings))], unit_text)):
            return False
        return float(to_wordings.max() - (claims @ vector).max()) >= WORDING_OVER_CLAIM

    def _negates_as_worded(self, wording: str, unit_text: str) -> bool:
        """The unit's negations are those of a wording of the point: its own negation said again."""
        shared = signals.anchors(wording, unit_text, self.tokenizer.terms(wording), self.tokenizer.terms(unit_text),
                                 ENGLISH_STOP)
        return signals.negations_of_the_same_words(unit_text, wording, shared)

    def _said_otherwise(self, item: GradingItem, prepared: _PreparedRubric, index: int, vectors: np.ndarray,
                        candidates: list[Candidate], question_pieces: frozenset[str]) -> tuple[int, float] | None:
        """The unit stating a point in other words than its text (`KeyPoint.wordings`: "逐行批改的老师" for
        a reward per reasoning step, or English), and how close it comes: the unit nearest to a wording,
        if near enough and nothing in it reads against the point or that wording. None otherwise."""
        rows = prepared.wording_rows[index]
        if not len(rows):
            return None
        calibrated = np.maximum(0.0, (vectors @ rows.T - prepared.wording_baselines[index])
                                / np.maximum(1e-6, 1.0 - prepared.wording_baselines[index]))
        unit, wording = np.unravel_index(int(np.argmax(calibrated)), calibrated.shape)
        closeness = float(min(1.0, calibrated[unit, wording]))
        if closeness < WORDING_STATED:
            return None
        # A sentence making one of the rubric's known wrong claims about this point states nothing of it.
        if any(c.support() for c in candidates if prepared.related_points[c.index] == index and c.unit == unit):
            return None
        text = item.units[unit].text
        terms = self.tokenizer.terms(text)
        point = prepared.points[index]
        wrong = self._wrong(prepared, index, vectors[unit], float(vectors[unit] @ prepared.vectors.points[index][0]),
                            text, terms, question_pieces)
        against_point = features(point, text, terms, 0.0, 0.0, 0.0, 0.0, wrong)
        assert item.rubric is not None
        said = item.rubric.key_points[index].wordings[int(wording)]
        against_wording = features(replace(point, text=said, terms=frozenset(self.tokenizer.terms(said))), text,
                                   terms, 0.0, 0.0, 0.0, 0.0)
        if not (_clean(np.array(against_point)) and _clean(np.array(against_wording))):
            return None
        return int(unit), closeness

    @staticmethod
    def _said_of_sibling(prepared: _PreparedRubric, index: int, unit_text: str, verdict: Verdict,
                         quote: str | None, question: frozenset[str]) -> tuple[Verdict, str | None]:
        """A point whose content the answer says of a sibling thing, not of the point's subject: "Toolkit
        指的是单个可调用函数，带名称、描述和参数 schema" against "Tool 是带名称、描述和参数 schema 的可调用
        函数". Said so, and more like this point than like the sibling's own point, it is the content
        misattributed (contradicted); said with a negation ("GRPO 不需要 critic" against a PPO point), or
        as much the sibling's own, it says nothing of this point (absent). So too what the answer says of
        the thing the point compares with ("跟 one-hot 比，one-hot 又高又稀疏"). `question`: the question's
        own pieces, which say whom it is about in every answer."""
        compared = compared_with(prepared.points[index].text)
        if (verdict == "contradicted" and compared is not None
                and said_of_compared(unit_text, prepared.point_content[index] - question, compared)):
            return "absent", None
        own = prepared.points[index].subject
        own = own.lower() if own is not None else None
        siblings = prepared.siblings.get(own, frozenset()) if own is not None else frozenset()
        # A point comparing siblings itself ("MQA 效果略有损失，GQA 在质量和速度之间取得平衡") is said of both.
        point = prepared.points[index].text.lower()
        if own is None or not siblings or siblings_named(point, own, siblings):
            return verdict, quote
        if verdict == "contradicted":
            # A contrast said of the sibling ("GRPO 不需要 critic") denies nothing of this point, even in the
            # words the two points share.
            found = attribution(unit_text, prepared.point_content[index] - question, own, siblings)
            return ("absent", None) if found is not None and found.negated else (verdict, quote)
        # What the point says and its siblings' do not: "均值方差" said of BN is no sign of the LN point.
        found = attribution(unit_text, prepared.sibling_content[index] - question, own, siblings)
        if found is None:
            return verdict, quote
        clause = pieces(found.clause)
        theirs = [len((prepared.sibling_content[other] - question) & clause)
                  for other, context in enumerate(prepared.points)
                  if other != index and context.subject is not None and context.subject.lower() in found.names]
        # Said of a sibling by an earlier clause's naming only, it is not said of this point; whether it is
        # misattributed is the named clause's to say.
        if found.negated or found.inherited or (theirs and max(theirs) >= found.shared):
            return "absent", None
        return "contradicted", found.quote

    def _phrase_point(self, text: str, prepared: _PreparedRubric, index: int, unit: answer_text.Unit,
                      verdict: Verdict) -> Verdict:
        """A one-word or one-phrase point (a derived rubric's "push") is a term: stated when the answer
        says it without negating it, whatever the similarity of a sentence to one word."""
        if len(text) >= MIN_AUTHORED_POINT_CHARS:
            return verdict
        lowered = unit.text.lower()
        if text.lower() not in lowered:
            return "absent"
        negated = signals.polarity(text, unit.text, [text.lower()]).mismatched > 0
        return "contradicted" if negated else "stated"

    def _holistic(self, item: GradingItem, vectors: np.ndarray) -> float:
        """The answer's overall similarity to the reference, against the reference's own baseline."""
        assert item.reference is not None
        reference = self.embedder.embed_queries([item.reference])[0]
        singles = vectors[[i for i, unit in enumerate(item.units) if len(unit.sentences) == 1]]
        centroid = singles.mean(axis=0)
        centroid /= max(1e-6, float(np.linalg.norm(centroid)))
        raw = max(float(centroid @ reference), float((singles @ reference).max()))
        return rescale(raw, self._text_baseline(item.reference, reference))

    @staticmethod
    def _code_evidence(identifiers: list[str], code_units: list[str | None]) -> np.ndarray:
        """Per unit: 1 where a line of code uses an identifier the point names (softmax, masked_fill)."""
        return np.array([1.0 if code and any(name in code for name in identifiers) else 0.0 for code in code_units])

    @staticmethod
    def _lexical(prepared: _PreparedRubric, index: int, lowered: str, terms: set[str]) -> float:
        """Share of the point's terms a unit (lower-cased) uses; 1 when it names one of the point's aliases."""
        if any(alias in lowered for alias in prepared.lowered_aliases[index]):
            return 1.0
        wanted = prepared.point_terms[index]
        return len(wanted & terms) / len(wanted) if wanted else 0.0

    # --- misconceptions -----------------------------------------------------------------------------

    def _misconception_candidates(self, rubric: Rubric, prepared: _PreparedRubric, vectors: np.ndarray,
                                  point_similarity: list[np.ndarray], item: GradingItem) -> list[Candidate]:
        """Per misconception, the answer unit nearest to the wrong claim (any of its phrasings) and
        the evidence about it: a paraphrase is caught, a negation of the claim is not."""
        if not rubric.misconceptions:
            return []
        correction_similarity = vectors @ prepared.corrections.T
        question_terms = self._question_terms(item.question_text)
        candidates = []
        for index in range(len(rubric.misconceptions)):
            per_phrasing = vectors @ prepared.claim_rows[index].T  # units x phrasings
            flat = np.unravel_index(int(np.argmax(per_phrasing)), per_phrasing.shape)
            best, phrasing = int(flat[0]), int(flat[1])
            raw = float(per_phrasing[best, phrasing])
            # What is right about the same thing: the correction, and the key point the claim contradicts.
            right = max(float(correction_similarity[best, index]),
                        float(point_similarity[prepared.related_points[index]][best].max()))
            unit = item.units[best].text
            words = self.tokenizer.terms(unit) | answer_text.markers(unit)
            # The question's own subject ("PagedAttention") is no evidence of the wrong claim.
            distinctive = bool(prepared.distinctive_terms[index] & words - question_terms)
            contrary = bool(prepared.contrary_terms[index] & words)
            claim = prepared.claim_texts[index][phrasing]
            clause = answer_text.claim_clause(unit, claim)
            # The phrasing nearest in meaning may share few words with the unit ("训一个 reward model"
            # against "不用单独训奖励模型"): the claim as authored is read against the unit as well.
            negated = any(self._denies(wording, answer_text.claim_clause(unit, wording))
                          for wording in dict.fromkeys((claim, prepared.claim_texts[index][0])))
            # A claim about PPO made in a DPO answer ("PPO 要先训奖励模型") is not the wrong claim about DPO.
            elsewhere = signals.other_subject(claim, clause, unit)
            candidates.append(Candidate(
                index=index, unit=best, evidence=evidence_clause(unit, claim), distinctive=distinctive,
                calibrated=rescale(raw, float(prepared.misconception_baselines[index])),
                margin=raw - right,
                # "RoPE 不是把位置向量加到词向量上", "B 为零、A 随机初始化": the correction, not the claim.
                contradicted=negated or (contrary and not distinctive) or elsewhere))
        return candidates

    def _denies(self, claim: str, clause: str) -> bool:
        """The clause says `claim` the other way round (negated where the claim is not, or the reverse)."""
        # Words either text's segmentation finds in the other: "独立的奖励模型" and "训奖励模型" share 奖励模型.
        clause_terms = self.tokenizer.terms(clause)
        shared = signals.anchors(claim, clause, self.tokenizer.terms(claim), clause_terms, ENGLISH_STOP)
        polarity = signals.polarity(claim, clause, shared, candidate_terms=clause_terms)
        return polarity.mismatched > 0 if polarity.anchors else polarity.parity_flip

    def _question_terms(self, question: str) -> set[str]:
        with self._lock:
            cached = self._question_term_cache.get(question)
        if cached is None:
            cached = self.tokenizer.terms(question)
            with self._lock:
                self._question_term_cache[question] = cached
        return cached

    def misconception_signals(self, item: GradingItem) -> list[Candidate]:
        """The misconception candidates of an answer, before thresholds: what the calibration fits."""
        self._apply_rules(item)
        if not item.units or item.rubric is None:
            return []
        vectors = self._unit_vectors(item.units)
        prepared = self._prepare(item.rubric)
        similarity = [vectors @ rows.T for rows in prepared.vectors.points]
        return self._misconception_candidates(item.rubric, prepared, vectors, similarity, item)

    # --- off topic ----------------------------------------------------------------------------------

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
        """A project, behavioural or opening answer that states no key point and is unrelated to the
        question ("今天天气不错，我比较喜欢周末去爬山")."""
        if any(grade.status != "absent" for grade in grades):
            return False
        return self.question_relevance(item, vectors) < self.calibration.unrelated

    def question_relevance(self, item: GradingItem, vectors: np.ndarray) -> float:
        """How close the answer's best unit is to the question, rescaled against the question's baseline."""
        question_vector = self.embedder.embed_queries([item.question_text])[0]
        raw = float((vectors @ question_vector).max())
        return rescale(raw, self._text_baseline(item.question_text, question_vector))

    def _relevance_only(self, item: GradingItem, vectors: np.ndarray) -> GradeResult:
        score = round(RELEVANCE_ONLY_CAP * self.question_relevance(item, vectors))
        item.flags.append("relevance_only")
        return self._result(item, [], [], score, "embedding")

    def _result(self, item: GradingItem, points: list[KeyPointGrade], hits: list[MisconceptionHit],
                score: int | float, grader: str) -> GradeResult:
        if "non_answer" in item.flags:
            score = 0
        if "injection" in item.flags:
            score = min(score, INJECTION_CAP)
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
        terms = self.tokenizer.terms
        main_rows = np.vstack([rows[0] for rows in vectors.points])
        point_terms = [terms(point.text) for point in rubric.key_points]
        right_texts = [point.text for point in rubric.key_points] + [a for p in rubric.key_points for a in p.aliases]
        right_terms = set().union(*point_terms, *(terms(" ".join(p.aliases)) for p in rubric.key_points),
                                  *(answer_text.markers(text) for text in right_texts))
        claims = [m.claim for m in rubric.misconceptions]
        claim_terms = [terms(claim) | answer_text.markers(claim) for claim in claims]
        # The key point each wrong claim is about: the one whose text or aliases lie nearest to it.
        related = [int(np.argmax([float((rows @ claim).max()) for rows in vectors.points]))
                   for claim in vectors.misconceptions]
        contrary = [(terms(m.correction) | terms(rubric.key_points[point].text)) - words
                    for m, point, words in zip(rubric.misconceptions, related, claim_terms, strict=True)]
        # Stored at index time; embedded here only for rubrics the index does not hold.
        corrections = (vectors.corrections if vectors.corrections is not None
                       else self.embedder.embed_queries([m.correction for m in rubric.misconceptions])
                       if claims else np.zeros((0, main_rows.shape[1]), dtype=np.float32))
        phrasings = (vectors.phrasings if vectors.phrasings is not None
                     else [self.embedder.embed_queries(m.phrasings) for m in rubric.misconceptions])
        claim_rows = [np.vstack([vectors.misconceptions[i], phrasings[i]]) if m.phrasings
                      else vectors.misconceptions[i][None, :]
                      for i, m in enumerate(rubric.misconceptions)]
        structural = family(rubric.kind) == "structural"
        # Project / behavioural / opening points are met by the candidate's own story, which no list of
        # wrong claims covers: they are judged by similarity, their words and the content detectors.
        wrong_texts = [[] if structural else list(point.wrong_claims) for point in rubric.key_points]
        no_rows = np.zeros((0, main_rows.shape[1]), dtype=np.float32)
        wrong_rows = [no_rows if not texts else vectors.wrong_claims[i] if vectors.wrong_claims is not None
                      else self.embedder.embed_queries(texts) for i, texts in enumerate(wrong_texts)]
        wording_rows = [no_rows if not point.wordings else vectors.wordings[i] if vectors.wordings is not None
                        else self.embedder.embed_queries(point.wordings) for i, point in enumerate(rubric.key_points)]
        # The values each point gives, read once: each point's `others_values` are the rest's.
        values = [signals.numbers(point.text) for point in rubric.key_points]
        families = () if structural else name_families([point.text for point in rubric.key_points],
                                                        set().union(*point_terms))
        contexts = [PointContext(text=point.text, terms=frozenset(point_terms[i]),
                                 contrasts=tuple(tuple(t.lower() for t in group) for group in point.contrasts),
                                 structural=structural,
                                 needs=tuple(structural_needs(point.text, point.evidence)) if structural else (),
                                 subject=signals.subject_of(point.text, point_terms[i]), families=families,
                                 others_values=frozenset().union(*(found for j, found in enumerate(values) if j != i)))
                    for i, point in enumerate(rubric.key_points)]
        siblings = {} if structural else sibling_names([context.subject for context in contexts],
                                                          [context.text for context in contexts])
        prepared = _PreparedRubric(
            vectors=vectors,
            point_baselines=self._baseline(main_rows, rubric.question_id),
            misconception_baselines=self._baseline(vectors.misconceptions, rubric.question_id)
            if len(vectors.misconceptions) else np.zeros(0),
            point_terms=point_terms,
            aliases=[point.aliases for point in rubric.key_points],
            lowered_aliases=[[alias.lower() for alias in point.aliases if len(alias) >= 2]
                             for point in rubric.key_points],
            code_terms=[answer_text.code_identifiers(point.aliases) for point in rubric.key_points],
            points=contexts,
            claim_rows=claim_rows,
            claim_texts=[[m.claim, *m.phrasings] for m in rubric.misconceptions],
            distinctive_terms=[words - right_terms for words in claim_terms],
            contrary_terms=contrary, related_points=related, corrections=corrections,
            wrong_texts=wrong_texts, wrong_rows=wrong_rows,
            wrong_pieces=[[pieces(claim) for claim in texts] for texts in wrong_texts],
            # A point's aliases are its other words ("两推理" is said "只做推理"), so they belong to its side.
            point_pieces=[pieces(" ".join((point.text, *point.aliases))) for point in rubric.key_points],
            siblings=siblings,
            point_content=said_content([context.text for context in contexts], siblings),
            sibling_content=distinctive_content([context.text for context in contexts],
                                                [context.subject for context in contexts], siblings),
            wording_rows=wording_rows,
            wording_baselines=self._wording_baselines(wording_rows, [p.wordings for p in rubric.key_points],
                                                      rubric.question_id))
        with self._lock:
            self._prepared[key] = prepared
        return prepared

    def _text_baseline(self, text: str, vector: np.ndarray) -> float:
        """The baseline of a question or reference text (`vector` is its query vector), remembered by text."""
        with self._lock:
            known = self._text_baselines.get(text)
            if known is not None:
                self._text_baselines.move_to_end(text)
                return known
        baseline = float(self._baseline(vector[None, :], None)[0])
        with self._lock:
            self._text_baselines[text] = baseline
            if len(self._text_baselines) > TEXT_BASELINES_KEPT:
                self._text_baselines.popitem(last=False)
        return baseline

    def _stored_vectors(self, rubric: Rubric) -> RubricVectors | None:
        if self.store is None or (rubric.kind == "derived" and rubric.question_id.startswith("adhoc")):
            return None
        with self._lock:
            source = self._english_sources.get(self._key(rubric))
        if source is not None:
            return self._english_reading_vectors(source, rubric)
        vectors = self.store.rubric_vectors(rubric.question_id, rubric)
        expected = [1 + len(point.aliases) for point in rubric.key_points]
        if (vectors is None or [len(rows) for rows in vectors.points] != expected
                or len(vectors.misconceptions) != len(rubric.misconceptions)
                or (vectors.phrasings is not None  # None: an older index, `_prepare` embeds them
                    and [len(rows) for rows in vectors.phrasings]
                    != [len(m.phrasings) for m in rubric.misconceptions])
                or (vectors.wrong_claims is not None
                    and [len(rows) for rows in vectors.wrong_claims]
                    != [len(point.wrong_claims) for point in rubric.key_points])
                or (vectors.wordings is not None
                    and [len(rows) for rows in vectors.wordings]
                    != [len(point.wordings) for point in rubric.key_points])):
            return None
        return vectors

    def _english_reading_vectors(self, source: Rubric, english: Rubric) -> RubricVectors | None:
        """The vectors of `source.in_english()` from the rows stored for `source`: each point's English
        wording (stored among its wordings) and its English aliases; the same misconceptions. None where
        the index does not hold them."""
        vectors = self._stored_vectors(source)
        if vectors is None or vectors.wordings is None:
            return None
        points = []
        for index, (point, reading) in enumerate(zip(source.key_points, english.key_points, strict=True)):
            kept = [1 + order for order, alias in enumerate(point.aliases) if alias in reading.aliases]
            wording = vectors.wordings[index][point.wordings.index(reading.text)]
            points.append(np.vstack([wording[None, :], vectors.points[index][kept]]))
        none = [np.zeros((0, vectors.misconceptions.shape[1]), dtype=np.float32) for _ in english.key_points]
        return replace(vectors, points=points, wrong_claims=none, wordings=list(none))

    def _embed_rubric(self, rubric: Rubric) -> RubricVectors:
        """Every vector of a rubric the index does not hold, in one call (laid out as `_rubric_texts`)."""
        matrix = self.embedder.embed_queries(_rubric_texts(rubric))
        rows, offset = [], 0
        for point in rubric.key_points:
            rows.append(matrix[offset : offset + 1 + len(point.aliases)])
            offset += 1 + len(point.aliases)
        count = len(rubric.misconceptions)
        claims, corrections = matrix[offset : offset + count], matrix[offset + count : offset + 2 * count]
        offset += 2 * count
        phrasings = []
        for misconception in rubric.misconceptions:
            phrasings.append(matrix[offset : offset + len(misconception.phrasings)])
            offset += len(misconception.phrasings)
        wrong = []
        for point in rubric.key_points:
            wrong.append(matrix[offset : offset + len(point.wrong_claims)])
            offset += len(point.wrong_claims)
        wordings = []
        for point in rubric.key_points:
            wordings.append(matrix[offset : offset + len(point.wordings)])
            offset += len(point.wordings)
        return RubricVectors(points=rows, misconceptions=claims, corrections=corrections, phrasings=phrasings,
                             wrong_claims=wrong, wordings=wordings)

    def _wording_baselines(self, rows: list[np.ndarray], wordings: list[list[str]],
                           question_id: str) -> list[np.ndarray]:
        """Per point, per wording: its similarity typical of unrelated wordings in its language; where the
        index holds too few of them, that of the key points (as a point's own baseline)."""
        if not any(len(part) for part in rows):
            return [np.zeros(0) for _ in rows]
        stacked = np.vstack(rows)
        english = [not CHINESE_CHAR.search(wording) for texts in wordings for wording in texts]
        found = (self.store.wording_baselines(stacked, english, question_id, self.calibration.baseline_quantile)
                 if self.store else None)
        if found is None:
            log.info("too few wordings indexed to measure their baseline; using the key points'")
            found = self._baseline(stacked, question_id)
        bounds = np.cumsum([0, *(len(part) for part in rows)])
        return [found[start:end] for start, end in itertools.pairwise(bounds)]

    def _baseline(self, rows: np.ndarray, question_id: str | None) -> np.ndarray:
        """Per row: the similarity it typically has with key points of other questions."""
        matrix, owners = self.store.point_matrix() if self.store else (np.zeros((0, 1)), np.array([], dtype=str))
        if not len(matrix):
            return np.full(len(rows), UNINDEXED_BASELINE)
        similarities = self.store.point_similarities(rows)[:, owners != question_id]  # type: ignore[union-attr]
        return np.quantile(similarities, self.calibration.baseline_quantile, axis=1)


def _rubric_texts(rubric: Rubric) -> list[str]:
    """A rubric's texts to embed: each point then its aliases, the claims, the corrections, the phrasings,
    the points' wrong claims, the points' other wordings."""
    return ([text for point in rubric.key_points for text in (point.text, *point.aliases)]
            + [m.claim for m in rubric.misconceptions] + [m.correction for m in rubric.misconceptions]
            + [text for m in rubric.misconceptions for text in m.phrasings]
            + [claim for point in rubric.key_points for claim in point.wrong_claims]
            + [wording for point in rubric.key_points for wording in point.wordings])


def _rescaled(raw: np.ndarray, baseline: float) -> np.ndarray:
    """`calibration.rescale` of every value at once, in the same float64 arithmetic (identical results)."""
    values = (np.asarray(raw, dtype=np.float64) - baseline) / max(1e-6, 1.0 - baseline)
    return np.minimum(1.0, np.maximum(0.0, values))


CHINESE_CHAR = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
DECLINE_CLAUSE_MARK = re.compile(r"[，,；;。！？!?…]+|\.{2,}")
LEADING_MARKS = re.compile(r"^[，,；;：:\s]+")


def _size(text: str) -> int:
    """Characters of Chinese plus words of English: how much a text says."""
    return len(CHINESE_CHAR.findall(text)) + len(LATIN_WORD.findall(text))


def declined_content_size(content: Sequence[str]) -> int:
    """How much an answer says outside its declining clauses ("具体我不清楚", "I can't explain it")."""
    clauses = [clause for sentence in content for clause in DECLINE_CLAUSE_MARK.split(sentence)]
    return sum(_size(clause) for clause in clauses if not answer_text.declines(clause))


def too_short(unit: str, point: str) -> bool:
    if len(point) < MIN_AUTHORED_POINT_CHARS:
        return False  # a one-word point is stated by the word
    return _size(unit) < max(MIN_STATEMENT_CHARS, MIN_STATEMENT_SHARE * _size(point))


def says_little(unit: str, point: str, question_pieces: frozenset[str]) -> bool:
    """A vague unit: a word of vagueness ("很多种", "一些", "比较重要", "kind of") and little said beyond the
    question, little of it the point's. A correct sentence as short says the point's own words."""
    if not signals.VAGUE_WORDS.search(unit):
        return False
    new = _beyond_the_question(unit, question_pieces)
    return len(new) <= VAGUE_NEW_PIECES and len(new & pieces(point)) <= VAGUE_POINT_PIECES


def tells_little(unit: str, question_pieces: frozenset[str], row: np.ndarray) -> bool:
    """A short story sentence with none of the content its point asks for anywhere in the answer: "训练资源还算
    充足" for "几张什么卡训练多久", "我们做了一些优化手段提升效率"."""
    return (row[FEATURES.index("detected")] == 0
            and len(_beyond_the_question(unit, question_pieces)) <= STORY_VAGUE_NEW_PIECES)


def _beyond_the_question(unit: str, question_pieces: frozenset[str]) -> set[str]:
    """The unit's content pieces (no particle bigrams) the question does not say."""
    return {piece for piece in pieces(unit) - question_pieces if not signals.is_particle_piece(piece)}


def point_clause(unit: str, target: str) -> str | None:
    """The clause of a multi-clause unit that shares most with `target` (with the clause before it when
    that one names no other subject of its own); None for a unit of one clause."""
    spans = signals.clause_spans(unit)
    if len(spans) < 2:
        return None
    wanted = answer_text.bigrams(target)
    scores = [len(answer_text.bigrams(unit[start:end]) & wanted) for start, end in spans]
    best = max(range(len(spans)), key=lambda i: (scores[i], -i))
    clause = LEADING_MARKS.sub("", unit[spans[best][0]:spans[best][1]]).strip()
    return clause if clause and clause != unit.strip() else None


def _speaks_to_another_point(prepared: _PreparedRubric, index: int, text: str) -> bool:
    """`text` shares more with another key point than with point `index`: the rest of a unit that
    states two points, not more of what it says about this one ("去污染是训练完才做的：…再把重叠的删掉"
    is one wrong statement, not two right ones)."""
    found = pieces(text)
    own = len(found & prepared.point_pieces[index])
    return any(len(found & other) > own for other_index, other in enumerate(prepared.point_pieces)
               if other_index != index)


def side_clause(unit: str, point: str, contrasts: tuple[tuple[str, ...], ...] = (), *,
                whole_side: bool = False) -> str | None:
    """Where a unit compares sides of a pair the point names one of ("ZeRO-1 …，ZeRO-2 …"): its first
    clause naming the point's side and no other side of that pair; with `whole_side`, also the clauses
    after it that name no side, which go on about the same one ("Boosting 最后是等权投票，主要降低方差").
    None when the unit compares nothing the point names, or that is the whole unit."""
    point_found, unit_found = signals.pair_mentions(point, unit, contrasts)
    for group in sorted({m.group for m in point_found}):
        sides = {m.side for m in point_found if m.group == group}
        if len(sides) != 1 or len({m.side for m in unit_found if m.group == group}) < 2:
            continue
        spans = signals.clause_spans(unit)
        named = [{m.side for m in unit_found if m.group == group and start <= m.start < end} for start, end in spans]
        for first, names in enumerate(named):
            if names == sides:
                last = first
                while whole_side and last + 1 < len(spans) and not named[last + 1]:
                    last += 1
                clause = LEADING_MARKS.sub("", unit[spans[first][0]:spans[last][1]]).strip()
                return clause if clause and clause != unit.strip() else None
    return None


def side_clauses(unit: str, point: str, contrasts: tuple[tuple[str, ...], ...]) -> list[str]:
    """What a comparison says of the point's side: its first clause ("LN 反过来"), then all it says
    before naming another side ("LN 反过来，是每个样本自己内部…算一遍"); one reading when they are the same."""
    return [clause for clause in dict.fromkeys((side_clause(unit, point, contrasts),
                                                side_clause(unit, point, contrasts, whole_side=True)))
            if clause is not None]


def _reads(row: Sequence[float] | np.ndarray, names: Iterable[str]) -> bool:
    """The feature row holds any of these signals (see verdicts.FEATURES)."""
    return any(row[FEATURES.index(name)] for name in names)


def _without_contradiction(probabilities: np.ndarray) -> tuple[Verdict, np.ndarray]:
    """Stated or absent, whichever the model found likelier, with the contradicted share spread over them."""
    kept = np.array(probabilities, dtype=np.float64, copy=True)
    kept[CLASSES.index("contradicted")] = 0.0
    kept /= max(1e-9, float(kept.sum()))
    return ("stated" if kept[CLASSES.index("stated")] >= kept[CLASSES.index("absent")] else "absent"), kept


def _clean(row: np.ndarray, *, but_negations: bool = False) -> bool:
    """Nothing in a clause's feature row reads against its point (with `but_negations`: nothing but a
    negation)."""
    signals_read = CONTRARY_BUT_NEGATION if but_negations else (*CONTRARY_SIGNALS, "negation_clause")
    return not _reads(row, signals_read) and row[FEATURES.index("wrong_support")] < WRONG_LEAN


def clause_windows(unit: str, target: str) -> list[str]:
    """In a sentence of LONG_SENTENCE_CLAUSES clauses or more: the two adjacent clauses sharing most with
    `target`, then those with the neighbour sharing more (a point may take three clauses to say). Empty
    for a shorter sentence or when they share under WINDOW_MIN_SHARED bigrams with the target."""
    spans = signals.clause_spans(unit)
    if len(spans) < LONG_SENTENCE_CLAUSES:
        return []
    wanted = answer_text.bigrams(target)
    shared = [len(answer_text.bigrams(unit[start:end]) & wanted) for start, end in spans]
    first = max(range(len(spans) - 1), key=lambda i: (shared[i] + shared[i + 1], -i))
    if shared[first] + shared[first + 1] < WINDOW_MIN_SHARED:
        return []
    windows = [(first, first + 1)]
    neighbours = [k for k in (first - 1, first + 2) if 0 <= k < len(spans)]
    if neighbours:
        beside = max(neighbours, key=lambda k: (shared[k], -k))
        windows.append((min(first, beside), max(first + 1, beside)))
    return [LEADING_MARKS.sub("", unit[spans[start][0]:spans[end][1]]).strip() for start, end in windows]


def evidence_clause(unit: str, target: str) -> str:
    """The candidate's words to quote: the unit when short, else its clauses that share most with
    `target` (whole clauses, never cut inside a word)."""
    if len(unit) <= EVIDENCE_CHARS:
        return unit
    spans = signals.clause_spans(unit)
    wanted = answer_text.bigrams(target)
    scored = [(len(answer_text.bigrams(unit[start:end]) & wanted), start, end) for start, end in spans]
    best = max(range(len(scored)), key=lambda i: (scored[i][0], -i))
    start, end = scored[best][1], scored[best][2]
    # Widen to a neighbour clause while it still fits: a clause alone may lack its subject.
    if best > 0 and end - scored[best - 1][1] <= EVIDENCE_CHARS:
        start = scored[best - 1][1]
    return LEADING_MARKS.sub("", unit[start:end]).strip()


def weighted_score(grades: list[KeyPointGrade]) -> float:
    total = sum(grade.weight for grade in grades)
    if not total:
        return 0.0
    earned = sum(grade.weight * max(0.0, VERDICT_CREDIT[grade.status][0]
                                    + VERDICT_CREDIT[grade.status][1] * grade.confidence)
                 for grade in grades if grade.status in VERDICT_CREDIT)
    return 100.0 * earned / total
