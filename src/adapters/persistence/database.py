"""Engines: where the database lives and how SQLite is made safe for concurrent use.

SQLite is the embedded default, in the platform's user data directory. Every
connection turns on foreign keys, WAL (readers never block the writer), a
busy timeout, and ``synchronous=FULL`` (a committed trade survives a crash
of the process or the machine). Every writing transaction starts with
``BEGIN IMMEDIATE``: a use case reads and then writes, and a deferred
transaction that tries to upgrade after another writer committed fails at
once with "database is locked" — immediate transactions queue on the busy
timeout instead. A connection marked ``READ_ONLY`` (a read-only unit of work)
begins deferred: it never writes, so it never upgrades, and in WAL mode it
never waits. Any other URL (``postgresql+asyncpg://…``) is passed through
untouched. The file is created private and watched for a disk that fails under
it (``sqlite_storage.py``).

A SQLite file is served by a pool of ``SQLITE_POOL_SIZE`` connections and no more,
each statement one trip to its connection's thread (``sqlite_driver.py``). Every
aiosqlite connection is a thread that needs the GIL to hand rows back; with one
per concurrent request they fight the event loop for it, and ten of them made the
busy server slower and its tail three times longer than two (HTTP read mix, 10
clients: p95 24 → 13 ms, 890 → 1,020 requests/s). Units of work beyond the pool
wait in turn for a connection; none holds one across a market-data call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.persistence.sqlite_driver import OneTripConnection, OneTripDbapi
from adapters.persistence.sqlite_storage import (
    create_private_directory,
    page_cap,
    watch_sqlite_file,
)

APP_NAME = "wheel-strategy"
DB_FILENAME = "wheel_strategy.db"
BUSY_TIMEOUT_MS = 30_000
SQLITE_POOL_SIZE = 2
"""Connections to a SQLite file: a writer and a reader side by side (see above)."""
READ_ONLY = "wheel_strategy_read_only"
"""The execution option of a connection that only reads: its transactions begin deferred."""


def default_database_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def database_url(path_or_url: str | Path | None = None) -> str:
    """A SQLAlchemy async URL from a file path, a URL, or nothing (the default file)."""
    if path_or_url is None:
        path_or_url = default_database_path()
    text = str(path_or_url)
    if "://" in text:
        return text
    return f"sqlite+aiosqlite:///{Path(text).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL; ``None`` for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def create_engine(path_or_url: str | Path | None = None, **options: Any) -> AsyncEngine:
    url = database_url(path_or_url)
    parsed = make_url(url)
    max_page_count = None
    if parsed.get_backend_name() == "sqlite":
        parsed, max_page_count = page_cap(parsed)
    path = sqlite_path(url)
    if path is not None:
        create_private_directory(path)
    if parsed.get_backend_name() == "sqlite":
        # Every connection goes back to the pool with its transaction ended: SQLAlchemy's
        # Connection rolls back whatever it began when it closes. The pool's own rollback
        # on return would be a second round trip to aiosqlite's thread per request.
        options.setdefault("pool_reset_on_return", None)
        if parsed.get_driver_name() == "aiosqlite":
            options.setdefault("module", OneTripDbapi())
        if path is not None:  # in-memory SQLite has a single connection of its own
            options.setdefault("pool_size", SQLITE_POOL_SIZE)
            options.setdefault("max_overflow", 0)
    engine = create_async_engine(parsed, **options)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
        if path is not None:
            watch_sqlite_file(engine, path, max_page_count)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        statement = "BEGIN" if read_only else "BEGIN IMMEDIATE"
        driver = connection.connection.dbapi_connection
        if isinstance(driver, OneTripConnection):
            driver.begin_with_next(statement)
        else:
            connection.exec_driver_sql(statement)
