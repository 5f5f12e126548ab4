"""One listed option measured once, and the questions both the rules and the warnings ask.

A rule may *reject* a strike for the same reason a warning only *flags* it (a thin
market, earnings before expiry, a call below cost basis), depending on the settings;
both ask the functions here, so the two never disagree about what they see.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from wheel_core import pricing
from wheel_core.domain.enums import OptionType
from wheel_core.domain.money import CONTRACT_MULTIPLIER
from wheel_core.market import OptionQuote
from wheel_core.recommend.model import RecommendationRequest


class Leg(msgspec.Struct, frozen=True, kw_only=True):
    """One listed option with what the rules need, computed once."""

    quote: OptionQuote
    dte: int
    years: float
    sigma_distance: float
    contracts: int


def below_cost_basis(leg: Leg, request: RecommendationRequest) -> bool:
    return (
        request.option_type is OptionType.CALL
        and request.cost_basis is not None
        and leg.quote.strike < request.cost_basis
    )


def thin_market_reasons(leg: Leg, request: RecommendationRequest) -> list[str]:
    settings = request.settings
    quote = leg.quote
    reasons: list[str] = []
    mid = quote.mid
    if mid > 0:
        spread_fraction = (quote.ask - quote.bid) / mid
        if spread_fraction > settings.max_spread_fraction:
            reasons.append(
                f"spread {quote.ask - quote.bid} is {spread_fraction:.0%} of mid {mid} "
                f"(limit {settings.max_spread_fraction:.0%})"
            )
    if quote.open_interest < settings.min_open_interest:
        reasons.append(f"open interest {quote.open_interest} is below {settings.min_open_interest}")
    return reasons


def earnings_before_expiry(leg: Leg, request: RecommendationRequest) -> tuple[date, ...]:
    # Earnings today still count: the report may come after today's close.
    if request.events is None:
        return ()
    expiration = leg.quote.expiration
    return tuple(sorted(d for d in request.events.earnings if request.today <= d <= expiration))


def ex_dividends_before_expiry(leg: Leg, request: RecommendationRequest) -> tuple[date, ...]:
    # An ex-date of today is already in the price; the early-assignment risk was yesterday.
    if request.events is None:
        return ()
    expiration = leg.quote.expiration
    return tuple(sorted(d for d in request.events.ex_dividends if request.today < d <= expiration))


def _contracts(strike: Decimal, request: RecommendationRequest) -> int:
    if request.option_type is OptionType.PUT:
        return int(request.capital // (strike * CONTRACT_MULTIPLIER))
    return request.shares // CONTRACT_MULTIPLIER


def measure_leg(quote: OptionQuote, request: RecommendationRequest) -> Leg:
    dte = (quote.expiration - request.today).days
    # Expired legs are rejected by the DTE rule; clamping only keeps the math defined.
    years = pricing.years_to_expiry(max(dte, 0))
    return Leg(
        quote=quote,
        dte=dte,
        years=years,
        sigma_distance=pricing.sigma_distance(
            request.option_type, request.spot, quote.strike, request.volatility, years
        ),
        contracts=_contracts(quote.strike, request),
    )
