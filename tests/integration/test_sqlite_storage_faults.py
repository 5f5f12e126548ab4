"""The SQLite file and its disk, in-process: created private; deleted, replaced, full or
read-only, a write raises ``StorageError`` naming the cause, nothing is written, reads go
on, and the engine's watch says what ``/health`` will say.

Read-only here is SQLite's ``PRAGMA query_only`` (the driver then refuses writes with
``SQLITE_READONLY``, as on a file it opened read-only), because permissions mean nothing
to root; ``tests/reliability/test_storage_faults.py`` makes the file itself read-only
under a running server where the machine allows it.
"""

import os
import sqlite3
import stat
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import SqlUnitOfWorkFactory, create_engine, open_database, upgrade
from adapters.persistence.sqlite_storage import storage_failure
from adapters.persistence.storage import StorageWatch, storage_status
from wheel_core.domain.entities import Portfolio
from wheel_core.domain.errors import StorageError

T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = await open_database(tmp_path / "w.db")
    try:
        yield engine
    finally:
        await engine.dispose()


async def add(factory: SqlUnitOfWorkFactory, name: str, description: str = "") -> None:
    async with factory() as uow:
        await uow.portfolios.add(Portfolio(name=name, created_at=T0, description=description))
        await uow.commit()


async def names(factory: SqlUnitOfWorkFactory) -> set[str]:
    async with factory(read_only=True) as uow:
        return {p.name for p in await uow.portfolios.list()}


def stored_names(path: Path) -> set[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {name for (name,) in connection.execute("SELECT name FROM portfolios")}
    finally:
        connection.close()


# ── private files ────────────────────────────────────────────────────────────


async def test_a_new_database_file_its_wal_and_its_directory_are_private(tmp_path: Path) -> None:
    target = tmp_path / "fresh" / "w.db"
    previous = os.umask(0o022)  # the usual umask: without care, 0755 and 0644
    try:
        engine = await open_database(target)
        await add(SqlUnitOfWorkFactory(engine), "ira")
        modes = {
            name: stat.S_IMODE(os.stat(target.with_name(name)).st_mode)
            for name in ("w.db", "w.db-wal", "w.db-shm")
        }
        await engine.dispose()
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(target.parent).st_mode) == 0o700
    assert modes == {"w.db": 0o600, "w.db-wal": 0o600, "w.db-shm": 0o600}


async def test_an_existing_directory_keeps_its_permissions(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o755)
    engine = await open_database(tmp_path / "w.db")
    await engine.dispose()
    assert stat.S_IMODE(os.stat(tmp_path).st_mode) == 0o755


# ── gone or replaced ─────────────────────────────────────────────────────────


