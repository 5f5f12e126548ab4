"""The one driving port: every use case of the product, as an async facade.

The HTTP controllers, the CLI, the scheduler's jobs and Python users all call
:class:`WheelService`. Bookkeeping (portfolios, wheels, trades, shares) is
inherited from :class:`~wheel_core.app.bookkeeping.Bookkeeping`, and monitoring
(price refresh, risk alerts, watchlist, opportunities) from
:class:`~wheel_core.app.monitoring.Monitoring`; this module adds what needs the
market: position status, snapshots, performance, recommendations and exports.

Market data is fetched *outside* any unit of work: a slow or failing provider
never holds a database transaction open, and a failure for one wheel is
reported beside the others' results instead of failing a whole batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

import msgspec

from wheel_core import pricing
from wheel_core.app.bookkeeping import ticker_query
from wheel_core.app.config import CoreSettings
from wheel_core.app.failures import failure_text
from wheel_core.app.monitoring import Monitoring
from wheel_core.app.views import (
    Page,
    PositionsReport,
    PositionView,
    SnapshotRun,
    WheelFailure,
    WheelRecommendation,
)
from wheel_core.domain.checks import normalize_symbol
from wheel_core.domain.entities import Snapshot, Trade, Wheel
from wheel_core.domain.enums import OptionType, RiskLevel, RiskProfile, WheelState
from wheel_core.domain.errors import (
    ConflictError,
    MarketDataError,
    NotFoundError,
    ValidationError,
)
from wheel_core.domain.lifecycle import Holdings
from wheel_core.domain.money import CONTRACT_MULTIPLIER, ZERO, cents
from wheel_core.domain.rules import exchange_date
from wheel_core.export import performance_csv, trades_csv
from wheel_core.market import OptionChain, Quote
from wheel_core.performance import (
    ChainPnl,
    PerformanceReport,
    Period,
    PnlPoint,
    WheelBook,
    aggregate,
    chain_pnl,
    pnl_history,
)
from wheel_core.ports import (
    Clock,
    MarketCalendar,
    MarketData,
    Notifier,
    SnapshotQuery,
    TradeQuery,
    UnitOfWork,
    UnitOfWorkFactory,
)
from wheel_core.recommend import Recommendation, RecommendationRequest, recommend
from wheel_core.risk import assess
from wheel_core.sessions import trading_days_between


class _Book(msgspec.Struct):
    """A wheel with its history, loaded in one unit of work and used after it closed."""

    wheel: Wheel
    trades: list[Trade]
    holdings: Holdings


class WheelService(Monitoring):
    """Every use case of wheel-strategy; see the module docstring.

    ``market`` and ``calendar`` may be left out by a Python user who only keeps
    books; the use cases that need them then raise ``MarketDataError``.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        *,
        market: MarketData | None = None,
        calendar: MarketCalendar | None = None,
        settings: CoreSettings | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__(uow, clock)
        self._market = market
        self._calendar = calendar
        self._notifier = notifier
        self.settings = settings or CoreSettings()

    # ── market ────────────────────────────────────────────────────────────

    async def quote(self, symbol: str) -> Quote:
        """``ValidationError`` for text that is no ticker: it never reaches a provider."""
        return await self._require_market().get_quote(normalize_symbol(symbol))

    async def chain(
        self, symbol: str, *, from_date: date | None = None, to_date: date | None = None
    ) -> OptionChain:
        if from_date is not None and to_date is not None and from_date > to_date:
            raise ValidationError(f"from_date {from_date} is after to_date {to_date}")
        return await self._require_market().get_chain(
            normalize_symbol(symbol), from_date=from_date, to_date=to_date
        )

    # ── positions and risk ────────────────────────────────────────────────

    async def position_status(self, wheel_id: int) -> PositionView:
        """Where one wheel stands now; market failures raise ``MarketDataError``, and a
        wheel whose stored figures cannot be computed with (see failures.py)
        ``ValidationError``."""
        async with self._read() as uow:
            book = await self._book(uow, wheel_id)
        try:
            return await self._position(book)
        except ArithmeticError as error:  # InvalidOperation, OverflowError
            raise ValidationError(failure_text(error, _subject(book.wheel))) from error

    async def position_by_symbol(
        self, symbol: str, *, portfolio: str | None = None
    ) -> PositionView:
        """:meth:`position_status` of the active wheel on ``symbol`` (see
        :meth:`wheel_by_symbol` for ``portfolio``): one read, for `status AAPL`."""
        async with self._read() as uow:
            wheel = await self._wheel_by_symbol(uow, normalize_symbol(symbol), portfolio, False)
            assert wheel.id is not None
            book = await self._book(uow, wheel.id)
        try:
            return await self._position(book)
        except ArithmeticError as error:  # InvalidOperation, OverflowError
            raise ValidationError(failure_text(error, _subject(book.wheel))) from error

    async def positions(
        self, *, portfolio_id: int | None = None, min_risk: RiskLevel | None = None
    ) -> PositionsReport:
        """Every active wheel's position; with ``min_risk``, only options at that risk or above."""
        located, failures = await self._active_positions(portfolio_id)
        positions = [
            position
            for _, position in located
            if min_risk is None
            or (position.risk_level is not None and position.risk_level.rank >= min_risk.rank)
        ]
        return PositionsReport(positions=positions, failures=failures)

    # ── snapshots ─────────────────────────────────────────────────────────

    async def take_snapshot(self, *, portfolio_id: int | None = None) -> SnapshotRun:
        """Record every active wheel's position for today; a second run the same day
        replaces that day's snapshots instead of adding more."""
        now = self._now()
        day = exchange_date(now)
        located, failures = await self._active_positions(portfolio_id)
        snapshots = [_snapshot(book, position, day, now) for book, position in located]
        async with self._uow() as uow:
            stored = [await uow.snapshots.upsert(s) for s in snapshots]
            await uow.commit()
        return SnapshotRun(day=day, snapshots=stored, failures=failures)

    async def list_snapshots(self, query: SnapshotQuery | None = None) -> Page[Snapshot]:
        query = ticker_query(query or SnapshotQuery())
        async with self._read() as uow:
            items = await uow.snapshots.list(query)
            total = await uow.snapshots.count(query)
        return Page(items=items, total=total, offset=query.offset, limit=query.limit)

    async def latest_snapshots(self, *, portfolio_id: int | None = None) -> list[Snapshot]:
        """The most recent snapshot of each wheel."""
        async with self._read() as uow:
            every = await uow.snapshots.list(SnapshotQuery(portfolio_id=portfolio_id))
        latest: dict[int, Snapshot] = {}
        for snapshot in every:
            latest[snapshot.wheel_id] = snapshot
        return sorted(latest.values(), key=lambda s: (s.symbol, s.wheel_id))

    # ── performance ───────────────────────────────────────────────────────

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
        async with self._read() as uow:
            if wheel_id is not None:
                books = [await self._book(uow, wheel_id)]
            else:
                books = await self._books(uow, portfolio_id=portfolio_id, active=None)
        priced = [await self._priced(book) if with_prices else _as_book(book) for book in books]
        return aggregate(priced, period, exchange_date(self._now()))

    async def pnl_history(self, query: SnapshotQuery | None = None) -> list[PnlPoint]:
        """Realized and unrealized P&L per day, from the daily snapshots."""
        async with self._read() as uow:
            snapshots = await uow.snapshots.list(
                msgspec.structs.replace(
                    ticker_query(query or SnapshotQuery()), offset=0, limit=None
                )
            )
        return pnl_history(snapshots)

    async def roll_chains(self, wheel_id: int) -> list[ChainPnl]:
        """P&L per roll chain: a roll is judged by its whole chain, leg by leg."""
        async with self._read() as uow:
            book = await self._book(uow, wheel_id)
        return chain_pnl(book.trades)

    async def export_trades_csv(self, query: TradeQuery | None = None) -> Iterator[str]:
        async with self._read() as uow:
            trades = await uow.trades.list(ticker_query(query or TradeQuery()))
        return trades_csv(trades)

    async def export_performance_csv(
        self, period: Period = Period.ALL, *, portfolio_id: int | None = None
    ) -> Iterator[str]:
        report = await self.performance(period, portfolio_id=portfolio_id)
        return performance_csv(report)

    # ── recommendations ───────────────────────────────────────────────────

    async def recommend(
        self,
        wheel_id: int,
        *,
        allow_below_cost_basis: bool = False,
        max_dte: int | None = None,
    ) -> WheelRecommendation:
        """Strikes to sell next: puts for an idle wheel, covered calls for one holding shares.

        Missing or stale market data gives a refusal inside the answer, saying why.
        """
        async with self._read() as uow:
            book = await self._book(uow, wheel_id)
        return await self._recommend(book, allow_below_cost_basis, max_dte)

    async def recommend_batch(
        self, wheel_ids: Iterable[int] | None = None, *, max_dte: int | None = None
    ) -> list[WheelRecommendation]:
        """Recommendations for some wheels, or every active idle/holding wheel;
        a wheel that fails, or that does not exist, is reported with its error in its
        place and the others go on."""
        entries: list[_Book | WheelRecommendation] = []
        async with self._read() as uow:
            if wheel_ids is None:
                entries += [
                    b
                    for b in await self._books(uow, portfolio_id=None, active=True)
                    if b.wheel.state in (WheelState.IDLE, WheelState.HOLDING_SHARES)
                ]
            else:
                for wheel_id in wheel_ids:
                    try:
                        entries.append(await self._book(uow, wheel_id))
                    except NotFoundError as error:
                        entries.append(
                            WheelRecommendation(
                                wheel_id=wheel_id, symbol=None, state=None, error=error.message
                            )
                        )
        return [
            entry
            if isinstance(entry, WheelRecommendation)
            else await self._recommend_one(entry, max_dte)
            for entry in entries
        ]

    async def _recommend_one(self, book: _Book, max_dte: int | None) -> WheelRecommendation:
        try:
            return await self._recommend(book, False, max_dte)
        except Exception as error:  # one wheel never fails the batch: see failures.py
            assert book.wheel.id is not None
            return WheelRecommendation(
                wheel_id=book.wheel.id,
                symbol=book.wheel.symbol,
                state=book.wheel.state,
                error=failure_text(error, _subject(book.wheel)),
            )

    # ── internals ─────────────────────────────────────────────────────────

    async def _book(self, uow: UnitOfWork, wheel_id: int) -> _Book:
        ledger = await self._ledger(uow, wheel_id)
        return _Book(wheel=ledger.wheel, trades=ledger.trades, holdings=ledger.holdings)

    async def _books(
        self, uow: UnitOfWork, *, portfolio_id: int | None, active: bool | None
    ) -> list[_Book]:
        if portfolio_id is not None:
            await self._portfolio(uow, portfolio_id)
        ledgers = await self._histories.ledgers(uow, portfolio_id=portfolio_id, active=active)
        return [_Book(wheel=one.wheel, trades=one.trades, holdings=one.holdings) for one in ledgers]

    async def _option_mark(self, trade: Trade) -> Decimal | None:
        """The open option's mid, if the chain lists it; a missing mark is not an error."""
        try:
            chain = await self._require_market().get_chain(
                trade.symbol, from_date=trade.expiration, to_date=trade.expiration
            )
        except MarketDataError:
            return None
        for option in chain.options:
            if option.option_type is trade.option_type and option.strike == trade.strike:
                return option.mid
        return None

    async def _active_positions(
        self, portfolio_id: int | None, *, open_options_only: bool = False
    ) -> tuple[list[tuple[_Book, PositionView]], list[WheelFailure]]:
        """Every active wheel with its position (with ``open_options_only``, only the
        wheels with an open option); a wheel whose market data fails is reported in the
        failures and the others go on."""
        async with self._read() as uow:
            books = await self._books(uow, portfolio_id=portfolio_id, active=True)
        if open_options_only:
            books = [book for book in books if book.holdings.open_trade is not None]
        located: list[tuple[_Book, PositionView]] = []
        failures: list[WheelFailure] = []
        for book in books:
            try:
                located.append((book, await self._position(book)))
            except Exception as error:  # one wheel never fails the batch: see failures.py
                failures.append(_failure(book.wheel, error))
        return located, failures

    async def _position(self, book: _Book) -> PositionView:
        assert book.wheel.id is not None
        quote = await self._require_market().get_quote(book.wheel.symbol)
        today = exchange_date(self._now())
        holdings = book.holdings
        trade = holdings.open_trade
        option = mark = option_pnl = None
        if trade is not None:
            dte = trading_days_between(self._require_calendar(), today, trade.expiration)
            option = assess(trade, quote.price, today, dte, self.settings.risk)
            mark = await self._option_mark(trade)
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

    async def _priced(self, book: _Book) -> WheelBook:
        """The wheel's book with today's prices where they can be had."""
        holdings = book.holdings
        if not holdings.shares and holdings.open_trade is None:
            return _as_book(book)
        try:
            price: Decimal | None = (
                await self._require_market().get_quote(book.wheel.symbol)
            ).price
        except MarketDataError:
            price = None
        marks: dict[int, Decimal] = {}
        trade = holdings.open_trade
        if trade is not None and trade.id is not None:
            mark = await self._option_mark(trade)
            if mark is not None:
                marks[trade.id] = mark
        return _as_book(book, price=price, marks=marks)

    async def _recommend(
        self, book: _Book, allow_below_cost_basis: bool, max_dte: int | None
    ) -> WheelRecommendation:
        wheel, holdings = book.wheel, book.holdings
        assert wheel.id is not None
        if holdings.state is WheelState.IDLE:
            option_type = OptionType.PUT
        elif holdings.state is WheelState.HOLDING_SHARES:
            option_type = OptionType.CALL
        else:
            raise ConflictError(
                f"the {wheel.symbol} wheel already has an open {holdings.state.value.split('_')[0]}"
                "; recommendations are for idle wheels (puts) or wheels holding shares (calls)"
            )
        return WheelRecommendation(
            wheel_id=wheel.id,
            symbol=wheel.symbol,
            state=holdings.state,
            recommendation=await self._recommendation(
                wheel.symbol,
                option_type,
                profile=wheel.profile,
                capital=wheel.capital,
                shares=holdings.shares,
                cost_basis=holdings.cost_basis,
                allow_below_cost_basis=allow_below_cost_basis,
                max_dte=max_dte,
            ),
        )

    async def _recommendation(
        self,
        symbol: str,
        option_type: OptionType,
        *,
        profile: RiskProfile,
        capital: Decimal | None,
        shares: int = 0,
        cost_basis: Decimal | None = None,
        allow_below_cost_basis: bool = False,
        max_dte: int | None = None,
    ) -> Recommendation:
        """Options to sell on ``symbol`` now. ``capital`` ``None`` sizes puts for one
        contract of any listed strike (a watchlist symbol has no capital of its own)."""
        settings = self.settings.recommendations
        if max_dte is not None:
            settings = msgspec.structs.replace(
                settings, max_dte=max_dte, min_dte=min(settings.min_dte, max_dte)
            )
        market = self._require_market()
        today = exchange_date(self._now())
        quote = await market.get_quote(symbol)
        chain = await market.get_chain(
            symbol,
            from_date=today + timedelta(days=settings.min_dte),
            to_date=today + timedelta(days=settings.max_dte),
        )
        if capital is None:
            strikes = [o.strike for o in chain.options if o.option_type is option_type]
            capital = max(strikes, default=ZERO) * CONTRACT_MULTIPLIER
        volatility, method = await self._volatility(symbol, today, chain)
        try:
            events = await market.get_events(symbol)
        except MarketDataError:
            events = None
        return recommend(
            RecommendationRequest(
                symbol=symbol,
                option_type=option_type,
                chain=chain,
                spot=quote.price,
                spot_stale=quote.stale,
                volatility=volatility,
                volatility_method=method,
                profile=profile,
                today=today,
                capital=capital,
                shares=shares,
                cost_basis=cost_basis,
                allow_below_cost_basis=allow_below_cost_basis,
                events=events,
                settings=settings,
            )
        )

    async def _volatility(self, symbol: str, today: date, chain: OptionChain) -> tuple[float, str]:
        """Close-to-close volatility from price history, else the chain's median implied vol."""
        window = self.settings.volatility_window
        try:
            bars = await self._require_market().get_price_history(
                symbol, today - timedelta(days=self.settings.history_days), today
            )
            closes = [bar.close for bar in bars]
            return (
                pricing.historical_volatility(closes, window=window),
                f"historical close-to-close, {window} trading days",
            )
        except MarketDataError as history_error:
            vols = sorted(o.implied_volatility for o in chain.options if o.implied_volatility)
            if not vols:
                raise MarketDataError(
                    f"no volatility for {symbol}: {history_error.message}, and the chain "
                    "lists no implied volatilities"
                ) from history_error
            return vols[len(vols) // 2], "chain implied volatility, median"


def _as_book(
    book: _Book, *, price: Decimal | None = None, marks: dict[int, Decimal] | None = None
) -> WheelBook:
    return WheelBook(
        wheel=book.wheel,
        trades=tuple(book.trades),
        holdings=book.holdings,
        price=price,
        option_marks=marks or {},
    )


def _failure(wheel: Wheel, error: Exception) -> WheelFailure:
    assert wheel.id is not None
    return WheelFailure(
        wheel_id=wheel.id, symbol=wheel.symbol, error=failure_text(error, _subject(wheel))
    )


def _subject(wheel: Wheel) -> str:
    return f"the {wheel.symbol} wheel (id {wheel.id})"


def _snapshot(book: _Book, position: PositionView, day: date, now: datetime) -> Snapshot:
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


__all__ = ["WheelService"]
