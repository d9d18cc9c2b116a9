"""Accounts for a shared installation: names and argon2 password hashes, in the app's database.

The local single-user default has no accounts and needs none: its sessions belong to the user "".
Once an account exists, the web app asks for a login and each user sees only their own sessions.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, MutableMapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from interviewer.scoring import now
from interviewer.settings import ConfigurationError
from interviewer.storage import Database
from interviewer.tuning import LOGIN_CACHE_SECONDS, LOGIN_LIFETIME_SECONDS

USER_ENV = "MOCK_INTERVIEWER_USER"
USER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
MIN_PASSWORD_CHARS = 8


class AccountError(ValueError):
    """A request about accounts that cannot be done (unknown name, weak password); the message says why."""


def current_user() -> str:
    """The user the CLI acts for: $MOCK_INTERVIEWER_USER, or "" (the local single user)."""
    name = os.environ.get(USER_ENV, "").strip()
    if name and not USER_NAME.fullmatch(name):
        raise ConfigurationError(f"${USER_ENV}={name!r} is not a valid user name")
    return name


class UserStore:
    """The `users` table; argon2id hashes with argon2-cffi's default (RFC 9106 low-memory) parameters."""

    def __init__(self, database: Database, hasher: PasswordHasher | None = None,
                 logins: WebLogins | None = None) -> None:
        """`logins`: the web app's own WebLogins, so that a password change or a removal drops its cached logins."""
        self.database = database
        self.hasher = hasher or PasswordHasher()
        self.logins = logins if logins is not None else WebLogins(database)  # an empty mapping is falsy

    def list(self) -> list[dict[str, str]]:
        return self.database.execute("SELECT name, created_at FROM users ORDER BY name")

    def exists(self, name: str) -> bool:
        return bool(self.database.execute("SELECT 1 AS one FROM users WHERE name = ?", (name,)))

    def any(self) -> bool:
        return bool(self.database.execute("SELECT 1 AS one FROM users LIMIT 1"))

    def add(self, name: str, password: str) -> None:
        if not USER_NAME.fullmatch(name):
            raise AccountError(f"用户名无效 / invalid user name {name!r}: letters, digits and . _ @ - (up to 64)")
        if self.exists(name):
            raise AccountError(f"用户已存在 / user {name!r} already exists")
        self.database.execute("INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)",
                              (name, self._hash(password), now()))

    def set_password(self, name: str, password: str) -> None:
        if not self.exists(name):
            raise AccountError(f"没有这个用户 / no user named {name!r}")
        self.database.execute("UPDATE users SET password_hash = ? WHERE name = ?", (self._hash(password), name))
        self.logins.forget_user(name)

    def remove(self, name: str) -> None:
        if not self.exists(name):
            raise AccountError(f"没有这个用户 / no user named {name!r}")
        self.database.execute("DELETE FROM users WHERE name = ?", (name,))
        self.logins.forget_user(name)

    def verify(self, name: str, password: str) -> bool:
        """True if `password` is `name`'s; an unknown name costs the same hashing time as a wrong password."""
        rows = self.database.execute("SELECT password_hash FROM users WHERE name = ?", (name,))
        stored = rows[0]["password_hash"] if rows else None
        try:
            self.hasher.verify(stored or self._dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            return False
        if stored is None:
            return False
        if self.hasher.check_needs_rehash(stored):
            self.database.execute("UPDATE users SET password_hash = ? WHERE name = ?", (self._hash(password), name))
        return True

    def _hash(self, password: str) -> str:
        if len(password) < MIN_PASSWORD_CHARS:
            raise AccountError(f"密码太短 / password too short: at least {MIN_PASSWORD_CHARS} characters")
        return self.hasher.hash(password)

    def _dummy_hash(self) -> str:
        cached = getattr(self, "_dummy", None)
        if cached is None:
            cached = self._dummy = self.hasher.hash("not a password of anyone")
        return cached


STORED_KEY_PREFIX = "sha256:"


class WebLogins(MutableMapping[str, str]):
    """The web app's login tokens (token -> user name) in the app's database instead of one process's
    memory, so every replica behind the proxy knows a login made on another one. Tokens are stored as
    SHA-256 hashes (a copy of the table signs nobody in) and expire after LOGIN_LIFETIME_SECONDS.

    A login looked up is trusted for `cache_seconds` before the database is asked again (Gradio checks the
    login on every request, on its event loop). Forgetting a login here drops it at once; one forgotten by
    another process or replica lasts here at most `cache_seconds`. An expired login is never served.

    Iterating yields the stored keys as "sha256:<hex>", which the mapping accepts back as keys: that is how
    "sign out everywhere" finds a user's logins. A browser's token never contains ":" (URL-safe base64)."""

    def __init__(self, database: Database, lifetime: float = LOGIN_LIFETIME_SECONDS,
                 cache_seconds: float = LOGIN_CACHE_SECONDS, clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.lifetime = lifetime
        self.cache_seconds = cache_seconds
        self.clock = clock
        # token hash -> (user name, when the login was made, when it was looked up)
        self._cache: dict[str, tuple[str, float, float]] = {}
        self._lock = threading.Lock()  # Gradio reads on its event loop, logs in and out on worker threads

    @staticmethod
    def _key(token: str) -> str:
        if token.startswith(STORED_KEY_PREFIX):
            return token[len(STORED_KEY_PREFIX):]
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def __getitem__(self, token: str | None) -> str:
        if not token:  # Gradio asks with None when the browser sent no login cookie
            raise KeyError(token)
        key, at = self._key(token), self.clock()
        with self._lock:
            cached = self._cache.get(key)
        if cached and at - cached[2] < self.cache_seconds and cached[1] > at - self.lifetime:
            return cached[0]
        rows = self.database.execute("SELECT name, created_at FROM web_logins WHERE token_hash = ? AND created_at > ?",
                                     (key, at - self.lifetime))
        if not rows:
            self._drop(lambda stored_key, _: stored_key == key)
            raise KeyError(token)
        name = str(rows[0]["name"])
        self._remember(key, name, float(rows[0]["created_at"]))
        return name

    def __setitem__(self, token: str, name: str) -> None:
        key, at = self._key(token), self.clock()
        self.database.execute("DELETE FROM web_logins WHERE created_at <= ?", (at - self.lifetime,))
        self.database.execute("INSERT INTO web_logins (token_hash, name, created_at) VALUES (?, ?, ?)",
                              (key, name, at))
        self._remember(key, name, at)

    def __delitem__(self, token: str | None) -> None:
        if not token:
            raise KeyError(token)
        key = self._key(token)
        deleted = self.database.execute("DELETE FROM web_logins WHERE token_hash = ? RETURNING name", (key,))
        self._drop(lambda stored_key, _: stored_key == key)  # after the database: a lookup now cannot bring it back
        if not deleted:
            raise KeyError(token)

    def __iter__(self) -> Iterator[str]:
        rows = self.database.execute("SELECT token_hash FROM web_logins WHERE created_at > ?",
                                     (self.clock() - self.lifetime,))
        return iter([f"{STORED_KEY_PREFIX}{row['token_hash']}" for row in rows])

    def __len__(self) -> int:
        return len(list(iter(self)))

    def forget_user(self, name: str) -> None:
        """Sign a user out everywhere (their password changed, or their account was removed)."""
        self.database.execute("DELETE FROM web_logins WHERE name = ?", (name,))
        self._drop(lambda _, stored_name: stored_name == name)

    def _remember(self, key: str, name: str, created_at: float) -> None:
        looked_up = self.clock()
        with self._lock:  # entries past their cache time go first, so the cache holds only recent logins
            stale = [stored for stored, entry in self._cache.items() if looked_up - entry[2] >= self.cache_seconds]
            for stored in stale:
                del self._cache[stored]
            self._cache[key] = (name, created_at, looked_up)

    def _drop(self, matches: Callable[[str, str], bool]) -> None:
        with self._lock:
            for stored in [stored for stored, entry in self._cache.items() if matches(stored, entry[0])]:
                del self._cache[stored]
