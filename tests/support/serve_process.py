"""A real ``wheel-strategy serve`` process for end-to-end tests, started and stopped by PID.

The server runs as ``python -m adapters.cli.main serve`` on a free port on
127.0.0.1, with its database in ``tmp_path`` and an environment that holds no
real configuration (``HOME`` and the XDG directories point into ``tmp_path``, the
working directory is ``tmp_path``, every ``WHEEL_*`` variable is removed). It is
stopped by PID in a ``finally``. Its stderr goes to a file, so a full pipe can
never block it and the test can read every log line afterwards.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

TOKEN = "e2e-token-4b8d2f7e1a"
STARTUP_ROUNDS = 4
"""Readiness rounds; each lets httpx retry the connection 5 times with exponential
back-off (0 + 0.5 + 1 + 2 + 4 s), so the server has up to ~30 s to import and migrate."""
STOP_TIMEOUT = 20.0


@dataclass(frozen=True)
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    """A port nothing listens on now (the OS picks it for a socket bound to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def clean_environment(tmp_path: Path, extra: Mapping[str, str]) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WHEEL_")}
    environ.update(
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        PYTHONUNBUFFERED="1",
    )
    environ.update(extra)
    return environ


def wait_until_ready(server: Server, headers: Mapping[str, str]) -> None:
    """Poll ``GET /api/v1/portfolios`` a bounded number of times; fail with the log if
    the process dies or never answers."""
    transport = httpx.HTTPTransport(retries=5)
    with httpx.Client(base_url=server.base_url, transport=transport, timeout=5.0) as client:
        for _ in range(STARTUP_ROUNDS):
            if server.process.poll() is not None:
                break
            try:
                client.get("/api/v1/portfolios", headers=dict(headers))
            except httpx.TransportError:
                continue
            return
    pytest.fail(f"the server did not become ready; its stderr:\n{server.stderr()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn shuts down gracefully), then SIGKILL if it does not exit in time."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


@contextmanager
def running_server(
    tmp_path: Path,
    *,
    env: Mapping[str, str] | None = None,
    headers: Mapping[str, str] = {},
    default_db: bool = False,
) -> Iterator[Server]:
    """``default_db``: no ``--db``, as the README's first command runs it (the file then
    lands in the user data directory, which the clean environment puts in ``tmp_path``)."""
    port = free_port()
    log = tmp_path / "server.stderr"
    argv = [
        sys.executable,
        "-m",
        "adapters.cli.main",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    if not default_db:
        argv += ["--db", str(tmp_path / "e2e.db")]
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            argv,
            cwd=tmp_path,
            env=clean_environment(tmp_path, env or {}),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until_ready(server, headers)
        yield server
    finally:
        stop(process)
