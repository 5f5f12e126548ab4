"""Which option to sell next: strikes and expirations for a wheel's next leg (DESIGN §4).

:func:`recommend` is a pure function from one :class:`RecommendationRequest`
(the chain, spot, volatility, the wheel's capital or shares, today) to one
:class:`Recommendation`. It never fetches anything, so the same request always
gives the same answer and a user can replay it by hand.

How a strike is chosen:

1. Every listed option of the requested type goes through the named filter
   rules in :data:`RULE_ORDER`. A strike is counted against the *first* rule
   that rejects it, so the counts in ``Recommendation.rejections`` add up to
   the strikes that were dropped and show *why* nothing may be left.
2. A strike's distance from spot is measured in σ·√T of its own expiry
   (:func:`wheel_core.pricing.sigma_distance`); it survives the σ-band rule
   when that distance lies inside the risk profile's band.
3. The profile prefers the band's upper bound (the safer edge), so each
   expiry has a target price, :func:`wheel_core.pricing.sigma_strike` at the
   upper bound; listed strikes are *snapped* to it by sorting the survivors
   by how close they sit to the upper bound in σ.

Candidates are ordered by ``(expiration, |σ-distance − upper bound|,
further out of the money first, strike)``: the nearest expiration first (the
wheel favours short, weekly premium), and within it the listed strike nearest
the target. ``Recommendation.best`` is therefore the snapped strike of the
nearest acceptable expiry.

Failure modes, chosen on purpose: missing or untrustworthy *market data* (a
stale chain or spot, an empty chain) gives a :class:`Recommendation` with a
:class:`Refusal` and no candidates, because that is an ordinary answer a
scheduled scan must be able to report and carry on from; *caller mistakes*
(a chain for another symbol, negative capital, an inverted DTE window) raise
:class:`~wheel_core.domain.errors.ValidationError`.

Risk numbers (probability ITM, delta, σ-distance) all use the one volatility
in the request, whose method is named in the output, so every figure of a
recommendation is on the same footing even when the chain carries its own
per-strike implied volatilities.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

import msgspec

from wheel_core import pricing
from wheel_core.domain.enums import OptionType, RiskProfile
from wheel_core.domain.errors import DomainError, ValidationError
from wheel_core.domain.money import CONTRACT_MULTIPLIER, ZERO, cents
from wheel_core.market import CorporateEvents, OptionChain, OptionQuote

YIELD_QUANTUM = Decimal("0.0001")
"""Annualized yields are fractions rounded to one basis point (0.0749 = 7.49 % a year)."""

_BAND_TOLERANCE = 1e-9
"""Lets a strike that sits on a band edge in exact arithmetic survive float rounding."""


class FilterRule(StrEnum):
    """The named rules a listed strike must pass, in the order they are applied."""

    DTE_WINDOW = "dte_window"
    BID_POSITIVE = "bid_positive"
    VALID_QUOTE = "valid_quote"
    SIGMA_BAND = "sigma_band"
    COST_BASIS = "cost_basis"
    SIZING = "sizing"
    LIQUIDITY = "liquidity"
    EVENTS = "events"


class WarningCode(StrEnum):
    HIGH_PROBABILITY_ITM = "high_probability_itm"
    EARNINGS_BEFORE_EXPIRY = "earnings_before_expiry"
    EX_DIVIDEND_BEFORE_EXPIRY = "ex_dividend_before_expiry"
    THIN_MARKET = "thin_market"
    BELOW_COST_BASIS = "below_cost_basis"


class RefusalCode(StrEnum):
    STALE_CHAIN = "stale_chain"
    STALE_QUOTE = "stale_quote"
    EMPTY_CHAIN = "empty_chain"


class RecommendationSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Tunable thresholds; the defaults suit a weekly-to-monthly wheel.

    Thin markets and corporate events are warnings by default, because a
    trader may still want the trade; ``reject_thin_markets``,
    ``avoid_earnings`` and ``avoid_ex_dividends`` turn them into filter rules.
    ``rate`` and ``dividend_yield`` are continuously compounded per year; the
    caller passes current values (0 slightly overstates put P(ITM) and
    understates call P(ITM)).
    """

    min_dte: int = 7
    max_dte: int = 45
    p_itm_warning: float = 0.30
    max_spread_fraction: Decimal = Decimal("0.25")
    """Widest acceptable (ask − bid) / mid before a market counts as thin."""
    min_open_interest: int = 100
    rate: float = 0.0
    dividend_yield: float = 0.0
    reject_thin_markets: bool = False
    avoid_earnings: bool = False
    avoid_ex_dividends: bool = False


class RecommendationRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Everything one recommendation depends on.

    The caller decides ``option_type`` from the wheel's state: a put when the
    wheel is idle, a call when it holds shares. ``capital`` sizes puts (cash
    securing them); ``shares`` and ``cost_basis`` size and guard calls.
    ``spot_stale`` is set when the spot came from a quote served stale.
    """

    symbol: str
    option_type: OptionType
    chain: OptionChain
    spot: Decimal
    volatility: float
    volatility_method: str
    profile: RiskProfile
    today: date
    capital: Decimal = ZERO
    shares: int = 0
    cost_basis: Decimal | None = None
    allow_below_cost_basis: bool = False
    spot_stale: bool = False
    events: CorporateEvents | None = None
    settings: RecommendationSettings = msgspec.field(default_factory=RecommendationSettings)


class CandidateWarning(msgspec.Struct, frozen=True, kw_only=True):
    code: WarningCode
    message: str


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    """One sellable option with the numbers a trader checks before selling it.

    ``premium`` is the bid: what a market sell order gets, so yields are not
    flattered by a mid that may never fill. ``annualized_yield`` is
    ``premium / basis × 365 / dte`` where the basis per share is the strike
    for a put (the cash it ties up) and the purchase cost basis for a call
    (spot when no cost basis is known), matching DESIGN §4's collateral.
    ``collateral`` is ``strike × 100 × contracts`` for a put and
    ``basis × 100 × contracts`` for a call (the shares the calls cover).
    """

    symbol: str
    option_type: OptionType
    strike: Decimal
    expiration: date
    dte: int
    bid: Decimal
    ask: Decimal
    mid: Decimal
    premium: Decimal
    probability_itm: float
    delta: float
    sigma_distance: float
    target_strike: Decimal
    annualized_yield: Decimal
    contracts: int
    collateral: Decimal
    total_premium: Decimal
    open_interest: int
    warnings: tuple[CandidateWarning, ...] = ()


class Refusal(msgspec.Struct, frozen=True, kw_only=True):
    code: RefusalCode
    message: str


class Recommendation(msgspec.Struct, frozen=True, kw_only=True):
    """The answer, including why strikes were dropped or why nothing was tried.

    ``rejections`` maps every rule's name (a :class:`FilterRule` value), in
    rule order, to the number of strikes it rejected; it is empty when the
    request was refused before any rule ran. ``considered`` is the
    number of listed options of the requested type.
    """

    symbol: str
    option_type: OptionType
    profile: RiskProfile
    sigma_band: tuple[Decimal, Decimal]
    spot: Decimal
    volatility: float
    volatility_method: str
    today: date
    candidates: tuple[Candidate, ...] = ()
    considered: int = 0
    rejections: dict[str, int] = msgspec.field(default_factory=dict)
    refusal: Refusal | None = None
    notes: tuple[str, ...] = ()
    simulated: bool = False

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


class BatchResult(msgspec.Struct, frozen=True, kw_only=True):
    """One request's outcome in :func:`recommend_many`: a recommendation or the error it hit."""

    symbol: str
    recommendation: Recommendation | None = None
    error: str | None = None
    error_kind: str | None = None


class _Leg(msgspec.Struct, frozen=True, kw_only=True):
    """One listed option with what the rules need, computed once."""

    quote: OptionQuote
    dte: int
    years: float
    sigma_distance: float
    contracts: int


_Rule = Callable[[_Leg, RecommendationRequest], bool]


