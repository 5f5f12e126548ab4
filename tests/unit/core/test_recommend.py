"""Candidate selection on hand-built chains a trader can check with a calculator.

Most tests use spot 100 and a volatility chosen so that σ·√T = 0.10 exactly
for a 28-day expiry. A strike's σ-distance is then ln(100 / K) / 0.10 for a
put and ln(K / 100) / 0.10 for a call:

    put  K:  85 → 1.625   86 → 1.508   87 → 1.393   88 → 1.278   90 → 1.054   91 → 0.943
    call K: 110 → 0.953  111 → 1.044  115 → 1.398  116 → 1.484  117 → 1.570

so the moderate band (1.0–1.5 σ) holds puts 87–90 and calls 111–116, and the
upper-bound targets are 100·e^−0.15 = 86.07 and 100·e^0.15 = 116.18.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from statistics import NormalDist

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wheel_core.domain.enums import OptionType, RiskProfile
from wheel_core.domain.errors import ValidationError
from wheel_core.market import CorporateEvents, OptionChain, OptionQuote
from wheel_core.recommend import (
    Candidate,
    FilterRule,
    Recommendation,
    RecommendationRequest,
    RecommendationSettings,
    RefusalCode,
    WarningCode,
    recommend,
    recommend_many,
)

TODAY = date(2024, 6, 3)
SPOT = Decimal(100)
VOLATILITY = 0.10 / math.sqrt(28 / 365)
"""Makes σ·√T exactly 0.10 at 28 days to expiry."""

PUT = OptionType.PUT
CALL = OptionType.CALL


def _option(
    option_type: OptionType,
    strike: str,
    *,
    days: int = 28,
    bid: str = "0.50",
    ask: str = "0.55",
    open_interest: int = 500,
) -> OptionQuote:
    return OptionQuote(
        option_type=option_type,
        strike=Decimal(strike),
        expiration=TODAY + timedelta(days=days),
        bid=Decimal(bid),
        ask=Decimal(ask),
        open_interest=open_interest,
    )


def _chain(*options: OptionQuote, stale: bool = False) -> OptionChain:
    return OptionChain(
        symbol="XYZ",
        underlying_price=SPOT,
        as_of=datetime(2024, 6, 3, 15, 0, tzinfo=UTC),
        options=options,
        stale=stale,
    )


def _request(chain: OptionChain, **overrides: object) -> RecommendationRequest:
    fields: dict[str, object] = {
        "symbol": "XYZ",
        "option_type": PUT,
        "chain": chain,
        "spot": SPOT,
        "volatility": VOLATILITY,
        "volatility_method": "close-to-close, 20 days",
        "profile": RiskProfile.MODERATE,
        "today": TODAY,
        "capital": Decimal(20_000),
        "events": CorporateEvents(symbol="XYZ"),
    }
    fields.update(overrides)
    return RecommendationRequest(**fields)  # type: ignore[arg-type]


def _strikes(recommendation: Recommendation) -> list[Decimal]:
    return [c.strike for c in recommendation.candidates]


PUT_STRIKES = ("80", "85", "86", "87", "88", "90", "91", "95")
CALL_STRIKES = ("105", "110", "111", "115", "116", "117", "120")


# --- σ band and snapping --------------------------------------------------------


def test_moderate_put_keeps_strikes_inside_the_band_nearest_the_upper_bound_first() -> None:
    result = recommend(_request(_chain(*(_option(PUT, k) for k in PUT_STRIKES))))

    assert _strikes(result) == [Decimal(87), Decimal(88), Decimal(90)]
    assert result.rejections[FilterRule.SIGMA_BAND] == 5
    best = result.best
    assert best is not None
    assert best.target_strike == Decimal("86.07")
    assert best.sigma_distance == pytest.approx(math.log(100 / 87) / 0.10)
    assert result.refusal is None


def test_moderate_call_snaps_to_the_listed_strike_nearest_the_target() -> None:
    chain = _chain(*(_option(CALL, k) for k in CALL_STRIKES))
    result = recommend(_request(chain, option_type=CALL, shares=200, cost_basis=Decimal(100)))

    # 116 is 0.016 σ from the 1.5 σ target (116.18), 115 is 0.102 σ, 111 is 0.456 σ.
    assert _strikes(result) == [Decimal(116), Decimal(115), Decimal(111)]
    assert result.best is not None
    assert result.best.target_strike == Decimal("116.18")
    assert result.rejections[FilterRule.SIGMA_BAND] == 4


def test_aggressive_profile_moves_strikes_closer_to_spot() -> None:
    result = recommend(
        _request(_chain(*(_option(PUT, k) for k in PUT_STRIKES)), profile=RiskProfile.AGGRESSIVE)
    )
    # 0.5–1.0 σ: 95 (0.513) and 91 (0.943); 90 is 1.054 σ. Target 100·e^−0.10 = 90.48.
    assert _strikes(result) == [Decimal(91), Decimal(95)]


def test_probability_and_delta_use_the_requested_volatility() -> None:
    result = recommend(_request(_chain(_option(PUT, "88"))))
    candidate = result.candidates[0]
    # P(put ITM) = N(−d2), d2 = (ln(100/88) − ½·0.10²) / 0.10 = 1.2283 → 0.1097.
    d2 = (math.log(100 / 88) - 0.5 * 0.10**2) / 0.10
    assert candidate.probability_itm == pytest.approx(NormalDist().cdf(-d2))
    assert round(candidate.probability_itm, 4) == 0.1097
    # Put delta = N(d1) − 1 with d1 = d2 + 0.10.
    assert candidate.delta == pytest.approx(NormalDist().cdf(d2 + 0.10) - 1)


# --- DTE window -------------------------------------------------------------------


def test_dte_window_drops_expiries_outside_it_and_prefers_the_nearest() -> None:
    # 87 is inside the moderate band at 28 days (1.393 σ) and at 35 days (1.246 σ).
    chain = _chain(*(_option(PUT, "87", days=days) for days in (60, 35, 5, 28)))
    result = recommend(_request(chain))

    assert [c.dte for c in result.candidates] == [28, 35]
    assert result.rejections[FilterRule.DTE_WINDOW] == 2


def test_dte_window_is_configurable() -> None:
    chain = _chain(*(_option(PUT, "87", days=days) for days in (5, 28)))
    settings = RecommendationSettings(min_dte=1, max_dte=7)
    # At 5 days σ√T = 0.10·√(5/28) = 0.0423, and 87 is 3.3 σ out: outside the band.
    result = recommend(_request(chain, settings=settings))
    assert result.candidates == ()
    assert result.rejections[FilterRule.DTE_WINDOW] == 1
    assert result.rejections[FilterRule.SIGMA_BAND] == 1


# --- cost basis -------------------------------------------------------------------


def test_calls_below_cost_basis_are_refused() -> None:
    chain = _chain(*(_option(CALL, k) for k in CALL_STRIKES))
    result = recommend(_request(chain, option_type=CALL, shares=200, cost_basis=Decimal(114)))

    assert _strikes(result) == [Decimal(116), Decimal(115)]
    assert result.rejections[FilterRule.COST_BASIS] == 1


def test_calls_below_cost_basis_are_allowed_with_a_warning_when_overridden() -> None:
    chain = _chain(*(_option(CALL, k) for k in CALL_STRIKES))
    result = recommend(
        _request(
            chain,
            option_type=CALL,
            shares=200,
            cost_basis=Decimal(114),
            allow_below_cost_basis=True,
        )
    )

    assert _strikes(result) == [Decimal(116), Decimal(115), Decimal(111)]
    below = result.candidates[-1]
    assert [w.code for w in below.warnings] == [WarningCode.BELOW_COST_BASIS]
    assert all(not c.warnings for c in result.candidates[:-1])
    assert result.rejections[FilterRule.COST_BASIS] == 0


def test_call_yield_and_collateral_use_the_cost_basis() -> None:
    chain = _chain(_option(CALL, "116", bid="0.40", ask="0.45"))
    result = recommend(_request(chain, option_type=CALL, shares=250, cost_basis=Decimal(114)))
    candidate = result.candidates[0]
    # 250 shares cover 2 contracts; 0.40 / 114 × 365 / 28 = 0.04574 a year.
    assert candidate.contracts == 2
    assert candidate.collateral == Decimal("22800.00")
    assert candidate.total_premium == Decimal("80.00")
    assert candidate.annualized_yield == Decimal("0.0457")


def test_call_without_cost_basis_uses_spot_and_says_so() -> None:
    chain = _chain(_option(CALL, "116", bid="0.40", ask="0.45"))
    result = recommend(_request(chain, option_type=CALL, shares=100))
    candidate = result.candidates[0]
    # 0.40 / 100 × 365 / 28 = 0.05214.
    assert candidate.annualized_yield == Decimal("0.0521")
    assert candidate.collateral == Decimal("10000.00")
    assert any("cost basis unknown" in note for note in result.notes)


# --- sizing -----------------------------------------------------------------------


def test_put_contracts_are_sized_from_capital() -> None:
    result = recommend(_request(_chain(_option(PUT, "87")), capital=Decimal(20_000)))
    candidate = result.candidates[0]
    # floor(20,000 / 8,700) = 2 contracts; 2 × 8,700 collateral; 0.50 × 100 × 2 premium.
    assert candidate.contracts == 2
    assert candidate.collateral == Decimal("17400.00")
    assert candidate.premium == Decimal("0.50")
    assert candidate.mid == Decimal("0.525")
    assert candidate.total_premium == Decimal("100.00")
    # 0.50 / 87 × 365 / 28 = 0.07492.
    assert candidate.annualized_yield == Decimal("0.0749")


def test_strikes_the_capital_cannot_secure_are_rejected() -> None:
    chain = _chain(_option(PUT, "87"), _option(PUT, "88"))
    result = recommend(_request(chain, capital=Decimal(8_750)))
    # 8,750 secures one 87 put (8,700) but no 88 put (8,800).
    assert _strikes(result) == [Decimal(87)]
    assert result.candidates[0].contracts == 1
    assert result.rejections[FilterRule.SIZING] == 1


def test_fewer_than_100_shares_cannot_cover_a_call() -> None:
    chain = _chain(_option(CALL, "116"))
    result = recommend(_request(chain, option_type=CALL, shares=99, cost_basis=Decimal(100)))
    assert result.candidates == ()
    assert result.rejections[FilterRule.SIZING] == 1


# --- warnings ---------------------------------------------------------------------


def test_high_probability_itm_warning_follows_the_threshold() -> None:
    chain = _chain(_option(PUT, "87"), _option(PUT, "88"))
    settings = RecommendationSettings(p_itm_warning=0.10)
    result = recommend(_request(chain, settings=settings))
    # P(ITM) = N(−d2), d2 = (ln(100/K) − 0.005) / 0.10: 87 → N(−1.343) = 0.0897,
    # 88 → N(−1.228) = 0.1097.
    by_strike = {c.strike: [w.code for w in c.warnings] for c in result.candidates}
    assert by_strike == {
        Decimal(87): [],
        Decimal(88): [WarningCode.HIGH_PROBABILITY_ITM],
    }


def test_earnings_and_ex_dividend_before_expiry_are_flagged() -> None:
    chain = _chain(_option(PUT, "87", days=28), _option(PUT, "87", days=35))
    events = CorporateEvents(
        symbol="XYZ",
        earnings=(TODAY + timedelta(days=30),),
        ex_dividends=(TODAY + timedelta(days=10), TODAY),
    )
    result = recommend(_request(chain, events=events))
    codes = {c.dte: [w.code for w in c.warnings] for c in result.candidates}
    # The ex-date of today is already priced in; the one in 10 days precedes both expiries.
    assert codes == {
        28: [WarningCode.EX_DIVIDEND_BEFORE_EXPIRY],
        35: [WarningCode.EARNINGS_BEFORE_EXPIRY, WarningCode.EX_DIVIDEND_BEFORE_EXPIRY],
    }
    earnings_warning = result.candidates[1].warnings[0]
    assert "2024-07-03" in earnings_warning.message


def test_avoiding_earnings_turns_the_warning_into_a_rejection() -> None:
    chain = _chain(_option(PUT, "87", days=28), _option(PUT, "87", days=35))
    events = CorporateEvents(symbol="XYZ", earnings=(TODAY + timedelta(days=30),))
    settings = RecommendationSettings(avoid_earnings=True)
    result = recommend(_request(chain, events=events, settings=settings))
    assert [c.dte for c in result.candidates] == [28]
    assert result.rejections[FilterRule.EVENTS] == 1


def test_thin_market_is_a_warning_by_default_and_a_rule_on_request() -> None:
    wide = _option(PUT, "87", bid="0.40", ask="0.80")  # spread 0.40 is 67 % of mid 0.60
    unloved = _option(PUT, "88", open_interest=20)
    chain = _chain(wide, unloved, _option(PUT, "90"))

    result = recommend(_request(chain))
    thin = {c.strike for c in result.candidates if WarningCode.THIN_MARKET in _codes(c)}
    assert thin == {Decimal(87), Decimal(88)}
    messages = [w.message for c in result.candidates for w in c.warnings]
    assert any("67% of mid 0.60" in m for m in messages)
    assert any("open interest 20 is below 100" in m for m in messages)

    strict = recommend(_request(chain, settings=RecommendationSettings(reject_thin_markets=True)))
    assert _strikes(strict) == [Decimal(90)]
    assert strict.rejections[FilterRule.LIQUIDITY] == 2


def _codes(candidate: Candidate) -> list[WarningCode]:
    return [w.code for w in candidate.warnings]


def test_unknown_events_are_noted() -> None:
    result = recommend(_request(_chain(_option(PUT, "87")), events=None))
    assert result.candidates[0].warnings == ()
    assert any("corporate events unknown" in note for note in result.notes)


# --- rejection counts ---------------------------------------------------------------


def test_each_strike_is_counted_against_the_first_rule_it_fails() -> None:
    chain = _chain(
        _option(PUT, "87", days=60),  # dte_window
        _option(PUT, "87", days=21, bid="0", ask="0.05"),  # bid_positive (and outside band)
        _option(PUT, "88", bid="0.60", ask="0.50"),  # valid_quote: crossed
        _option(PUT, "95"),  # sigma_band
        _option(PUT, "90"),  # sizing: 8,750 cannot secure 9,000
        _option(PUT, "87"),  # accepted
        _option(CALL, "116"),  # other type: not considered at all
    )
    result = recommend(_request(chain, capital=Decimal(8_750)))

    assert result.considered == 6
    assert _strikes(result) == [Decimal(87)]
    assert result.rejections == {
        FilterRule.DTE_WINDOW: 1,
        FilterRule.BID_POSITIVE: 1,
        FilterRule.VALID_QUOTE: 1,
        FilterRule.SIGMA_BAND: 1,
        FilterRule.COST_BASIS: 0,
        FilterRule.SIZING: 1,
        FilterRule.LIQUIDITY: 0,
        FilterRule.EVENTS: 0,
    }
    assert sum(result.rejections.values()) + len(result.candidates) == result.considered


def test_rejections_explain_an_empty_recommendation() -> None:
    chain = _chain(*(_option(PUT, k) for k in ("95", "97", "99")))
    result = recommend(_request(chain))
    assert result.candidates == ()
    assert result.best is None
    assert result.refusal is None
    assert result.rejections["sigma_band"] == 3


# --- determinism --------------------------------------------------------------------

_MIXED = (
    *(_option(PUT, k) for k in PUT_STRIKES),
    *(_option(PUT, k, days=35) for k in PUT_STRIKES),
    *(_option(CALL, k) for k in CALL_STRIKES),
)


@given(st.permutations(_MIXED))
def test_listing_order_does_not_change_the_answer(options: list[OptionQuote]) -> None:
    reference = recommend(_request(_chain(*_MIXED)))
    shuffled = recommend(_request(_chain(*options)))
    assert msgspec.json.encode(shuffled) == msgspec.json.encode(reference)


def test_recommendation_round_trips_through_json() -> None:
    result = recommend(_request(_chain(*_MIXED)))
    decoded = msgspec.json.decode(msgspec.json.encode(result), type=Recommendation)
    assert decoded == result


# --- refusals -----------------------------------------------------------------------


def test_empty_chain_is_refused_with_a_reason() -> None:
    result = recommend(_request(_chain()))
    assert result.refusal is not None
    assert result.refusal.code is RefusalCode.EMPTY_CHAIN
    assert result.candidates == ()
    assert result.rejections == {}


def test_chain_without_the_requested_type_is_refused() -> None:
    result = recommend(_request(_chain(_option(CALL, "116"))))
    assert result.refusal is not None
    assert result.refusal.code is RefusalCode.EMPTY_CHAIN
    assert "no puts" in result.refusal.message


def test_stale_chain_is_refused() -> None:
    result = recommend(_request(_chain(_option(PUT, "87"), stale=True)))
    assert result.refusal is not None
    assert result.refusal.code is RefusalCode.STALE_CHAIN
    assert result.candidates == ()


def test_stale_spot_is_refused() -> None:
    result = recommend(_request(_chain(_option(PUT, "87")), spot_stale=True))
    assert result.refusal is not None
    assert result.refusal.code is RefusalCode.STALE_QUOTE


# --- validation and batches ----------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"symbol": "ABC"}, "chain is for"),
        ({"capital": Decimal(-1)}, "capital"),
        ({"volatility": 0.0}, "volatility"),
        ({"spot": Decimal(0)}, "spot"),
        ({"settings": RecommendationSettings(min_dte=0)}, "min_dte"),
        ({"settings": RecommendationSettings(min_dte=30, max_dte=7)}, "max_dte"),
    ],
)
def test_inconsistent_requests_raise(overrides: dict[str, object], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        recommend(_request(_chain(_option(PUT, "87")), **overrides))


def test_recommend_many_captures_errors_per_request() -> None:
    good = _request(_chain(_option(PUT, "87")))
    bad = _request(_chain(_option(PUT, "87")), symbol="ABC")
    results = recommend_many([good, bad, good])

    assert [r.symbol for r in results] == ["XYZ", "ABC", "XYZ"]
    assert results[0].recommendation == recommend(good)
    assert results[1].recommendation is None
    assert results[1].error_kind == "ValidationError"
    assert results[1].error is not None
    assert "chain is for" in results[1].error
    assert results[2].error is None
