"""The rubric index on a `chroma run` server: built once by `mock-interview index`, read by replicas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import chromadb
import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from tests.integration.servers import free_port

runner = CliRunner()
CLI = [sys.executable, "-c", "from interviewer.cli import main; main()"]


@pytest.fixture
def fresh_chroma(chroma_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The shared server, emptied, as $MOCK_INTERVIEWER_CHROMA_URL."""
    host, port = chroma_url.removeprefix("http://").split(":")
    client = chromadb.HttpClient(host=host, port=int(port))
    for collection in client.list_collections():
        client.delete_collection(collection.name)
    monkeypatch.setenv("MOCK_INTERVIEWER_CHROMA_URL", chroma_url)
    return chroma_url


def test_a_replica_refuses_a_server_without_the_index(fresh_chroma: str) -> None:
    result = subprocess.run([*CLI, "bank", "search", "KV cache"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "run `mock-interview index`" in " ".join(result.stderr.split())
    host, port = fresh_chroma.removeprefix("http://").split(":")
    assert chromadb.HttpClient(host=host, port=int(port)).list_collections() == []  # the replica created nothing


def test_the_index_lives_on_the_server_and_replicas_read_it(fresh_chroma: str, migrated: str, home: Path) -> None:
    built = runner.invoke(app, ["index", "--json"])
    assert built.exit_code == 0, built.output
    host, port = fresh_chroma.removeprefix("http://").split(":")
    names = {collection.name for collection in chromadb.HttpClient(host=host, port=int(port)).list_collections()}
    assert sorted(name.split("-")[0] for name in names) == ["questions", "rubric"]
    again = runner.invoke(app, ["index", "--json"])
    assert again.exit_code == 0 and '"embedded": 0' in again.output  # updated in place, nothing re-embedded

    # A replica (another process) runs a whole interview against the server's index and the database.
    simulated = subprocess.run([*CLI, "simulate", "--persona", "strong", "--questions", "1", "--json"],
                               capture_output=True, text=True, timeout=300)
    assert simulated.returncode == 0, simulated.stderr
    assert '"overall_score"' in simulated.stdout
    assert not (home / "chroma").exists() and not (home / "sessions.sqlite").exists()
    assert not [path for path in home.rglob("*") if path.suffix in (".sqlite", ".sqlite3", ".bin", ".parquet")]


def test_an_unreachable_chroma_server_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_INTERVIEWER_CHROMA_URL", f"http://127.0.0.1:{free_port()}")
    result = subprocess.run([*CLI, "bank", "search", "KV cache"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Chroma server" in result.stderr
