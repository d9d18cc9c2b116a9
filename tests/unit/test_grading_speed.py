"""Grading's speed plumbing (vectors stored at index time, batching, caches) must not change a grade."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from interviewer.grading.calibration import family, load_calibration, rescale
from interviewer.grading.embedding_grader import EmbeddingGrader, GradingItem, _rescaled, field_terms
from interviewer.grading.text import Tokenizer, _pristine_word_tags
from question_bank.loader import questions_by_id
from rubrics.bundled import BundledVectors
from rubrics.embeddings import HashEmbedder
from rubrics.loader import authored_rubrics, rubric_for
from rubrics.store import RubricStore

DPO = "q-3b124ecd4e"  # PPO 与 DPO：a misconception with two other phrasings
LORA = "q-a0249130e0"  # LoRA 的原理: two misconceptions, four phrasings
ANSWERS = [
    (DPO, "DPO 不需要单独训练奖励模型，直接用偏好对优化策略，比 PPO 稳定。"),
    (DPO, "DPO 就是 PPO 的分布式版本，两者都需要先训练奖励模型。"),
    (LORA, "LoRA 用低秩分解矩阵近似权重更新，B 初始化为零，推理时可以合并回原权重。"),
    (LORA, "LoRA 会修改全部权重，合并了推理也一样慢。"),
    (DPO, "不知道。"),
    (LORA, "低秩。"),
]


def test_the_index_holds_every_misconception_text_in_order(home: Path) -> None:
    rubric, question = authored_rubrics()[LORA], questions_by_id()[LORA]
    assert len(rubric.misconceptions) >= 2 and any(m.phrasings for m in rubric.misconceptions)
    embedder = HashEmbedder()
    store = RubricStore(home, embedder, bundled=BundledVectors())
    report = store.sync({LORA: rubric}, [question])
    vectors = store.rubric_vectors(LORA)
    assert vectors is not None and vectors.corrections is not None and vectors.phrasings is not None

    def same(rows: np.ndarray, texts: list[str]) -> bool:
        # Chroma normalises cosine-space vectors on write: equal up to float32 rounding.
        return rows.shape[0] == len(texts) and bool(np.allclose(rows, embedder.embed_queries(texts), atol=1e-6))

    for rows, point in zip(vectors.points, rubric.key_points, strict=True):
        assert same(rows, [point.text, *point.aliases])  # the point first, then its aliases as written
    assert same(vectors.misconceptions, [m.claim for m in rubric.misconceptions])
    assert same(vectors.corrections, [m.correction for m in rubric.misconceptions])
    for rows, misconception in zip(vectors.phrasings, rubric.misconceptions, strict=True):
        assert rows.shape == (len(misconception.phrasings), 384)
        if misconception.phrasings:
            assert same(rows, misconception.phrasings)
    # The count of key points leaves out aliases and every misconception text.
    assert report.rubric_points_indexed == len(rubric.key_points)


def _grades(grader: EmbeddingGrader, answers: list[tuple[str, str]]) -> list[dict]:
    bank = questions_by_id()
    items = [GradingItem(bank[qid].text, answer, rubric_for(bank[qid]), qid, topic=bank[qid].topic)
             for qid, answer in answers]
    return [result.model_dump() for result in grader.grade_many(items)]


@pytest.mark.parametrize("question_id", [DPO, LORA])
def test_stored_rubric_vectors_grade_exactly_like_embedding_the_rubric(hash_store, question_id: str) -> None:
    """Vectors taken from the index (the fast path) and the rubric embedded at grading time (what the
    grader did before, and still does for rubrics the index lacks) give identical grades."""
    assert authored_rubrics()[question_id].misconceptions
    stored = EmbeddingGrader(HashEmbedder(), hash_store, load_calibration())
    embedded = EmbeddingGrader(HashEmbedder(), hash_store, load_calibration())
    embedded._stored_vectors = lambda rubric: None  # type: ignore[method-assign]
    answers = [pair for pair in ANSWERS if pair[0] == question_id]
    assert _grades(stored, answers) == _grades(embedded, answers)
    # And the signals under the grades: misconception candidates use the corrections and phrasings.
    bank = questions_by_id()
    for _, answer in answers:
        signals = [[(c.index, c.unit, c.evidence, round(c.calibrated, 6), round(c.margin, 6), c.distinctive,
                     c.contradicted) for c in grader.misconception_signals(
                         GradingItem(bank[question_id].text, answer, rubric_for(bank[question_id]), question_id))]
                   for grader in (stored, embedded)]
        assert signals[0] == signals[1]
    prepared = stored._prepare(authored_rubrics()[question_id])
    assert prepared.vectors.corrections is not None  # really the stored path


def test_grades_do_not_depend_on_batching_or_order(hash_store) -> None:
    one_by_one = EmbeddingGrader(HashEmbedder(), hash_store, load_calibration())
    expected = [_grades(one_by_one, [pair])[0] for pair in ANSWERS]
    batch = EmbeddingGrader(HashEmbedder(), hash_store, load_calibration())
    assert _grades(batch, ANSWERS[::-1])[::-1] == expected
    assert _grades(batch, ANSWERS) == expected  # and again, with every cache warm


def test_point_similarities_are_the_plain_product(hash_store) -> None:
    """The transposed copy the baselines use gives the strided product's numbers exactly."""
    matrix, _ = hash_store.point_matrix()
    rows = matrix[::997][:6]
    assert np.array_equal(hash_store.point_similarities(rows), rows @ matrix.T)


