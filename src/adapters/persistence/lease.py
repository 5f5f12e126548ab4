"""The scheduler lease over SQL: one row, taken and renewed by one conditional UPDATE.

``UPDATE scheduler_lease SET holder = :me, expires_at = :now + ttl … WHERE name =
'scheduler' AND (holder = :me OR holder IS NULL OR expires_at <= :now)`` is the whole
election. It is atomic on both databases without anything dialect-specific: SQLite
runs one writer at a time (every writing transaction is ``BEGIN IMMEDIATE``), and
PostgreSQL makes a second UPDATE of the row wait for the first to commit, then checks
its ``WHERE`` again against the row the winner wrote — which no longer matches. So of
two contenders for a lapsed lease exactly one wins; the other reads the winner.

The row is made by migration 0005. Should it be gone (deleted by hand), it is made
again by an INSERT that a concurrent contender may win (the primary key refuses the
second), after which the UPDATE above decides as always.

The lease writes in transactions of its own, beside the units of work: it is no use
case's data, and the scheduler asks for it on a heartbeat, not in a request.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, case, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.persistence.columns import UtcDateTime
from adapters.persistence.database import READ_ONLY
from adapters.persistence.tables import scheduler_lease
from adapters.scheduler.lease import LeaseView

LEASE_NAME = "scheduler"
_c = scheduler_lease.c


class SqlSchedulerLease:
    """:class:`~adapters.scheduler.lease.SchedulerLease` on the database's lease row."""

    def __init__(self, engine: AsyncEngine, name: str = LEASE_NAME) -> None:
        self._engine = engine
        self._name = name

    async def acquire_or_renew(self, holder: str, now: datetime, ttl: timedelta) -> LeaseView:
        view = await self._take(holder, now, ttl)
        if view is None:  # no row at all: make it (or lose the race to make it), then take
            await self._recreate()
            view = await self._take(holder, now, ttl)
        return view or LeaseView()

    async def release(self, holder: str) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                update(scheduler_lease)
                .where(_c.name == self._name, _c.holder == holder)
                .values(holder=None, acquired_at=None, renewed_at=None, expires_at=None)
            )

    async def current(self) -> LeaseView:
        async with self._engine.connect() as connection:
            await connection.execution_options(**{READ_ONLY: True})
            return await self._read(connection) or LeaseView()

    async def _take(self, holder: str, now: datetime, ttl: timedelta) -> LeaseView | None:
        """The conditional UPDATE and, in the same transaction, the row it left; ``None``
        when there is no row."""
        mine = _c.holder == holder
        lapsed = or_(_c.holder.is_(None), _c.expires_at.is_(None), _c.expires_at <= now)
        taken_now = bindparam("taken_now", now, type_=UtcDateTime)
        async with self._engine.begin() as connection:
            await connection.execute(
                update(scheduler_lease)
                .where(_c.name == self._name, or_(mine, lapsed))
                .values(
                    holder=holder,
                    acquired_at=case((mine, _c.acquired_at), else_=taken_now),
                    renewed_at=now,
                    expires_at=now + ttl,
                )
            )
            return await self._read(connection)

    async def _recreate(self) -> None:
        try:
            async with self._engine.begin() as connection:
                await connection.execute(insert(scheduler_lease).values(name=self._name))
        except IntegrityError:  # another contender made it first: the row is there
            pass

    async def _read(self, connection: AsyncConnection) -> LeaseView | None:
        """The lease row; ``None`` when there is none."""
        statement = select(_c.holder, _c.acquired_at, _c.renewed_at, _c.expires_at).where(
            _c.name == self._name
        )
        row = (await connection.execute(statement)).one_or_none()
        if row is None:
            return None
        return LeaseView(
            holder=row.holder,
            acquired_at=row.acquired_at,
            renewed_at=row.renewed_at,
            expires_at=row.expires_at,
        )
