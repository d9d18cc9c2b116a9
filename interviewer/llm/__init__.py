"""The LLM path: one client for every call (caps, turn budget, circuit breaker, structured-output
negotiation) and the connection check behind `mock-interview llm check`."""

from __future__ import annotations

from pathlib import Path

from langchain_core.language_models import BaseChatModel

from interviewer.llm.client import LLMCallError, LLMClient
from interviewer.llm.methods import METHODS_FILE, MethodMemory, endpoint_key
from interviewer.settings import LLMSettings

__all__ = ["LLMCallError", "LLMClient", "as_client", "make_chat_model", "make_llm_client"]


def make_chat_model(settings: LLMSettings) -> BaseChatModel | None:
    """ChatOpenAI for an OpenAI-compatible endpoint; None (never constructed) without a key."""
    if not settings.configured:
        return None
    from langchain_openai import ChatOpenAI

    # Retries stay off in the client: a retried time-out doubles the wait, and the breaker decides
    # when to stop calling; the per-call time-out is set by each job.
    return ChatOpenAI(model=settings.model, base_url=settings.base_url, api_key=settings.api_key,  # type: ignore[arg-type]
                      timeout=settings.timeout_seconds, max_retries=settings.max_retries, temperature=0)


def make_llm_client(settings: LLMSettings, home: Path | None = None,
                    model: BaseChatModel | None = None) -> LLMClient | None:
    """The client for the configured endpoint (None offline); what it negotiates is kept in `home`."""
    model = model or make_chat_model(settings)
    if model is None:
        return None
    return LLMClient(model, name=settings.model, endpoint=endpoint_key(settings.base_url, settings.model),
                     memory=MethodMemory(home / METHODS_FILE if home else None),
                     preferred_method=settings.structured_output_method,
                     token_parameter=settings.token_parameter, reasoning_tokens=settings.reasoning_tokens,
                     max_timeout=settings.timeout_seconds)


def as_client(model: BaseChatModel | LLMClient | None, settings: LLMSettings | None = None) -> LLMClient | None:
    """Accept a bare chat model where a client is expected (tests, scripts): wrap it with the defaults."""
    if model is None or isinstance(model, LLMClient):
        return model
    settings = settings or LLMSettings(api_key=None, base_url=None, model=getattr(model, "model_name", "chat-model"))
    return make_llm_client(settings, None, model)
