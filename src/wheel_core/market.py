"""What the market tells us: quotes, option chains, price history, corporate events.

These Structs are the currency of the ``MarketData`` port. Every value carries
where it came from (``simulated``) and whether it is being served from a cache
after a failure (``stale``), so nothing downstream can mistake a simulated or
old number for a live one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import msgspec

from wheel_core.domain.enums import OptionType


class Quote(msgspec.Struct, frozen=True, kw_only=True):
    symbol: str
    price: Decimal
    as_of: datetime
    bid: Decimal | None = None
    ask: Decimal | None = None
    simulated: bool = False
    stale: bool = False


class OptionQuote(msgspec.Struct, frozen=True, kw_only=True):
    """One listed contract of a chain."""

    option_type: OptionType
    strike: Decimal
    expiration: date
    bid: Decimal
    ask: Decimal
    implied_volatility: float | None = None
    delta: float | None = None
    volume: int = 0
    open_interest: int = 0

    @property
    def mid(self) -> Decimal:
        return (self.bid + self.ask) / 2


class OptionChain(msgspec.Struct, frozen=True, kw_only=True):
    symbol: str
    underlying_price: Decimal
    as_of: datetime
    options: tuple[OptionQuote, ...] = ()
    simulated: bool = False
    stale: bool = False

    @property
    def expirations(self) -> tuple[date, ...]:
        return tuple(sorted({o.expiration for o in self.options}))


class PriceBar(msgspec.Struct, frozen=True, kw_only=True):
    """One daily bar; only ``close`` is needed for close-to-close volatility."""

    day: date
    close: Decimal
    open: Decimal | None = None
    high: Decimal | None = None
    low: Decimal | None = None
    volume: int | None = None


class CorporateEvents(msgspec.Struct, frozen=True, kw_only=True):
    """Dates that move an option's risk: earnings and ex-dividend."""

    symbol: str
    earnings: tuple[date, ...] = ()
    ex_dividends: tuple[date, ...] = ()
    simulated: bool = False


class MarketSession(msgspec.Struct, frozen=True, kw_only=True):
    """One trading day's regular session, in UTC; ``early_close`` on half days."""

    day: date
    open: datetime
    close: datetime
    early_close: bool = False
