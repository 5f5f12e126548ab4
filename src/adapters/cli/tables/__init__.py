"""How each answer of the facade reads in a terminal: rich tables and one-line notes.

Money is right-aligned to the cent with thousands separators, P&L is green or red,
risk levels are coloured (LOW green, MEDIUM yellow, HIGH red), dates are ISO and
timestamps show their UTC date. Every renderer takes the same Struct that ``--json``
prints, so the two outputs never disagree about a figure.

This package holds the cells every table shares (money, P&L, dates, risk, an empty
table); each area renders in a module of its own: ``portfolios``, ``wheels`` (and
their trades), ``positions``, ``performance``, ``recommendations``, ``snapshots``;
alerts, watchlist and opportunities are in ``adapters.cli.monitoring_tables``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from rich.table import Table
from rich.text import Text

from wheel_core.app.views import TradeView
from wheel_core.domain.enums import RiskLevel

RISK_STYLES = {RiskLevel.LOW: "green", RiskLevel.MEDIUM: "yellow", RiskLevel.HIGH: "bold red"}
NONE = "—"


# --- figures ---------------------------------------------------------------------------


def money(amount: Decimal | None) -> str:
    return NONE if amount is None else f"{amount:,.2f}"


def pnl(amount: Decimal | None) -> Text:
    if amount is None:
        return Text(NONE)
    style = "green" if amount > 0 else "red" if amount < 0 else ""
    return Text(money(amount), style=style)


def percent(fraction: Decimal | float | None) -> str:
    """A fraction as a percentage with one decimal (``0.25`` → ``25.0%``)."""
    return NONE if fraction is None else f"{Decimal(str(fraction)) * 100:,.1f}%"


def day(moment: datetime | date | None) -> str:
    if moment is None:
        return NONE
    return (moment.date() if isinstance(moment, datetime) else moment).isoformat()


def risk(level: RiskLevel | None) -> Text:
    if level is None:
        return Text(NONE)
    return Text(level.value.upper(), style=RISK_STYLES[level])


def option_label(trade: TradeView) -> str:
    """``3× put 100.00 exp 2026-12-18`` — the open option in one cell."""
    kind = trade.option_type.value
    return f"{trade.contracts}× {kind} {money(trade.strike)} exp {day(trade.expiration)}"


def new_table(title: str | None, *columns: str, money_columns: Iterable[str] = ()) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    right = set(money_columns)
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left", no_wrap=True)
    return table
