"""The engine: validate, refuse or filter every listed option through the rules, price the
survivors and rank them; and the batch form that keeps one bad request from costing the
others their answer.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import DomainError
from wheel_core.recommend.candidates import price_candidate, sort_key
from wheel_core.recommend.legs import measure_leg
from wheel_core.recommend.model import (
    BatchResult,
    Candidate,
    FilterRule,
    Recommendation,
    RecommendationRequest,
)
from wheel_core.recommend.rules import RULE_ORDER
from wheel_core.recommend.screening import refusal_for, validate_request


def recommend(request: RecommendationRequest) -> Recommendation:
    """Rank the listed options worth selling for one wheel's next leg.

    Raises :class:`ValidationError` for inconsistent requests; stale or empty
    market data gives a refusal inside the result instead (see
    :mod:`wheel_core.recommend` for why).
    """
    validate_request(request)
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
    refusal = refusal_for(request, quotes)
    if refusal is not None:
        return msgspec.structs.replace(base, refusal=refusal)

    rejections: dict[str, int] = {rule.value: 0 for rule in FilterRule}
    accepted: list[Candidate] = []
    for quote in quotes:
        leg = measure_leg(quote, request)
        failed = next((name for name, rule in RULE_ORDER if not rule(leg, request)), None)
        if failed is None:
            accepted.append(price_candidate(leg, request))
        else:
            rejections[failed] += 1

    upper = request.profile.sigma_band[1]
    accepted.sort(key=lambda c: sort_key(c, upper))
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
