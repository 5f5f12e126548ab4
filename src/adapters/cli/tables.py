"""How each answer of the facade reads in a terminal: rich tables and one-line notes.

Money is right-aligned to the cent with thousands separators, P&L is green or red,
risk levels are coloured (LOW green, MEDIUM yellow, HIGH red), dates are ISO and
timestamps show their UTC date. Every renderer takes the same Struct that ``--json``
prints, so the two outputs never disagree about a figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from wheel_core.app.views import (
    Page,
    PortfolioSummary,
    PositionsReport,
    PositionView,
    SnapshotRun,
    TradeView,
    WheelFailure,
    WheelHistory,
    WheelRecommendation,
    WheelView,
)
from wheel_core.domain.entities import Portfolio, Snapshot
from wheel_core.domain.enums import RiskLevel
from wheel_core.performance import Performance, PerformanceReport

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


def _table(title: str | None, *columns: str, money_columns: Iterable[str] = ()) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    right = set(money_columns)
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left", no_wrap=True)
    return table


# --- portfolios ------------------------------------------------------------------------


def portfolios_table(portfolios: list[Portfolio]) -> Table:
    table = _table(
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
    table = _table(None, "Figure", "Value", money_columns=["Value"])
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


# --- wheels and trades -----------------------------------------------------------------


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
    table = _table(
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
    table = _table(
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
        lots = _table(
            "Share lots", "Shares", "Cost", "Acquired", "Source", money_columns=["Shares", "Cost"]
        )
        for lot in history.lots:
            lots.add_row(str(lot.quantity), money(lot.cost), day(lot.acquired_at), lot.source)
        parts.append(lots)
    if history.sales:
        sales = _table(
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


# --- positions -------------------------------------------------------------------------


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
    table = _table(
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
    table = _table("Prices", "Symbol", "Price", "As of", "Risk", money_columns=["Price"])
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


# --- performance -----------------------------------------------------------------------


def performance_view(report: PerformanceReport, title: str) -> list[RenderableType]:
    since = "all time" if report.start is None else f"since {day(report.start)}"
    wheels = "1 wheel" if report.wheels == 1 else f"{report.wheels} wheels"
    head = f"Performance of {title}, {since} to {day(report.as_of)} ({wheels})"
    figures = _table(None, "Figure", "Value", money_columns=["Value"])
    for name, value in _figures(report.total):
        figures.add_row(name, value)
    parts: list[RenderableType] = [head, figures]
    if report.by_symbol:
        symbols = _table(
            "By symbol",
            "Symbol",
            "Wheels",
            "Premium",
            "Realized",
            "Unrealized",
            "Win rate",
            money_columns=["Wheels", "Premium", "Realized", "Unrealized", "Win rate"],
        )
        for s in report.by_symbol:
            symbols.add_row(
                s.symbol,
                str(s.wheels),
                money(s.performance.total_premium),
                pnl(s.performance.realized_pnl),
                pnl(s.performance.unrealized_pnl),
                percent(s.performance.win_rate),
            )
        parts.append(symbols)
    if report.best_symbol:
        parts.append(f"Best: {report.best_symbol}; worst: {report.worst_symbol}")
    return parts


def _figures(total: Performance) -> list[tuple[str, RenderableType]]:
    return [
        ("Total premium", money(total.total_premium)),
        ("Option P&L", pnl(total.option_pnl)),
        ("Share gains", pnl(total.share_gain)),
        ("Realized P&L", pnl(total.realized_pnl)),
        ("Unrealized P&L", pnl(total.unrealized_pnl)),
        ("Trades closed (wins)", f"{total.trades_closed} ({total.wins})"),
        ("Win rate", percent(total.win_rate)),
        ("Assignment rate", percent(total.assignment_rate)),
        ("Call-away rate", percent(total.call_away_rate)),
        (
            "Average days held",
            NONE if total.average_days_held is None else f"{total.average_days_held:,.1f}",
        ),
        ("Annualized return on collateral", percent(total.annualized_return_on_collateral)),
    ]


# --- recommendations -------------------------------------------------------------------


def recommendations_view(results: list[WheelRecommendation]) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for result in results:
        parts += recommendation_view(result)
    return parts


def recommendation_view(result: WheelRecommendation) -> list[RenderableType]:
    if result.error is not None or result.recommendation is None or result.state is None:
        # A wheel that no longer exists has no symbol: its id names it.
        return [Text(f"{result.symbol or f'wheel {result.wheel_id}'}: {result.error}", style="red")]
    rec = result.recommendation
    low, high = rec.sigma_band
    head = (
        f"{result.symbol} ({result.state.value}): sell {rec.option_type.value}s, "
        f"{rec.profile.value} {low}–{high}σ, spot {money(rec.spot)}, "
        f"volatility {percent(rec.volatility)} ({rec.volatility_method})"
    )
    parts: list[RenderableType] = [head]
    if rec.refusal is not None:
        parts.append(Text(f"  no recommendation: {rec.refusal.message}", style="yellow"))
    if rec.candidates:
        table = _table(
            None,
            "Strike",
            "Expiration",
            "DTE",
            "Premium",
            "P(ITM)",
            "Delta",
            "Yield/yr",
            "Contracts",
            "Total",
            "Warnings",
            money_columns=[
                "Strike",
                "DTE",
                "Premium",
                "P(ITM)",
                "Delta",
                "Yield/yr",
                "Contracts",
                "Total",
            ],
        )
        for c in rec.candidates:
            table.add_row(
                money(c.strike),
                day(c.expiration),
                str(c.dte),
                money(c.premium),
                percent(c.probability_itm),
                f"{c.delta:.2f}",
                percent(c.annualized_yield),
                str(c.contracts),
                money(c.total_premium),
                "; ".join(w.message for w in c.warnings),
            )
        parts.append(table)
    elif rec.refusal is None:
        why = ", ".join(f"{rule}: {count}" for rule, count in rec.rejections.items() if count)
        parts.append(
            f"  no strike passed the filters ({rec.considered} considered; {why or 'none listed'})"
        )
    parts += [f"  note: {note}" for note in rec.notes]
    return parts


# --- snapshots -------------------------------------------------------------------------


def snapshots_table(snapshots: Iterable[Snapshot], title: str = "Snapshots") -> Table:
    table = _table(
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
