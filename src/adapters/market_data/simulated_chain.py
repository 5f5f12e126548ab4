"""The simulated option chain: which expirations and strikes are listed, and their prices.

Weekly and monthly expirations moved to the real expiration day; strikes ±30 % around
the previous close on realistic increments (:func:`strike_increment`); prices from the
core's Black–Scholes–Merton with a skewed smile (:func:`smile_volatility`), bid and ask
on exchange ticks, open interest and volume deterministic per contract and day. The
rules are in ``simulated.py``'s docstring; :class:`ExpiryPricer` is a chain's hot loop.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from adapters.market_data.simulated_path import (
    EARNINGS_MOVE,
    SESSIONS_PER_YEAR,
    PricePath,
    SessionYears,
    mix,
)
from adapters.market_data.simulated_profiles import cents
from wheel_core import pricing
from wheel_core.domain.enums import OptionType
from wheel_core.domain.rules import exchange_date
from wheel_core.market import OptionQuote
from wheel_core.ports import MarketCalendar
from wheel_core.sessions import expiration_date

IMPLIED_VOLATILITY_PREMIUM = 1.08
"""Implied volatility sits above realized, as in real markets: why selling premium pays."""

WEEKLY_EXPIRATIONS = 8
MONTHLY_HORIZON = timedelta(days=366)
STRIKE_RANGE = 0.30
"""Strikes are listed from 30 % below to 30 % above the previous close."""

_SECONDS_PER_YEAR = 365 * 24 * 3600
_MIN_YEARS = 1 / (365 * 24)
"""One hour: the smile's moneyness scale stops shrinking there, so 0DTE wings stay finite."""


def strike_increment(price: float) -> float:
    """The gap between listed strikes around ``price``: finer for cheap stocks, as listed."""
    for limit, step in ((25.0, 0.5), (100.0, 1.0), (200.0, 2.5), (500.0, 5.0), (1000.0, 10.0)):
        if price < limit:
            return step
    return 25.0


def smile_volatility(atm: float, log_moneyness: float, years: float, *, fund: bool) -> float:
    """Implied volatility at a strike: the at-the-money level bent into a skewed smile.

    With ``x = ln(K/F) / (σ_atm·√T)``, the distance in standard deviations
    (clipped to ±3), ``σ(K) = σ_atm · max(0.75, 1 − s·x + 0.02·x²)``, skew
    ``s`` 0.12 for stocks and 0.2 for funds: strikes below spot get a richer
    volatility (crash insurance is in demand), strikes above a slightly
    poorer one. Measuring in standard deviations keeps the smile's slope
    gentle enough that puts still rise and calls still fall with the strike
    (no vertical-spread arbitrage), even for a wide earnings expiry. The smile
    depends on the strike only, not on put or call, so put–call parity holds
    at every strike.
    """
    x = log_moneyness / (atm * math.sqrt(max(years, _MIN_YEARS)))
    x = min(3.0, max(-3.0, x))
    skew = 0.2 if fund else 0.12
    return atm * max(0.75, 1.0 - skew * x + 0.02 * x * x)


def third_friday(year: int, month: int) -> date:
    fifteenth = date(year, month, 15)
    return fifteenth + timedelta(days=(4 - fifteenth.weekday()) % 7)


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def tick_down(cents: float) -> int:
    """Bid side: pennies below 3.00, nickels from 3.00 up (monotone, so bids rise with value)."""
    bid = math.floor(cents)
    return bid if bid < 300 else bid - bid % 5


def tick_up(cents: float) -> int:
    """Ask side: the same ticks, rounded up."""
    ask = math.ceil(cents)
    return ask if ask <= 300 else ask + (-ask) % 5


@lru_cache(maxsize=4096)
def strike_grid(close_cents: int) -> tuple[tuple[Decimal, float], ...]:
    """Listed strikes around a previous close (in cents): exact and as floats for the model."""
    close = close_cents / 100.0
    step = strike_increment(close)
    low = max(1, math.ceil(close * (1 - STRIKE_RANGE) / step))
    high = max(low, math.floor(close * (1 + STRIKE_RANGE) / step))
    return tuple((cents(n * step), n * step) for n in range(low, high + 1))


@dataclass(frozen=True, slots=True)
class Expiry:
    """A listed expiration: its real day, the moment it stops trading, and its kind."""

    day: date
    close: datetime
    monthly: bool
    """A third-Friday expiry: more open interest, listed a year out."""
    weekly: bool
    """One of the coming Fridays; the chain keeps the first few still trading."""


