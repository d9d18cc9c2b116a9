"""Where data lives and which models to use, read from the environment (CLI flags override)."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_data_dir

from interviewer.tuning import LLM_MAX_RETRIES, LLM_TIMEOUT_SECONDS
from rubrics.settings import ConfigurationError, EmbeddingSettings, env_choice

__all__ = ["HOME_ENV", "LOG_LEVEL_ENV", "ConfigurationError", "EmbeddingSettings", "LLMSettings",
           "configure_logging", "data_home"]

HOME_ENV = "MOCK_INTERVIEWER_HOME"
LOG_LEVEL_ENV = "MOCK_INTERVIEWER_LOG_LEVEL"
OWN_PACKAGES = ("interviewer", "rubrics", "question_bank", "ui")
StructuredOutputMethod = Literal["json_schema", "json_mode", "function_calling", "prompt"]
TokenParameter = Literal["max_tokens", "max_completion_tokens"]


def configure_logging(verbose: bool = False) -> None:
    """Where the product falls back (LLM errors, missing fonts, unreadable uploads) it logs a line.
    Our packages log at $MOCK_INTERVIEWER_LOG_LEVEL (WARNING by default; DEBUG with --verbose) to
    stderr; third-party libraries keep their own (quiet) defaults so their chatter does not drown ours."""
    raw = "DEBUG" if verbose else os.environ.get(LOG_LEVEL_ENV, "WARNING").upper()
    level = logging.getLevelName(raw)
    if not isinstance(level, int):
        raise ConfigurationError(f"${LOG_LEVEL_ENV}={raw!r} is not one of DEBUG, INFO, WARNING, ERROR")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    for name in OWN_PACKAGES:
        package_logger = logging.getLogger(name)
        package_logger.handlers = [handler]
        package_logger.setLevel(level)


def data_home() -> Path:
    """The directory that holds everything the app writes; created on first use."""
    configured = os.environ.get(HOME_ENV)
    home = Path(configured).expanduser() if configured else Path(user_data_dir("mock-interviewer"))
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigurationError(f"cannot use {home} as the data directory (${HOME_ENV}): {error.strerror}") from error
    return home


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
    timeout_seconds: float = LLM_TIMEOUT_SECONDS
    max_retries: int = LLM_MAX_RETRIES
    structured_output_method: StructuredOutputMethod = "json_schema"
    # OpenAI's API wants max_completion_tokens; most compatible servers (llama.cpp, vLLM, Ollama) read max_tokens.
    token_parameter: TokenParameter = "max_tokens"
    reasoning_tokens: int = 0  # extra room in every cap for a <think> block (reasoning models)

    @property
    def configured(self) -> bool:
        return bool(self.api_key)

    @classmethod
    def from_env(cls) -> LLMSettings:
        method = env_choice("MOCK_INTERVIEWER_STRUCTURED_OUTPUT", "json_schema",
                         ("json_schema", "json_mode", "function_calling", "prompt"))
        base_url = os.environ.get("OPENAI_BASE_URL") or None
        official = base_url is None or "api.openai.com" in base_url
        token_parameter = env_choice("MOCK_INTERVIEWER_LLM_TOKEN_PARAMETER",
                                  "max_completion_tokens" if official else "max_tokens",
                                  ("max_tokens", "max_completion_tokens"))
        reasoning = os.environ.get("MOCK_INTERVIEWER_LLM_REASONING_TOKENS", "0")
        if not reasoning.isdigit():
            raise ConfigurationError(f"$MOCK_INTERVIEWER_LLM_REASONING_TOKENS={reasoning!r} is not a whole number")
        return cls(
            api_key=os.environ.get("OPENAI_API_KEY") or None,
            base_url=base_url,
            model=os.environ.get("MOCK_INTERVIEWER_LLM_MODEL", "gpt-4o-mini"),
            timeout_seconds=_seconds("MOCK_INTERVIEWER_LLM_TIMEOUT", LLM_TIMEOUT_SECONDS),
            structured_output_method=method,  # type: ignore[arg-type]
            token_parameter=token_parameter,  # type: ignore[arg-type]
            reasoning_tokens=int(reasoning),
        )

    def with_overrides(self, **overrides: Any) -> LLMSettings:
        """CLI flags win over the environment; flags left unset (None) keep the environment's value."""
        return replace(self, **{key: value for key, value in overrides.items() if value is not None})
