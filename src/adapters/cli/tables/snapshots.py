"""Snapshots: the daily record of each wheel, and what a snapshot run did."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import RenderableType
from rich.table import Table

from adapters.cli.tables import (
    NONE,
    day,
    money,
    new_table,
    pnl,
    risk,
)
from adapters.cli.tables.positions import failures_lines
from wheel_core.app.views import (
    SnapshotRun,
)
from wheel_core.domain.entities import Snapshot


def snapshots_table(snapshots: Iterable[Snapshot], title: str = "Snapshots") -> Table:
    table = new_table(
        title,
        "Day",
        "Symbol",
        "State",
        "Price",
        "Moneyness",
        "DTE",
        "Risk",
        "Realized",
        "Unrealized",
        money_columns=["Price", "Moneyness", "DTE", "Realized", "Unrealized"],
    )
    for s in snapshots:
        table.add_row(
            day(s.day),
            s.symbol,
            s.state.value,
            money(s.current_price),
            NONE if s.moneyness_pct is None else f"{s.moneyness_pct:,.2f}%",
            NONE if s.dte_calendar is None else str(s.dte_calendar),
            risk(s.risk_level),
            pnl(s.realized_pnl),
            pnl(s.unrealized_pnl),
        )
    return table


def snapshot_run_view(run: SnapshotRun) -> list[RenderableType]:
    return [
        snapshots_table(run.snapshots, title=f"Snapshot of {day(run.day)}"),
        *failures_lines(run.failures),
    ]
