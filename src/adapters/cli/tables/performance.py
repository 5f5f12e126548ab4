"""Performance: premium, P&L and rates, for a wheel, a portfolio or everything."""

from __future__ import annotations

from rich.console import RenderableType

from adapters.cli.tables import (
    NONE,
    day,
    money,
    new_table,
    percent,
    pnl,
)
from wheel_core.performance import Performance, PerformanceReport


def performance_view(report: PerformanceReport, title: str) -> list[RenderableType]:
    since = "all time" if report.start is None else f"since {day(report.start)}"
    wheels = "1 wheel" if report.wheels == 1 else f"{report.wheels} wheels"
    head = f"Performance of {title}, {since} to {day(report.as_of)} ({wheels})"
    figures = new_table(None, "Figure", "Value", money_columns=["Value"])
    for name, value in _figures(report.total):
        figures.add_row(name, value)
    parts: list[RenderableType] = [head, figures]
    if report.by_symbol:
        symbols = new_table(
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