def _within_dte_window(leg: _Leg, request: RecommendationRequest) -> bool:
    return request.settings.min_dte <= leg.dte <= request.settings.max_dte


def _has_bid(leg: _Leg, request: RecommendationRequest) -> bool:
    return leg.quote.bid > 0


def _not_crossed(leg: _Leg, request: RecommendationRequest) -> bool:
    return leg.quote.ask >= leg.quote.bid


def _within_sigma_band(leg: _Leg, request: RecommendationRequest) -> bool:
    lower, upper = request.profile.sigma_band
    return float(lower) - _BAND_TOLERANCE <= leg.sigma_distance <= float(upper) + _BAND_TOLERANCE


def _respects_cost_basis(leg: _Leg, request: RecommendationRequest) -> bool:
    return request.allow_below_cost_basis or not _below_cost_basis(leg, request)


def _sizable(leg: _Leg, request: RecommendationRequest) -> bool:
    return leg.contracts >= 1


def _liquid_enough(leg: _Leg, request: RecommendationRequest) -> bool:
    return not (request.settings.reject_thin_markets and _thin_market_reasons(leg, request))


def _clear_of_events(leg: _Leg, request: RecommendationRequest) -> bool:
    settings = request.settings
    if settings.avoid_earnings and _earnings_before_expiry(leg, request):
        return False
    return not (settings.avoid_ex_dividends and _ex_dividends_before_expiry(leg, request))


RULE_ORDER: tuple[tuple[FilterRule, _Rule], ...] = (
    (FilterRule.DTE_WINDOW, _within_dte_window),
    (FilterRule.BID_POSITIVE, _has_bid),
    (FilterRule.VALID_QUOTE, _not_crossed),
    (FilterRule.SIGMA_BAND, _within_sigma_band),
    (FilterRule.COST_BASIS, _respects_cost_basis),
    (FilterRule.SIZING, _sizable),
    (FilterRule.LIQUIDITY, _liquid_enough),
    (FilterRule.EVENTS, _clear_of_events),
)
"""Cheap, data-quality rules come first so a broken quote is not blamed on the risk profile."""


def _below_cost_basis(leg: _Leg, request: RecommendationRequest) -> bool:
    return (
        request.option_type is OptionType.CALL
        and request.cost_basis is not None
        and leg.quote.strike < request.cost_basis
    )


def _thin_market_reasons(leg: _Leg, request: RecommendationRequest) -> list[str]:
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


def _earnings_before_expiry(leg: _Leg, request: RecommendationRequest) -> tuple[date, ...]:
    # Earnings today still count: the report may come after today's close.
    if request.events is None:
        return ()
    expiration = leg.quote.expiration
    return tuple(sorted(d for d in request.events.earnings if request.today <= d <= expiration))


def _ex_dividends_before_expiry(leg: _Leg, request: RecommendationRequest) -> tuple[date, ...]:
    # An ex-date of today is already in the price; the early-assignment risk was yesterday.
    if request.events is None:
        return ()
    expiration = leg.quote.expiration
    return tuple(sorted(d for d in request.events.ex_dividends if request.today < d <= expiration))


