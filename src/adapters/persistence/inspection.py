"""What the health and info endpoints ask of the database, beyond the repositories."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.persistence import tables
from adapters.persistence.database import READ_ONLY

COUNTED = (
    tables.portfolios,
    tables.wheels,
    tables.trades,
    tables.share_moves,
    tables.snapshots,
    tables.alerts,
    tables.job_runs,
)


async def ping(engine: AsyncEngine) -> None:
    """One round trip; raises whatever the driver raises when the database is unusable."""
    async with _reading(engine) as connection:
        await connection.execute(text("SELECT 1"))


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with _reading(engine) as connection:
        counts: dict[str, int] = {}
        for table in COUNTED:
            found = await connection.scalar(select(func.count()).select_from(table))
            counts[table.name] = int(found or 0)
        return counts


def _reading(engine: AsyncEngine) -> AsyncConnection:
    """A connection whose transactions begin deferred (see ``database.py``): a health
    check must neither wait for another process's write lock, holding one of the pool's
    few connections meanwhile, nor report the database down because a writer is busy."""
    return engine.execution_options(**{READ_ONLY: True}).connect()
