"""Which structured-output method an endpoint accepts, negotiated once and remembered in the data home."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Literal, get_args

logger = logging.getLogger(__name__)

Method = Literal["json_schema", "json_mode", "function_calling", "prompt"]
# Strictest first: a schema the server enforces, then JSON the server guarantees, then a tool call, and
# last plain JSON asked for in the prompt (every chat model can try that one).
METHOD_ORDER: tuple[Method, ...] = get_args(Method)
METHODS_FILE = "llm-methods.json"


def endpoint_key(base_url: str | None, model: str) -> str:
    return f"{(base_url or 'https://api.openai.com/v1').rstrip('/')}|{model}"


class MethodMemory:
    """`{endpoint|model: method}` in a small JSON file; unreadable files are ignored (and rewritten)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()

    def get(self, key: str) -> Method | None:
        value = self._read().get(key)
        return next((method for method in METHOD_ORDER if method == value), None)

    def put(self, key: str, method: Method) -> None:
        if self.path is None:
            return
        with self._lock:
            known = self._read()
            if known.get(key) == method:
                return
            known[key] = method
            try:
                self.path.write_text(json.dumps(known, ensure_ascii=False, indent=1), encoding="utf-8")
            except OSError as error:
                logger.warning("cannot remember the structured-output method in %s: %s", self.path, error)

    def _read(self) -> dict[str, str]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            logger.warning("ignoring unreadable %s: %s", self.path, error)
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def negotiation_order(remembered: Method | None, preferred: Method | None) -> list[Method]:
    """What worked before first, then the configured method, then the rest in METHOD_ORDER."""
    first = [method for method in (remembered, preferred) if method]
    return list(dict.fromkeys([*first, *METHOD_ORDER]))
