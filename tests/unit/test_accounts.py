"""Accounts on the default SQLite file: `mock-interview users`, argon2 hashes, sessions kept per user."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from gradio_client import Client
from typer.testing import CliRunner

from interviewer.accounts import UserStore, WebLogins
from interviewer.cli import app
from interviewer.storage import SqliteDatabase
from interviewer.tuning import LOGIN_CACHE_SECONDS
from tests.conftest import session_of
from ui.app import build_app, decode_state, encode_state
from ui.server import launch

runner = CliRunner()


@pytest.fixture(autouse=True)
def local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_INTERVIEWER_EMBEDDINGS", "hash")
    monkeypatch.delenv("MOCK_INTERVIEWER_DATABASE_URL", raising=False)
    monkeypatch.setenv("MOCK_INTERVIEWER_USER", "")  # restored after each test: `--user` writes it


def test_users_commands_store_argon2_hashes(home: Path) -> None:
    assert runner.invoke(app, ["users", "add", "alice", "--password-stdin"], input="correct horse\n").exit_code == 0
    duplicate = runner.invoke(app, ["users", "add", "alice", "--password-stdin"], input="another one\n")
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    short = runner.invoke(app, ["users", "add", "bob", "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "too short" in short.output
    bad_name = runner.invoke(app, ["users", "add", "a b", "--password-stdin"], input="long enough\n")
    assert bad_name.exit_code == 1 and "invalid user name" in bad_name.output
    assert [user["name"] for user in json.loads(runner.invoke(app, ["users", "list", "--json"]).stdout)] == ["alice"]

    with sqlite3.connect(home / "sessions.sqlite") as connection:
        (stored,) = connection.execute("SELECT password_hash FROM users WHERE name = 'alice'").fetchone()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    users = UserStore(SqliteDatabase(home / "sessions.sqlite"))
    assert users.verify("alice", "correct horse") and not users.verify("alice", "wrong horse")
    assert not users.verify("nobody", "correct horse")

    assert runner.invoke(app, ["users", "passwd", "alice", "--password-stdin"], input="battery staple\n").exit_code == 0
    assert users.verify("alice", "battery staple") and not users.verify("alice", "correct horse")
    assert runner.invoke(app, ["users", "remove", "alice", "--yes"]).exit_code == 0
    assert json.loads(runner.invoke(app, ["users", "list", "--json"]).stdout) == []
    missing = runner.invoke(app, ["users", "remove", "alice", "--yes"])
    assert missing.exit_code == 1 and "no user" in missing.output


def test_the_cli_refuses_another_users_session(indexed_home: Path) -> None:
    for name in ("alice", "bob"):
        runner.invoke(app, ["users", "add", name, "--password-stdin"], input="long enough\n")
    started = runner.invoke(app, ["--user", "alice", "practice", "--questions", "1", "--stage", "opening"],
                            input="我做推荐系统。\n")
    assert started.exit_code == 0, started.output
    session_id = session_of(started.output)

    for who in (["--user", "bob"], ["--user", ""]):  # another account, and the local user
        refused = runner.invoke(app, [*who, "sessions", "show", session_id])
        assert refused.exit_code == 1 and f"没有这个会话：{session_id}" in refused.output
        assert json.loads(runner.invoke(app, [*who, "sessions", "list", "--json"]).stdout) == []
        assert runner.invoke(app, [*who, "sessions", "delete", session_id, "--yes"]).exit_code == 1
        assert runner.invoke(app, [*who, "report", session_id]).exit_code == 1
    shown = json.loads(runner.invoke(app, ["--user", "alice", "sessions", "show", session_id, "--json"]).stdout)
    assert [turn["text"] for turn in shown["turns"] if turn["kind"] == "answer"] == ["我做推荐系统。"]
    unknown = runner.invoke(app, ["--user", "carol", "sessions", "list"])  # main() prints it as one line
    assert unknown.exit_code == 1 and "no account named 'carol'" in str(unknown.exception)


def test_the_web_app_logs_in_and_keeps_each_user_to_their_sessions(home: Path, hash_store, make_service,
                                                                   no_report_warmup: None) -> None:  # type: ignore[no-untyped-def]
    service = make_service(hash_store)
    users = UserStore(service.database.database)
    users.add("alice", "alice-password")
    users.add("bob", "bob-password-1")
    demo = build_app(service, home, accounts=True)
    _, url, _ = launch(demo, home, port=None, prevent_thread_lock=True, quiet=True, auth=users.verify)
    try:
        with pytest.raises(ValueError):
            Client(url, verbose=False, auth=("alice", "wrong-password"))
        alice = Client(url, verbose=False, auth=("alice", "alice-password"))
        bob = Client(url, verbose=False, auth=("bob", "bob-password-1"))
        fresh = encode_state({"session_id": None, "language": "en"})
        started = alice.predict("interview", ["opening"], 0, [], 2, "", "en", fresh, api_name="/start")
        state = decode_state(started[-2])
        session_id = state["session_id"]
        assert service.as_user("alice").list_sessions()[0].session_id == session_id
        assert service.as_user("bob").list_sessions() == []

        # Bob sends Alice's session id as if it were his browser's: refused, and nothing is written.
        stolen = bob.predict("I am Bob.", encode_state(state), api_name="/answer")
        assert "Session not found" in str(stolen)
        alice.predict("I build search systems.", encode_state(state), api_name="/answer")
        answers = [turn.text for turn in service.as_user("alice").snapshot(session_id).turns if turn.kind == "answer"]
        assert answers == ["I build search systems."]
    finally:
        demo.close()


def test_web_logins_are_stored_hashed_expire_and_end_with_a_password_change(home: Path) -> None:
    database = SqliteDatabase(home / "sessions.sqlite")
    logins = WebLogins(database)
    users = UserStore(database, logins=logins)  # as the web server builds them (another process: see below)
    users.add("alice", "alice-password")
    logins["token-1"] = "alice"
    assert logins["token-1"] == "alice" and "token-1" in logins and logins.get("token-2") is None
    stored = database.execute("SELECT token_hash FROM web_logins")
    assert len(stored) == 1 and "token-1" not in stored[0]["token_hash"]  # a copy of the table signs nobody in
    del logins["token-1"]
    assert "token-1" not in logins
    with pytest.raises(KeyError):
        del logins["token-1"]
    logins["token-3"] = "alice"
    assert WebLogins(database, lifetime=-1.0).get("token-3") is None, "an expired login is no login"
    logins["token-4"] = "bob"
    assert sorted(logins[key] for key in logins) == ["alice", "bob"] and len(logins) == 2
    users.set_password("alice", "a-new-password")
    assert "token-3" not in logins, "a password change signs the user out everywhere"


class Clock:
    """A clock the test moves by hand, so cache and lifetime edges are checked without sleeping."""

    def __init__(self) -> None:
        self.at = time.time()

    def __call__(self) -> float:
        return self.at


def test_a_missing_login_cookie_is_no_login(home: Path) -> None:
    logins = WebLogins(SqliteDatabase(home / "sessions.sqlite"))
    logins["None"] = "alice"  # a browser token that happens to spell None
    assert logins.get(None) is None and logins.get("") is None  # type: ignore[call-overload]
    assert None not in logins and "" not in logins
    with pytest.raises(KeyError):
        del logins[None]  # type: ignore[arg-type]
    assert logins.get("None") == "alice"


def test_a_login_is_cached_briefly_and_dropped_when_its_user_is_forgotten(home: Path) -> None:
    database, clock = SqliteDatabase(home / "sessions.sqlite"), Clock()
    logins = WebLogins(database, clock=clock)
    users = UserStore(database, logins=logins)
    users.add("alice", "alice-password")
    logins["token-1"] = "alice"
    database.execute("DELETE FROM web_logins")  # signed out by another process, which cannot reach this cache
    clock.at += LOGIN_CACHE_SECONDS / 2
    assert logins.get("token-1") == "alice", "within the cache time, no query"
    clock.at += LOGIN_CACHE_SECONDS
    assert logins.get("token-1") is None, "past the cache time, the database decides"

    logins["token-2"] = "alice"
    users.set_password("alice", "a-new-password")
    assert logins.get("token-2") is None, "a password change in this process signs out at once"
    logins["token-3"] = "alice"
    users.remove("alice")
    assert logins.get("token-3") is None, "so does removing the account"


def test_a_cached_login_is_never_served_past_its_lifetime(home: Path) -> None:
    clock = Clock()
    logins = WebLogins(SqliteDatabase(home / "sessions.sqlite"), lifetime=100.0, cache_seconds=10.0, clock=clock)
    logins["token-1"] = "alice"
    clock.at += 95.0
    assert logins["token-1"] == "alice"  # looked up again and cached at 95 s
    clock.at += 6.0
    assert logins.get("token-1") is None, "cached 6 s ago, but the login expired at 100 s"


def test_a_login_made_on_one_replica_is_known_to_another(home: Path, hash_store, make_service,
                                                         no_report_warmup: None) -> None:  # type: ignore[no-untyped-def]
    import httpx

    from ui.operations import share_logins


    service = make_service(hash_store)
    users = UserStore(service.database.database)
    users.add("alice", "alice-password")
    replicas, urls, clock = [], [], Clock()
    for _ in range(2):  # two processes' worth of apps on one database, as behind the proxy
        demo = build_app(service, home, accounts=True)
        _, url, _ = launch(demo, home, port=None, prevent_thread_lock=True, quiet=True, auth=users.verify)
        share_logins(demo, WebLogins(service.database.database, clock=clock), "the-shared-secret")
        replicas.append(demo)
        urls.append(url.rstrip("/"))
    try:
        first = httpx.post(f"{urls[0]}/login", data={"username": "alice", "password": "alice-password"})
        assert first.status_code == 200 and first.cookies, first.text
        cookies = dict(first.cookies)
        check = "/gradio_api/login_check"
        assert httpx.get(urls[1] + check, cookies=cookies).status_code == 200, "the other replica knows her"
        assert httpx.get(urls[1] + check).status_code == 401, "without the cookie, no one is signed in"
        httpx.get(f"{urls[1]}/logout", cookies=cookies)
        assert httpx.get(urls[1] + check, cookies=cookies).status_code == 401, "signed out where she signed out"
        clock.at += LOGIN_CACHE_SECONDS  # the first replica trusts its cached lookup no longer than this
        assert httpx.get(urls[0] + check, cookies=cookies).status_code == 401, "signed out on every replica"
    finally:
        for demo in replicas:
            demo.close()


def test_with_accounts_a_user_sees_their_sessions_from_any_browser(hash_store, make_service) -> None:  # type: ignore[no-untyped-def]
    from interviewer.plan import InterviewPlan
    from interviewer.settings import LLMSettings
    from ui.events import Events

    service = make_service(hash_store)
    started = service.as_user("alice").start(InterviewPlan(stages=["opening"]))
    events = Events(service, None, None, LLMSettings(api_key=None, base_url=None, model="test"),  # type: ignore[arg-type]
                    accounts=True)
    other_device = {"session_id": None, "language": "zh", "sessions": []}  # this browser started nothing
    alice, bob = {**other_device, "user": "alice"}, {**other_device, "user": "bob"}
    assert events.own(started.session_id, alice) == started.session_id, "her session, resumable anywhere"
    assert [row[0] for row in events.table(alice)["data"]] == [started.session_id]
    assert events.own(started.session_id, bob) is None and events.table(bob)["data"] == []
