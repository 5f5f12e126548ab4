"""Positions now: price, moneyness, DTE and risk of each open option; prices refreshed."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rich.console import RenderableType
from rich.text import Text

from adapters.cli.tables import (
    NONE,
    day,
    money,
    new_table,
    pnl,
    risk,
)
from wheel_core.app.views import (
    PositionsReport,
    PositionView,
    WheelFailure,
)


def market_note(positions: Iterable[PositionView]) -> str | None:
    """The status line: says when prices are simulated or stale, and nothing otherwise."""
    listed = list(positions)
    notes = []
    if any(p.simulated for p in listed):
        notes.append("simulated market data")
    stale = [p.symbol for p in listed if p.stale]
    if stale:
        notes.append(f"stale prices for {', '.join(stale)}")
    return f"Prices: {'; '.join(notes)}" if notes else None


def positions_table(report: PositionsReport, title: str = "Positions") -> list[RenderableType]:
    table = new_table(
        title,
        "Symbol",
        "State",
        "Price",
        "Option",
        "Moneyness",
        "DTE",
        "Trading DTE",
        "Risk",
        "Shares",
        "Unrealized",
        money_columns=["Price", "Moneyness", "DTE", "Trading DTE", "Shares", "Unrealized"],
    )
    for p in report.positions:
        option = p.option
        unrealized = sum(
            (x for x in (p.unrealized_share_pnl, p.unrealized_option_pnl) if x is not None),
            start=Decimal(0),
        )
        table.add_row(
            p.symbol,
            p.state.value,
            money(p.price),
            NONE
            if option is None
            else f"{option.option_type.value} {money(option.strike)} exp {day(option.expiration)}",
            NONE if option is None else f"{option.moneyness_pct:,.2f}%",
            NONE if option is None else str(option.dte_calendar),
            NONE if option is None else str(option.dte_trading),
            risk(p.risk_level),
            str(p.shares),
            pnl(unrealized),
        )
    parts: list[RenderableType] = [table]
    parts += failures_lines(report.failures)
    if note := market_note(report.positions):
        parts.append(note)
    return parts


def failures_lines(failures: Iterable[WheelFailure]) -> list[RenderableType]:
    return [Text(f"{f.symbol} (wheel {f.wheel_id}): {f.error}", style="red") for f in failures]


def position_view(position: PositionView) -> list[RenderableType]:
    return positions_table(
        PositionsReport(positions=[position], failures=[]), title=position.symbol
    )


def prices_table(report: PositionsReport) -> list[RenderableType]:
    table = new_table("Prices", "Symbol", "Price", "As of", "Risk", money_columns=["Price"])
    for p in report.positions:
        table.add_row(
            p.symbol,
            money(p.price),
            p.price_as_of.isoformat(timespec="seconds"),
            risk(p.risk_level),
        )
    parts: list[RenderableType] = [table, *failures_lines(report.failures)]
    if note := market_note(report.positions):
        parts.append(note)
    return parts