def list_expirations(
    calendar: MarketCalendar, sessions: SessionYears, today: date
) -> tuple[Expiry, ...]:
    """Every Friday of the coming weeks (one spare, in case today's has closed) and the
    third Fridays of the next year, each moved to its real expiration day."""
    friday = today + timedelta(days=(4 - today.weekday()) % 7)
    weeklies = {friday + timedelta(weeks=n) for n in range(WEEKLY_EXPIRATIONS + 1)}
    third_fridays = (third_friday(*add_months(today.year, today.month, n)) for n in range(13))
    monthlies = {d for d in third_fridays if today <= d <= today + MONTHLY_HORIZON}
    found = []
    for nominal in sorted(weeklies | monthlies):
        real = expiration_date(calendar, nominal)
        session = sessions.session(real)
        if session is not None:  # always, unless the calendar contradicts itself
            found.append(Expiry(real, session.close, nominal in monthlies, nominal in weeklies))
    return tuple(found)


class ExpiryPricer:
    """Prices every strike of one expiration: the work of a chain, kept in one tight loop."""

    def __init__(
        self,
        path: PricePath,
        at: datetime,
        spot: Decimal,
        expiry: Expiry,
        rate: float,
        elapsed: float,
    ) -> None:
        profile = path.profile
        self.path = path
        self.expiry = expiry
        self.spot = float(spot)
        self.rate = rate
        self.elapsed = elapsed
        self.dividend = profile.dividend_yield
        self.years = max((expiry.close - at).total_seconds() / _SECONDS_PER_YEAR, 1e-9)
        self.forward = self.spot * math.exp((self.rate - self.dividend) * self.years)
        self.atm = self._atm_volatility(at)
        self.width_base = (2.0 - profile.liquidity) * (1.0 + 0.5 * self.years)
        self.carry = math.exp(-self.dividend * self.years)
        term = (1.0 if expiry.monthly else 0.4) / (1.0 + self.years)
        self.size_base = 10 ** (2.0 + 2.6 * profile.liquidity) * term
        self.hash_base = mix(mix(path.key, expiry.day.toordinal()), exchange_date(at).toordinal())

    def _atm_volatility(self, at: datetime) -> float:
        """Base implied volatility, raised for an expiry that spans the next earnings."""
        profile = self.path.profile
        base = profile.volatility * IMPLIED_VOLATILITY_PREMIUM
        today = exchange_date(at)
        spans = any(
            today < day <= self.expiry.day
            for year in {today.year, self.expiry.day.year}
            for day in self.path.earnings(year)
        )
        if not spans:
            return base
        jump = EARNINGS_MOVE * profile.volatility / math.sqrt(SESSIONS_PER_YEAR)
        return math.sqrt(base * base + jump * jump / self.years)

    def quotes(self, strikes: tuple[tuple[Decimal, float], ...]) -> Iterator[OptionQuote]:
        for strike, value in strikes:
            yield from self._strike(strike, value)

    def _strike(self, strike: Decimal, value: float) -> Iterator[OptionQuote]:
        """The put and the call of one strike: one smile volatility and one delta serve both
        (a put's delta is the call's minus e^(−qT), the identity the core's ``delta`` uses)."""
        volatility = smile_volatility(
            self.atm, math.log(value / self.forward), self.years, fund=self.path.profile.fund
        )
        call_delta = pricing.delta(
            OptionType.CALL, self.spot, value, self.years, volatility, self.rate, self.dividend
        )
        deltas = {OptionType.CALL: call_delta, OptionType.PUT: call_delta - self.carry}
        size = self._open_interest_scale(value, volatility)
        strike_hash = mix(self.hash_base, round(value * 100))
        for kind, option_type in enumerate((OptionType.PUT, OptionType.CALL)):
            fair = pricing.price(
                option_type, self.spot, value, self.years, volatility, self.rate, self.dividend
            )
            bid, ask = self._market(fair)
            draws = mix(strike_hash, kind)
            open_interest = int(size * (0.5 + (draws >> 32) / 2.0**32))
            turnover = 0.05 + 0.25 * (draws & 0xFFFFFFFF) / 2.0**32
            yield OptionQuote(
                option_type=option_type,
                strike=strike,
                expiration=self.expiry.day,
                bid=bid,
                ask=ask,
                implied_volatility=volatility,
                delta=deltas[option_type],
                volume=int(open_interest * turnover * self.elapsed),
                open_interest=open_interest,
            )

    def _market(self, fair: float) -> tuple[Decimal, Decimal]:
        """Bid and ask around the model price: the width depends on the price only (so bids
        and asks rise with value, strike by strike), relatively wide for cheap contracts."""
        half = 0.5 * self.width_base * (2.0 + 1.5 * fair)
        bid = max(0, tick_down(fair * 100.0 - half))
        ask = max(bid + 1, tick_up(fair * 100.0 + half))
        return Decimal(bid).scaleb(-2), Decimal(ask).scaleb(-2)

    def _open_interest_scale(self, strike: float, volatility: float) -> float:
        """Expected open interest: a bell over standard deviations from spot, larger for
        liquid names and monthlies, smaller for far expirations."""
        spread = volatility * math.sqrt(max(self.years, _MIN_YEARS))
        distance = math.log(strike / self.spot) / spread
        return self.size_base * math.exp(-0.5 * (distance / 1.5) ** 2)
