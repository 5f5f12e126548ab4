"""A surviving strike priced into a :class:`~wheel_core.recommend.model.Candidate`: probability
ITM, delta, yield, size, warnings, and the order candidates are ranked in.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from wheel_core import pricing
from wheel_core.domain.enums import OptionType
from wheel_core.domain.money import CONTRACT_MULTIPLIER, cents
from wheel_core.recommend.legs import (
    Leg,
    below_cost_basis,
    earnings_before_expiry,
    ex_dividends_before_expiry,
    thin_market_reasons,
)
from wheel_core.recommend.model import (
    YIELD_QUANTUM,
    Candidate,
    CandidateWarning,
    RecommendationRequest,
    WarningCode,
)


def _warnings(
    leg: Leg, request: RecommendationRequest, probability_itm: float
) -> tuple[CandidateWarning, ...]:
    settings = request.settings
    found: list[CandidateWarning] = []
    if probability_itm > settings.p_itm_warning:
        found.append(
            CandidateWarning(
                code=WarningCode.HIGH_PROBABILITY_ITM,
                message=(
                    f"probability of expiring in the money is {probability_itm:.1%}, "
                    f"above the {settings.p_itm_warning:.1%} threshold"
                ),
            )
        )
    expiration = leg.quote.expiration
    earnings = earnings_before_expiry(leg, request)
    if earnings:
        found.append(
            CandidateWarning(
                code=WarningCode.EARNINGS_BEFORE_EXPIRY,
                message=f"earnings on {earnings[0].isoformat()}, before expiry {expiration}",
            )
        )
    ex_dividends = ex_dividends_before_expiry(leg, request)
    if ex_dividends:
        found.append(
            CandidateWarning(
                code=WarningCode.EX_DIVIDEND_BEFORE_EXPIRY,
                message=(
                    f"ex-dividend on {ex_dividends[0].isoformat()}, before expiry {expiration}"
                ),
            )
        )
    thin = thin_market_reasons(leg, request)
    if thin:
        found.append(
            CandidateWarning(
                code=WarningCode.THIN_MARKET, message="thin market: " + "; ".join(thin)
            )
        )
    if below_cost_basis(leg, request):
        found.append(
            CandidateWarning(
                code=WarningCode.BELOW_COST_BASIS,
                message=(
                    f"strike {leg.quote.strike} is below the cost basis {request.cost_basis}; "
                    "being called away would lock in a loss on the shares"
                ),
            )
        )
    return tuple(found)


def price_candidate(leg: Leg, request: RecommendationRequest) -> Candidate:
    quote = leg.quote
    settings = request.settings
    model = (
        request.option_type,
        request.spot,
        quote.strike,
        leg.years,
        request.volatility,
        settings.rate,
        settings.dividend_yield,
    )
    probability_itm = pricing.probability_itm(*model)
    if request.option_type is OptionType.PUT:
        basis = quote.strike
    else:
        basis = request.cost_basis if request.cost_basis is not None else request.spot
    premium = quote.bid
    annualized = (premium / basis * Decimal(pricing.DAYS_PER_YEAR) / leg.dte).quantize(
        YIELD_QUANTUM, rounding=ROUND_HALF_UP
    )
    upper = request.profile.sigma_band[1]
    return Candidate(
        symbol=request.symbol,
        option_type=request.option_type,
        strike=quote.strike,
        expiration=quote.expiration,
        dte=leg.dte,
        bid=quote.bid,
        ask=quote.ask,
        mid=quote.mid,
        premium=premium,
        probability_itm=probability_itm,
        delta=pricing.delta(*model),
        sigma_distance=leg.sigma_distance,
        target_strike=pricing.sigma_strike(
            request.spot, request.volatility, leg.years, upper, request.option_type
        ),
        annualized_yield=annualized,
        contracts=leg.contracts,
        collateral=cents(basis * CONTRACT_MULTIPLIER * leg.contracts),
        total_premium=cents(premium * CONTRACT_MULTIPLIER * leg.contracts),
        open_interest=quote.open_interest,
        warnings=_warnings(leg, request, probability_itm),
    )


def sort_key(candidate: Candidate, upper: Decimal) -> tuple[date, float, float, Decimal]:
    return (
        candidate.expiration,
        abs(candidate.sigma_distance - float(upper)),
        -candidate.sigma_distance,
        candidate.strike,
    )