def _contracts(strike: Decimal, request: RecommendationRequest) -> int:
    if request.option_type is OptionType.PUT:
        return int(request.capital // (strike * CONTRACT_MULTIPLIER))
    return request.shares // CONTRACT_MULTIPLIER


def _leg(quote: OptionQuote, request: RecommendationRequest) -> _Leg:
    dte = (quote.expiration - request.today).days
    # Expired legs are rejected by the DTE rule; clamping only keeps the math defined.
    years = pricing.years_to_expiry(max(dte, 0))
    return _Leg(
        quote=quote,
        dte=dte,
        years=years,
        sigma_distance=pricing.sigma_distance(
            request.option_type, request.spot, quote.strike, request.volatility, years
        ),
        contracts=_contracts(quote.strike, request),
    )


def _warnings(
    leg: _Leg, request: RecommendationRequest, probability_itm: float
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
    earnings = _earnings_before_expiry(leg, request)
    if earnings:
        found.append(
            CandidateWarning(
                code=WarningCode.EARNINGS_BEFORE_EXPIRY,
                message=f"earnings on {earnings[0].isoformat()}, before expiry {expiration}",
            )
        )
    ex_dividends = _ex_dividends_before_expiry(leg, request)
    if ex_dividends:
        found.append(
            CandidateWarning(
                code=WarningCode.EX_DIVIDEND_BEFORE_EXPIRY,
                message=(
                    f"ex-dividend on {ex_dividends[0].isoformat()}, before expiry {expiration}"
                ),
            )
        )
    thin = _thin_market_reasons(leg, request)
    if thin:
        found.append(
            CandidateWarning(
                code=WarningCode.THIN_MARKET, message="thin market: " + "; ".join(thin)
            )
        )
    if _below_cost_basis(leg, request):
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


def _candidate(leg: _Leg, request: RecommendationRequest) -> Candidate:
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


def _sort_key(candidate: Candidate, upper: Decimal) -> tuple[date, float, float, Decimal]:
    return (
        candidate.expiration,
        abs(candidate.sigma_distance - float(upper)),
        -candidate.sigma_distance,
        candidate.strike,
    )


def _validate(request: RecommendationRequest) -> None:
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


def _refusal(request: RecommendationRequest, quotes: tuple[OptionQuote, ...]) -> Refusal | None:
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


def recommend(request: RecommendationRequest) -> Recommendation:
    """Rank the listed options worth selling for one wheel's next leg.

    Raises :class:`ValidationError` for inconsistent requests; stale or empty
    market data gives a refusal inside the result instead (see the module
    docstring for why).
    """
    _validate(request)
    quotes = tuple(o for o in request.chain.options if o.option_type is request.option_type)
    base = Recommendation(
        symbol=request.symbol,
        option_type=request.option_type,
        profile=request.profile,
        sigma_band=request.profile.sigma_band,
        spot=request.spot,
        volatility=request.volatility,
        volatility_method=request.volatility_method,
        today=request.today,
        considered=len(quotes),
        simulated=request.chain.simulated,
    )
    refusal = _refusal(request, quotes)
    if refusal is not None:
        return msgspec.structs.replace(base, refusal=refusal)

    rejections: dict[str, int] = {rule.value: 0 for rule in FilterRule}
    accepted: list[Candidate] = []
    for quote in quotes:
        leg = _leg(quote, request)
        failed = next((name for name, rule in RULE_ORDER if not rule(leg, request)), None)
        if failed is None:
            accepted.append(_candidate(leg, request))
        else:
            rejections[failed] += 1

    upper = request.profile.sigma_band[1]
    accepted.sort(key=lambda c: _sort_key(c, upper))
    return msgspec.structs.replace(
        base, candidates=tuple(accepted), rejections=rejections, notes=_notes(request)
    )


def _notes(request: RecommendationRequest) -> tuple[str, ...]:
    notes: list[str] = []
    if request.events is None:
        notes.append("corporate events unknown: earnings and ex-dividend dates were not checked")
    if request.option_type is OptionType.CALL and request.cost_basis is None:
        notes.append(
            "cost basis unknown: call strikes were not checked against it and yields use spot"
        )
    if request.chain.simulated:
        notes.append("simulated market data: premiums are not real quotes")
    return tuple(notes)


def recommend_many(requests: Iterable[RecommendationRequest]) -> list[BatchResult]:
    """Recommend for several wheels; one bad request does not cost the others their answer.

    Only domain errors (bad input, bad market data, unanswerable math) are
    captured per item; anything else is a bug and propagates.
    """
    results: list[BatchResult] = []
    for request in requests:
        try:
            results.append(BatchResult(symbol=request.symbol, recommendation=recommend(request)))
        except DomainError as error:
            results.append(
                BatchResult(
                    symbol=request.symbol,
                    error=error.message,
                    error_kind=type(error).__name__,
                )
            )
    return results
