"""The SQLite file and its disk: created private, watched for being taken away, and its
failures named.

- **Private**: the file is created ``0600`` in a directory created ``0700`` (its
  ``-wal`` and ``-shm`` take the file's permissions: SQLite copies them), because it
  holds a trading history, like the backups.
- **Gone or replaced**: a SQLite connection keeps writing to the file it opened even
  after that file is deleted or another is moved into its place — every write
  acknowledged, every one lost at the next start. The file's device and inode are
  remembered at the first connection; the unit of work checks them before it commits
  (reads pay nothing), and a new connection refuses to open (and so create, empty) a
  file that is not the one.
- **Full, read-only, failing**: the driver's ``SQLITE_FULL`` and ``SQLITE_READONLY``
  become :class:`~wheel_core.domain.errors.StorageError` with the cause, and so does
  ``SQLITE_IOERR`` — a write through an open descriptor to a file made read-only (a
  file system remounted read-only, an immutable file) fails with ``EROFS``/``EPERM``,
  which SQLite reports as an I/O error; the file is then looked at to name the cause.

``?max_page_count=N`` in the database URL caps the file at ``N`` pages on every
connection (SQLite's pragma is per connection): past it, writes fail as on a full disk.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence.storage import OPENED_READ_ONLY, StorageWatch, read_only, watch, writable
from wheel_core.domain.errors import StorageError

PRIVATE_FILE = 0o600
PRIVATE_DIRECTORY = 0o700
MAX_PAGE_COUNT = "max_page_count"
"""The database URL's query key for the page cap (see the module docstring)."""

_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_READONLY_DBMOVED = _SQLITE_READONLY | (4 << 8)


def page_cap(url: URL) -> tuple[URL, int | None]:
    """The URL without our ``max_page_count`` key (SQLAlchemy would pass it to the driver),
    and the cap it asked for."""
    raw = url.query.get(MAX_PAGE_COUNT)
    if raw is None:
        return url, None
    text = raw if isinstance(raw, str) else raw[-1]
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"the database URL's {MAX_PAGE_COUNT} must be a whole number of pages")
    return url.difference_update_query([MAX_PAGE_COUNT]), int(text)


def create_private_directory(path: Path) -> None:
    """The file's directory, made ``0700`` if this creates it (its parents as usual; an
    existing directory is left as the user has it)."""
    path.parent.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)


def watch_sqlite_file(engine: AsyncEngine, path: Path, max_page_count: int | None) -> None:
    """Hook the engine's connections and driver errors to the file's watch (the unit of
    work checks the file before it commits)."""
    watched = watch(engine, path)
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "do_connect")
    def _before_connect(*_: Any) -> None:
        # Before sqlite3 opens (and, if it is missing, creates) the file.
        if watched.opened:
            watched.check_file()
        else:
            _create_private_file(path)

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        watched.remember_file()
        if not writable(path):  # sqlite3 fell back to opening it read-only
            record.info[OPENED_READ_ONLY] = True
        if max_page_count is not None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA max_page_count={max_page_count}")
            cursor.close()

    @event.listens_for(sync_engine, "handle_error")
    def _on_error(context: ExceptionContext) -> StorageError | None:
        failure = storage_failure(context.original_exception, watched)
        if failure is None:
            return None
        if failure.cause != StorageError.GONE:
            watched.failed(failure)
        # This connection is dropped (not the pool's others): one that opened the file
        # while it was read-only stays read-only, and one whose write failed may still hold
        # its transaction. The next connection sees the disk as it is by then.
        context.is_disconnect = True
        context.invalidate_pool_on_disconnect = False
        return failure


def _create_private_file(path: Path) -> None:
    """An empty file is a valid empty SQLite database; creating it first, ``0600``,
    decides its permissions (and its ``-wal``'s and ``-shm``'s) instead of the umask."""
    create_private_directory(path)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def storage_failure(error: BaseException, watched: StorageWatch) -> StorageError | None:
    """The storage failure behind a driver error; ``None`` when it is none (a constraint,
    a lock, a bad statement...)."""
    driver_error = _sqlite_error(error)
    if driver_error is None:
        return None
    code = driver_error.sqlite_errorcode
    primary = code & 0xFF
    detail = str(driver_error)
    if code == _SQLITE_READONLY_DBMOVED:
        return watched.gone()
    if primary == _SQLITE_FULL:
        return _full(detail)
    if primary == _SQLITE_READONLY:
        return read_only(watched.path, detail)
    if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return _diagnosed(watched, detail)
    return None


def _sqlite_error(error: BaseException | None) -> sqlite3.Error | None:
    """The ``sqlite3`` error itself, if ``error`` is one or was caused by one."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, sqlite3.Error) and getattr(error, "sqlite_errorcode", None):
            return error
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def _diagnosed(watched: StorageWatch, detail: str) -> StorageError:
    """An I/O error names no cause: the file and its disk are looked at to find one."""
    path = watched.path
    try:
        watched.check_file()
    except StorageError as gone:
        return gone
    if path is not None:
        if not writable(path):
            return read_only(path, detail)
        if _no_space_left(path):
            return _full(detail)
    return StorageError(
        f"the database's disk failed ({detail}): nothing was written; check the disk "
        "and the server's log, then try again",
        cause=StorageError.FAILED,
    )


def _no_space_left(path: Path) -> bool:
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


def _full(detail: str) -> StorageError:
    return StorageError(
        f"the database is full ({detail}): nothing was written; free some disk space, "
        "then try again",
        cause=StorageError.FULL,
    )
