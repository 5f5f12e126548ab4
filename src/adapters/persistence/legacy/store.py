"""The target side of the import: what it already holds, and writing the plan into it.

Everything runs on the one connection (and transaction) of the import, so
reads see exactly what the writes will change, and nothing is visible to
anyone else until the import commits. Rows go in through the schema's
tables directly: only this module knows the ``legacy_id`` columns that make
the import idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import msgspec
from sqlalchemy import CursorResult, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.persistence import tables
from adapters.persistence.legacy.convert import LegacyData, LegacyTrade, LegacyWheel
from adapters.persistence.legacy.plan import (
    ImportPlan,
    SnapshotPlan,
    StoredWheel,
    TargetState,
    WheelPlan,
)
from adapters.persistence.legacy.report import LegacyImportError
from adapters.persistence.repositories.trades import SqlShareMoveRepository, SqlTradeRepository
from wheel_core.domain.entities import ShareMove, Trade
from wheel_core.domain.enums import WheelState
from wheel_core.domain.lifecycle import Holdings, replay
from wheel_core.domain.money import ZERO
from wheel_core.ports import TradeQuery

SNAPSHOT_BATCH = 500
"""Snapshots are many and need no ids back: they go in by batches (one progress step each)."""

COUNTED_TABLES = (tables.wheels, tables.trades, tables.share_moves, tables.snapshots)


class Progress:
    """Counts processed legacy rows and tells the caller (the CLI draws a bar)."""

    def __init__(self, total: int, callback: Callable[[int, int], None] | None) -> None:
        self.total = total
        self.done = 0
        self._callback = callback
        self._report()

    def advance(self, rows: int = 1) -> None:
        if rows:
            self.done += rows
            self._report()

    def finish(self) -> None:
        self.advance(self.total - self.done)

    def _report(self) -> None:
        if self._callback is not None:
            self._callback(self.done, self.total)


async def load_target(connection: AsyncConnection, legacy: LegacyData) -> TargetState:
    """Read what the plan needs, including the history of each imported wheel with new trades."""
    portfolio_id = await _default_portfolio_id(connection)
    wheels = await _legacy_wheels(connection)
    trades = await legacy_trades(connection)
    growing = {t.legacy_wheel_id for t in legacy.trades.values() if t.legacy_id not in trades}
    histories = {}
    for legacy_id in growing & wheels.keys():
        wheel_id = wheels[legacy_id].id
        histories[wheel_id] = await stored_history(connection, wheel_id)
    return TargetState(
        portfolio_id=portfolio_id,
        wheels_by_legacy_id=wheels,
        trades_by_legacy_id=trades,
        active_wheel_ids_by_symbol=await _active_wheels(connection),
        snapshot_keys=await legacy_snapshot_keys(connection),
        histories=histories,
        max_trade_id=await _max_id(connection, tables.trades),
        max_move_id=await _max_id(connection, tables.share_moves),
    )


async def row_counts(connection: AsyncConnection) -> dict[str, int]:
    counts = {}
    for table in COUNTED_TABLES:
        statement = select(func.count()).select_from(table)
        counts[table.name] = int((await connection.execute(statement)).scalar_one())
    return counts


async def _default_portfolio_id(connection: AsyncConnection) -> int:
    p = tables.portfolios.c
    statement = select(p.id).where(p.is_default).order_by(p.id).limit(1)
    portfolio_id = (await connection.execute(statement)).scalar_one_or_none()
    if portfolio_id is None:
        raise LegacyImportError(
            "the target database has no default portfolio; run its migrations first"
        )
    return int(portfolio_id)


async def _legacy_wheels(connection: AsyncConnection) -> dict[int, StoredWheel]:
    w = tables.wheels.c
    rows = await connection.execute(
        select(w.id, w.symbol, w.legacy_id).where(w.legacy_id.is_not(None))
    )
    return {int(legacy_id): StoredWheel(id=id_, symbol=symbol) for id_, symbol, legacy_id in rows}


async def legacy_trades(connection: AsyncConnection) -> dict[int, Trade]:
    """Every stored trade that came from a legacy file, by its legacy id."""
    t = tables.trades
    rows = (await connection.execute(select(t).where(t.c.legacy_id.is_not(None)))).mappings()
    fields = Trade.__struct_fields__
    return {
        int(row["legacy_id"]): msgspec.convert(
            {str(k): v for k, v in row.items() if k in fields}, Trade
        )
        for row in rows
    }


async def _active_wheels(connection: AsyncConnection) -> dict[str, int]:
    w = tables.wheels.c
    rows = await connection.execute(
        select(w.symbol, w.id)
        .join_from(tables.wheels, tables.portfolios)
        .where(w.active, tables.portfolios.c.is_default)
    )
    return {str(symbol): int(wheel_id) for symbol, wheel_id in rows}


async def legacy_snapshot_keys(connection: AsyncConnection) -> set[tuple[int, int, date]]:
    """(wheel, trade, day) of every snapshot of a wheel that came from a legacy file."""
    s, w = tables.snapshots, tables.wheels
    rows = await connection.execute(
        select(s.c.wheel_id, s.c.trade_key, s.c.day)
        .join_from(s, w)
        .where(w.c.legacy_id.is_not(None))
    )
    return {(wheel_id, trade_key, day) for wheel_id, trade_key, day in rows}


async def stored_history(
    connection: AsyncConnection, wheel_id: int
) -> tuple[list[Trade], list[ShareMove]]:
    """A wheel's whole stored history, read through the same repositories the core uses."""
    trades = await SqlTradeRepository(connection).list(TradeQuery(wheel_id=wheel_id))
    moves = await SqlShareMoveRepository(connection).list_for_wheel(wheel_id)
    return trades, moves


