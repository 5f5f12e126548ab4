"""What the health and info endpoints ask of the database, beyond the repositories."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import tables

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
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        counts: dict[str, int] = {}
        for table in COUNTED:
            found = await connection.scalar(select(func.count()).select_from(table))
            counts[table.name] = int(found or 0)
        return counts
