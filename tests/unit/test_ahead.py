"""Work prepared between turns (interviewer/ahead.py): it takes embedding off the turn that moves to the
technical stage and changes nothing the interviewer says or grades."""

from __future__ import annotations

import itertools
import threading
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from interviewer.ahead import AHEAD_THREAD, Preparer, texts_ahead
from interviewer.nodes.ask import relevance_sentences, relevance_text
from interviewer.plan import InterviewPlan
from interviewer.service import InterviewService
from interviewer.simulate import SimulatedCandidate
from tests.conftest import service_at

CARD = {"overview": "我做的是企业知识库问答。用户是员工", "training": "LoRA 微调，rank 16；学习率 2e-4"}


def test_the_texts_ahead_are_the_ranking_sentences_while_the_technical_stage_is_ahead() -> None:
    plan = InterviewPlan(technical_questions=2, resume_text="简历：做过 RAG 项目。")
    expected = relevance_sentences(relevance_text(plan.resume_text, CARD))
    assert expected and "用户是员工" in expected
    for stage in (None, "opening", "project"):
        assert texts_ahead({"stage": stage, "project_card": CARD}, plan) == expected
    # Ranked once the stage is reached (the ranking is kept in the state); nothing to rank without it.
    for stage in ("technical", "behavioral", "closing"):
        assert texts_ahead({"stage": stage, "project_card": CARD}, plan) == []
    assert texts_ahead({"stage": "project", "project_card": CARD, "status": "finished"}, plan) == []
    assert texts_ahead({"stage": "project", "project_card": CARD}, InterviewPlan(technical_questions=0)) == []
    no_technical = InterviewPlan(stages=["opening", "project", "closing"])
    assert texts_ahead({"stage": "project", "project_card": CARD}, no_technical) == []


class _FailingEmbedder:
    name = "failing"

    def embed_queries(self, texts: Any) -> np.ndarray:
        raise RuntimeError("endpoint down")


def test_a_failed_preparation_is_logged_and_the_turn_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    preparer = Preparer(_FailingEmbedder())  # type: ignore[arg-type]
    preparer.start("s1", ["一句话。"])
    preparer.wait("s1")
    assert "preparing ahead failed" in caplog.text
    assert preparer.wait("s1") == 0.0  # waited for once only


def _interview(home: Path, store: Any, monkeypatch: pytest.MonkeyPatch, *, prepare: bool) -> dict[str, Any]:
    """A strong candidate's interview, with the texts embedded during each turn by the caller's thread."""
    counter = itertools.count(1)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter) << 96))  # the same session id
    store.embedder.query_cache.clear()  # the candidate's words are new to each run
    embedded: list[list[str]] = []
    embed = store.embedder._embed

    def recording(texts: list[str]) -> np.ndarray:
        if not threading.current_thread().name.startswith(AHEAD_THREAD):
            embedded[-1].extend(texts)
        return embed(texts)

    monkeypatch.setattr(store.embedder, "_embed", recording)
    service: InterviewService = service_at(home, store)
    if not prepare:
        service.preparer = Preparer(None)
    candidate = SimulatedCandidate("strong", service.bank, service.rubric_lookup, 7)
    view = service.start(InterviewPlan(technical_questions=1, project_questions=3))
    move: dict[str, Any] = {}
    while view.awaiting_answer and view.stage != "behavioral":  # to the answer after the move, and on
        prompt = view.pending_question
        assert prompt is not None
        before = service._values(view.session_id)
        embedded.append([])
        view = service.answer(view.session_id, candidate.reply(prompt, None))
        if view.stage == "technical" and not move:
            card_before = relevance_sentences(relevance_text(None, before.get("project_card", {})))
            move = {"embedded": embedded[-1], "card_before": card_before}
    values = service._values(view.session_id)
    turns = [turn.model_dump(mode="json", exclude={"at"}) for turn in view.turns]
    return {"turns": turns, "relevance": values.get("relevance"), "card": values.get("project_card"), **move}


def test_preparing_ahead_moves_the_card_off_the_stage_change_and_changes_nothing(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hash_store: Any) -> None:
    prepared = _interview(home, hash_store, monkeypatch, prepare=True)
    other_home = tmp_path / "other"
    other_home.mkdir()
    unprepared = _interview(other_home, hash_store, monkeypatch, prepare=False)
    assert prepared["card_before"], "the interview reached the technical stage with a project card"
    # Without preparation the move to the technical stage embeds the card's earlier clauses; with it, none.
    assert set(unprepared["embedded"]) & set(unprepared["card_before"])
    assert not set(prepared["embedded"]) & set(prepared["card_before"])
    # The same questions, follow-ups, grades, card and ranking.
    assert prepared["relevance"] and prepared["relevance"] == unprepared["relevance"]
    assert prepared["card"] == unprepared["card"]
    assert prepared["turns"] == unprepared["turns"]


def test_the_rubric_of_the_question_asked_is_prepared_before_its_answer(  # type: ignore[no-untyped-def]
        hash_store, make_service, monkeypatch: pytest.MonkeyPatch) -> None:
    from interviewer.grading.embedding_grader import EmbeddingGrader

    prepared_by: list[str] = []
    prepare = EmbeddingGrader._stored_vectors  # called once per rubric, when it is prepared

    def recording(self: EmbeddingGrader, rubric: Any) -> Any:
        prepared_by.append(threading.current_thread().name)
        return prepare(self, rubric)

    monkeypatch.setattr(EmbeddingGrader, "_stored_vectors", recording)
    service = make_service(hash_store)
    view = service.start(InterviewPlan(stages=["technical"], technical_questions=1, max_follow_ups=0))
    assert service.rubric_lookup(service.bank[view.pending_question.question_id]) is not None
    service.preparer.wait(view.session_id)
    assert prepared_by and all(name.startswith(AHEAD_THREAD) for name in prepared_by)
    prepared_by.clear()
    service.answer(view.session_id, "不太清楚。")
    assert prepared_by == []  # the answer's turn found it ready
