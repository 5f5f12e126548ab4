"""Portfolios: the list, the one-line note, the summary of one."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table

from adapters.cli.tables import (
    money,
    new_table,
    pnl,
)
from wheel_core.app.views import (
    PortfolioSummary,
)
from wheel_core.domain.entities import Portfolio


def portfolios_table(portfolios: list[Portfolio]) -> Table:
    table = new_table(
        "Portfolios",
        "ID",
        "Name",
        "Default",
        "Capital",
        "Description",
        money_columns=["ID", "Capital"],
    )
    for p in portfolios:
        table.add_row(
            str(p.id), p.name, "yes" if p.is_default else "", money(p.capital), p.description
        )
    return table


def portfolio_line(portfolio: Portfolio) -> str:
    default = " (default)" if portfolio.is_default else ""
    return f"Portfolio {portfolio.id} {portfolio.name}{default}: capital {money(portfolio.capital)}"


def summary_table(summary: PortfolioSummary) -> list[RenderableType]:
    table = new_table(None, "Figure", "Value", money_columns=["Value"])
    table.add_row("Wheels (active)", f"{summary.wheels} ({summary.active_wheels})")
    table.add_row("Open trades", str(summary.open_trades))
    table.add_row("Capital", money(summary.portfolio.capital))
    table.add_row("Capital allocated", money(summary.capital_allocated))
    table.add_row("Total premium", money(summary.total_premium))
    table.add_row("Realized P&L", pnl(summary.realized_pnl))
    lines: list[RenderableType] = [portfolio_line(summary.portfolio)]
    if summary.portfolio.description:
        lines.append(summary.portfolio.description)
    lines.append(table)
    return lines
