"""What the wheels earned: performance over a period, P&L per day, roll chains, CSV exports.

A room that needs the market for marking open positions (see
:mod:`wheel_core.app.context` for the layout); it prices each wheel's
:class:`~wheel_core.app.book.Book` into a :class:`~wheel_core.performance.PricedBook`
with the option marks of :class:`~wheel_core.app.positions.Positions`, and leaves
the formulas to :mod:`wheel_core.performance`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import msgspec

from wheel_core.app import lookups
from wheel_core.app.book import Book
from wheel_core.app.context import AppContext
from wheel_core.app.lookups import ticker_query
from wheel_core.app.positions import Positions
from wheel_core.domain.errors import MarketDataError
from wheel_core.export import performance_csv, trades_csv
from wheel_core.performance import (
    ChainPnl,
    PerformanceReport,
    Period,
    PnlPoint,
    PricedBook,
    aggregate,
    chain_pnl,
    pnl_history,
)
from wheel_core.ports import SnapshotQuery, TradeQuery


class Reports:
    """Performance and export use cases; see the module docstring."""

    def __init__(self, context: AppContext, positions: Positions) -> None:
        self._context = context
        self._positions = positions

    async def performance(
        self,
        period: Period = Period.ALL,
        *,
        portfolio_id: int | None = None,
        wheel_id: int | None = None,
        with_prices: bool = True,
    ) -> PerformanceReport:
        """Performance of one wheel, one portfolio, or everything (archived wheels included).

        With ``with_prices`` open positions are marked to market; a position
        whose price cannot be fetched is counted in ``unpriced_positions``.
        """
        async with self._context.read() as uow:
            if wheel_id is not None:
                books = [await Book.load(uow, wheel_id)]
            else:
                books = await lookups.books(
                    self._context.histories, uow, portfolio_id=portfolio_id, active=None
                )
        priced = [await self._priced(book) if with_prices else book.priced() for book in books]
        return aggregate(priced, period, self._context.today())

    async def pnl_history(self, query: SnapshotQuery | None = None) -> list[PnlPoint]:
        """Realized and unrealized P&L per day, from the daily snapshots."""
        async with self._context.read() as uow:
            snapshots = await uow.snapshots.list(
                msgspec.structs.replace(
                    ticker_query(query or SnapshotQuery()), offset=0, limit=None
                )
            )
        return pnl_history(snapshots)

    async def roll_chains(self, wheel_id: int) -> list[ChainPnl]:
        """P&L per roll chain: a roll is judged by its whole chain, leg by leg."""
        async with self._context.read() as uow:
            book = await Book.load(uow, wheel_id)
        return chain_pnl(book.trades)

    async def export_trades_csv(self, query: TradeQuery | None = None) -> Iterator[str]:
        async with self._context.read() as uow:
            trades = await uow.trades.list(ticker_query(query or TradeQuery()))
        return trades_csv(trades)

    async def export_performance_csv(
        self, period: Period = Period.ALL, *, portfolio_id: int | None = None
    ) -> Iterator[str]:
        report = await self.performance(period, portfolio_id=portfolio_id)
        return performance_csv(report)

    async def _priced(self, book: Book) -> PricedBook:
        """The wheel's book with today's prices where they can be had."""
        holdings = book.holdings
        if not holdings.shares and holdings.open_trade is None:
            return book.priced()
        try:
            price: Decimal | None = (
                await self._context.require_market().get_quote(book.wheel.symbol)
            ).price
        except MarketDataError:
            price = None
        marks: dict[int, Decimal] = {}
        trade = holdings.open_trade
        if trade is not None and trade.id is not None:
            mark = await self._positions.option_mark(trade)
            if mark is not None:
                marks[trade.id] = mark
        return book.priced(price=price, marks=marks)


__all__ = ["Reports"]
