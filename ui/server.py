"""Starting and stopping the web app: bind, authenticate, serve, shut down cleanly.

`serve` is what `mock-interview web` runs. The CLI finds it through the package's entry point
(`mock_interviewer.interfaces`), so `interviewer` never imports `ui`: the layers point one way.
"""

from __future__ import annotations

import errno
import logging
import signal
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from interviewer.settings import ConfigurationError, data_home
from ui.app import ANSWER_CONCURRENCY, build_app
from ui.layout import browser_secret
from ui.theme import theme_kwargs

logger = logging.getLogger(__name__)


class PortInUseError(ConfigurationError):
    """The chosen port is taken by another program; the message says what to do (the CLI prints it as
    one line, like any other setting that cannot work)."""


def _stop_on_sigterm() -> None:
    """`kill <pid>` stops the server like Ctrl-C does, so the report worker is closed too."""
    if threading.current_thread() is threading.main_thread():
        def interrupt(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt
        signal.signal(signal.SIGTERM, interrupt)


def check_port_free(host: str, port: int) -> None:
    """Raise PortInUseError when `host:port` cannot be bound (checked before the slow start-up)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: TIME_WAIT is free
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUseError(f"port {port} on {host} is already in use; stop the other program or "
                                     f"choose another port with --port") from None
            raise


def launch(demo: gr.Blocks, home: Path, *, host: str = "127.0.0.1", port: int | None = 7860,
           auth: tuple[str, str] | Callable[[str, str], bool] | None = None, prevent_thread_lock: bool = False,
           quiet: bool = False) -> Any:
    """Safe defaults: loopback unless told otherwise, no share link, only the reports folder served.

    Without `prevent_thread_lock` this blocks until Ctrl-C or SIGTERM, then closes the app (and its
    report worker process)."""
    reports = home / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    demo.queue(default_concurrency_limit=ANSWER_CONCURRENCY, max_size=256)
    if not prevent_thread_lock:
        _stop_on_sigterm()
    try:
        return demo.launch(server_name=host, server_port=port, auth=auth, share=False, allowed_paths=[str(reports)],
                           max_file_size="5mb", footer_links=["gradio", "settings"], run_history=False,
                           prevent_thread_lock=prevent_thread_lock, quiet=quiet, show_error=False, ssr_mode=False,
                           **theme_kwargs())
    finally:
        if not prevent_thread_lock:
            demo.close()


def shows_all_sessions(host: str, auth: tuple[str, str] | None) -> bool:
    """A local single-user install (loopback, no login) shows every session, terminal ones included; a server
    others can reach keeps each browser to its own sessions."""
    return auth is None and host in ("127.0.0.1", "localhost", "::1")


def serve(host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
          say: Callable[[str], None] = print, replica: str | None = None) -> None:
    """Build the service and the app from the environment and serve until Ctrl-C or SIGTERM.

    As a named `replica` behind a proxy: JSON logs, /healthz, and SIGTERM drains the turns in progress."""
    from interviewer.service import UserStore, WebLogins, create_service

    check_port_free(host, port)
    home = data_home()
    say(f"data: {home}")
    service = create_service(home, owner="",
                             before_indexing=lambda: say("(preparing the rubric index on first start…)"))
    logins = WebLogins(service.database.database)  # one instance: the login cache and the accounts share it
    users = UserStore(service.database.database, logins=logins)
    accounts = auth is None and users.any()  # `mock-interview users add` turns logins on
    demo = build_app(service, home, all_sessions=shows_all_sessions(host, auth) and not accounts and replica is None,
                     accounts=accounts)
    try:
        if replica is None and not accounts:
            launch(demo, home, host=host, port=port, auth=auth)
            return
        from ui.operations import Replica, configure_logging, share_logins

        if replica is not None:
            configure_logging(replica)
        launch(demo, home, host=host, port=port, auth=users.verify if accounts else auth, prevent_thread_lock=True,
               quiet=replica is not None)
        if accounts:  # logins outlive this process: another replica (or this one restarted) still knows them
            share_logins(demo, logins, browser_secret(home))
        running = Replica(demo, service, replica or "web")
        running.add_health_route()
        running.serve_until_stopped()
    except OSError as error:  # the port was taken between the check and the launch
        if "port" in str(error).lower() or getattr(error, "errno", None) == errno.EADDRINUSE:
            raise PortInUseError(f"port {port} on {host} is already in use; choose another port with --port") from None
        raise


__all__ = ["PortInUseError", "check_port_free", "launch", "serve", "shows_all_sessions"]
