"""The scheduler lease: which one process runs the jobs.

Every process that may run the background jobs — each ``serve`` with the scheduler on,
``wheel-strategy scheduler run`` — contends for one lease row in the database. The
holder runs the jobs and renews the lease on a heartbeat (every third of its time to
live); the others stand by and try again on the same beat, taking the lease over once
it lapses. A leader that cannot renew before the lease expires steps down by itself, so
two processes never both start scheduled runs.

The scheduler depends on :class:`SchedulerLease` only; persistence implements it over
the database (``adapters/persistence/lease.py``), and :class:`InMemoryLease` holds it
in one process (the tests' fake, held to the same contract). Every method takes the
time from the caller's clock: the database compares instants, it never reads a clock.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Protocol

import msgspec

from adapters.scheduler.owners import this_process


class LeaseView(msgspec.Struct, frozen=True, kw_only=True):
    """The lease as stored: who holds it and until when (``None``: nobody ever, or it was
    released). A holder whose ``expires_at`` has passed holds nothing any more."""

    holder: str | None = None
    expires_at: datetime | None = None
    acquired_at: datetime | None = None
    """When the current holder took the lease (renewals keep it)."""
    renewed_at: datetime | None = None
    """The holder's last heartbeat."""

    def leader_at(self, now: datetime) -> str | None:
        """Who leads at ``now``: the holder while the lease runs, else nobody."""
        if self.holder is None or self.expires_at is None or self.expires_at <= now:
            return None
        return self.holder


class SchedulerLease(Protocol):
    async def acquire_or_renew(self, holder: str, now: datetime, ttl: timedelta) -> LeaseView:
        """Take the lease for ``holder`` until ``now + ttl`` if it is free, lapsed at
        ``now`` or already ``holder``'s — in one atomic step, so of two contenders at most
        one wins — and answer the lease as it stands afterwards (``holder`` leads when the
        answer names it)."""
        ...

    async def release(self, holder: str) -> None:
        """Give the lease up, if ``holder`` still holds it (a stopping leader: the standby
        takes over at its next beat instead of after the lease lapses)."""
        ...

    async def current(self) -> LeaseView:
        """The lease as stored now."""
        ...


def new_identity() -> str:
    """``host:pid:suffix``: the process, as job runs name it (``owners.py``), and a random
    suffix, so a process that reuses a dead one's pid is not taken for its holder."""
    return f"{this_process()}:{secrets.token_hex(4)}"


class InMemoryLease:
    """The lease held in this process's memory: contenders are schedulers sharing it."""

    def __init__(self) -> None:
        self.view = LeaseView()

    async def acquire_or_renew(self, holder: str, now: datetime, ttl: timedelta) -> LeaseView:
        stored = self.view
        if stored.holder == holder or stored.leader_at(now) is None:
            acquired = stored.acquired_at if stored.holder == holder else now
            self.view = LeaseView(
                holder=holder, expires_at=now + ttl, acquired_at=acquired, renewed_at=now
            )
        return self.view

    async def release(self, holder: str) -> None:
        if self.view.holder == holder:
            self.view = LeaseView()

    async def current(self) -> LeaseView:
        return self.view
