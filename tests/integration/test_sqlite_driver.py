"""The SQLite engine as the server runs it: one trip to aiosqlite's thread per
statement, a small fixed pool, and SQLAlchemy's behaviour (results, row counts,
error translation) unchanged by either."""

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import SqlUnitOfWorkFactory, create_engine, upgrade
from adapters.persistence.database import SQLITE_POOL_SIZE
from adapters.persistence.sqlite_driver import OneTripDbapi

metadata = MetaData()
items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(20), nullable=False, unique=True),
)


@pytest.fixture
async def engine(tmp_path: Path) -> Any:
    engine = create_engine(tmp_path / "driver.db")
    await upgrade(engine)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every function sent to a connection's thread, in order."""
    sent: list[str] = []
    run = aiosqlite.Connection._execute

    async def counting(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(getattr(fn, "__name__", repr(fn)))
        return await run(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counting)
    return sent


def test_file_databases_use_the_one_trip_driver(tmp_path: Path) -> None:
    engine = create_engine(tmp_path / "a.db")
    assert isinstance(engine.dialect.dbapi, OneTripDbapi)
    assert engine.pool.size() == SQLITE_POOL_SIZE  # type: ignore[attr-defined]


async def test_a_read_is_two_trips_begin_with_the_select_then_rollback(
    engine: AsyncEngine, trips: list[str]
) -> None:
    factory = SqlUnitOfWorkFactory(engine)
    async with factory(read_only=True) as uow:  # warm the pool: connecting has trips of its own
        await uow.portfolios.list()
    trips.clear()
    async with factory(read_only=True) as uow:
        assert [p.name for p in await uow.portfolios.list()] == ["default"]
        assert await uow.portfolios.get(999) is None
    # SQLAlchemy's own adapter: BEGIN, then cursor, execute, fetchall and close for each
    # statement, then rollback (12).
    assert trips == ["_execute", "_execute", "rollback"]


async def test_the_transaction_opens_with_its_first_statement(
    engine: AsyncEngine, trips: list[str]
) -> None:
    """Deferred or immediate as before: a writer holds SQLite's write lock from its
    first statement, a reader never takes it; an idle unit of work costs nothing."""
    factory = SqlUnitOfWorkFactory(engine)
    async with factory() as uow:
        await uow.portfolios.list()
        await uow.commit()
    trips.clear()
    async with factory() as uow:
        pass
    async with factory(read_only=True) as uow:
        pass
    assert trips == []

    async with engine.connect() as connection:
        await connection.execute(select(items))
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        assert raw._conn.in_transaction  # the BEGIN ran with the select
    async with factory() as writer:
        await writer.portfolios.list()
        with (
            closing(sqlite3.connect(str(engine.url.database), timeout=0)) as other,
            pytest.raises(sqlite3.OperationalError, match="locked"),
        ):
            other.execute("BEGIN IMMEDIATE")
    async with factory(read_only=True) as reader:
        await reader.portfolios.list()
        with closing(sqlite3.connect(str(engine.url.database), timeout=0)) as other:
            other.execute("BEGIN IMMEDIATE")
            other.rollback()


async def test_rows_description_and_counts_come_back(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        inserted = await connection.execute(insert(items).values(name="a"))
        assert inserted.inserted_primary_key == (1,)
        await connection.execute(insert(items), [{"name": "b"}, {"name": "c"}])
    async with engine.connect() as connection:
        result = await connection.execute(select(items).order_by(items.c.id))
        assert list(result.keys()) == ["id", "name"]
        rows = result.all()
        assert [tuple(r) for r in rows] == [(1, "a"), (2, "b"), (3, "c")]
        none = await connection.execute(select(items).where(items.c.id == 99))
        assert none.first() is None


async def test_rowcount_of_an_update_and_partial_fetches(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(insert(items), [{"name": f"n{k}"} for k in range(5)])
        changed = await connection.execute(
            update(items).where(items.c.id <= 3).values(name=items.c.name + "!")
        )
        assert changed.rowcount == 3
    async with engine.connect() as connection:
        result = await connection.execute(select(items.c.name).order_by(items.c.id))
        assert result.fetchone() == ("n0!",)
        assert result.fetchmany(2) == [("n1!",), ("n2!",)]
        assert result.fetchall() == [("n3",), ("n4",)]


async def test_a_streamed_result_opens_its_transaction_first(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(insert(items), [{"name": f"s{k}"} for k in range(3)])
    async with engine.connect() as connection:
        streamed = await connection.stream(select(items.c.name).order_by(items.c.id))
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        assert raw._conn.in_transaction
        assert [row.name async for row in streamed] == ["s0", "s1", "s2"]


async def test_driver_errors_reach_the_caller_as_sqlalchemy_errors(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(insert(items).values(name="dup"))
    with pytest.raises(IntegrityError, match="UNIQUE"):
        async with engine.begin() as connection:
            await connection.execute(insert(items).values(name="dup"))
    with pytest.raises(OperationalError, match="no such table"):
        async with engine.connect() as connection:
            await connection.execute(text("select * from missing"))
    # The failed transactions left nothing behind and the pool still works.
    async with engine.connect() as connection:
        assert (await connection.execute(select(items.c.name))).all() == [("dup",)]


async def test_more_concurrent_units_than_connections_wait_their_turn(
    engine: AsyncEngine,
) -> None:
    factory = SqlUnitOfWorkFactory(engine)
    most = 0

    async def read() -> int:
        nonlocal most
        async with factory(read_only=True) as uow:
            most = max(most, engine.pool.checkedout())  # type: ignore[attr-defined]
            await asyncio.sleep(0)
            return len(await uow.portfolios.list())

    assert await asyncio.gather(*(read() for _ in range(10))) == [1] * 10
    assert most == SQLITE_POOL_SIZE
