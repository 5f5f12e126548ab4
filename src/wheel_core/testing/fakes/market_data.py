"""The fake ``MarketData``: answers what the test set, records every call, fails on demand."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

import msgspec

from wheel_core.domain.errors import MarketDataError
from wheel_core.market import CorporateEvents, OptionChain, PriceBar, Quote

E = TypeVar("E", bound=msgspec.Struct)


class FakeMarketData:
    """Market data set by the test; unknown symbols raise ``MarketDataError``.

    ``fail_with`` makes every call raise, to test how callers survive an outage.
    """

    def __init__(self) -> None:
        self.quotes: dict[str, Quote] = {}
        self.chains: dict[str, OptionChain] = {}
        self.history: dict[str, list[PriceBar]] = {}
        self.events: dict[str, CorporateEvents] = {}
        self.fail_with: Exception | None = None
        self.calls: list[tuple[str, str]] = []

    def set_price(self, symbol: str, price: Decimal | str, at: datetime) -> Quote:
        quote = Quote(symbol=symbol, price=Decimal(price), as_of=at)
        self.quotes[symbol] = quote
        return quote

    def _lookup(self, kind: str, table: dict[str, E], symbol: str) -> E:
        self.calls.append((kind, symbol))
        if self.fail_with is not None:
            raise self.fail_with
        try:
            return table[symbol]
        except KeyError:
            raise MarketDataError(f"no {kind} for symbol {symbol!r}") from None

    async def get_quote(self, symbol: str) -> Quote:
        return self._lookup("quote", self.quotes, symbol)

    async def get_chain(
        self, symbol: str, *, from_date: date | None = None, to_date: date | None = None
    ) -> OptionChain:
        chain = self._lookup("chain", self.chains, symbol)
        options = tuple(
            o
            for o in chain.options
            if (from_date is None or o.expiration >= from_date)
            and (to_date is None or o.expiration <= to_date)
        )
        return msgspec.structs.replace(chain, options=options)

    async def get_price_history(self, symbol: str, start: date, end: date) -> list[PriceBar]:
        self.calls.append(("history", symbol))
        if self.fail_with is not None:
            raise self.fail_with
        if symbol not in self.history:
            raise MarketDataError(f"no price history for symbol {symbol!r}")
        return [bar for bar in self.history[symbol] if start <= bar.day <= end]

    async def get_events(self, symbol: str) -> CorporateEvents:
        self.calls.append(("events", symbol))
        if self.fail_with is not None:
            raise self.fail_with
        return self.events.get(symbol, CorporateEvents(symbol=symbol))
