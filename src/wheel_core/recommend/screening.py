"""Whether a request can be answered at all, before any strike is looked at.

Caller mistakes (a chain for another symbol, negative capital, an inverted DTE window)
raise ``ValidationError``; untrustworthy market data (a stale chain or spot, no
options of the type) is a :class:`~wheel_core.recommend.model.Refusal` inside an
ordinary answer, because a scheduled scan must report it and carry on.
"""

from __future__ import annotations

import math

from wheel_core.domain.errors import ValidationError
from wheel_core.market import OptionQuote
from wheel_core.recommend.model import RecommendationRequest, Refusal, RefusalCode


def validate_request(request: RecommendationRequest) -> None:
    settings = request.settings
    if request.chain.symbol.upper() != request.symbol.upper():
        raise ValidationError(f"chain is for {request.chain.symbol!r}, not for {request.symbol!r}")
    if request.events is not None and request.events.symbol.upper() != request.symbol.upper():
        raise ValidationError(
            f"corporate events are for {request.events.symbol!r}, not for {request.symbol!r}"
        )
    if not request.spot.is_finite() or request.spot <= 0:
        raise ValidationError(f"spot must be greater than 0, got {request.spot}")
    if not math.isfinite(request.volatility) or request.volatility <= 0:
        raise ValidationError(
            f"volatility must be a positive annualized fraction, got {request.volatility!r}"
        )
    if not request.capital.is_finite() or request.capital < 0:
        raise ValidationError(f"capital must not be negative, got {request.capital}")
    if request.shares < 0:
        raise ValidationError(f"shares must not be negative, got {request.shares}")
    if request.cost_basis is not None and (
        not request.cost_basis.is_finite() or request.cost_basis <= 0
    ):
        raise ValidationError(f"cost basis must be greater than 0, got {request.cost_basis}")
    if settings.min_dte < 1:
        raise ValidationError(
            f"min_dte must be at least 1 (a same-day option has no yield per year), "
            f"got {settings.min_dte}"
        )
    if settings.max_dte < settings.min_dte:
        raise ValidationError(
            f"max_dte ({settings.max_dte}) must not be below min_dte ({settings.min_dte})"
        )
    if not 0 <= settings.p_itm_warning <= 1:
        raise ValidationError(
            f"p_itm_warning must be a probability between 0 and 1, got {settings.p_itm_warning}"
        )
    if settings.max_spread_fraction < 0:
        raise ValidationError(
            f"max_spread_fraction must not be negative, got {settings.max_spread_fraction}"
        )
    if settings.min_open_interest < 0:
        raise ValidationError(
            f"min_open_interest must not be negative, got {settings.min_open_interest}"
        )


def refusal_for(request: RecommendationRequest, quotes: tuple[OptionQuote, ...]) -> Refusal | None:
    chain = request.chain
    if chain.stale:
        return Refusal(
            code=RefusalCode.STALE_CHAIN,
            message=(
                f"the option chain for {request.symbol} (as of {chain.as_of.isoformat()}) is "
                "stale: the provider failed and old premiums would mislead; try again later"
            ),
        )
    if request.spot_stale:
        return Refusal(
            code=RefusalCode.STALE_QUOTE,
            message=(
                f"the price of {request.symbol} is stale, so strike distances cannot be "
                "trusted; try again later"
            ),
        )
    if not quotes:
        return Refusal(
            code=RefusalCode.EMPTY_CHAIN,
            message=f"the option chain for {request.symbol} lists no {request.option_type}s",
        )
    return None
