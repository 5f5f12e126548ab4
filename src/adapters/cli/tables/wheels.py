"""Wheels and their trades: the list, one-line notes, the history of one wheel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.console import RenderableType
from rich.table import Table

from adapters.cli.tables import (
    NONE,
    day,
    money,
    new_table,
    option_label,
    pnl,
    risk,
)
from adapters.cli.tables.positions import market_note
from wheel_core.app.views import (
    Page,
    PositionView,
    TradeView,
    WheelHistory,
    WheelView,
)


def wheels_table(
    wheels: Page[WheelView],
    portfolio_names: Mapping[int, str] | None = None,
    positions: Mapping[int, PositionView] | None = None,
) -> Table:
    """Wheels, with a portfolio column when they span several and prices when refreshed."""
    columns = ["Symbol"]
    if portfolio_names is not None:
        columns.append("Portfolio")
    columns += ["State", "Profile", "Capital", "Shares", "Cost basis", "Open option"]
    if positions is not None:
        columns += ["Price", "Risk"]
    columns += ["Premium", "Realized P&L"]
    table = new_table(
        f"Wheels ({wheels.total})",
        *columns,
        money_columns=["Capital", "Shares", "Cost basis", "Price", "Premium", "Realized P&L"],
    )
    for wheel in wheels.items:
        row: list[RenderableType] = [wheel.symbol]
        if portfolio_names is not None:
            row.append(portfolio_names.get(wheel.portfolio_id, str(wheel.portfolio_id)))
        row += [
            wheel.state.value if wheel.active else "archived",
            wheel.profile.value,
            money(wheel.capital),
            str(wheel.shares),
            money(wheel.cost_basis),
            NONE if wheel.open_trade is None else option_label(wheel.open_trade),
        ]
        if positions is not None:
            position = positions.get(wheel.id)
            row += [
                NONE if position is None else money(position.price),
                risk(None if position is None else position.risk_level),
            ]
        row += [money(wheel.total_premium), pnl(wheel.realized_pnl)]
        table.add_row(*row)
    return table


def wheels_view(
    wheels: Page[WheelView],
    portfolio_names: Mapping[int, str] | None = None,
    positions: Mapping[int, PositionView] | None = None,
) -> list[RenderableType]:
    """The wheels table, and when prices were fetched, the line saying what they are."""
    parts: list[RenderableType] = [wheels_table(wheels, portfolio_names, positions)]
    if positions is not None and (note := market_note(positions.values())):
        parts.append(note)
    return parts


def wheel_line(wheel: WheelView) -> str:
    held = f", {wheel.shares} shares at {money(wheel.cost_basis)}" if wheel.shares else ""
    status = wheel.state.value if wheel.active else "archived"
    return (
        f"{wheel.symbol} [{status}] {wheel.profile.value}, capital {money(wheel.capital)}{held}; "
        f"premium {money(wheel.total_premium)}, realized {money(wheel.realized_pnl)}"
    )


def trade_line(trade: TradeView) -> str:
    """One trade as a sentence a trader would write in a journal."""
    head = (
        f"Trade {trade.id}: {trade.symbol} {option_label(trade)} "
        f"premium {money(trade.premium)} (total {money(trade.total_premium)})"
    )
    if trade.is_open:
        return f"{head}, open"
    outcome = NONE if trade.outcome is None else trade.outcome.value
    return f"{head}, {outcome} on {day(trade.closed_at)}, P&L {money(trade.pnl)}"


def trades_table(trades: Iterable[TradeView], title: str = "Trades") -> Table:
    table = new_table(
        title,
        "ID",
        "Type",
        "Strike",
        "Expiration",
        "Contracts",
        "Premium",
        "Total",
        "Opened",
        "Closed",
        "Outcome",
        "P&L",
        money_columns=["ID", "Strike", "Contracts", "Premium", "Total", "P&L"],
    )
    for t in trades:
        table.add_row(
            str(t.id),
            t.option_type.value,
            money(t.strike),
            day(t.expiration),
            str(t.contracts),
            money(t.premium),
            money(t.total_premium),
            day(t.opened_at),
            day(t.closed_at),
            "open" if t.is_open else NONE if t.outcome is None else t.outcome.value,
            pnl(t.pnl),
        )
    return table


def history_view(history: WheelHistory) -> list[RenderableType]:
    parts: list[RenderableType] = [wheel_line(history.wheel), trades_table(history.trades)]
    if history.lots:
        lots = new_table(
            "Share lots", "Shares", "Cost", "Acquired", "Source", money_columns=["Shares", "Cost"]
        )
        for lot in history.lots:
            lots.add_row(str(lot.quantity), money(lot.cost), day(lot.acquired_at), lot.source)
        parts.append(lots)
    if history.sales:
        sales = new_table(
            "Share sales",
            "Shares",
            "Price",
            "Cost",
            "Fees",
            "Sold",
            money_columns=["Shares", "Price", "Cost", "Fees"],
        )
        for sale in history.sales:
            sales.add_row(
                str(sale.quantity),
                money(sale.price),
                money(sale.cost),
                money(sale.fees),
                day(sale.sold_at),
            )
        parts.append(sales)
    return parts
