"""The legacy file on disk: recognised, backed up and read without ever being written.

Everything here is blocking stdlib ``sqlite3`` and runs in a worker thread
(one thread per call, because a ``sqlite3`` connection belongs to the thread
that opened it). The source is opened through a ``mode=ro`` URI, so not even
a journal can be written next to it by mistake.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec

from adapters.persistence.legacy.report import LegacyImportError

SQLITE_HEADER = b"SQLite format 3\x00"

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "wheels": (
        "id",
        "symbol",
        "state",
        "capital_allocated",
        "shares_held",
        "cost_basis",
        "profile",
        "created_at",
        "updated_at",
        "is_active",
    ),
    "trades": (
        "id",
        "wheel_id",
        "symbol",
        "direction",
        "strike",
        "expiration_date",
        "premium_per_share",
        "contracts",
        "total_premium",
        "opened_at",
        "closed_at",
        "outcome",
        "price_at_expiry",
        "close_price",
    ),
    "position_snapshots": (
        "id",
        "trade_id",
        "snapshot_date",
        "current_price",
        "dte_calendar",
        "dte_trading",
        "moneyness_pct",
        "is_itm",
        "risk_level",
        "created_at",
    ),
}
"""The legacy schema: only these columns are read; extra ones are ignored."""

Row = dict[str, Any]


class LegacyRows(msgspec.Struct, frozen=True, kw_only=True):
    """The three legacy tables as plain rows, each ordered by id, and where they came from."""

    source: Path
    backup: Path
    wheels: list[Row]
    trades: list[Row]
    snapshots: list[Row]


def read_legacy_file(source: Path, backup_dir: Path, now: datetime) -> LegacyRows:
    """Check that ``source`` is a legacy database, back it up, and read its rows.

    The backup is taken from the same read-only connection right after the
    file is known to be an intact SQLite database, before its schema is
    judged: whatever happens next, the user has a copy.
    """
    source = source.expanduser().resolve()
    _require_sqlite_file(source)
    try:
        with closing(_open_read_only(source)) as connection:
            _check_integrity(source, connection)
            backup = backup_database(connection, backup_dir, f"{source.stem}-legacy-backup", now)
            _check_schema(source, connection)
            rows = LegacyRows(
                source=source,
                backup=backup,
                wheels=_rows(connection, "wheels"),
                trades=_rows(connection, "trades"),
                snapshots=_rows(connection, "position_snapshots"),
            )
    except sqlite3.DatabaseError as error:
        raise LegacyImportError(f"{source} is not a readable SQLite database: {error}") from None
    return rows


def backup_file(path: Path, backup_dir: Path, label: str, now: datetime) -> Path:
    """Copy the SQLite database at ``path`` (read-only) into ``backup_dir``."""
    with closing(_open_read_only(path)) as connection:
        return backup_database(connection, backup_dir, label, now)


def backup_database(
    connection: sqlite3.Connection, backup_dir: Path, label: str, now: datetime
) -> Path:
    """Write a consistent copy of ``connection``'s database with SQLite's backup API.

    The backup API copies a consistent snapshot page by page, unlike a file
    copy that could catch a write half-done. The copy is created private
    (0600): it holds a user's trading history.
    """
    destination = _new_backup_path(backup_dir, label, now)
    try:
        with closing(sqlite3.connect(destination)) as copy:
            connection.backup(copy)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    return destination


def _new_backup_path(backup_dir: Path, label: str, now: datetime) -> Path:
    """A fresh, timestamped file name; never overwrites an earlier backup."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        candidate = backup_dir / f"{label}-{stamp}{suffix}.db"
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        return candidate
    raise LegacyImportError(f"too many backups named {label}-{stamp} in {backup_dir}")


def _require_sqlite_file(source: Path) -> None:
    if not source.exists():
        raise LegacyImportError(f"{source} does not exist")
    if not source.is_file():
        raise LegacyImportError(f"{source} is not a file")
    with source.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise LegacyImportError(f"{source} is not a SQLite database (its header does not match)")


def _open_read_only(path: Path) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def _check_integrity(source: Path, connection: sqlite3.Connection) -> None:
    problems = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise LegacyImportError(f"{source} is a corrupted SQLite database", problems[:10])


def _check_schema(source: Path, connection: sqlite3.Connection) -> None:
    for table, required in REQUIRED_COLUMNS.items():
        columns = {str(row["name"]) for row in connection.execute(f"PRAGMA table_info({table})")}
        if not columns:
            raise LegacyImportError(
                f"{source} has no table {table!r}: it is not a wheel-strategy legacy database"
            )
        missing = [column for column in required if column not in columns]
        if missing:
            raise LegacyImportError(
                f"{source}: table {table!r} lacks the column(s) {', '.join(missing)}"
            )


def _rows(connection: sqlite3.Connection, table: str) -> list[Row]:
    columns = ", ".join(REQUIRED_COLUMNS[table])
    cursor = connection.execute(f"SELECT {columns} FROM {table} ORDER BY id")
    return [dict(row) for row in cursor]
