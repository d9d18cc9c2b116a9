"""Accounts for a shared installation: names and argon2 password hashes, in the app's database.

The local single-user default has no accounts and needs none: its sessions belong to the user "".
Once an account exists, the web app asks for a login and each user sees only their own sessions.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterator, MutableMapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from interviewer.scoring import now
from interviewer.settings import ConfigurationError
from interviewer.storage import Database
from interviewer.tuning import LOGIN_LIFETIME_SECONDS

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

    def __init__(self, database: Database, hasher: PasswordHasher | None = None) -> None:
        self.database = database
        self.hasher = hasher or PasswordHasher()

    def names(self) -> list[str]:
        return [row["name"] for row in self.database.execute("SELECT name FROM users ORDER BY name")]

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
        WebLogins(self.database).forget_user(name)

    def remove(self, name: str) -> None:
        if not self.exists(name):
            raise AccountError(f"没有这个用户 / no user named {name!r}")
        self.database.execute("DELETE FROM users WHERE name = ?", (name,))
        WebLogins(self.database).forget_user(name)

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

    Iterating yields the stored keys as "sha256:<hex>", which the mapping accepts back as keys: that is how
    "sign out everywhere" finds a user's logins. A browser's token never contains ":" (URL-safe base64)."""

    def __init__(self, database: Database, lifetime: float = LOGIN_LIFETIME_SECONDS) -> None:
        self.database = database
        self.lifetime = lifetime

    @staticmethod
    def _key(token: object) -> str:
        token = str(token)
        if token.startswith(STORED_KEY_PREFIX):
            return token[len(STORED_KEY_PREFIX):]
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def __getitem__(self, token: str) -> str:
        rows = self.database.execute("SELECT name FROM web_logins WHERE token_hash = ? AND created_at > ?",
                                     (self._key(token), time.time() - self.lifetime))
        if not rows:
            raise KeyError(token)
        return str(rows[0]["name"])

    def __setitem__(self, token: str, name: str) -> None:
        self.database.execute("DELETE FROM web_logins WHERE created_at <= ?", (time.time() - self.lifetime,))
        self.database.execute("INSERT INTO web_logins (token_hash, name, created_at) VALUES (?, ?, ?)",
                              (self._key(token), name, time.time()))

    def __delitem__(self, token: str) -> None:
        if not self.database.execute("DELETE FROM web_logins WHERE token_hash = ? RETURNING name",
                                     (self._key(token),)):
            raise KeyError(token)

    def __iter__(self) -> Iterator[str]:
        rows = self.database.execute("SELECT token_hash FROM web_logins WHERE created_at > ?",
                                     (time.time() - self.lifetime,))
        return iter([f"{STORED_KEY_PREFIX}{row['token_hash']}" for row in rows])

    def __len__(self) -> int:
        return len(list(iter(self)))

    def forget_user(self, name: str) -> None:
        """Sign a user out everywhere (their password changed, or their account was removed)."""
        self.database.execute("DELETE FROM web_logins WHERE name = ?", (name,))
