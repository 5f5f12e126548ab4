"""Performance: premium, realized and unrealized P&L, rates and returns over a period,
P&L over time from the snapshots, and CSV exports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

import msgspec
from litestar import get
from litestar.params import Parameter
from litestar.response import Stream

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import Facade
from adapters.http.filters import SNAPSHOT_FILTERS, TRADE_FILTERS
from adapters.http.params import Id, PortfolioFilter
from adapters.wire import (
    EXPORT_PERFORMANCE_CSV,
    EXPORT_TRADES_CSV,
    PERFORMANCE,
    PERFORMANCE_HISTORY,
    PERFORMANCE_SYMBOLS,
    PORTFOLIO_PERFORMANCE,
    WHEEL_PERFORMANCE,
)
from wheel_core.performance import PerformanceReport, Period, PnlPoint, SymbolPerformance
from wheel_core.ports import SnapshotQuery, TradeQuery

CSV = "text/csv"
"""Litestar adds ``; charset=utf-8`` to every ``text/`` type it sends."""

PeriodParam = Annotated[
    Period,
    Parameter(
        description="Look-back window ending today: 30, 90 or 365 calendar days, or all "
        "(the default)."
    ),
]


class SymbolsReport(msgspec.Struct, frozen=True, kw_only=True):
    """Performance per symbol over a period, with the best and worst by realized P&L."""

    period: Period
    start: date | None
    as_of: date
    best_symbol: str | None
    worst_symbol: str | None
    symbols: tuple[SymbolPerformance, ...]


def _attachment(lines: Iterator[str], filename: str) -> Stream:
    return Stream(
        lines,
        media_type=CSV,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class PerformanceController(ApiController):
    path = "/"
    tags = ["performance"]

    @get(PERFORMANCE)
    async def overall_performance(
        self, service: Facade, period: PeriodParam = Period.ALL
    ) -> PerformanceReport:
        """Performance of every wheel (archived included), in total and per symbol."""
        return await service.performance(period)

    @get(PORTFOLIO_PERFORMANCE)
    async def portfolio_performance(
        self, service: Facade, portfolio_id: Id, period: PeriodParam = Period.ALL
    ) -> PerformanceReport:
        """Performance of one portfolio's wheels (404 when it does not exist)."""
        return await service.performance(period, portfolio_id=portfolio_id)

    @get(WHEEL_PERFORMANCE)
    async def wheel_performance(
        self, service: Facade, wheel_id: Id, period: PeriodParam = Period.ALL
    ) -> PerformanceReport:
        """Performance of one wheel (404 when it does not exist)."""
        return await service.performance(period, wheel_id=wheel_id)

    @get(PERFORMANCE_SYMBOLS)
    async def symbol_performance(
        self,
        service: Facade,
        period: PeriodParam = Period.ALL,
        portfolio_id: PortfolioFilter = None,
    ) -> SymbolsReport:
        """Performance per symbol and the best and worst symbols by realized P&L."""
        report = await service.performance(period, portfolio_id=portfolio_id)
        return SymbolsReport(
            period=report.period,
            start=report.start,
            as_of=report.as_of,
            best_symbol=report.best_symbol,
            worst_symbol=report.worst_symbol,
            symbols=report.by_symbol,
        )

    @get(PERFORMANCE_HISTORY, dependencies=SNAPSHOT_FILTERS)
    async def pnl_history(self, service: Facade, snapshot_filters: SnapshotQuery) -> list[PnlPoint]:
        """Realized and unrealized P&L per day, summed from the daily snapshots."""
        return await service.pnl_history(snapshot_filters)

    @get(EXPORT_TRADES_CSV, media_type=CSV, dependencies=TRADE_FILTERS)
    async def export_trades(self, service: Facade, trade_filters: TradeQuery) -> Stream:
        """The matching trades as a CSV file, one row per trade, streamed."""
        lines = await service.export_trades_csv(trade_filters)
        return _attachment(lines, "trades.csv")

    @get(EXPORT_PERFORMANCE_CSV, media_type=CSV)
    async def export_performance(
        self,
        service: Facade,
        period: PeriodParam = Period.ALL,
        portfolio_id: PortfolioFilter = None,
    ) -> Stream:
        """Performance per symbol and in total as a CSV file, streamed."""
        lines = await service.export_performance_csv(period, portfolio_id=portfolio_id)
        return _attachment(lines, f"performance-{period.value}.csv")
