"""The SQL unit of work: one connection, one transaction, every repository.

Leaving ``async with`` without ``commit()`` rolls back; so does an exception.
The connection goes back to the pool either way.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.persistence.repositories import (
    SqlAlertRepository,
    SqlJobRunRepository,
    SqlPortfolioRepository,
    SqlSettingRepository,
    SqlShareMoveRepository,
    SqlSnapshotRepository,
    SqlTradeRepository,
    SqlWheelRepository,
)


class SqlUnitOfWork:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        # The transaction begins with the first statement (SQLAlchemy's autobegin), so a
        # unit of work that reads nothing holds no lock.
        connection = await self._engine.connect()
        self._connection = connection
        self.portfolios = SqlPortfolioRepository(connection)
        self.wheels = SqlWheelRepository(connection)
        self.trades = SqlTradeRepository(connection)
        self.share_moves = SqlShareMoveRepository(connection)
        self.snapshots = SqlSnapshotRepository(connection)
        self.alerts = SqlAlertRepository(connection)
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
            await connection.close()

    def _require(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("use the unit of work inside 'async with'")
        return self._connection

    async def commit(self) -> None:
        """Make this transaction's writes durable; further work starts a new transaction."""
        await self._require().commit()

    async def rollback(self) -> None:
        await self._require().rollback()


class SqlUnitOfWorkFactory:
    """Hands out units of work over one engine (and its connection pool)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)
