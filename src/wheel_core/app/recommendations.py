"""Strikes to sell next: for a wheel (puts when idle, covered calls when holding shares),
for a batch of wheels, or for a bare symbol (the opportunity scan's watchlist).

A room that needs the market (see :mod:`wheel_core.app.context` for the layout);
the selection itself is :func:`wheel_core.recommend.recommend`, pure. Market data is
fetched outside any unit of work; missing or stale data gives a refusal inside the
answer, and in a batch a wheel that fails is reported in its place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

import msgspec

from wheel_core import pricing
from wheel_core.app import lookups
from wheel_core.app.book import Book
from wheel_core.app.context import AppContext
from wheel_core.app.failures import failure_text, subject
from wheel_core.app.views import WheelRecommendation
from wheel_core.domain.enums import OptionType, RiskProfile, WheelState
from wheel_core.domain.errors import ConflictError, MarketDataError, NotFoundError
from wheel_core.domain.money import CONTRACT_MULTIPLIER, ZERO
from wheel_core.market import OptionChain
from wheel_core.recommend import Recommendation, RecommendationRequest, recommend


class Recommendations:
    """Recommendation use cases; see the module docstring."""

    def __init__(self, context: AppContext) -> None:
        self._context = context

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
        async with self._context.read() as uow:
            book = await Book.load(uow, wheel_id)
        return await self._for_book(book, allow_below_cost_basis, max_dte)

    async def recommend_batch(
        self, wheel_ids: Iterable[int] | None = None, *, max_dte: int | None = None
    ) -> list[WheelRecommendation]:
        """Recommendations for some wheels, or every active idle/holding wheel;
        a wheel that fails, or that does not exist, is reported with its error in its
        place and the others go on."""
        entries: list[Book | WheelRecommendation] = []
        async with self._context.read() as uow:
            if wheel_ids is None:
                every = await lookups.books(
                    self._context.histories, uow, portfolio_id=None, active=True
                )
                entries += [
                    b
                    for b in every
                    if b.wheel.state in (WheelState.IDLE, WheelState.HOLDING_SHARES)
                ]
            else:
                for wheel_id in wheel_ids:
                    try:
                        entries.append(await Book.load(uow, wheel_id))
                    except NotFoundError as error:
                        entries.append(
                            WheelRecommendation(
                                wheel_id=wheel_id, symbol=None, state=None, error=error.message
                            )
                        )
        return [
            entry
            if isinstance(entry, WheelRecommendation)
            else await self._one_of_batch(entry, max_dte)
            for entry in entries
        ]

    async def for_symbol(
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
        settings = self._context.settings.recommendations
        if max_dte is not None:
            settings = msgspec.structs.replace(
                settings, max_dte=max_dte, min_dte=min(settings.min_dte, max_dte)
            )
        market = self._context.require_market()
        today = self._context.today()
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

    async def _one_of_batch(self, book: Book, max_dte: int | None) -> WheelRecommendation:
        try:
            return await self._for_book(book, False, max_dte)
        except Exception as error:  # one wheel never fails the batch: see failures.py
            assert book.wheel.id is not None
            return WheelRecommendation(
                wheel_id=book.wheel.id,
                symbol=book.wheel.symbol,
                state=book.wheel.state,
                error=failure_text(error, subject(book.wheel)),
            )

    async def _for_book(
        self, book: Book, allow_below_cost_basis: bool, max_dte: int | None
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
            recommendation=await self.for_symbol(
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

    async def _volatility(self, symbol: str, today: date, chain: OptionChain) -> tuple[float, str]:
        """Close-to-close volatility from price history, else the chain's median implied vol."""
        settings = self._context.settings
        window = settings.volatility_window
        try:
            bars = await self._context.require_market().get_price_history(
                symbol, today - timedelta(days=settings.history_days), today
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


__all__ = ["Recommendations"]
