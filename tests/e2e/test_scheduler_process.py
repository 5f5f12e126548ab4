"""``wheel-strategy scheduler run`` as a real process: it starts the jobs, says so, and
stops cleanly (exit 0) on SIGTERM, leaving the run history where the server finds it."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path

from serve_process import STOP_TIMEOUT, clean_environment, stop

READY_TIMEOUT = 60.0
"""Seconds the process may take to import, migrate and start the jobs."""


def read_until(process: subprocess.Popen[bytes], marker: bytes) -> bytes:
    """stderr until it holds ``marker`` (or the process ends, or time runs out): waiting
    on the pipe, never sleeping. Raw reads of the descriptor: a buffered ``readline``
    could hold the marker in its buffer while ``select`` waits for more."""
    assert process.stderr is not None
    descriptor = process.stderr.fileno()
    seen = b""
    with selectors.DefaultSelector() as selector:
        selector.register(descriptor, selectors.EVENT_READ)
        while marker not in seen:
            if not selector.select(timeout=READY_TIMEOUT):
                break
            chunk = os.read(descriptor, 65536)
            if not chunk:
                break
            seen += chunk
    return seen


def test_the_headless_scheduler_starts_its_jobs_and_stops_on_sigterm(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "adapters.cli.main", "--db", str(tmp_path / "jobs.db"),
            "scheduler", "run"]  # fmt: skip
    process = subprocess.Popen(
        argv,
        cwd=tmp_path,
        env=clean_environment(tmp_path, {}),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        started = read_until(process, b"Ctrl-C stops it.")
        assert b"Scheduler running 5 jobs; next " in started, started.decode()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=STOP_TIMEOUT)
        err = started + err
    finally:
        stop(process)
    assert process.returncode == 0, err.decode()
    assert out == b"Scheduler stopped.\n"
    assert (tmp_path / "jobs.db").stat().st_size > 0, "the database was created and migrated"


def test_the_headless_scheduler_refuses_remote_mode(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli.main", "--api-url", "http://127.0.0.1:9",
         "scheduler", "run"],
        cwd=tmp_path,
        env=clean_environment(tmp_path, {}),
        capture_output=True,
        timeout=STOP_TIMEOUT * 3,
        check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert b"scheduler run works on the database itself" in done.stderr
    assert not list(tmp_path.glob("*.db"))
