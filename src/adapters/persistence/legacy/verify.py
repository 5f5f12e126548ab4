"""Reading the import back before it commits: the database must say what the file says.

Inside the import's transaction, after every write, this reads the rows back
through SQL (not from the Structs that were written) and compares them with
the converted legacy file:

* row counts: every legacy wheel, trade and snapshot is present, and each
  table grew by exactly the number of rows the plan inserted;
* for every wheel this run wrote to: its trades' count, open positions and
  total premium (Σ premium × 100 × contracts, exact) per symbol; the state,
  shares and cost basis stored on the wheel; and the same three replayed from
  its history as stored.

Rows an earlier run imported and this run did not touch are only checked
for presence: they may since have been corrected in this system, on purpose.
Any difference raises, listing all of them, and the transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.persistence import tables
from adapters.persistence.legacy.convert import LegacyData, LegacyWheel
from adapters.persistence.legacy.plan import ImportPlan, WheelPlan, holdings_differences
from adapters.persistence.legacy.report import LegacyImportError
from adapters.persistence.legacy.store import (
    legacy_snapshot_keys,
    legacy_trades,
    row_counts,
    stored_history,
)
from wheel_core.domain.entities import Trade
from wheel_core.domain.enums import WheelState
from wheel_core.domain.lifecycle import replay
from wheel_core.domain.money import ZERO, cents


async def verify_import(
    connection: AsyncConnection,
    legacy: LegacyData,
    plan: ImportPlan,
    counts_before: dict[str, int],
) -> None:
    stored_trades = await legacy_trades(connection)
    problems = await _count_problems(connection, legacy, plan, counts_before, stored_trades)
    for wheel_plan in plan.wheels:
        problems += await _wheel_problems(connection, legacy, wheel_plan, stored_trades)
    if problems:
        raise LegacyImportError(
            "the import was rolled back: the database read back differs from the legacy file",
            problems,
        )


async def _count_problems(
    connection: AsyncConnection,
    legacy: LegacyData,
    plan: ImportPlan,
    before: dict[str, int],
    stored_trades: dict[int, Trade],
) -> list[str]:
    after = await row_counts(connection)
    inserted = {
        "wheels": plan.wheels_imported,
        "trades": plan.trades_imported,
        "share_moves": plan.share_moves_imported,
        "snapshots": len(plan.snapshots),
    }
    problems = [
        f"{table}: {after[table] - before[table]} rows added, {added} expected"
        for table, added in inserted.items()
        if after[table] - before[table] != added
    ]
    stored_wheels = await _legacy_wheel_ids(connection)
    problems += _presence("wheels", legacy.wheels.keys(), stored_wheels)
    problems += _presence("trades", legacy.trades.keys(), stored_trades.keys())
    keys = await legacy_snapshot_keys(connection)
    missing = 0
    for snapshot in legacy.snapshots:
        trade = stored_trades.get(snapshot.legacy_trade_id)
        if trade is None or (trade.wheel_id, trade.id, snapshot.day) not in keys:
            missing += 1
    if missing:
        problems.append(f"snapshots: {missing} of {len(legacy.snapshots)} are missing")
    return problems


def _presence(table: str, expected: Iterable[int], stored: Iterable[int]) -> list[str]:
    wanted = set(expected)
    found = len(wanted & set(stored))
    return [] if found == len(wanted) else [f"{table}: {found} of {len(wanted)} are present"]


async def _legacy_wheel_ids(connection: AsyncConnection) -> set[int]:
    w = tables.wheels.c
    rows = await connection.execute(select(w.legacy_id).where(w.legacy_id.is_not(None)))
    return {int(legacy_id) for (legacy_id,) in rows}


async def _wheel_problems(
    connection: AsyncConnection,
    legacy: LegacyData,
    plan: WheelPlan,
    stored_trades: dict[int, Trade],
) -> list[str]:
    wheel = plan.legacy
    name = f"wheel {wheel.legacy_id} ({wheel.symbol})"
    expected = [t.trade for t in legacy.trades_of(wheel.legacy_id)]
    stored = [
        stored_trades[t.legacy_id]
        for t in legacy.trades_of(wheel.legacy_id)
        if t.legacy_id in stored_trades
    ]
    problems = _trade_problems(name, wheel.symbol, expected, stored)
    row = await _wheel_row(connection, wheel.legacy_id)
    if row is None:
        return [*problems, f"{name}: not stored"]
    wheel_id, state, shares, cost_basis = row
    recorded = (WheelState(state), shares, None if cost_basis is None else cents(cost_basis))
    if recorded != (wheel.state, wheel.shares, _legacy_cost(wheel)):
        problems.append(
            f"{name}: stored as {state} with {shares} shares at {cost_basis}; the file says "
            f"{wheel.state.value} with {wheel.shares} shares at {_legacy_cost(wheel)}"
        )
    trades, moves = await stored_history(connection, wheel_id)
    replayed = replay(trades, moves)
    problems += [f"{name} replayed: {d}" for d in holdings_differences(wheel, replayed)]
    return problems


def _legacy_cost(wheel: LegacyWheel) -> Decimal | None:
    """The cost basis the file implies: the legacy tool keeps one only while shares are held."""
    return wheel.cost_basis if wheel.shares else None


def _trade_problems(
    name: str, symbol: str, expected: list[Trade], stored: list[Trade]
) -> list[str]:
    problems = []
    if len(stored) != len(expected):
        problems.append(f"{name}: {len(stored)} trades stored, {len(expected)} in the file")
    open_stored = sum(1 for t in stored if t.is_open)
    open_expected = sum(1 for t in expected if t.is_open)
    if open_stored != open_expected:
        problems.append(f"{name}: {open_stored} open positions stored, {open_expected} in the file")
    premium_stored = sum((t.total_premium for t in stored), ZERO)
    premium_expected = sum((t.total_premium for t in expected), ZERO)
    if premium_stored != premium_expected:
        problems.append(
            f"{symbol}: total premium {premium_stored} stored, {premium_expected} in the file"
        )
    return problems


async def _wheel_row(
    connection: AsyncConnection, legacy_id: int
) -> tuple[int, str, int, Decimal | None] | None:
    w = tables.wheels.c
    statement = select(w.id, w.state, w.shares, w.cost_basis).where(w.legacy_id == legacy_id)
    row = (await connection.execute(statement)).first()
    return None if row is None else (row[0], row[1], row[2], row[3])
