"""`mock-interview web`: the web app (the product's main door)."""

from __future__ import annotations

from typing import Annotated

import typer

from interviewer.cli.common import console, fail
from interviewer.settings import data_home


def web(
    host: Annotated[str, typer.Option(help="Address to bind; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 7860,
    auth: Annotated[str | None, typer.Option(help="Require a login, as user:password.")] = None,
) -> None:
    """Start the web interviewer (offline by default; an LLM is used when OPENAI_API_KEY is set)."""
    credentials = None
    if auth is not None:
        user, _, password = auth.partition(":")
        if not user or not password:
            fail("--auth must look like user:password")
        credentials = (user, password)
    from interviewer.service import create_service
    from ui.app import build_app, launch

    home = data_home()
    console.print(f"data: {home}  (preparing the rubric index on first start…)")
    service = create_service(home)
    launch(build_app(service, home), home, host=host, port=port, auth=credentials)
