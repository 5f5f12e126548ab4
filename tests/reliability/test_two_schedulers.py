"""Two schedulers on one database file, as real processes: exactly one runs the jobs.

Two ``serve`` processes with the scheduler on, or a ``serve`` and a ``wheel-strategy
scheduler run``, share one SQLite file on free loopback ports. The first to beat takes
the scheduler lease and leads; the other stands by, and each one's ``/health`` names
the leader. Stopped — SIGTERM (the lease is released) or SIGKILL (it must lapse) —
the leader's place is taken by the standby. The lease lasts 5 s here (a setting), so
a take-over is a matter of seconds; every wait is on what a process says it did (its
log) or a bounded number of HTTP tries, never a fixed sleep.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from process_logs import LogWatch
from serve_process import STOP_TIMEOUT, clean_environment, free_port, stop

LEASE_SECONDS = 5
"""Short, for the test; not so short that a process starved of CPU by a busy machine
for a beat or two loses its lease (each beats every third of it)."""
START_TIMEOUT = 60.0
"""Seconds a process may take to import, migrate and take its part."""
TAKEOVER_TIMEOUT = 30.0
"""Bound on a take-over: the lease and a beat, with room for a loaded machine."""
LEADS = r"this process \((?P<identity>[^)]+)\) leads the scheduler"
STANDS_BY = r"scheduler started on standby"


@dataclass
class Contender:
    name: str
    process: subprocess.Popen[bytes]
    log: LogWatch
    base_url: str | None = None
    """Where its API answers (``serve`` only)."""

    def health(self) -> dict[str, Any]:
        assert self.base_url is not None
        transport = httpx.HTTPTransport(retries=5)  # the port opens just after the lifespan
        with httpx.Client(base_url=self.base_url, transport=transport, timeout=10.0) as client:
            response = client.get("/api/v1/health")
        assert response.status_code == 200, response.text
        scheduler: dict[str, Any] = response.json()["scheduler"]
        return scheduler

    def wait_for(self, pattern: str, timeout: float, *, after: int = 0) -> str:
        """The first group of ``pattern`` (or the whole match) once the log holds it."""
        match = self.log.wait_for(pattern, timeout, after=after)
        if match is None:
            pytest.fail(f"{self.name} never logged {pattern!r}; its stderr:\n{self.log.text()}")
        return match.groupdict().get("identity") or match.group(0)


@contextmanager
def contenders(tmp_path: Path) -> Iterator[list[Contender]]:
    """Start processes on one database with :func:`start`; all are stopped by PID after."""
    started: list[Contender] = []
    try:
        yield started
    finally:
        for contender in started:
            stop(contender.process)
            contender.log.close()


def start(started: list[Contender], tmp_path: Path, kind: str) -> Contender:
    """``serve`` (with its scheduler on, the default) or ``scheduler run`` on the shared
    ``jobs.db``, with a 2 s lease and no plugins."""
    name = f"{kind}-{len(started) + 1}"
    home = tmp_path / name
    home.mkdir()
    argv = [sys.executable, "-m", "adapters.cli.main", "--db", str(tmp_path / "jobs.db")]
    base_url = None
    if kind == "serve":
        port = free_port()
        argv += ["serve", "--host", "127.0.0.1", "--port", str(port)]
        base_url = f"http://127.0.0.1:{port}"
    else:
        argv += ["scheduler", "run"]
    env = clean_environment(
        home,
        {
            "WHEEL_STRATEGY_SCHEDULER__LEASE_SECONDS": str(LEASE_SECONDS),
            "WHEEL_STRATEGY_SCHEDULER__PLUGINS_DIR": str(home / "no-plugins"),
        },
    )
    process = subprocess.Popen(
        argv,
        cwd=home,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    contender = Contender(name, process, LogWatch(process), base_url)
    started.append(contender)
    return contender


def test_two_servers_one_leads_and_the_standby_takes_over_when_the_leader_is_killed(
    tmp_path: Path,
) -> None:
    with contenders(tmp_path) as started:
        first = start(started, tmp_path, "serve")
        leader = first.wait_for(LEADS, START_TIMEOUT)
        second = start(started, tmp_path, "serve")
        second.wait_for(STANDS_BY, START_TIMEOUT)

        one, two = first.health(), second.health()
        assert (one["status"], one["role"], one["jobs"]) == ("running", "leader", 5)
        assert (two["status"], two["role"], two["jobs"]) == ("standby", "standby", 0)
        assert one["identity"] == leader == one["leader"] == two["leader"]
        assert two["identity"] != leader
        _, pid, _ = two["identity"].rsplit(":", 2)
        assert int(pid) == second.process.pid, "host:pid:suffix"

        killed_at = time.monotonic()
        os.kill(first.process.pid, signal.SIGKILL)  # no release: the lease must lapse
        first.process.wait(timeout=STOP_TIMEOUT)
        assert second.wait_for(LEADS, TAKEOVER_TIMEOUT) == two["identity"]
        took = time.monotonic() - killed_at
        print(f"taken over {took:.2f} s after SIGKILL")  # the figure, seen with -s

        after = second.health()
        assert (after["status"], after["role"], after["jobs"]) == ("running", "leader", 5)
        assert after["leader"] == after["identity"] == two["identity"]
        assert second.log.count(LEADS) == 1, "it took over once"
    assert took >= LEASE_SECONDS * 0.5, f"taken over in {took:.2f} s: before the lease lapsed?"


def test_a_server_stands_by_beside_scheduler_run_and_leads_at_once_when_it_stops(
    tmp_path: Path,
) -> None:
    with contenders(tmp_path) as started:
        headless = start(started, tmp_path, "scheduler")
        leader = headless.wait_for(LEADS, START_TIMEOUT)
        server = start(started, tmp_path, "serve")
        server.wait_for(STANDS_BY, START_TIMEOUT)

        standby = server.health()
        assert (standby["status"], standby["role"]) == ("standby", "standby")
        assert standby["leader"] == leader, "the server names the headless scheduler"

        stopped_at = time.monotonic()
        headless.process.send_signal(signal.SIGTERM)  # a clean stop releases the lease
        assert headless.process.wait(timeout=STOP_TIMEOUT) == 0, headless.log.text()
        assert server.wait_for(LEADS, TAKEOVER_TIMEOUT) == standby["identity"]
        took = time.monotonic() - stopped_at
        print(f"taken over {took:.2f} s after SIGTERM")  # the figure, seen with -s
        now = server.health()
        assert (now["role"], now["leader"]) == ("leader", standby["identity"])
        assert "Scheduler running 5 jobs" in headless.log.text()
