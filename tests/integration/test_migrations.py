"""Migrations are the only way the schema is made, and they agree with the tables module."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import create_engine, upgrade
from adapters.persistence.migrate import current_revision, downgrade, head_revision
from adapters.persistence.tables import metadata


@pytest.fixture
def engine(blank_sql_engine: AsyncEngine) -> AsyncEngine:
    return blank_sql_engine


async def table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))


async def default_portfolios(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT name FROM portfolios WHERE is_default"))
        return [row[0] for row in rows]


async def test_upgrade_from_empty_reaches_head_with_a_default_portfolio(
    engine: AsyncEngine,
) -> None:
    await upgrade(engine)
    assert await current_revision(engine) == head_revision()
    assert set(metadata.tables) <= await table_names(engine)
    assert await default_portfolios(engine) == ["default"]


async def test_upgrading_again_changes_nothing(engine: AsyncEngine) -> None:
    await upgrade(engine)
    await upgrade(engine)
    assert await default_portfolios(engine) == ["default"]


async def test_downgrade_and_upgrade_round_trip(engine: AsyncEngine) -> None:
    await upgrade(engine)
    await downgrade(engine, "base")
    assert await table_names(engine) <= {"alembic_version"}
    await upgrade(engine)
    assert set(metadata.tables) <= await table_names(engine)
    assert await default_portfolios(engine) == ["default"]


async def test_models_and_migrations_do_not_drift(engine: AsyncEngine) -> None:
    await upgrade(engine)
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": True}), metadata
            )
        )
    assert differences == []


async def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = create_engine(tmp_path / "pragmas.db")
    await upgrade(engine)
    async with engine.connect() as connection:
        pragmas = {
            name: (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    await engine.dispose()
    assert pragmas == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 30000,
        "synchronous": 2,
    }


async def test_opening_a_database_migrates_it(tmp_path: Path) -> None:
    from adapters.persistence import open_database

    engine = await open_database(tmp_path / "fresh" / "w.db")
    assert await current_revision(engine) == head_revision()
    assert await default_portfolios(engine) == ["default"]
    await engine.dispose()
