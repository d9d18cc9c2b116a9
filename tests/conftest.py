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
