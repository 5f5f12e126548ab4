"""The database file's own operations: its schema upgrade, its size and row counts, and
the legacy tool's import into it.

The ORM, the migrations and the importer are imported inside the functions: the CLI
imports this module only when a ``db`` command runs, but its ``--help`` must stay fast.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from adapters.operations.views import DatabaseInfo, DatabaseUpgrade

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from adapters.persistence.legacy import LegacyImportReport


def file_of(url: str | None) -> Path | None:
    """The SQLite file behind ``url`` (a path, a URL, or ``None``: the default file);
    ``None`` for other databases."""
    from adapters.persistence.database import database_url, sqlite_path

    return sqlite_path(database_url(url))


def exists(url: str | None) -> bool:
    """Whether the database at ``url`` is there to be read: a SQLite file must exist (a
    command that only reads settings must not create it); any other database is taken
    to exist. Judged without opening an engine, which would create the file's folder."""
    path = file_of(url)
    return path is None or path.is_file()


def shown(engine: AsyncEngine) -> str:
    """The database as the user knows it: a SQLite file's path, else the URL without
    its password."""
    from adapters.persistence.database import sqlite_path

    url = engine.url
    path = sqlite_path(url.render_as_string(hide_password=False))
    return str(path) if path is not None else url.render_as_string(hide_password=True)


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the current revision (nothing to do when it is)."""
    from adapters.persistence.migrate import upgrade

    await upgrade(engine)


async def is_current(engine: AsyncEngine) -> bool:
    """Whether the schema is at the current revision, asked on a read-only connection
    (so a command that only reads can open the database without a write transaction)."""
    from adapters.persistence.database import READ_ONLY
    from adapters.persistence.migrate import current_revision, head_revision

    reading = engine.execution_options(**{READ_ONLY: True})
    return await current_revision(reading) == head_revision()


async def upgrade(engine: AsyncEngine) -> DatabaseUpgrade:
    from adapters.persistence.migrate import current_revision

    before = await current_revision(engine)
    await migrate(engine)
    after = await current_revision(engine)
    return DatabaseUpgrade(database=shown(engine), before=before, after=after)


async def described(engine: AsyncEngine) -> DatabaseInfo:
    """Where the database is (password masked), its file's size, its rows per table."""
    from sqlalchemy.engine import make_url

    from adapters.persistence.database import sqlite_path
    from adapters.persistence.inspection import row_counts

    path = sqlite_path(str(engine.url))
    size = path.stat().st_size if path is not None and path.exists() else None
    return DatabaseInfo(
        url=make_url(str(engine.url)).render_as_string(hide_password=True),
        path=None if path is None else str(path),
        size_bytes=size,
        row_counts=await row_counts(engine),
    )


def legacy_backups(source: Path, backup_dir: Path | None, target: Path | None) -> Path:
    """Where the backups go; a missing source is refused here, before the target is opened,
    so that a typo does not create an empty database."""
    from adapters.persistence.database import default_database_path
    from adapters.persistence.legacy import LegacyImportError

    if not source.exists():
        raise LegacyImportError(f"{source} does not exist")
    if backup_dir is not None:
        return backup_dir.expanduser()
    return (target or default_database_path()).parent / "backups"


async def import_legacy_file(
    source: Path,
    engine: AsyncEngine,
    *,
    backups: Path,
    now: datetime,
    progress: Callable[[int, int], None] | None,
    naive_timezone: tzinfo,
) -> LegacyImportReport:
    from adapters.persistence.legacy import import_legacy

    await migrate(engine)
    return await import_legacy(
        source,
        engine,
        backup_dir=backups,
        now=now,
        progress=progress,
        naive_timezone=naive_timezone,
    )
