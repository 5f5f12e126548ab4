"""Where each wheel stands now: quotes and chains, positions with their risk, snapshots.

The first room that needs the market (see :mod:`wheel_core.app.context` for the
layout). Market data is fetched *outside* any unit of work: a slow or failing
provider never holds a database transaction open, and a failure for one wheel
is reported beside the others' results instead of failing a whole batch (see
:mod:`wheel_core.app.failures`). The rooms above use :meth:`Positions.active`
(monitoring's risk scan) and :meth:`Positions.option_mark` (performance).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from wheel_core.app import lookups
from wheel_core.app.book import Book
from wheel_core.app.context import AppContext
from wheel_core.app.failures import failure_text, subject, wheel_failure
from wheel_core.app.lookups import ticker_query
from wheel_core.app.views import (
    Page,
    PositionsReport,
    PositionView,
    SnapshotRun,
    WheelFailure,
)
from wheel_core.domain.checks import normalize_symbol
from wheel_core.domain.entities import Snapshot, Trade
from wheel_core.domain.enums import RiskLevel
from wheel_core.domain.errors import MarketDataError, ValidationError
from wheel_core.domain.money import cents
from wheel_core.domain.rules import exchange_date
from wheel_core.market import OptionChain, Quote
from wheel_core.ports import SnapshotQuery
from wheel_core.risk import assess
from wheel_core.sessions import trading_days_between


class Positions:
    """Quotes, chains, positions and snapshots; see the module docstring."""

    def __init__(self, context: AppContext) -> None:
        self._context = context

    # ── market ────────────────────────────────────────────────────────────

    async def quote(self, symbol: str) -> Quote:
        """``ValidationError`` for text that is no ticker: it never reaches a provider."""
        return await self._context.require_market().get_quote(normalize_symbol(symbol))

    async def chain(
        self, symbol: str, *, from_date: date | None = None, to_date: date | None = None
    ) -> OptionChain:
        if from_date is not None and to_date is not None and from_date > to_date:
            raise ValidationError(f"from_date {from_date} is after to_date {to_date}")
        return await self._context.require_market().get_chain(
            normalize_symbol(symbol), from_date=from_date, to_date=to_date
        )

    # ── positions and risk ────────────────────────────────────────────────

    async def position_status(self, wheel_id: int) -> PositionView:
        """Where one wheel stands now; market failures raise ``MarketDataError``, and a
        wheel whose stored figures cannot be computed with (see failures.py)
        ``ValidationError``."""
        async with self._context.read() as uow:
            book = await Book.load(uow, wheel_id)
        return await self._checked_position(book)

    async def position_by_symbol(
        self, symbol: str, *, portfolio: str | None = None
    ) -> PositionView:
        """:meth:`position_status` of the active wheel on ``symbol`` (see
        ``wheel_by_symbol`` for ``portfolio``): one read, for `status AAPL`."""
        async with self._context.read() as uow:
            wheel = await lookups.wheel_by_symbol(uow, normalize_symbol(symbol), portfolio, False)
            assert wheel.id is not None
            book = await Book.load(uow, wheel.id)
        return await self._checked_position(book)

    async def positions(
        self, *, portfolio_id: int | None = None, min_risk: RiskLevel | None = None
    ) -> PositionsReport:
        """Every active wheel's position; with ``min_risk``, only options at that risk or above."""
        located, failures = await self.active(portfolio_id)
        positions = [
            position
            for _, position in located
            if min_risk is None
            or (position.risk_level is not None and position.risk_level.rank >= min_risk.rank)
        ]
        return PositionsReport(positions=positions, failures=failures)

    async def active(
        self, portfolio_id: int | None, *, open_options_only: bool = False
    ) -> tuple[list[tuple[Book, PositionView]], list[WheelFailure]]:
        """Every active wheel with its position (with ``open_options_only``, only the
        wheels with an open option); a wheel whose market data fails is reported in the
        failures and the others go on."""
        async with self._context.read() as uow:
            books = await lookups.books(
                self._context.histories, uow, portfolio_id=portfolio_id, active=True
            )
        if open_options_only:
            books = [book for book in books if book.holdings.open_trade is not None]
        located: list[tuple[Book, PositionView]] = []
        failures: list[WheelFailure] = []
        for book in books:
            try:
                located.append((book, await self.position(book)))
            except Exception as error:  # one wheel never fails the batch: see failures.py
                failures.append(wheel_failure(book.wheel, error))
        return located, failures

    async def option_mark(self, trade: Trade) -> Decimal | None:
        """The open option's mid, if the chain lists it; a missing mark is not an error."""
        try:
            chain = await self._context.require_market().get_chain(
                trade.symbol, from_date=trade.expiration, to_date=trade.expiration
            )
        except MarketDataError:
            return None
        for option in chain.options:
            if option.option_type is trade.option_type and option.strike == trade.strike:
                return option.mid
        return None

    async def position(self, book: Book) -> PositionView:
        """Where the wheel of ``book`` stands at today's prices."""
        assert book.wheel.id is not None
        context = self._context
        quote = await context.require_market().get_quote(book.wheel.symbol)
        today = context.today()
        holdings = book.holdings
        trade = holdings.open_trade
        option = mark = option_pnl = None
        if trade is not None:
            dte = trading_days_between(context.require_calendar(), today, trade.expiration)
            option = assess(trade, quote.price, today, dte, context.settings.risk)
            mark = await self.option_mark(trade)
            if mark is not None:
                option_pnl = cents(trade.total_premium - mark * trade.shares_covered - trade.fees)
        basis = holdings.cost_basis
        adjusted = holdings.adjusted_cost_basis
        return PositionView(
            wheel_id=book.wheel.id,
            portfolio_id=book.wheel.portfolio_id,
            symbol=book.wheel.symbol,
            state=holdings.state,
            price=quote.price,
            price_as_of=quote.as_of,
            simulated=quote.simulated,
            stale=quote.stale,
            shares=holdings.shares,
            cost_basis=basis,
            adjusted_cost_basis=None if adjusted is None else cents(adjusted),
            unrealized_share_pnl=(
                None if basis is None else cents((quote.price - basis) * holdings.shares)
            ),
            option=option,
            option_mark=mark,
            unrealized_option_pnl=option_pnl,
            risk_level=None if option is None else option.risk_level,
        )

    async def _checked_position(self, book: Book) -> PositionView:
        try:
            return await self.position(book)
        except ArithmeticError as error:  # InvalidOperation, OverflowError
            raise ValidationError(failure_text(error, subject(book.wheel))) from error

    # ── snapshots ─────────────────────────────────────────────────────────

    async def take_snapshot(self, *, portfolio_id: int | None = None) -> SnapshotRun:
        """Record every active wheel's position for today; a second run the same day
        replaces that day's snapshots instead of adding more."""
        now = self._context.now()
        day = exchange_date(now)
        located, failures = await self.active(portfolio_id)
        snapshots = [_snapshot(book, position, day, now) for book, position in located]
        async with self._context.write() as uow:
            stored = [await uow.snapshots.upsert(s) for s in snapshots]
            await uow.commit()
        return SnapshotRun(day=day, snapshots=stored, failures=failures)

    async def list_snapshots(self, query: SnapshotQuery | None = None) -> Page[Snapshot]:
        query = ticker_query(query or SnapshotQuery())
        async with self._context.read() as uow:
            items = await uow.snapshots.list(query)
            total = await uow.snapshots.count(query)
        return Page(items=items, total=total, offset=query.offset, limit=query.limit)

    async def latest_snapshots(self, *, portfolio_id: int | None = None) -> list[Snapshot]:
        """The most recent snapshot of each wheel."""
        async with self._context.read() as uow:
            every = await uow.snapshots.list(SnapshotQuery(portfolio_id=portfolio_id))
        latest: dict[int, Snapshot] = {}
        for snapshot in every:
            latest[snapshot.wheel_id] = snapshot
        return sorted(latest.values(), key=lambda s: (s.symbol, s.wheel_id))


def _snapshot(book: Book, position: PositionView, day: date, now: datetime) -> Snapshot:
    assert book.wheel.id is not None
    holdings = book.holdings
    closed = sum((t.pnl for t in book.trades if not t.is_open), Decimal(0))
    unrealized = (position.unrealized_share_pnl or Decimal(0)) + (
        position.unrealized_option_pnl or Decimal(0)
    )
    option = position.option
    return Snapshot(
        wheel_id=book.wheel.id,
        symbol=book.wheel.symbol,
        day=day,
        current_price=position.price,
        state=holdings.state,
        created_at=now,
        trade_id=None if option is None else option.trade_id,
        dte_calendar=None if option is None else option.dte_calendar,
        dte_trading=None if option is None else option.dte_trading,
        moneyness_pct=None if option is None else option.moneyness_pct,
        is_itm=None if option is None else option.is_itm,
        risk_level=position.risk_level,
        realized_pnl=cents(closed + holdings.realized_share_gain),
        unrealized_pnl=cents(unrealized),
    )


__all__ = ["Positions"]
