"""Real servers for the scale-out tests, started on 127.0.0.1 in throw-away directories: a PostgreSQL
cluster from Debian's binaries and a `chroma run` server. Also used by deploy/ and the benchmark."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

PG_BIN = Path(os.environ.get("MOCK_INTERVIEWER_PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_available() -> bool:
    return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists()


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as Debian's `postgres` user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """A fresh cluster (trust auth, loopback only); yields its base URL `postgresql://postgres@127.0.0.1:PORT`."""
    root = Path(tempfile.mkdtemp(prefix="mi-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    data, port = root / "data", free_port()
    try:
        subprocess.run(_as_server_user([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                        "-E", "UTF8", "--no-sync"]), check=True, capture_output=True)
        options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c max_connections=200"
        subprocess.run(_as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                                        str(root / "log"), "-w", "start"]), check=True, capture_output=True)
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return f"{base_url}/{name}"


def wait_for_http(url: str, seconds: float = 60.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def chroma_command() -> str | None:
    candidate = Path(sys.executable).with_name("chroma")
    return str(candidate) if candidate.exists() else shutil.which("chroma")


@contextlib.contextmanager
def chroma_server() -> Iterator[str]:
    """`chroma run` on a free loopback port with a throw-away path; yields `http://127.0.0.1:PORT`."""
    command = chroma_command()
    if command is None:
        raise RuntimeError("the chroma CLI (from the chromadb package) is not installed")
    root, port = Path(tempfile.mkdtemp(prefix="mi-chroma-")), free_port()
    process = subprocess.Popen([command, "run", "--path", str(root), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(root, ignore_errors=True)
