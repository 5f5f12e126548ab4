"""CSV export of trades and performance, one line at a time.

Both exports are generators of ready-to-write lines, so the CLI can print and
the HTTP adapter can stream 100k trades without building the file in memory.

Cell formats, chosen so a spreadsheet or a script reads back what we store:

* amounts and prices are the exact decimal text — ``2.00`` stays ``2.00``,
  never ``2`` or ``2E+0``, and nothing is rounded that was not already;
* dates are ISO 8601 (``2026-01-16``), instants ISO 8601 with their UTC
  offset (``2026-01-16T21:00:00+00:00``);
* an absent value (an open trade's close, a rate with no data) is an empty
  cell, not ``0``, so "unknown" never reads as "zero";
* lines end with ``\\n``: text-mode writers translate it for their platform,
  where a hard-coded ``\\r\\n`` would become ``\\r\\r\\n`` on Windows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TypeAlias

import msgspec

from wheel_core.domain.entities import Trade
from wheel_core.performance import Performance, PerformanceReport

TRADE_COLUMNS = (
    "id",
    "wheel_id",
    "symbol",
    "type",
    "strike",
    "expiration",
    "premium",
    "contracts",
    "fees",
    "total_premium",
    "close_price",
    "price_at_expiry",
    "pnl",
    "opened_at",
    "closed_at",
    "outcome",
    "chain",
    "rolled_from",
)
"""``pnl`` is empty while a trade is open: nothing is realized until it ends."""

_PERFORMANCE_FIELDS = msgspec.structs.fields(Performance)
PERFORMANCE_COLUMNS = ("symbol", "wheels", *(field.name for field in _PERFORMANCE_FIELDS))
TOTAL_ROW = "(total)"
"""Symbol cell of the total row: parentheses never appear in a ticker, so it cannot clash."""

Cell: TypeAlias = str | int | None
"""What the csv writer is given: it writes ``None`` as an empty cell and ints as digits."""


class _Line:
    """A file-like sink that hands back what the csv writer wrote, so rows can be yielded."""

    def write(self, text: str) -> str:
        return text


def _lines(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\n")
    line: str = writer.writerow(header)
    yield line
    for row in rows:
        line = writer.writerow(row)
        yield line


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _instant(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def trades_csv(trades: Iterable[Trade]) -> Iterator[str]:
    return _lines(TRADE_COLUMNS, (_trade_cells(trade) for trade in trades))


def _trade_cells(trade: Trade) -> tuple[Cell, ...]:
    outcome = trade.outcome
    return (
        trade.id,
        trade.wheel_id,
        trade.symbol,
        trade.option_type.value,
        format(trade.strike, "f"),
        trade.expiration.isoformat(),
        format(trade.premium, "f"),
        trade.contracts,
        format(trade.fees, "f"),
        format(trade.total_premium, "f"),
        _decimal(trade.close_price),
        _decimal(trade.price_at_expiry),
        None if outcome is None else format(trade.pnl, "f"),
        trade.opened_at.isoformat(),
        _instant(trade.closed_at),
        None if outcome is None else outcome.value,
        trade.chain_key,
        trade.rolled_from_id,
    )


def performance_csv(report: PerformanceReport) -> Iterator[str]:
    """One row per symbol, alphabetical, then the total row."""
    rows = [
        (row.symbol, row.wheels, *_performance_cells(row.performance)) for row in report.by_symbol
    ]
    rows.append((TOTAL_ROW, report.wheels, *_performance_cells(report.total)))
    return _lines(PERFORMANCE_COLUMNS, rows)


def _performance_cells(performance: Performance) -> tuple[Cell, ...]:
    cells: list[Cell] = []
    for field in _PERFORMANCE_FIELDS:
        value: Decimal | int | None = getattr(performance, field.name)
        cells.append(_decimal(value) if isinstance(value, Decimal) else value)
    return tuple(cells)
