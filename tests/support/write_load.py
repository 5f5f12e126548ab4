"""Concurrent HTTP writes against a real server, with every acknowledged write recorded.

A few threads, each with its own ``httpx.Client`` (its own connection), repeat one
unit of work: ``POST /portfolios`` with a unique name, then ``POST
/portfolios/{id}/wheels`` for the portfolio just made. Every ``201`` is recorded
with what it said was stored, so a test can kill the server at any moment and
then check that each acknowledged write is there after a restart. A writer stops
at its first transport error (the server is gone), after ``max_requests`` or at
its deadline, whichever comes first: the load is bounded in count and in time.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import httpx

SYMBOL = "KILL"


@dataclass
class Acknowledged:
    """What the server said it stored: portfolio id → name, wheel id → portfolio id."""

    portfolios: dict[int, str] = field(default_factory=dict)
    wheels: dict[int, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.portfolios) + len(self.wheels)

    def update(self, other: Acknowledged) -> None:
        self.portfolios.update(other.portfolios)
        self.wheels.update(other.wheels)


class WriteLoad:
    """``writers`` threads writing to ``base_url``; names start with ``tag``."""

    def __init__(
        self,
        base_url: str,
        *,
        tag: str,
        writers: int = 4,
        max_requests: int = 500,
        seconds: float = 60.0,
    ) -> None:
        self.base_url, self.tag = base_url, tag
        self.max_requests, self.seconds = max_requests, seconds
        self.acknowledged = Acknowledged()
        self.cut_off = 0
        """Writers that stopped on a transport error: their last request was in flight
        (or refused) when the server went away."""
        self.unexpected: list[str] = []
        """Answers other than 201: none are expected while the server runs."""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._reached = threading.Event()
        self._target = 0
        self._threads = [
            threading.Thread(target=self._write, args=(n,), name=f"writer-{n}", daemon=True)
            for n in range(writers)
        ]

    def start(self, *, signal_after: int) -> None:
        """Start writing; ``wait_for_target`` returns once ``signal_after`` writes
        were acknowledged."""
        self._target = signal_after
        for thread in self._threads:
            thread.start()

    def wait_for_target(self, timeout: float) -> bool:
        return self._reached.wait(timeout)

    def join(self, timeout: float) -> None:
        """Wait for every writer to stop (they do at the first transport error once
        the server is gone); past ``timeout`` they are told to stop."""
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._stop.set()
        for thread in self._threads:
            thread.join(5.0)

    def _write(self, writer: int) -> None:
        deadline = time.monotonic() + self.seconds
        with httpx.Client(base_url=self.base_url, timeout=10.0) as client:
            for sequence in range(self.max_requests):
                if self._stop.is_set() or time.monotonic() > deadline:
                    return
                name = f"{self.tag}-w{writer}-{sequence}"
                try:
                    portfolio = client.post("/api/v1/portfolios", json={"name": name})
                    if not self._record(portfolio, self.acknowledged.portfolios, name):
                        continue
                    portfolio_id = portfolio.json()["id"]
                    wheel = client.post(
                        f"/api/v1/portfolios/{portfolio_id}/wheels", json={"symbol": SYMBOL}
                    )
                    self._record(wheel, self.acknowledged.wheels, portfolio_id)
                except httpx.TransportError:
                    with self._lock:
                        self.cut_off += 1
                    return

    def _record(self, response: httpx.Response, into: dict[int, object], value: object) -> bool:
        with self._lock:
            if response.status_code != 201:
                self.unexpected.append(f"{response.status_code} {response.text[:200]}")
                return False
            into[response.json()["id"]] = value
            if len(self.acknowledged) >= self._target:
                self._reached.set()
            return True
