"""Black–Scholes–Merton option math for European options with a continuous dividend yield.

The wheel sells American equity options, but the recommendations only need
the *shape* of risk (how likely a strike ends in the money, how fast the
premium moves with the stock), and for short-dated out-of-the-money options
the European model is the industry's common yardstick; brokers print the
same numbers. Everything here is a pure function of its inputs.

Inputs may be ``Decimal`` (prices as the rest of the core keeps them) or
``float``; they are converted with ``float()`` because the math is
transcendental anyway. Results are floats, except :func:`sigma_strike`,
which returns a price and therefore a ``Decimal``.

Conventions:

- ``years`` is calendar time, ``days / 365`` (:func:`years_to_expiry`), the
  convention of Hull and of most broker option calculators.
- ``rate`` and ``dividend_yield`` are continuously compounded, per year.
- At ``years == 0`` or ``volatility == 0`` the model is deterministic and
  every function returns its limit: the price is the discounted forward
  intrinsic value, delta and probability are 0 or 1 (½ exactly at the
  forward, where the limit from both sides meets).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import TypeAlias

from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import MarketDataError, PricingError, ValidationError
from wheel_core.domain.money import CENT

Number: TypeAlias = float | Decimal

DAYS_PER_YEAR = 365
"""Calendar days per year for time to expiry (options decay over weekends too)."""

TRADING_DAYS_PER_YEAR = 252
"""Trading sessions per year, the usual scale for annualizing daily return volatility."""

DEFAULT_VOLATILITY_WINDOW = 20
"""Daily returns used by :func:`historical_volatility`: about one trading month.

