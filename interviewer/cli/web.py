"""`mock-interview web`: the web app (the product's main door).

The server lives in `ui.server`; this command finds it through the package's entry point
(`mock_interviewer.interfaces`), so `interviewer` never imports `ui` and the layers point one way.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Annotated

import typer

from interviewer.cli.common import console, fail

INTERFACES_GROUP = "mock_interviewer.interfaces"


def web_server() -> Callable[..., None]:
    """The installed web server's `serve(host, port, auth, say)`."""
    found = list(entry_points(group=INTERFACES_GROUP, name="web"))
    if not found:
        fail("the web app is not installed with this package; reinstall it with `pip install -e .`")
    serve: Callable[..., None] = found[0].load()
    return serve


def web(
    host: Annotated[str, typer.Option(help="Address to bind; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 7860,
    auth: Annotated[str | None, typer.Option(help="Require a login, as user:password.")] = None,
    replica: Annotated[str | None, typer.Option(
        help="Run as a named replica behind a proxy: JSON logs, /healthz, graceful stop on SIGTERM.")] = None,
) -> None:
    """Start the web interviewer (offline by default; an LLM is used when OPENAI_API_KEY is set)."""
    credentials = None
    if auth is not None:
        user, _, password = auth.partition(":")
        if not user or not password:
            fail("--auth must look like user:password")
        credentials = (user, password)
    # A busy port raises ConfigurationError, which `main` prints as one line.
    web_server()(host=host, port=port, auth=credentials, replica=replica,
                 say=lambda line: console.print(line, highlight=False))
