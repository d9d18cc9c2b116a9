"""deploy/stack.sh driven from Python: the browser test and benchmarks/scale_load.py start the real
stack (PostgreSQL, chroma run, N replicas, nginx) in a temp directory and stop it afterwards."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "stack.sh"
PORTS_USED = 13  # nginx, PostgreSQL, Chroma, then replicas from +10


def _free_base_port() -> int:
    for _ in range(100):
        base = random.randrange(20_000, 60_000)
        try:
            for offset in range(PORTS_USED):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", base + offset))
        except OSError:
            continue
        return base
    raise RuntimeError("no free range of ports")


@dataclass
class Stack:
    directory: Path
    proxy_url: str
    database_url: str
    replicas: int

    def replica_pid(self, index: int) -> int:
        return int((self.directory / f"app{index}.pid").read_text())

    def replica_log(self, index: int) -> str:
        return (self.directory / f"app{index}.log").read_text(encoding="utf-8", errors="replace")

    def replica_serving(self, session_id: str) -> int:
        """The replica whose log names `session_id` (logs are JSON lines with the session id)."""
        serving = [index for index in range(1, self.replicas + 1) if session_id in self.replica_log(index)]
        if len(serving) != 1:
            raise AssertionError(f"session {session_id} served by replicas {serving}")
        return serving[0]

    def kill_replica(self, index: int) -> None:
        """As a crash: SIGKILL, no chance to finish anything."""
        os.kill(self.replica_pid(index), signal.SIGKILL)

    def stop(self) -> None:
        subprocess.run([str(SCRIPT), "stop", str(self.directory)], capture_output=True, timeout=120)
        shutil.rmtree(self.directory, ignore_errors=True)


def start_stack(replicas: int = 2, env: dict[str, str] | None = None) -> Stack:
    directory = Path(tempfile.mkdtemp(prefix="mi-stack-"))
    os.chmod(directory, 0o755)  # the postgres user must reach its cluster inside
    environment = {**os.environ, **(env or {}), "BASE_PORT": str(_free_base_port()),
                   "PYTHON_BIN": str(Path(sys.executable).parent)}
    result = subprocess.run([str(SCRIPT), "start", str(directory), str(replicas)], capture_output=True, text=True,
                            env=environment, timeout=600)
    if result.returncode != 0:
        subprocess.run([str(SCRIPT), "stop", str(directory)], capture_output=True, timeout=120)
        raise RuntimeError(f"deploy/stack.sh failed:\n{result.stdout}\n{result.stderr}")
    settings = dict(line.split("=", 1) for line in (directory / "stack.env").read_text().splitlines() if "=" in line)
    return Stack(directory, settings["PROXY_URL"], settings["MOCK_INTERVIEWER_DATABASE_URL"], replicas)
