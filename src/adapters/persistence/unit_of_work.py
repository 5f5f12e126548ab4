"""The SQL unit of work: one connection, one transaction, every repository.

Leaving ``async with`` without ``commit()`` rolls back; so does an exception.
The connection goes back to the pool either way. A write the disk cannot take raises
``StorageError`` (see ``storage.py``).
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.persistence.database import READ_ONLY
from adapters.persistence.repositories.monitoring import (
    SqlAlertRepository,
    SqlOpportunityRepository,
    SqlWatchlistRepository,
)
from adapters.persistence.repositories.operations import SqlJobRunRepository, SqlSettingRepository
from adapters.persistence.repositories.portfolios import SqlPortfolioRepository, SqlWheelRepository
from adapters.persistence.repositories.trades import (
    SqlShareMoveRepository,
    SqlSnapshotRepository,
    SqlTradeRepository,
)
from adapters.persistence.storage import OPENED_READ_ONLY, watch


class SqlUnitOfWork:
    def __init__(
        self, engine: AsyncEngine, turn: asyncio.Lock | None = None, *, read_only: bool = False
    ) -> None:
        self._engine = engine
        self._turn = None if read_only else turn
        self.read_only = read_only
        self._connection: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        # The transaction begins with the first statement (SQLAlchemy's autobegin), so a
        # unit of work that reads nothing holds no lock.
        if self._turn is not None:
            await self._turn.acquire()
        try:
            connection = await self._engine.connect()
            if self.read_only:
                # A deferred BEGIN (see database.py): a reader on a WAL file never waits.
                await connection.execution_options(**{READ_ONLY: True})
            elif connection.info.get(OPENED_READ_ONLY):
                # Opened while the file could not be written, it never will write, even now
                # that the file may be writable again: a writer takes a fresh connection.
                await connection.invalidate()
                await connection.close()
                connection = await self._engine.connect()
        except BaseException:
            self._release()
            raise
        self._connection = connection
        self.portfolios = SqlPortfolioRepository(connection)
        self.wheels = SqlWheelRepository(connection)
        self.trades = SqlTradeRepository(connection)
        self.share_moves = SqlShareMoveRepository(connection)
        self.snapshots = SqlSnapshotRepository(connection)
        self.alerts = SqlAlertRepository(connection)
        self.watchlist = SqlWatchlistRepository(connection)
        self.opportunities = SqlOpportunityRepository(connection)
        self.job_runs = SqlJobRunRepository(connection)
        self.settings = SqlSettingRepository(connection)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if connection.in_transaction():
                await connection.rollback()
        finally:
            try:
                await connection.close()
            finally:
                self._release()

    def _release(self) -> None:
        if self._turn is not None and self._turn.locked():
            self._turn.release()

    def _require(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("use the unit of work inside 'async with'")
        return self._connection

    async def commit(self) -> None:
        """Make this transaction's writes durable; further work starts a new transaction."""
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        connection = self._require()
        storage = watch(self._engine)
        storage.check_file()  # the file gone or replaced: refuse, and roll back on leaving
        try:
            await connection.commit()
        except Exception:
            # SQLAlchemy counts a failed commit as the end of its transaction and will not
            # roll it back, while the driver may still hold it open (and SQLite its write
            # lock): the connection is dropped, not handed to the next unit of work.
            await connection.invalidate()
            raise
        storage.succeeded()  # the disk takes writes again: /health stops saying otherwise

    async def rollback(self) -> None:
        await self._require().rollback()


class SqlUnitOfWorkFactory:
    """Hands out units of work over one engine (and its connection pool).

    On SQLite, units of work from one factory take turns on an ``asyncio.Lock``: every
    writing transaction there is ``BEGIN IMMEDIATE`` (one writer at a time), and a
    transaction that finds the file locked retries in SQLite's busy handler with sleeps
    of up to 100 ms. Queueing in the process instead hands the file over the moment it
    is free, which is what keeps a busy server's tail latency in milliseconds. Other
    processes (the CLI in direct mode) still meet the file lock and its busy timeout.

    Read-only units of work skip the queue: their transaction is a deferred ``BEGIN``
    that only ever reads, and in WAL mode readers and the writer do not block each other.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._turn = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    def __call__(self, *, read_only: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self._turn, read_only=read_only)
