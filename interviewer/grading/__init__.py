"""Grading answers against rubrics: the embedding grader, the optional LLM judge and their combination."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from interviewer.grading.calibration import load_calibration
from interviewer.grading.combined import CombinedGrader
from interviewer.grading.embedding_grader import EmbeddingGrader
from interviewer.grading.judge import LLMJudge
from interviewer.grading.text import is_non_answer
from interviewer.llm import LLMClient, as_client, make_llm_client
from interviewer.settings import LLMSettings
from rubrics.embeddings import Embedder
from rubrics.store import RubricStore

__all__ = ["CombinedGrader", "EmbeddingGrader", "build_grader", "is_non_answer"]


def build_grader(embedder: Embedder, store: RubricStore | None, *, llm: LLMClient | BaseChatModel | None = None,
                 settings: LLMSettings | None = None) -> CombinedGrader:
    """The offline grader, plus the LLM judge when a client or chat model is given or configured in `settings`."""
    settings = settings or LLMSettings.from_env()
    client = as_client(llm, settings) if llm is not None else make_llm_client(settings)
    judge = LLMJudge(client) if client is not None else None
    return CombinedGrader(EmbeddingGrader(embedder, store, load_calibration()), judge)
