"""The legacy import, end to end: back up, convert, plan, write, read back, commit.

Order matters for the user's safety:

1. the source is recognised and backed up before it is judged further, and is
   only ever opened read-only;
2. every row is converted and every wheel replayed before the target is
   touched, so a bad file is refused with nothing written;
3. the target is backed up (when it is a SQLite file) from inside the
   import's transaction, which already holds SQLite's write lock, so the
   backup is exactly the state the import starts from;
4. everything is written on one connection in one transaction, read back
   and compared with the file, and committed only if all of it matches. Any
   error before the commit rolls the whole import back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence.database import sqlite_path
from adapters.persistence.legacy.convert import LegacyData, convert
from adapters.persistence.legacy.plan import ImportPlan, plan_import
from adapters.persistence.legacy.report import Finding, LegacyImportReport, RoundingAdjustment
from adapters.persistence.legacy.source import backup_file, read_legacy_file
from adapters.persistence.legacy.store import Progress, load_target, row_counts, write_plan
from adapters.persistence.legacy.verify import verify_import

Noted = TypeVar("Noted", Finding, RoundingAdjustment)


async def import_legacy(
    source: Path,
    engine: AsyncEngine,
    *,
    backup_dir: Path,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
    naive_timezone: tzinfo = UTC,
) -> LegacyImportReport:
    """Import the legacy tool's ``trades.db`` into the default portfolio of ``engine``'s database.

    ``now`` (timezone-aware) names the backups. ``progress(done, total)`` is
    called as legacy rows are processed. The legacy tool stored naive local
    times; they are read in ``naive_timezone`` (UTC unless the caller knows
    better). Running it again imports only rows not imported before
    (``already_imported`` when there were none). Raises
    :class:`LegacyImportError` — with nothing written — for an unknown or
    corrupted file, a contradiction in it, or a read-back mismatch.
    """
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    rows = await asyncio.to_thread(read_legacy_file, source, backup_dir, now)
    legacy = convert(rows, naive_timezone)
    tracker = Progress(len(rows.wheels) + len(rows.trades) + len(rows.snapshots), progress)
    target_backup: Path | None = None
    async with engine.connect() as connection:
        target = await load_target(connection, legacy)
        plan = plan_import(legacy, target)
        if plan.has_writes:
            target_backup = await _backup_target(engine, backup_dir, now)
            counts_before = await row_counts(connection)
            await write_plan(connection, plan, target, tracker)
            await verify_import(connection, legacy, plan, counts_before)
            await connection.commit()
    tracker.finish()
    return _report(rows.source, rows.backup, target_backup, legacy, plan, naive_timezone)


async def _backup_target(engine: AsyncEngine, backup_dir: Path, now: datetime) -> Path | None:
    """Copy the target database file; other databases are backed up by their own tools."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        return None
    label = f"{path.stem}-before-legacy-import"
    return await asyncio.to_thread(backup_file, path, backup_dir, label, now)


def _report(
    source: Path,
    source_backup: Path,
    target_backup: Path | None,
    legacy: LegacyData,
    plan: ImportPlan,
    naive_timezone: tzinfo,
) -> LegacyImportReport:
    imported = _imported_rows(plan)
    return LegacyImportReport(
        source=str(source),
        source_backup=str(source_backup),
        target_backup=None if target_backup is None else str(target_backup),
        wheels_imported=plan.wheels_imported,
        wheels_skipped=plan.wheels_skipped,
        trades_imported=plan.trades_imported,
        trades_skipped=plan.trades_skipped,
        share_moves_imported=plan.share_moves_imported,
        snapshots_imported=len(plan.snapshots),
        snapshots_skipped=plan.snapshots_skipped,
        premium_by_symbol=legacy.premium_by_symbol(),
        rounding_adjustments=_about(legacy.adjustments, imported),
        findings=[*_about(legacy.findings, imported), *plan.findings],
        naive_timestamps=legacy.naive_timestamps,
        assumed_timezone=str(naive_timezone),
        already_imported=not plan.has_writes and plan.rows_skipped > 0,
    )


def _imported_rows(plan: ImportPlan) -> set[tuple[str, int]]:
    """(legacy table, row id) of every row this run wrote: what roundings and flags are about."""
    rows = {("position_snapshots", s.legacy.legacy_id) for s in plan.snapshots}
    for wheel in plan.wheels:
        if wheel.wheel_id is None:
            rows.add(("wheels", wheel.legacy.legacy_id))
        rows.update(("trades", t.legacy_id) for t in wheel.new_trades)
    return rows


def _about(items: list[Noted], rows: set[tuple[str, int]]) -> list[Noted]:
    return [item for item in items if (item.table, item.row_id) in rows]
