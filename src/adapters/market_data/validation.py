"""Checks on what a provider returns, before any number reaches the core.

A quote that cannot be right (NaN, zero, negative, bid above ask) is refused
as a whole. A chain keeps its good options and drops the bad ones one by
one, logging why: one broken strike must not hide a whole expiry, and a
recommendation made from the rest stays honest because each dropped option
is simply not offered.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal

import msgspec

from adapters.market_data.errors import InvalidMarketDataError
from wheel_core.market import OptionChain, OptionQuote, PriceBar, Quote

log = logging.getLogger(__name__)


def _positive(value: Decimal | None) -> bool:
    return value is not None and value.is_finite() and value > 0


def _non_negative(value: Decimal) -> bool:
    return value.is_finite() and value >= 0


def checked_quote(quote: Quote) -> Quote:
    if not _positive(quote.price):
        raise InvalidMarketDataError(f"{quote.symbol}: unusable price {quote.price}")
    if quote.bid is not None and quote.ask is not None:
        if not (_non_negative(quote.bid) and _non_negative(quote.ask)):
            raise InvalidMarketDataError(
                f"{quote.symbol}: unusable bid/ask {quote.bid}/{quote.ask}"
            )
        if quote.bid > quote.ask:
            raise InvalidMarketDataError(
                f"{quote.symbol}: crossed market, bid {quote.bid} above ask {quote.ask}"
            )
    return quote


def option_problem(option: OptionQuote) -> str | None:
    """Why an option cannot be used, or ``None`` when it can."""
    if not _positive(option.strike):
        return f"strike {option.strike}"
    if not (_non_negative(option.bid) and _non_negative(option.ask)):
        return f"bid/ask {option.bid}/{option.ask}"
    if option.bid > option.ask:
        return f"crossed market {option.bid}/{option.ask}"
    vol = option.implied_volatility
    if vol is not None and not (vol == vol and 0 < vol < 20):
        return f"implied volatility {vol}"
    if option.open_interest < 0 or option.volume < 0:
        return "negative volume or open interest"
    return None


def checked_chain(chain: OptionChain) -> OptionChain:
    if not _positive(chain.underlying_price):
        raise InvalidMarketDataError(
            f"{chain.symbol}: unusable underlying price {chain.underlying_price}"
        )
    kept: list[OptionQuote] = []
    for option in chain.options:
        problem = option_problem(option)
        if problem is None:
            kept.append(option)
        else:
            log.warning(
                "dropped %s %s %s %s: %s",
                chain.symbol,
                option.expiration,
                option.option_type.value,
                option.strike,
                problem,
            )
    if len(kept) == len(chain.options):
        return chain
    return msgspec.structs.replace(chain, options=tuple(kept))


def checked_history(symbol: str, bars: Iterable[PriceBar]) -> list[PriceBar]:
    """Bars with a usable close, one per day, oldest first."""
    by_day: dict[object, PriceBar] = {}
    for bar in bars:
        if _positive(bar.close):
            by_day[bar.day] = bar
        else:
            log.warning("dropped %s bar of %s: close %s", symbol, bar.day, bar.close)
    return [by_day[day] for day in sorted(by_day)]  # type: ignore[type-var]