async def test_a_deleted_file_refuses_writes_keeps_reads_and_says_down(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    factory = SqlUnitOfWorkFactory(engine)
    await add(factory, "before")
    database = tmp_path / "w.db"
    os.link(database, tmp_path / "kept.db")
    database.unlink()

    with pytest.raises(StorageError) as refused:
        await add(factory, "lost")
    assert refused.value.cause == "gone"
    assert str(database) in refused.value.message
    assert "before" in await names(factory)
    status = storage_status(engine)
    assert (status.status, status.cause) == ("down", "gone")
    assert not database.exists()  # nothing created an empty file in its place

    os.link(tmp_path / "kept.db", database)
    await add(factory, "after")
    assert storage_status(engine).status == "ok"
    assert stored_names(database) >= {"before", "after"}
    assert "lost" not in stored_names(database)


async def test_a_file_moved_into_its_place_refuses_writes(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    factory = SqlUnitOfWorkFactory(engine)
    await add(factory, "before")
    other = await open_database(tmp_path / "other.db")
    await other.dispose()
    (tmp_path / "other.db").replace(tmp_path / "w.db")

    with pytest.raises(StorageError) as refused:
        await add(factory, "lost")
    assert refused.value.cause == "gone"
    assert "lost" not in stored_names(tmp_path / "w.db")


async def test_no_new_connection_opens_a_file_that_is_not_the_one(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    (tmp_path / "w.db").unlink()
    await engine.dispose()  # the pool's connections go; the next one must not create a file
    with pytest.raises(StorageError, match="deleted or replaced"):
        await names(SqlUnitOfWorkFactory(engine))
    assert not (tmp_path / "w.db").exists()


# ── full ─────────────────────────────────────────────────────────────────────


async def test_a_full_database_refuses_the_write_whole_and_says_degraded(tmp_path: Path) -> None:
    database = tmp_path / "w.db"
    migrated = await open_database(database)
    await migrated.dispose()
    pages = sqlite3.connect(database).execute("PRAGMA page_count").fetchone()[0]
    engine = create_engine(f"sqlite+aiosqlite:///{database}?max_page_count={pages + 2}")
    factory = SqlUnitOfWorkFactory(engine)
    acknowledged: list[str] = []
    try:
        with pytest.raises(StorageError) as refused:
            for n in range(200):
                await add(factory, f"p{n}", "x" * 1500)
                acknowledged.append(f"p{n}")
        assert refused.value.cause == "full"
        assert acknowledged
        status = storage_status(engine)
        assert (status.status, status.cause) == ("degraded", "full")
        assert set(acknowledged) <= await names(factory)  # reads go on

        async with factory() as uow:  # a write that fits: the disk takes writes again
            await uow.portfolios.delete(
                next(p.id for p in await uow.portfolios.list() if p.name == "p0")
            )
            await uow.commit()
        assert storage_status(engine).status == "ok"
    finally:
        await engine.dispose()
    assert stored_names(database) == {"default", *acknowledged} - {"p0"}


def test_the_page_cap_is_taken_out_of_the_url_and_must_be_a_number(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/w.db?max_page_count=50")
    assert "max_page_count" not in str(engine.url)
    with pytest.raises(ValueError, match="max_page_count must be a whole number"):
        create_engine(f"sqlite+aiosqlite:///{tmp_path}/w.db?max_page_count=lots")


# ── read-only ────────────────────────────────────────────────────────────────


async def test_a_read_only_database_refuses_writes_and_reads_go_on(tmp_path: Path) -> None:
    engine = create_engine(tmp_path / "w.db")
    await upgrade(engine)
    factory = SqlUnitOfWorkFactory(engine)
    await add(factory, "before")
    await engine.dispose()

    @event.listens_for(engine.sync_engine, "connect")
    def _query_only(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    try:
        with pytest.raises(StorageError) as refused:
            await add(factory, "lost")
        assert refused.value.cause == "read_only"
        assert "before" in await names(factory)
        status = storage_status(engine)
        assert (status.status, status.cause) == ("degraded", "read_only")
    finally:
        await engine.dispose()
    assert "lost" not in stored_names(tmp_path / "w.db")


# ── what a driver error means ────────────────────────────────────────────────


def driver_error(message: str, code: int) -> sqlite3.Error:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


def test_driver_errors_name_their_cause(tmp_path: Path) -> None:
    database = tmp_path / "w.db"
    database.write_bytes(b"")
    watch = StorageWatch(database)
    watch.remember_file()

    def cause(message: str, code: int) -> str | None:
        failure = storage_failure(driver_error(message, code), watch)
        return None if failure is None else failure.cause

    assert cause("database or disk is full", 13) == "full"
    assert cause("attempt to write a readonly database", 8) == "read_only"
    assert cause("disk I/O error", 778) == "failed"  # writable, space left: the disk itself
    assert cause("UNIQUE constraint failed", 2067) is None
    assert cause("database is locked", 5) is None
    database.unlink()
    assert cause("disk I/O error", 778) == "gone"
    assert cause("attempt to write a readonly database", 1032) == "gone"  # READONLY_DBMOVED


def test_the_watch_is_degraded_from_a_failed_write_until_one_succeeds(tmp_path: Path) -> None:
    watch = StorageWatch(tmp_path / "w.db")
    assert watch.status().status == "ok"
    watch.failed(StorageError("the database is full", cause="full"))
    assert (watch.status().status, watch.status().cause) == ("degraded", "full")
    watch.succeeded()
    assert watch.status().status == "ok"


def test_a_storage_error_has_a_known_cause() -> None:
    with pytest.raises(ValueError, match="unknown storage failure cause"):
        StorageError("?", cause="tired")