# --- per-answer caches: what is remembered is exactly what would be computed ------------------------------

STRENGTHS = "behavioral.strengths_weaknesses"  # a structural (STAR) question: unrelated answers read its baseline


def test_remembered_terms_are_the_computed_ones() -> None:
    """The tokenizer remembers a text's terms; a copy of what a fresh tokenizer computes, which a caller may
    change without changing what the next caller gets."""
    texts = [text for rubric in list(authored_rubrics().values())[:40] for point in rubric.key_points
             for text in (point.text, *point.aliases, *point.wrong_claims)] + [answer for _, answer in ANSWERS]
    terms = field_terms(authored_rubrics().values())
    remembering, fresh = Tokenizer(terms), Tokenizer(terms)
    first = [remembering.terms(text) for text in texts]
    for found in first:
        found.add("被调用方改动")
    again = [remembering.terms(text) for text in texts]
    computed = [fresh.terms(text) for text in texts]
    assert again == computed and all("被调用方改动" not in found for found in again)
    assert [found - {"被调用方改动"} for found in first] == computed


def test_array_rescaling_is_rescale() -> None:
    rng = np.random.default_rng(7)
    raw = rng.uniform(0.5, 1.0, 500).astype(np.float32)
    for baseline in (0.0, 0.79, 0.8123456789, 0.95, 0.9999999, 1.0):
        assert np.array_equal(_rescaled(raw, baseline), np.array([rescale(float(value), baseline) for value in raw]))


def test_remembered_question_and_reference_baselines_grade_like_computed_ones(hash_store) -> None:
    """Unrelated answers to a structural question (graded against the question's baseline) and answers
    given with a reference (against the reference's): graded cold, graded again with everything
    remembered, and graded by a grader that computes every baseline, all alike."""
    bank = questions_by_id()
    question = bank[STRENGTHS]
    assert family(rubric_for(question).kind) == "structural"
    unrelated = ["今天天气不错，我比较喜欢周末去爬山。", "我昨天看了一场球赛，比分很接近。"]
    reference = "DPO 直接用偏好对优化策略，不需要单独训练奖励模型，训练比 PPO 稳定。"

    def items() -> list[GradingItem]:
        return ([GradingItem(question.text, answer, rubric_for(question), question.id, topic=question.topic)
                 for answer in unrelated]
                + [GradingItem(bank[qid].text, answer, rubric_for(bank[qid]), qid, topic=bank[qid].topic,
                               reference=reference) for qid, answer in ANSWERS[:3]])

    remembering = EmbeddingGrader(HashEmbedder(), hash_store, load_calibration())
    cold = [result.model_dump() for result in remembering.grade_many(items())]
    warm = [result.model_dump() for result in remembering.grade_many(items())]
    computing = EmbeddingGrader(HashEmbedder(), hash_store, load_calibration())
    computing._text_baseline = (  # type: ignore[method-assign]
        lambda text, vector: float(computing._baseline(vector[None, :], None)[0]))
    assert cold == warm == [result.model_dump() for result in computing.grade_many(items())]
    assert "off_topic" in cold[0]["flags"]  # the unrelated answers really took the question-baseline path


def test_part_of_speech_table_is_jiebas_own() -> None:
    """The tag table taken from jieba's module-level tagger is the one a fresh tagger reads from the file."""
    import jieba
    from jieba import posseg

    assert _pristine_word_tags() == posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab
