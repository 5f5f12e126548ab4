"""Market data: quotes and option chains from the configured provider, marked simulated
or stale when they are."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import get
from litestar.params import QueryParameter

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import Facade
from adapters.http.params import TickerPath, ticker_of
from adapters.wire import CHAIN, QUOTE
from wheel_core.market import OptionChain, Quote


class MarketController(ApiController):
    path = "/"
    tags = ["market"]

    @get(QUOTE)
    async def quote(self, service: Facade, symbol: TickerPath) -> Quote:
        """The symbol's current price with bid and ask (404 when the symbol is not listed).
        A class-share ticker keeps its slash: ``/market/quotes/BRK/B``."""
        return await service.quote(ticker_of(symbol))

    @get(CHAIN)
    async def chain(
        self,
        service: Facade,
        symbol: TickerPath,
        from_date: Annotated[
            date | None,
            QueryParameter(name="from", description="Expirations on or after this day."),
        ] = None,
        to_date: Annotated[
            date | None, QueryParameter(name="to", description="Expirations on or before this day.")
        ] = None,
    ) -> OptionChain:
        """The symbol's listed puts and calls, optionally between two expiration days (404
        when the symbol is not listed)."""
        return await service.chain(ticker_of(symbol), from_date=from_date, to_date=to_date)
