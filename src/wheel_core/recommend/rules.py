"""The named filter rules a listed strike must pass, in :data:`RULE_ORDER`.

A strike is counted against the first rule that rejects it (see
:mod:`wheel_core.recommend`), so the order is part of the answer.
"""

from __future__ import annotations

from collections.abc import Callable

from wheel_core.recommend.legs import (
    Leg,
    below_cost_basis,
    earnings_before_expiry,
    ex_dividends_before_expiry,
    thin_market_reasons,
)
from wheel_core.recommend.model import FilterRule, RecommendationRequest

_BAND_TOLERANCE = 1e-9
"""Lets a strike that sits on a band edge in exact arithmetic survive float rounding."""


_Rule = Callable[[Leg, RecommendationRequest], bool]


def _within_dte_window(leg: Leg, request: RecommendationRequest) -> bool:
    return request.settings.min_dte <= leg.dte <= request.settings.max_dte


def _has_bid(leg: Leg, request: RecommendationRequest) -> bool:
    return leg.quote.bid > 0


def _not_crossed(leg: Leg, request: RecommendationRequest) -> bool:
    return leg.quote.ask >= leg.quote.bid


def _within_sigma_band(leg: Leg, request: RecommendationRequest) -> bool:
    lower, upper = request.profile.sigma_band
    return float(lower) - _BAND_TOLERANCE <= leg.sigma_distance <= float(upper) + _BAND_TOLERANCE


def _respects_cost_basis(leg: Leg, request: RecommendationRequest) -> bool:
    return request.allow_below_cost_basis or not below_cost_basis(leg, request)


def _sizable(leg: Leg, request: RecommendationRequest) -> bool:
    return leg.contracts >= 1


def _liquid_enough(leg: Leg, request: RecommendationRequest) -> bool:
    return not (request.settings.reject_thin_markets and thin_market_reasons(leg, request))


def _clear_of_events(leg: Leg, request: RecommendationRequest) -> bool:
    settings = request.settings
    if settings.avoid_earnings and earnings_before_expiry(leg, request):
        return False
    return not (settings.avoid_ex_dividends and ex_dividends_before_expiry(leg, request))


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
