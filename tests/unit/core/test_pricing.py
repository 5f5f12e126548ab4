"""Option math against published worked examples, no-arbitrage identities and hand-checks.

Expected values in the example tests are copied from J. C. Hull, *Options,
Futures, and Other Derivatives* (9th ed.; example numbers are the same or
shifted by one chapter in neighbouring editions), compared to the precision
Hull prints them with. None of them were produced by this code.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import MarketDataError, PricingError, ValidationError
from wheel_core.pricing import (
    delta,
    historical_volatility,
    implied_volatility,
    price,
    probability_itm,
    sigma_distance,
    sigma_strike,
    years_to_expiry,
)

CALL = OptionType.CALL
PUT = OptionType.PUT

# --- published worked examples ------------------------------------------------


def test_hull_example_15_6_call_and_put_prices() -> None:
    # Hull Example 15.6: S0 = 42, K = 40, r = 10 %, σ = 20 %, T = 0.5 → c = 4.76, p = 0.81.
    assert round(price(CALL, 42, 40, 0.5, 0.2, 0.1), 2) == 4.76
    assert round(price(PUT, 42, 40, 0.5, 0.2, 0.1), 2) == 0.81


def test_hull_example_15_6_probabilities_and_delta() -> None:
    # Same example, printed intermediates: N(d1) = 0.7791, N(d2) = 0.7349, N(−d2) = 0.2651.
    # N(d2) is the risk-neutral probability of exercise of the call, N(d1) its delta.
    assert probability_itm(CALL, 42, 40, 0.5, 0.2, 0.1) == pytest.approx(0.7349, abs=5e-5)
    assert probability_itm(PUT, 42, 40, 0.5, 0.2, 0.1) == pytest.approx(0.2651, abs=5e-5)
    assert delta(CALL, 42, 40, 0.5, 0.2, 0.1) == pytest.approx(0.7791, abs=5e-5)
    # N(−d1) = 0.2209, so the put's delta is −0.2209.
    assert delta(PUT, 42, 40, 0.5, 0.2, 0.1) == pytest.approx(-0.2209, abs=5e-5)


def test_hull_example_17_1_index_call_with_dividend_yield() -> None:
    # Hull Example 17.1 (Merton): index 930, K = 900, r = 8 %, q = 3 %, σ = 20 %,
    # T = 2 months → d2 = 0.4628, N(d2) = 0.6782, c = 51.83. Hull evaluates N at d2 already
    # rounded to four places, so his N(d2) is only good to about 1e-4.
    years = 2 / 12
    assert round(price(CALL, 930, 900, years, 0.2, 0.08, 0.03), 2) == 51.83
    assert probability_itm(CALL, 930, 900, years, 0.2, 0.08, 0.03) == pytest.approx(
        0.6782, abs=1e-4
    )


def test_hull_section_19_4_delta_of_the_running_example() -> None:
    # Hull §19.4 (Table 19.2's position): S0 = 49, K = 50, r = 5 %, σ = 20 %, T = 20 weeks;
    # the call is worth "about $240,000" per 100,000 options and its delta is 0.522.
    years = 20 / 52
    assert round(price(CALL, 49, 50, years, 0.2, 0.05), 2) == 2.40
    assert round(delta(CALL, 49, 50, years, 0.2, 0.05), 3) == 0.522


def test_hull_section_15_11_implied_volatility() -> None:
    # Hull §15.11: a call worth 1.875 with S0 = 21, K = 20, r = 10 %, T = 0.25 has an
    # implied volatility of 0.235 (23.5 %).
    assert round(implied_volatility(CALL, 1.875, 21, 20, 0.25, 0.1), 3) == 0.235


# Hull Table 15.1: 21 closing prices over 20 days.
HULL_TABLE_15_1 = [
    "20.00",
    "20.10",
    "19.90",
    "20.00",
    "20.50",
    "20.25",
    "20.90",
    "20.90",
    "20.90",
    "20.75",
    "20.75",
    "21.00",
    "21.10",
    "20.90",
    "20.90",
    "21.25",
    "21.40",
    "21.40",
    "21.25",
    "21.75",
    "22.00",
]


def test_hull_table_15_1_historical_volatility() -> None:
    # Hull: s = 0.01216 per day, σ = 0.01216 × √252 = 0.193 per year.
    closes = [Decimal(p) for p in HULL_TABLE_15_1]
    assert round(historical_volatility(closes, window=20, periods_per_year=1), 5) == 0.01216
    assert round(historical_volatility(closes), 3) == 0.193


# --- historical volatility by hand ---------------------------------------------


def test_historical_volatility_of_an_alternating_series() -> None:
    # Returns a, −a, a with a = ln 1.1: mean a/3, squared deviations (4 + 16 + 4)·a²/9,
    # sample variance (24/9)·a²/2 = 4a²/3, so σ = a·√(4/3) per day.
    a = math.log(1.1)
    closes = [Decimal(100), Decimal(110), Decimal(100), Decimal(110)]
    expected = a * math.sqrt(4 / 3)
    assert historical_volatility(closes, window=3, periods_per_year=1) == pytest.approx(expected)
    assert historical_volatility(closes, window=3) == pytest.approx(expected * math.sqrt(252))


def test_historical_volatility_of_a_flat_series_is_zero() -> None:
    assert historical_volatility([50.0] * 21) == 0.0


def test_historical_volatility_uses_only_the_last_window() -> None:
    recent = [100.0, 110.0, 100.0, 110.0]
    assert historical_volatility([1.0, 500.0, *recent], window=3) == historical_volatility(
        recent, window=3
    )


def test_historical_volatility_needs_window_plus_one_closes() -> None:
    with pytest.raises(MarketDataError, match="needs 21 closes, got 20"):
        historical_volatility([100.0] * 20)


@pytest.mark.parametrize("bad", [0.0, -5.0, math.nan])
def test_historical_volatility_refuses_non_positive_closes(bad: float) -> None:
    with pytest.raises(MarketDataError, match="positive"):
        historical_volatility([100.0, 101.0, bad, 102.0], window=3)


def test_historical_volatility_refuses_a_window_too_small_for_a_sample_stdev() -> None:
    with pytest.raises(ValidationError, match="window"):
        historical_volatility([100.0, 101.0], window=1)


# --- sigma strikes and time ---------------------------------------------------


def test_sigma_strike_is_lognormal_from_spot() -> None:
    # σ√T = 0.2 × √0.25 = 0.10; 1.5 σ: 100·e^−0.15 = 86.0708, 100·e^0.15 = 116.1834.
    assert sigma_strike(Decimal(100), 0.2, 0.25, Decimal("1.5"), PUT) == Decimal("86.07")
    assert sigma_strike(Decimal(100), 0.2, 0.25, Decimal("1.5"), CALL) == Decimal("116.18")
    assert sigma_strike(Decimal(100), 0.2, 0.25, 0, PUT) == Decimal("100.00")


def test_sigma_distance_is_positive_out_of_the_money() -> None:
    # ln(100/90) = 0.10536 over σ√T = 0.10.
    assert sigma_distance(PUT, 100, 90, 0.2, 0.25) == pytest.approx(1.0536, abs=1e-4)
    assert sigma_distance(CALL, 100, 90, 0.2, 0.25) == pytest.approx(-1.0536, abs=1e-4)
    assert sigma_distance(PUT, 100, 90, 0.2, 0.0) == math.inf
    assert sigma_distance(CALL, 100, 100, 0.0, 0.25) == 0.0


@given(
    spot=st.floats(1, 1000),
    vol=st.floats(0.05, 2),
    days=st.integers(1, 730),
    k=st.floats(0, 3),
    option_type=st.sampled_from(OptionType),
)
def test_sigma_distance_inverts_sigma_strike(
    spot: float, vol: float, days: int, k: float, option_type: OptionType
) -> None:
    years = years_to_expiry(days)
    strike = sigma_strike(spot, vol, years, k, option_type)
    assume(strike >= 1)
    # The strike is rounded to the cent: the exact target lies within ½¢ of it, so in log
    # price it is at most ln(K / (K − ½¢)) away.
    half_cent = 0.005
    tolerance = math.log(float(strike) / (float(strike) - half_cent)) / (vol * math.sqrt(years))
    tolerance += 1e-9
    assert sigma_distance(option_type, spot, strike, vol, years) == pytest.approx(k, abs=tolerance)


def test_years_to_expiry_uses_calendar_days() -> None:
    assert years_to_expiry(73) == pytest.approx(0.2)
    assert years_to_expiry(0) == 0.0
    with pytest.raises(ValidationError):
        years_to_expiry(-1)


# --- limits and validation ----------------------------------------------------


def test_at_expiry_price_is_intrinsic_and_probability_is_certain() -> None:
    assert price(CALL, 105, 100, 0, 0.3) == 5.0
    assert price(PUT, 105, 100, 0, 0.3) == 0.0
    assert probability_itm(PUT, 95, 100, 0, 0.3) == 1.0
    assert delta(CALL, 95, 100, 0, 0.3) == 0.0
    assert delta(PUT, 95, 100, 0, 0.3) == -1.0


def test_zero_volatility_price_is_discounted_forward_intrinsic() -> None:
    # Deterministic stock: forward = 100·e^0.05 > 100, so the call pays 100 − 100·e^−0.05.
    assert price(CALL, 100, 100, 1, 0, 0.05) == pytest.approx(100 - 100 * math.exp(-0.05))
    assert price(PUT, 100, 100, 1, 0, 0.05) == 0.0
    assert probability_itm(CALL, 100, 100, 1, 0, 0.0) == 0.5


def test_decimal_and_float_inputs_agree() -> None:
    as_float = price(PUT, 42.0, 40.0, 0.5, 0.2, 0.1)
    as_decimal = price(PUT, Decimal("42"), Decimal("40"), Decimal("0.5"), 0.2, Decimal("0.1"))
    assert as_decimal == as_float


@pytest.mark.parametrize(
    ("spot", "strike", "years", "vol", "match"),
    [
        (0, 40, 0.5, 0.2, "spot"),
        (42, -1, 0.5, 0.2, "strike"),
        (42, 40, -0.1, 0.2, "years"),
        (42, 40, 0.5, -0.2, "volatility"),
        (math.nan, 40, 0.5, 0.2, "spot"),
        (42, 40, math.inf, 0.2, "years"),
    ],
)
def test_invalid_inputs_are_refused(
    spot: float, strike: float, years: float, vol: float, match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        price(CALL, spot, strike, years, vol)


# --- implied volatility refusals ------------------------------------------------


def test_implied_volatility_refuses_a_call_above_the_stock_price() -> None:
    with pytest.raises(PricingError, match="upper bound"):
        implied_volatility(CALL, 42.5, 42, 40, 0.5, 0.1)


def test_implied_volatility_refuses_a_put_above_the_discounted_strike() -> None:
    # K·e^−rT = 40·e^−0.05 = 38.05.
    with pytest.raises(PricingError, match="upper bound"):
        implied_volatility(PUT, 38.10, 42, 40, 0.5, 0.1)


def test_implied_volatility_refuses_a_call_below_intrinsic() -> None:
    # Lower bound 42 − 40·e^−0.05 = 3.95; 3.00 would be an arbitrage.
    with pytest.raises(PricingError, match="lower bound"):
        implied_volatility(CALL, 3.00, 42, 40, 0.5, 0.1)


def test_implied_volatility_refuses_a_put_below_intrinsic() -> None:
    with pytest.raises(PricingError, match="lower bound"):
        implied_volatility(PUT, 4.00, 35, 40, 0.5)


def test_implied_volatility_is_undefined_at_expiry() -> None:
    with pytest.raises(PricingError, match="expiry"):
        implied_volatility(CALL, 2.0, 42, 40, 0)


def test_implied_volatility_of_a_worthless_out_of_the_money_option_is_zero() -> None:
    assert implied_volatility(PUT, 0, 42, 40, 0.5) == 0.0


# --- identities and properties ------------------------------------------------

spots = st.floats(1, 1000)
strikes = st.floats(1, 1000)
times = st.floats(0, 3)
vols = st.floats(0, 2)
rates = st.floats(-0.02, 0.15)
yields = st.floats(0, 0.1)


@given(s=spots, k=strikes, t=times, v=vols, r=rates, q=yields)
def test_put_call_parity(s: float, k: float, t: float, v: float, r: float, q: float) -> None:
    # c − p = S·e^−qT − K·e^−rT for European options.
    forward_value = s * math.exp(-q * t) - k * math.exp(-r * t)
    parity_gap = price(CALL, s, k, t, v, r, q) - price(PUT, s, k, t, v, r, q) - forward_value
    assert abs(parity_gap) <= 1e-9


@given(s=spots, k=strikes, t=times, v=vols, r=rates, q=yields)
def test_delta_and_probability_parity(
    s: float, k: float, t: float, v: float, r: float, q: float
) -> None:
    call_delta = delta(CALL, s, k, t, v, r, q)
    assert call_delta - delta(PUT, s, k, t, v, r, q) == pytest.approx(math.exp(-q * t))
    assert probability_itm(CALL, s, k, t, v, r, q) + probability_itm(
        PUT, s, k, t, v, r, q
    ) == pytest.approx(1.0)


@given(s=spots, k=strikes, t=times, v=vols, r=rates, q=yields)
def test_prices_lie_within_no_arbitrage_bounds(
    s: float, k: float, t: float, v: float, r: float, q: float
) -> None:
    stock, cash = s * math.exp(-q * t), k * math.exp(-r * t)
    slack = 1e-9
    call = price(CALL, s, k, t, v, r, q)
    put = price(PUT, s, k, t, v, r, q)
    assert max(stock - cash, 0.0) - slack <= call <= stock + slack
    assert max(cash - stock, 0.0) - slack <= put <= cash + slack


@given(s1=spots, s2=spots, k=strikes, t=times, v=vols, r=rates, q=yields)
def test_call_rises_and_put_falls_with_spot(
    s1: float, s2: float, k: float, t: float, v: float, r: float, q: float
) -> None:
    low, high = sorted((s1, s2))
    slack = 1e-9
    assert price(CALL, low, k, t, v, r, q) <= price(CALL, high, k, t, v, r, q) + slack
    assert price(PUT, low, k, t, v, r, q) + slack >= price(PUT, high, k, t, v, r, q)


@given(s=spots, k=strikes, t=times, v1=vols, v2=vols, r=rates, q=yields)
def test_call_rises_with_volatility(
    s: float, k: float, t: float, v1: float, v2: float, r: float, q: float
) -> None:
    low, high = sorted((v1, v2))
    assert price(CALL, s, k, t, low, r, q) <= price(CALL, s, k, t, high, r, q) + 1e-9


@given(
    option_type=st.sampled_from(OptionType),
    s=st.floats(10, 500),
    moneyness=st.floats(0.7, 1.3),
    t=st.floats(7 / 365, 2),
    v=st.floats(0.05, 1.5),
    r=st.floats(0, 0.1),
    q=st.floats(0, 0.05),
)
def test_implied_volatility_round_trip(
    option_type: OptionType, s: float, moneyness: float, t: float, v: float, r: float, q: float
) -> None:
    k = s * moneyness
    premium = price(option_type, s, k, t, v, r, q)
    # Where a 1 % change in σ moves the price by less than 1e-6 the quote pins down
    # no volatility; a real quote could not either.
    assume(abs(price(option_type, s, k, t, v * 1.01, r, q) - premium) > 1e-6)
    solved = implied_volatility(option_type, premium, s, k, t, r, q)
    assert price(option_type, s, k, t, solved, r, q) == pytest.approx(premium, rel=1e-9, abs=1e-9)
    assert solved == pytest.approx(v, rel=1e-4)