Hull's worked example uses 20 returns too; a month is short enough to follow
regime changes before an expiry a few weeks out, long enough that one odd day
does not dominate.
"""

_MIN_VOLATILITY = 1e-6
_INITIAL_MAX_VOLATILITY = 5.0
_VOLATILITY_CEILING = 1e4
"""Past 1,000,000 % a year the "volatility" explains nothing; refusing is more honest."""

_SQRT2 = math.sqrt(2.0)


def _normal_cdf(x: float) -> float:
    # erfc keeps full relative precision in the far left tail, where 1 + erf(x) would cancel.
    return 0.5 * math.erfc(-x / _SQRT2)


def _finite(value: Number, name: str) -> float:
    if isinstance(value, bool):
        raise ValidationError(f"{name} must be a number, got {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise ValidationError(f"{name} must be a finite number, got {value!r}")
    return result


def _positive(value: Number, name: str) -> float:
    result = _finite(value, name)
    if result <= 0:
        raise ValidationError(f"{name} must be greater than 0, got {value}")
    return result


def _non_negative(value: Number, name: str) -> float:
    result = _finite(value, name)
    if result < 0:
        raise ValidationError(f"{name} must not be negative, got {value}")
    return result


class _Inputs:
    """Validated model inputs with the discount factors every formula needs.

    Validating once here keeps each public function's error messages identical,
    whichever function a caller happens to use first.
    """

    __slots__ = ("forward_dividend", "forward_rate", "spot", "strike", "volatility", "years")

    def __init__(
        self,
        spot: Number,
        strike: Number,
        years: Number,
        volatility: Number,
        rate: Number,
        dividend_yield: Number,
    ) -> None:
        self.spot = _positive(spot, "spot")
        self.strike = _positive(strike, "strike")
        self.years = _non_negative(years, "years")
        self.volatility = _non_negative(volatility, "volatility")
        r = _finite(rate, "rate")
        q = _finite(dividend_yield, "dividend_yield")
        self.forward_rate = math.exp(-r * self.years)
        self.forward_dividend = math.exp(-q * self.years)

    @property
    def discounted_spot(self) -> float:
        return self.spot * self.forward_dividend

    @property
    def discounted_strike(self) -> float:
        return self.strike * self.forward_rate

    @property
    def total_volatility(self) -> float:
        return self.volatility * math.sqrt(self.years)

    def d1_d2(self) -> tuple[float, float] | None:
        """``None`` in the deterministic limit, where d1 and d2 are ±∞ and callers use limits."""
        sd = self.total_volatility
        if sd == 0.0:
            return None
        d1 = (math.log(self.discounted_spot / self.discounted_strike) + 0.5 * sd * sd) / sd
        return d1, d1 - sd

    def deterministic_itm_weight(self, option_type: OptionType) -> float:
        """1 when the forward is in the money, 0 when out, ½ exactly at the strike."""
        forward_gap = self.discounted_spot - self.discounted_strike
        if forward_gap == 0:
            return 0.5
        call_itm = forward_gap > 0
        return 1.0 if call_itm == (option_type is OptionType.CALL) else 0.0


def price(
    option_type: OptionType,
    spot: Number,
    strike: Number,
    years: Number,
    volatility: Number,
    rate: Number = 0.0,
    dividend_yield: Number = 0.0,
) -> float:
    """Fair value per share of a European option under Black–Scholes–Merton."""
    m = _Inputs(spot, strike, years, volatility, rate, dividend_yield)
    d = m.d1_d2()
    if d is None:
        if option_type is OptionType.CALL:
            return max(m.discounted_spot - m.discounted_strike, 0.0)
        return max(m.discounted_strike - m.discounted_spot, 0.0)
    d1, d2 = d
    if option_type is OptionType.CALL:
        return m.discounted_spot * _normal_cdf(d1) - m.discounted_strike * _normal_cdf(d2)
    return m.discounted_strike * _normal_cdf(-d2) - m.discounted_spot * _normal_cdf(-d1)


def delta(
    option_type: OptionType,
    spot: Number,
    strike: Number,
    years: Number,
    volatility: Number,
    rate: Number = 0.0,
    dividend_yield: Number = 0.0,
) -> float:
    """Change in option value per 1.00 move in the stock (long position; puts are negative).

    Brokers quote delta as a rough probability of finishing in the money; we
    report the true hedge ratio and give :func:`probability_itm` separately,
    because the two differ by the σ√T shift between d1 and d2.
    """
    m = _Inputs(spot, strike, years, volatility, rate, dividend_yield)
    d = m.d1_d2()
    if d is None:
        call_delta = m.forward_dividend * m.deterministic_itm_weight(OptionType.CALL)
    else:
        call_delta = m.forward_dividend * _normal_cdf(d[0])
    if option_type is OptionType.CALL:
        return call_delta
    return call_delta - m.forward_dividend


def probability_itm(
    option_type: OptionType,
    spot: Number,
    strike: Number,
    years: Number,
    volatility: Number,
    rate: Number = 0.0,
    dividend_yield: Number = 0.0,
) -> float:
    """Risk-neutral probability of expiring in the money: N(d2) for a call, N(−d2) for a put.

    This is the market-implied probability (drift = rate − dividend yield), not
    a forecast of the real-world odds; it is the figure every broker shows,
    so users can compare ours with theirs.
    """
    m = _Inputs(spot, strike, years, volatility, rate, dividend_yield)
    d = m.d1_d2()
    if d is None:
        return m.deterministic_itm_weight(option_type)
    d2 = d[1]
    return _normal_cdf(d2) if option_type is OptionType.CALL else _normal_cdf(-d2)


def implied_volatility(
    option_type: OptionType,
    option_price: Number,
    spot: Number,
    strike: Number,
    years: Number,
    rate: Number = 0.0,
    dividend_yield: Number = 0.0,
) -> float:
    """The volatility at which :func:`price` reproduces ``option_price``.

    Solved by bisection: the BSM price rises strictly with volatility, so a
    bracket that contains the price always converges, where Newton's method
    can overshoot on deep in- or out-of-the-money strikes whose vega is
    almost zero. The bracket starts at [1e-6, 5] and doubles its upper end
    until it contains the price.

    A price outside the no-arbitrage bounds has no volatility that explains
    it, so :class:`PricingError` is raised rather than a number returned:
    for a call ``max(S·e^(−qT) − K·e^(−rT), 0) ≤ c < S·e^(−qT)``, for a put
    ``max(K·e^(−rT) − S·e^(−qT), 0) ≤ p < K·e^(−rT)``. A price exactly at the
    lower bound has no time value, and 0.0 (the only exact solution) is
    returned.
    """
    premium = _non_negative(option_price, "option_price")
    m = _Inputs(spot, strike, years, 0.0, rate, dividend_yield)
    if m.years == 0:
        raise PricingError(
            "implied volatility is undefined at expiry: the price no longer depends on volatility"
        )
    if option_type is OptionType.CALL:
        lower = max(m.discounted_spot - m.discounted_strike, 0.0)
        upper = m.discounted_spot
    else:
        lower = max(m.discounted_strike - m.discounted_spot, 0.0)
        upper = m.discounted_strike
    # Float noise in the bounds themselves must not turn a fair price into an error.
    slack = 1e-12 * max(upper, 1.0)
    if premium < lower - slack:
        raise PricingError(
            f"{option_type} price {premium:.6g} is below the no-arbitrage lower bound "
            f"{lower:.6g} (discounted intrinsic value); no volatility explains it"
        )
    if premium >= upper:
        raise PricingError(
            f"{option_type} price {premium:.6g} is at or above the no-arbitrage upper bound "
            f"{upper:.6g}; no finite volatility explains it"
        )
    if premium <= lower + slack:
        return 0.0

    def value(sigma: float) -> float:
        return price(option_type, m.spot, m.strike, m.years, sigma, rate, dividend_yield)

    low, high = _MIN_VOLATILITY, _INITIAL_MAX_VOLATILITY
    if value(low) >= premium:
        return low
    while value(high) < premium:
        low, high = high, high * 2.0
        if high > _VOLATILITY_CEILING:
            raise PricingError(
                f"{option_type} price {premium:.6g} implies a volatility above "
                f"{_VOLATILITY_CEILING:.0%}; the quote is not usable"
            )
    for _ in range(200):
        mid = 0.5 * (low + high)
        if value(mid) < premium:
            low = mid
        else:
            high = mid
        if high - low <= 1e-12 * high:
            break
    return 0.5 * (low + high)


def historical_volatility(
    closes: Sequence[Number],
    *,
    window: int = DEFAULT_VOLATILITY_WINDOW,
    periods_per_year: int = TRADING_DAYS_PER_YEAR,
) -> float:
    """Annualized close-to-close volatility over the last ``window`` returns.

    Uses the last ``window + 1`` closes (oldest first), their log returns, and
    the *sample* standard deviation (divisor n − 1), scaled by
    √``periods_per_year``: Hull's estimator (OFOD, "Estimating volatility
    from historical data"), so a user can check us against the textbook.
    Only the closes inside the window are inspected; a bad print outside it
    does not affect the estimate.
    """
    if isinstance(window, bool) or window < 2:
        raise ValidationError(f"window must be at least 2 returns, got {window!r}")
    if isinstance(periods_per_year, bool) or periods_per_year <= 0:
        raise ValidationError(f"periods_per_year must be positive, got {periods_per_year!r}")
    if len(closes) < window + 1:
        raise MarketDataError(
            f"historical volatility over {window} returns needs {window + 1} closes, "
            f"got {len(closes)}"
        )
    used = [float(c) for c in closes[-(window + 1) :]]
    for c in used:
        if not math.isfinite(c) or c <= 0:
            raise MarketDataError(f"closing prices must be positive, got {c!r}")
    returns = [math.log(b / a) for a, b in pairwise(used)]
    mean = math.fsum(returns) / len(returns)
    variance = math.fsum((x - mean) ** 2 for x in returns) / (len(returns) - 1)
    return math.sqrt(variance) * math.sqrt(periods_per_year)


def sigma_strike(
    spot: Number,
    volatility: Number,
    years: Number,
    k: Number,
    option_type: OptionType,
) -> Decimal:
    """The price ``k`` standard deviations out of the money over the option's life.

    Puts land below spot at ``S·exp(−k·σ·√T)``, calls above at
    ``S·exp(+k·σ·√T)``. The distance is measured in log price because BSM
    prices are lognormal: a 1σ move down and a 1σ move up are then equally
    likely, whereas ``S·(1 ± kσ√T)`` would put the put strike too close in
    probability terms and can even go negative. It is measured from spot, not
    from the forward, since that is how traders state "1.5 σ out"; the drift
    over a few weeks is small next to σ√T. Rounded to the cent, as no listed
    strike is finer.
    """
    s = _positive(spot, "spot")
    sigma = _non_negative(volatility, "volatility")
    t = _non_negative(years, "years")
    distance = _non_negative(k, "k")
    sign = -1.0 if option_type is OptionType.PUT else 1.0
    target = s * math.exp(sign * distance * sigma * math.sqrt(t))
    return Decimal(repr(target)).quantize(CENT, rounding=ROUND_HALF_UP)


def sigma_distance(
    option_type: OptionType,
    spot: Number,
    strike: Number,
    volatility: Number,
    years: Number,
) -> float:
    """How many σ·√T a strike lies out of the money; negative when it is in the money.

    The inverse of :func:`sigma_strike`, so a recommendation can show how far
    a *listed* strike sits from spot on the same scale as the risk profile.
    With no volatility or no time left, any distance is infinite (the stock
    cannot move), so ±inf is returned, and 0.0 exactly at the money.
    """
    s = _positive(spot, "spot")
    x = _positive(strike, "strike")
    sd = _non_negative(volatility, "volatility") * math.sqrt(_non_negative(years, "years"))
    log_moneyness = math.log(s / x) if option_type is OptionType.PUT else math.log(x / s)
    if sd == 0.0:
        return 0.0 if log_moneyness == 0 else math.copysign(math.inf, log_moneyness)
    return log_moneyness / sd


def years_to_expiry(days: int) -> float:
    """Calendar days to years on the 365-day basis the pricing functions assume."""
    if isinstance(days, bool) or days < 0:
        raise ValidationError(f"days to expiry must not be negative, got {days!r}")
    return days / DAYS_PER_YEAR
