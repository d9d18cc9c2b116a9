"""Fixtures for the scale-out tests: a throw-away PostgreSQL cluster per test run, a fresh database
per test, and a `chroma run` server."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.integration import servers

_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    if not servers.postgres_available():
        pytest.fail(f"PostgreSQL binaries not found in {servers.PG_BIN} (apt-get install postgresql)")
    with servers.postgres_cluster() as base_url:
        yield base_url


@pytest.fixture
def database_url(postgres_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty database of its own, set as $MOCK_INTERVIEWER_DATABASE_URL (not migrated yet)."""
    url = servers.create_database(postgres_server, f"test_{next(_numbers)}")
    monkeypatch.setenv("MOCK_INTERVIEWER_DATABASE_URL", url)
    return url


@pytest.fixture
def migrated(database_url: str) -> str:
    from interviewer.storage import migrate

    migrate(database_url)
    return database_url


@pytest.fixture(scope="session")
def chroma_url() -> Iterator[str]:
    with servers.chroma_server() as url:
        yield url


@pytest.fixture(autouse=True)
def hash_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_INTERVIEWER_EMBEDDINGS", "hash")
    monkeypatch.delenv("MOCK_INTERVIEWER_USER", raising=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Real servers take seconds to start: these tests run in CI and with `-m slow`, not in the fast loop."""
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.slow)
