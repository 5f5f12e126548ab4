"""Read-only units of work on SQLite: they take no turn in the writers' queue and begin
deferred, so a reader neither waits for a writer of this process nor for one of another
process (WAL), and it reads the last committed state.

``asyncio.wait_for`` here is a guard against a hang, not a measurement: without the
behaviour under test these awaits would never finish."""

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from adapters.persistence import SqlUnitOfWorkFactory, create_engine, upgrade
from adapters.persistence.inspection import ping, row_counts
from wheel_core.domain.entities import Portfolio

T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
GUARD = 30  # seconds before a hang is reported as a failure
GUARD_SHORT = 5  # the same, where the hang would be SQLite's 30 s busy timeout


async def names(factory: SqlUnitOfWorkFactory) -> list[str]:
    async with factory(read_only=True) as uow:
        return [p.name for p in await uow.portfolios.list()]


async def test_a_reader_does_not_queue_behind_a_writer_of_this_process(tmp_path: Path) -> None:
    engine = create_engine(tmp_path / "r.db")
    await upgrade(engine)
    factory = SqlUnitOfWorkFactory(engine)
    try:
        async with factory() as writer:  # holds the writers' turn and the file's write lock
            await writer.portfolios.add(Portfolio(name="pending", created_at=T0))

            another_writer = asyncio.create_task(names_via_writer(factory))
            for _ in range(20):
                await asyncio.sleep(0)
            assert not another_writer.done()  # a writing unit of work waits its turn...

            # ...a reader does not, and sees only what is committed.
            assert await asyncio.wait_for(names(factory), GUARD) == ["default"]
            await writer.commit()
        assert await asyncio.wait_for(another_writer, GUARD) == ["default", "pending"]
        assert await names(factory) == ["default", "pending"]
    finally:
        await engine.dispose()


async def names_via_writer(factory: SqlUnitOfWorkFactory) -> list[str]:
    async with factory() as uow:
        return [p.name for p in await uow.portfolios.list()]


async def test_an_open_reader_does_not_hold_off_a_writer_of_another_process(
    tmp_path: Path,
) -> None:
    """A deferred transaction takes no write lock: another engine (the CLI in direct
    mode) commits while the reader's transaction is open, and the reader keeps its
    snapshot until it ends."""
    path = tmp_path / "two.db"
    server, cli = create_engine(path), create_engine(path)
    await upgrade(server)
    try:
        async with SqlUnitOfWorkFactory(server)(read_only=True) as reader:
            assert [p.name for p in await reader.portfolios.list()] == ["default"]

            async def write() -> None:
                async with SqlUnitOfWorkFactory(cli)() as uow:
                    await uow.portfolios.add(Portfolio(name="from-cli", created_at=T0))
                    await uow.commit()

            await asyncio.wait_for(write(), GUARD)
            assert [p.name for p in await reader.portfolios.list()] == ["default"]
        assert await names(SqlUnitOfWorkFactory(server)) == ["default", "from-cli"]
    finally:
        await server.dispose()
        await cli.dispose()


async def test_a_connection_goes_back_to_the_pool_with_nothing_held(tmp_path: Path) -> None:
    """The pool does not roll back on return (one round trip fewer per request), so the
    connection must come back clean however it was left: an uncommitted write and a
    failed unit of work both release the file's write lock and leave no trace."""
    path = tmp_path / "pool.db"
    server, cli = create_engine(path), create_engine(path)
    await upgrade(server)
    factory = SqlUnitOfWorkFactory(server)
    try:
        async with server.connect() as connection:  # a write, never committed
            await connection.exec_driver_sql("UPDATE portfolios SET description = 'lost'")
        try:
            async with factory() as uow:
                await uow.portfolios.add(Portfolio(name="failed", created_at=T0))
                raise RuntimeError("the use case fails")
        except RuntimeError:
            pass

        async def write_elsewhere() -> None:  # would wait on a lock left held
            async with SqlUnitOfWorkFactory(cli)() as uow:
                await uow.portfolios.add(Portfolio(name="from-cli", created_at=T0))
                await uow.commit()

        await asyncio.wait_for(write_elsewhere(), GUARD)
        async with factory(read_only=True) as uow:
            portfolios = await uow.portfolios.list()
        assert [p.name for p in portfolios] == ["default", "from-cli"]
        assert {p.description for p in portfolios} == {""}
    finally:
        await server.dispose()
        await cli.dispose()


async def test_health_checks_read_without_the_write_lock(tmp_path: Path) -> None:
    """``/health`` and ``/system/info`` go straight to the engine: while another process
    holds the write lock they still answer at once, with what is committed, instead of
    waiting in SQLite's busy handler on one of the pool's two connections."""
    path = tmp_path / "health.db"
    engine = create_engine(path)
    await upgrade(engine)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO portfolios (name, description, capital, is_default, created_at)"
            " VALUES ('uncommitted', '', '0', 0, '2026-01-05 15:00:00')"
        )
        await asyncio.wait_for(ping(engine), GUARD_SHORT)
        counts = await asyncio.wait_for(row_counts(engine), GUARD_SHORT)
        assert counts["portfolios"] == 1  # the default one; the insert is not committed
    finally:
        other.close()
        await engine.dispose()
