"""Alembic environment: migrations run on a connection handed over by ``migrate.py``,
or on ``sqlalchemy.url`` when Alembic's own command line is used."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from adapters.persistence.database import create_engine
from adapters.persistence.tables import metadata

config = context.config


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_from_url() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    async with engine.connect() as connection:
        await connection.run_sync(run_on)
        await connection.commit()
    await engine.dispose()


handed_over = config.attributes.get("connection")
if handed_over is not None:
    run_on(handed_over)
else:
    asyncio.run(run_from_url())
