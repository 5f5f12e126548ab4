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


REVISION_TRIGGERS = {
    "wheels_revision_insert",
    "wheels_revision_update",
    *(
        f"{table}_revision_{event}"
        for table in ("trades", "share_moves")
        for event in ("insert", "update", "delete")
    ),
}


async def sqlite_triggers(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        rows = await connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        )
        return {row[0] for row in rows}


async def test_0003_adds_wheel_revisions_to_a_file_with_history_and_takes_them_away(
    tmp_path: Path,
) -> None:
    """On a real file: 0002 with a wheel and a trade, up to 0003 (every wheel starts at
    revision 1 and the triggers move it), down to 0002 (the history is intact and the
    column, counter and triggers are gone) and up again."""
    engine = create_engine(tmp_path / "revisions.db")
    try:
        await upgrade(engine, "0002")
        async with engine.begin() as connection:
            await connection.exec_driver_sql(
                "INSERT INTO wheels (id, portfolio_id, symbol, profile, capital, state, shares,"
                " active, created_at, updated_at) VALUES (7, 1, 'KO', 'moderate', '6000',"
                " 'put_open', 0, 1, '2026-01-05 15:00:00.000000', '2026-01-05 15:00:00.000000')"
            )
            await connection.exec_driver_sql(
                "INSERT INTO trades (wheel_id, symbol, option_type, strike, expiration,"
                " premium, contracts, fees, opened_at) VALUES (7, 'KO', 'put', '60',"
                " '2026-01-16', '0.80', 1, '0', '2026-01-05 15:00:00.000000')"
            )
        await upgrade(engine, "0003")
        assert await sqlite_triggers(engine) == REVISION_TRIGGERS

        async def revision() -> int:
            async with engine.connect() as connection:
                return int(
                    (
                        await connection.exec_driver_sql("SELECT revision FROM wheels WHERE id = 7")
                    ).scalar_one()
                )

        assert await revision() == 1
        async with engine.begin() as connection:
            await connection.exec_driver_sql("UPDATE trades SET premium = '0.85'")
        assert await revision() == 2
        async with engine.begin() as connection:
            await connection.exec_driver_sql("UPDATE wheels SET capital = '6100'")
        assert await revision() == 3

        await downgrade(engine, "0002")
        assert await current_revision(engine) == "0002"
        assert await sqlite_triggers(engine) == set()
        assert "revision_counter" not in await table_names(engine)
        async with engine.connect() as connection:
            columns = await connection.run_sync(
                lambda c: {column["name"] for column in inspect(c).get_columns("wheels")}
            )
            premium = (await connection.exec_driver_sql("SELECT premium FROM trades")).scalar_one()
        assert "revision" not in columns
        assert premium == "0.85"
        async with engine.begin() as connection:  # no trigger left to trip over
            await connection.exec_driver_sql("UPDATE trades SET premium = '0.90'")

        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        assert await revision() == 1
        assert await sqlite_triggers(engine) >= REVISION_TRIGGERS
    finally:
        await engine.dispose()


async def test_the_head_schema_keeps_every_revision_trigger(tmp_path: Path) -> None:
    """A later migration that recreates wheels, trades or share_moves (SQLite's
    move-and-copy) drops their triggers unless it makes them again."""
    engine = create_engine(tmp_path / "head.db")
    try:
        await upgrade(engine)
        assert await sqlite_triggers(engine) >= REVISION_TRIGGERS
    finally:
        await engine.dispose()