async def _max_id(connection: AsyncConnection, table: Any) -> int:
    value = (await connection.execute(select(func.max(table.c.id)))).scalar_one_or_none()
    return int(value or 0)


async def write_plan(
    connection: AsyncConnection, plan: ImportPlan, target: TargetState, progress: Progress
) -> None:
    """Insert the plan's rows, replay each wheel from the rows as stored, and keep the result."""
    wheel_ids = {legacy_id: wheel.id for legacy_id, wheel in target.wheels_by_legacy_id.items()}
    trade_ids = {
        legacy_id: trade.id
        for legacy_id, trade in target.trades_by_legacy_id.items()
        if trade.id is not None
    }
    progress.advance(plan.rows_skipped)
    for wheel_plan in plan.wheels:
        wheel_id, inserted = await _write_wheel(
            connection, plan.portfolio_id, wheel_plan, target, progress
        )
        wheel_ids[wheel_plan.legacy.legacy_id] = wheel_id
        trade_ids.update(inserted)
    await _insert_snapshots(connection, plan.snapshots, wheel_ids, trade_ids, progress)


async def _write_wheel(
    connection: AsyncConnection,
    portfolio_id: int,
    plan: WheelPlan,
    target: TargetState,
    progress: Progress,
) -> tuple[int, dict[int, int]]:
    """Write one wheel's new rows; return its id and the ids its new trades got, by legacy id."""
    if plan.wheel_id is None:
        wheel_id = await _insert_wheel(connection, portfolio_id, plan.legacy)
        trades: list[Trade] = []
        moves: list[ShareMove] = []
        progress.advance()
    else:
        wheel_id = plan.wheel_id
        stored_trades, stored_moves = target.histories[wheel_id]
        trades, moves = list(stored_trades), list(stored_moves)
    inserted = {}
    for legacy in plan.new_trades:
        trade = await _insert_trade(connection, wheel_id, legacy)
        assert trade.id is not None
        trades.append(trade)
        inserted[legacy.legacy_id] = trade.id
        progress.advance()
    if plan.share_import is not None:
        moves.append(await _insert_move(connection, wheel_id, plan.share_import))
    await _store_holdings(connection, wheel_id, replay(trades, moves))
    return wheel_id, inserted


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def _insert_wheel(connection: AsyncConnection, portfolio_id: int, wheel: LegacyWheel) -> int:
    """A new wheel, idle until its replayed history is stored on it."""
    result = await connection.execute(
        insert(tables.wheels).values(
            portfolio_id=portfolio_id,
            symbol=wheel.symbol,
            profile=wheel.profile.value,
            capital=wheel.capital,
            state=WheelState.IDLE.value,
            shares=0,
            cost_basis=None,
            active=wheel.active,
            created_at=wheel.created_at,
            updated_at=wheel.updated_at,
            legacy_id=wheel.legacy_id,
        )
    )
    return _new_id(result)


async def _insert_trade(connection: AsyncConnection, wheel_id: int, legacy: LegacyTrade) -> Trade:
    trade = msgspec.structs.replace(legacy.trade, wheel_id=wheel_id)
    values = msgspec.structs.asdict(trade)
    values.pop("id")
    result = await connection.execute(
        insert(tables.trades).values(**values, legacy_id=legacy.legacy_id)
    )
    return msgspec.structs.replace(trade, id=_new_id(result))


async def _insert_move(connection: AsyncConnection, wheel_id: int, move: ShareMove) -> ShareMove:
    stored = msgspec.structs.replace(move, wheel_id=wheel_id)
    values = msgspec.structs.asdict(stored)
    values.pop("id")
    result = await connection.execute(insert(tables.share_moves).values(**values))
    return msgspec.structs.replace(stored, id=_new_id(result))


async def _store_holdings(connection: AsyncConnection, wheel_id: int, holdings: Holdings) -> None:
    """The wheel's cached state, as the core's bookkeeping keeps it: what its history says."""
    w = tables.wheels.c
    await connection.execute(
        update(tables.wheels)
        .where(w.id == wheel_id)
        .values(
            state=holdings.state.value,
            shares=holdings.shares,
            cost_basis=holdings.cost_basis,
        )
    )


async def _insert_snapshots(
    connection: AsyncConnection,
    snapshots: Sequence[SnapshotPlan],
    wheel_ids: dict[int, int],
    trade_ids: dict[int, int],
    progress: Progress,
) -> None:
    rows = [_snapshot_values(s, wheel_ids, trade_ids) for s in snapshots]
    for start in range(0, len(rows), SNAPSHOT_BATCH):
        batch = rows[start : start + SNAPSHOT_BATCH]
        await connection.execute(insert(tables.snapshots), batch)
        progress.advance(len(batch))


def _snapshot_values(
    plan: SnapshotPlan, wheel_ids: dict[int, int], trade_ids: dict[int, int]
) -> dict[str, Any]:
    snapshot = plan.legacy
    trade_id = trade_ids[snapshot.legacy_trade_id]
    return {
        "wheel_id": wheel_ids[plan.legacy_wheel_id],
        "trade_id": trade_id,
        "trade_key": trade_id,
        "symbol": plan.symbol,
        "day": snapshot.day,
        "current_price": snapshot.current_price,
        "state": plan.state.value,
        "dte_calendar": snapshot.dte_calendar,
        "dte_trading": snapshot.dte_trading,
        "moneyness_pct": snapshot.moneyness_pct,
        "is_itm": snapshot.is_itm,
        "risk_level": snapshot.risk_level.value,
        "realized_pnl": ZERO,
        "unrealized_pnl": ZERO,
        "created_at": snapshot.created_at,
    }
