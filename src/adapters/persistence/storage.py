"""What this process knows of its database's storage: the file it opened, and how the
last write fared — so that a fault of the disk is reported, never hidden.

Every engine made by ``create_engine`` has one :class:`StorageWatch`. The dialect's own
part fills it in (``sqlite_storage.py`` for SQLite: it remembers which file it opened
and turns the driver's "disk is full" or "read-only" into
:class:`~wheel_core.domain.errors.StorageError`); the unit of work tells it when a write
went through; ``/health`` asks it for a :class:`StorageStatus`. A database that is
not a file (PostgreSQL, in-memory SQLite) has a watch with no file, which only keeps
the last failure.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Literal

import msgspec
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from wheel_core.domain.errors import StorageError

OPENED_READ_ONLY = "wheel_strategy_opened_read_only"
"""Set in a connection's ``info`` when it opened a file it could not write: the driver
then opened it read-only, for good (SQLite does), so a writer must not use it."""

Identity = tuple[int, int]
"""A file's device and inode: a file put in its place has another."""


class StorageStatus(msgspec.Struct, frozen=True, kw_only=True):
    """``down``: the file is gone or replaced, no write can be kept until it is back;
    ``degraded``: the last write failed (``cause``: full, read-only, failed) and none
    succeeded since."""

    status: Literal["ok", "degraded", "down"]
    cause: str | None = None
    message: str | None = None


class StorageWatch:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._identity: Identity | None = None
        self._failure: StorageError | None = None

    # ── the file ──────────────────────────────────────────────────────────

    @property
    def opened(self) -> bool:
        """Has a connection opened the file yet (is its identity known)?"""
        return self._identity is not None

    def remember_file(self) -> None:
        """After the first connection opened the file: this is the file to keep using."""
        if self.path is not None and self._identity is None:
            self._identity = identity(self.path)

    def check_file(self) -> None:
        """Raise ``StorageError(gone)`` when the file opened is no longer at its path: a
        write now would land in a file nobody will open again. A ``stat``: microseconds."""
        if self._identity is not None and identity(self.path) != self._identity:
            raise self.gone()

    def gone(self) -> StorageError:
        return StorageError(
            f"the database file {self.path} was deleted or replaced after the server "
            "opened it, so a write now would be lost: nothing was written; put the file "
            "back, or restart the server to use the file now there",
            cause=StorageError.GONE,
        )

    # ── writes ────────────────────────────────────────────────────────────

    def failed(self, error: StorageError) -> None:
        self._failure = error

    def succeeded(self) -> None:
        self._failure = None

    # ── health ────────────────────────────────────────────────────────────

    def status(self) -> StorageStatus:
        try:
            self.check_file()
        except StorageError as gone:
            return StorageStatus(status="down", cause=gone.cause, message=gone.message)
        failure = self._failure
        if failure is None and self.path is not None and not writable(self.path):
            failure = read_only(self.path, "the file cannot be written")  # before a write fails
        if failure is None:
            return StorageStatus(status="ok")
        return StorageStatus(status="degraded", cause=failure.cause, message=failure.message)


def writable(path: Path) -> bool:
    """Can the file (and its write-ahead log, if it has one) be written? ``access`` is
    false for an immutable file or a read-only file system even to root, which ignores
    permissions; a file not there yet is writable (it will be created)."""
    wal = path.with_name(path.name + "-wal")
    return all(os.access(file, os.W_OK) for file in (path, wal) if file.exists())


def read_only(path: Path | None, detail: str) -> StorageError:
    where = "the database" if path is None else f"the database file {path}"
    return StorageError(
        f"{where} is read-only ({detail}): nothing was written; make it writable again "
        "(its file system, permissions or attributes), then try again",
        cause=StorageError.READ_ONLY,
    )


def identity(path: Path | None) -> Identity | None:
    """``None`` when the file is not there (or there is no file)."""
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino


_WATCHES: weakref.WeakKeyDictionary[Engine, StorageWatch] = weakref.WeakKeyDictionary()


def watch(engine: AsyncEngine | Engine, path: Path | None = None) -> StorageWatch:
    """The engine's watch; made (on ``path``) the first time it is asked for."""
    sync_engine = engine.sync_engine if isinstance(engine, AsyncEngine) else engine
    found = _WATCHES.get(sync_engine)
    if found is None:
        found = _WATCHES[sync_engine] = StorageWatch(path)
    return found


def storage_status(engine: AsyncEngine) -> StorageStatus:
    return watch(engine).status()
