"""The simulated market: the default ``MarketData`` provider, so every feature runs offline.

Most users start without a broker account, and tests must never touch the
network, so this provider invents a market that behaves like a real one and
says so: every quote, chain and event it returns carries ``simulated=True``.

**Determinism.** The price of a symbol at a time is a pure function of
(seed, symbol, time) and the calendar's sessions. Restarts, tests and two
processes side by side see the same market, and a fake clock drives it.
Randomness comes only from ``random.Random`` seeded with strings such as
``"{seed}:{symbol}:{year}"`` (string seeds are hashed with SHA-512, stable
across processes) and from SHA-256 digests, never from Python's salted
``hash()``. While the market is closed, quotes and chains are those of the
last close, and their ``as_of`` says so.

**Prices.** Daily closes follow geometric Brownian motion over the calendar's
sessions: on each session day the log price moves by
``(μ − σ²/2)/252 + σ/√252 · z``, where ``z`` is a standard normal drawn for
that *date* (not for the n-th session), so adding a closed day to the
calendar changes only that day. The walk is pinned at :data:`ANCHOR_DAY`
(2025-12-31), where every symbol's standing close is its profile's price, and runs
forward and backward from there, so prices around today stay near the
familiar levels of the table. Quarterly earnings add a jump
(:data:`EARNINGS_MOVE` daily deviations) at the open of the earnings
session. Inside a session the price follows a seeded Brownian bridge from
the previous close (plus an opening gap) to the day's close, on a
five-minute grid interpolated linearly (its steps are uniform draws with a
normal step's variance, cheaper and, summed, just as Brownian); outside
sessions the last close stands. Dividends enter option prices as a yield, but the path does not drop
on ex-dividend days.

**Symbols.** A well-known ticker takes its price, volatility, drift,
dividend yield and liquidity from :data:`PROFILES`; any other symbol that
looks like a ticker (1–5 letters, optionally a share class such as
``BRK.B``) is listed with a profile derived from its name alone
(:func:`derived_profile`), so it has the same character under every seed. **Not found**
(:class:`~adapters.market_data.errors.SymbolNotFoundError`, a
``MarketDataError``): anything that does not look like a ticker, five-letter
symbols ending in ``Q`` (the Nasdaq suffix of a company in bankruptcy, e.g.
``ZZZZQ``), and the constructor's ``unlisted`` symbols.

**Chains.** Weekly expirations (Fridays) for the next eight weeks plus
monthly ones (third Fridays) for a year, each moved to the Thursday when the
Friday is a holiday (:func:`wheel_core.sessions.expiration_date`). Strikes
sit ±30 % around the previous close on realistic increments
(:func:`strike_increment`). Prices are the core's Black–Scholes–Merton with
the provider's ``rate``, the symbol's dividend yield and a volatility smile
(:func:`smile_volatility`); bid and ask straddle the model price on a 0.01
tick below 3.00 and 0.05 from 3.00 up. Open interest and volume are
deterministic per contract and day, highest at the money.

**Speed.** Each symbol's closes are built a year at a time on first use and
kept (:class:`_Path`), the calendar's sessions a year at a time for all
symbols, strike grids and expiration lists per day. A quote then costs a few
dictionary look-ups; a chain costs one model price per contract. The
benchmark (``benchmarks/market_data_bench.py``) times chains for 100 symbols.
"""

from __future__ import annotations

import calendar as gregorian
import hashlib
import math
import random
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate

from adapters.market_data.errors import SymbolNotFoundError
from wheel_core import pricing
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import MarketDataError
from wheel_core.domain.rules import exchange_date
from wheel_core.market import (
    CorporateEvents,
    MarketSession,
    OptionChain,
    OptionQuote,
    PriceBar,
    Quote,
)
from wheel_core.ports import Clock, MarketCalendar
from wheel_core.sessions import expiration_date

ANCHOR_DAY = date(2025, 12, 31)
"""The day every symbol closes at its profile's price; the walk runs both ways from here."""

FIRST_YEAR = 1990
LAST_YEAR = 2200
"""The simulated market's span: bounding it keeps a mistyped year from building centuries."""

SESSIONS_PER_YEAR = 252
EARNINGS_MOVE = 2.5
"""An earnings jump's standard deviation, in daily standard deviations (≈ 4 % for AAPL)."""

IMPLIED_VOLATILITY_PREMIUM = 1.08
"""Implied volatility sits above realized, as in real markets: why selling premium pays."""

BRIDGE_STEPS = 78
"""Five-minute steps in a regular session; intraday prices interpolate between them."""

OPENING_GAP_SHARE = 0.2
"""Share of a day's variance that arrives at the open as a gap, the rest through the day."""

WEEKLY_EXPIRATIONS = 8
MONTHLY_HORIZON = timedelta(days=366)
STRIKE_RANGE = 0.30
"""Strikes are listed from 30 % below to 30 % above the previous close."""

DEFAULT_RATE = 0.04
"""Continuously compounded risk-free rate used to price options, per year."""

_SYMBOL = re.compile(r"[A-Z]{1,5}(\.[A-Z]{1,2})?")
_SECONDS_PER_YEAR = 365 * 24 * 3600
_MIN_YEARS = 1 / (365 * 24)
"""One hour: the smile's moneyness scale stops shrinking there, so 0DTE wings stay finite."""
_MASK = (1 << 64) - 1


@dataclass(frozen=True, slots=True)
class SymbolProfile:
    """How one simulated stock behaves.

    ``price`` is the close on :data:`ANCHOR_DAY`; ``volatility`` and ``drift``
    are annualized (GBM σ and μ); ``dividend_yield`` is continuous per year, 0
    for a stock that pays none; ``liquidity`` from 0 to 1 narrows spreads and
    raises volume and open interest; ``fund`` marks an ETF, which reports no
    earnings and has an index's steeper skew.
    """

    price: Decimal
    volatility: float
    dividend_yield: float = 0.0
    liquidity: float = 0.5
    drift: float = 0.08
    fund: bool = False


def _profile(
    price: str, vol: float, dividend: float, liquidity: float, *, fund: bool = False
) -> SymbolProfile:
    return SymbolProfile(
        price=Decimal(price),
        volatility=vol,
        dividend_yield=dividend,
        liquidity=liquidity,
        drift=0.07 if fund else 0.09,
        fund=fund,
    )


PROFILES: Mapping[str, SymbolProfile] = {
    # Funds
    "SPY": _profile("680.00", 0.15, 0.012, 1.00, fund=True),
    "QQQ": _profile("615.00", 0.20, 0.005, 0.98, fund=True),
    "IWM": _profile("245.00", 0.21, 0.011, 0.92, fund=True),
    "DIA": _profile("480.00", 0.15, 0.015, 0.70, fund=True),
    "GLD": _profile("395.00", 0.17, 0.0, 0.80, fund=True),
    "SLV": _profile("58.00", 0.32, 0.0, 0.78, fund=True),
    "TLT": _profile("88.00", 0.14, 0.043, 0.82, fund=True),
    "XLF": _profile("54.00", 0.17, 0.014, 0.80, fund=True),
    "XLE": _profile("88.00", 0.22, 0.032, 0.75, fund=True),
    # Large and popular stocks
    "AAPL": _profile("250.00", 0.27, 0.004, 0.95),
    "MSFT": _profile("480.00", 0.24, 0.007, 0.90),
    "GOOGL": _profile("300.00", 0.30, 0.003, 0.88),
    "AMZN": _profile("225.00", 0.32, 0.0, 0.92),
    "META": _profile("650.00", 0.36, 0.003, 0.88),
    "NVDA": _profile("185.00", 0.50, 0.0002, 0.97),
    "TSLA": _profile("430.00", 0.60, 0.0, 0.97),
    "AMD": _profile("210.00", 0.52, 0.0, 0.90),
    "INTC": _profile("37.00", 0.55, 0.0, 0.85),
    "ORCL": _profile("200.00", 0.45, 0.010, 0.78),
    "CSCO": _profile("77.00", 0.22, 0.021, 0.72),
    "PLTR": _profile("180.00", 0.65, 0.0, 0.90),
    "UBER": _profile("85.00", 0.38, 0.0, 0.78),
    "COIN": _profile("250.00", 0.75, 0.0, 0.80),
    "HOOD": _profile("120.00", 0.75, 0.0, 0.82),
    "BABA": _profile("155.00", 0.45, 0.010, 0.80),
    "DIS": _profile("112.00", 0.27, 0.009, 0.75),
    "WMT": _profile("110.00", 0.20, 0.009, 0.75),
    "JNJ": _profile("205.00", 0.16, 0.025, 0.70),
    "KO": _profile("70.00", 0.16, 0.029, 0.72),
    "PEP": _profile("145.00", 0.18, 0.038, 0.65),
    "MO": _profile("58.00", 0.19, 0.070, 0.60),
    "PFE": _profile("25.00", 0.24, 0.068, 0.78),
    "XOM": _profile("115.00", 0.23, 0.035, 0.75),
    "CVX": _profile("150.00", 0.23, 0.045, 0.70),
    "JPM": _profile("310.00", 0.24, 0.019, 0.78),
    "BAC": _profile("53.00", 0.27, 0.021, 0.82),
    "WFC": _profile("90.00", 0.28, 0.018, 0.72),
    "C": _profile("110.00", 0.30, 0.022, 0.72),
    "T": _profile("25.00", 0.22, 0.045, 0.75),
    "VZ": _profile("40.00", 0.20, 0.066, 0.72),
    "F": _profile("13.00", 0.35, 0.050, 0.85),
    "GM": _profile("78.00", 0.36, 0.008, 0.72),
    "AAL": _profile("14.00", 0.50, 0.0, 0.75),
    "SOFI": _profile("26.00", 0.65, 0.0, 0.85),
    "RIVN": _profile("17.00", 0.65, 0.0, 0.75),
    "MARA": _profile("12.00", 0.85, 0.0, 0.78),
    "NIO": _profile("6.00", 0.70, 0.0, 0.75),
}
"""Plausible profiles of common wheel tickers (prices near the end of 2025)."""


def derived_profile(symbol: str) -> SymbolProfile:
    """A stable, plausible profile for a symbol not in :data:`PROFILES`.

    Derived from the symbol alone (not the seed): a ticker keeps its character
    (price level, volatility, dividend) while the seed changes its path.
    """
    rng = random.Random(f"profile:{symbol}")
    price = math.exp(rng.uniform(math.log(8.0), math.log(300.0)))
    pays = rng.random() < 0.6
    return SymbolProfile(
        price=_cents(price),
        volatility=round(rng.uniform(0.20, 0.70), 3),
        dividend_yield=round(rng.uniform(0.005, 0.045), 4) if pays else 0.0,
        liquidity=round(rng.uniform(0.15, 0.60), 2),
        drift=round(rng.uniform(0.02, 0.12), 3),
    )


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


def is_listed(symbol: str) -> bool:
    """Whether a symbol looks like a live ticker (see the module docstring's rule)."""
    if not _SYMBOL.fullmatch(symbol):
        return False
    return not (len(symbol) == 5 and symbol.endswith("Q"))


# -- small pure helpers --------------------------------------------------------------------


def _cents(value: float) -> Decimal:
    """A price rounded half up to the cent, as an exact Decimal."""
    return Decimal(math.floor(value * 100.0 + 0.5)).scaleb(-2)


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def _mix(z: int, part: int) -> int:
    """Fold ``part`` into the 64-bit hash ``z`` with one SplitMix64 round: fast and stable.

    Used for per-contract open interest and volume, where seeding a
    ``random.Random`` for each of thousands of contracts would dominate a chain.
    """
    z = ((z ^ (part & _MASK)) + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def _third_friday(year: int, month: int) -> date:
    fifteenth = date(year, month, 15)
    return fifteenth + timedelta(days=(4 - fifteenth.weekday()) % 7)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _tick_down(cents: float) -> int:
    """Bid side: pennies below 3.00, nickels from 3.00 up (monotone, so bids rise with value)."""
    bid = math.floor(cents)
    return bid if bid < 300 else bid - bid % 5


def _tick_up(cents: float) -> int:
    """Ask side: the same ticks, rounded up."""
    ask = math.ceil(cents)
    return ask if ask <= 300 else ask + (-ask) % 5


@lru_cache(maxsize=4096)
def _strike_grid(close_cents: int) -> tuple[tuple[Decimal, float], ...]:
    """Listed strikes around a previous close (in cents): exact and as floats for the model."""
    close = close_cents / 100.0
    step = strike_increment(close)
    low = max(1, math.ceil(close * (1 - STRIKE_RANGE) / step))
    high = max(low, math.floor(close * (1 + STRIKE_RANGE) / step))
    return tuple((_cents(n * step), n * step) for n in range(low, high + 1))


# -- sessions ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Year:
    """One calendar year's sessions, indexed by date and by day of the year."""

    sessions: tuple[MarketSession, ...]
    by_day: dict[date, MarketSession]
    open_days: bytes
    """``open_days[i]`` is 1 when the i-th day of the year (0-based) has a session."""


class _SessionYears:
    """The calendar's sessions a year at a time, asked once and shared by every symbol.

    Kept for the provider's life: the simulated market is the offline provider,
    where no live source overrides today's session.
    """

    def __init__(self, calendar: MarketCalendar) -> None:
        self._calendar = calendar
        self._years: dict[int, _Year] = {}

    def year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is None:
            found = self._build(year)
            self._years[year] = found
        return found

    def _build(self, year: int) -> _Year:
        sessions = tuple(self._calendar.sessions(date(year, 1, 1), date(year, 12, 31)))
        flags = bytearray(366 if gregorian.isleap(year) else 365)
        for session in sessions:
            flags[session.day.timetuple().tm_yday - 1] = 1
        return _Year(sessions, {s.day: s for s in sessions}, bytes(flags))

    def session(self, day: date) -> MarketSession | None:
        return self.year(day.year).by_day.get(day)

    def between(self, start: date, end: date) -> Iterator[MarketSession]:
        for year in range(start.year, end.year + 1):
            for session in self.year(year).sessions:
                if start <= session.day <= end:
                    yield session

    def on_or_after(self, day: date) -> date:
        """The first session day on or after ``day`` in its year (else its year's last one)."""
        sessions = self.year(day.year).sessions
        later = [s.day for s in sessions if s.day >= day]
        if later:
            return later[0]
        return sessions[-1].day if sessions else day

    def last_close(self, at: datetime) -> datetime:
        """The latest session close at or before ``at``."""
        day = exchange_date(at)
        for back in range(0, 30):
            session = self.session(day - timedelta(days=back))
            if session is not None and session.close <= at:
                return session.close
        raise MarketDataError(f"no trading session in the month before {at.isoformat()}")


# -- one symbol's path ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Day:
    """One session's intraday path: log offsets from the previous close, and a volume draw."""

    offsets: tuple[float, ...]
    volume_draw: float


class _Path:
    """One symbol's daily log closes under one seed, built a year at a time and kept.

    ``_logs[year][i]`` is the log close standing at the end of the i-th day of
    the year; a day without a session carries the previous close forward, so
    "the last close before a time" is a single look-up.
    """

    def __init__(
        self, symbol: str, profile: SymbolProfile, seed: int, sessions: _SessionYears
    ) -> None:
        self.symbol = symbol
        self.profile = profile
        self.seed = seed
        self.key = _digest(f"{seed}:{symbol}")
        self._sessions = sessions
        self._daily_sd = profile.volatility / math.sqrt(SESSIONS_PER_YEAR)
        self._daily_drift = (profile.drift - 0.5 * profile.volatility**2) / SESSIONS_PER_YEAR
        self._anchor = math.log(float(profile.price))
        self._logs: dict[int, array[float]] = {}
        self._steps: dict[int, array[float]] = {}
        self._jumps: dict[date, float] = {}
        self._earnings: dict[int, tuple[date, ...]] = {}
        self._last_day: tuple[date, _Day] | None = None

    # events

    def earnings(self, year: int) -> tuple[date, ...]:
        """Four reporting days a year, about three to seven weeks after each quarter ends."""
        found = self._earnings.get(year)
        if found is None:
            found = () if self.profile.fund else self._schedule(year, "earnings", 1, 14)
            self._earnings[year] = found
        return found

    def ex_dividends(self, year: int) -> tuple[date, ...]:
        """Four ex-dividend days a year for a payer, none for a stock that pays nothing."""
        if self.profile.dividend_yield <= 0:
            return ()
        return self._schedule(year, "dividends", 2, 3)

    def _schedule(self, year: int, kind: str, first_month: int, first_day: int) -> tuple[date, ...]:
        """Quarterly dates on a per-symbol phase and day, jittered per quarter, on sessions."""
        shape = random.Random(f"{kind}:{self.symbol}")
        phase = shape.choices((0, 1, 2), weights=(7, 2, 1))[0]
        base_day = first_day + shape.randrange(14)
        jitter = random.Random(f"{kind}:{self.symbol}:{year}")
        days = []
        for quarter in range(4):
            month = first_month + phase + 3 * quarter
            if month > 12:
                month -= 12
            nominal = date(year, month, min(28, base_day + jitter.randrange(4)))
            days.append(self._sessions.on_or_after(nominal))
        return tuple(sorted(set(days)))

    # closes

    def log_close(self, day: date) -> float:
        """The log close standing at the end of ``day`` (the last session's, if none that day)."""
        return self._year_logs(day.year)[day.timetuple().tm_yday - 1]

    def _year_logs(self, year: int) -> array[float]:
        found = self._logs.get(year)
        if found is not None:
            return found
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise MarketDataError(
                f"the simulated market spans {FIRST_YEAR}–{LAST_YEAR}; {year} is outside it"
            )
        anchor_year = ANCHOR_DAY.year
        # Build every missing year from the anchor's out to the target, in walking order.
        step = 1 if year >= anchor_year else -1
        for each in range(anchor_year, year + step, step):
            if each not in self._logs:
                self._logs[each] = self._build_year(each)
        return self._logs[year]

    def _build_year(self, year: int) -> array[float]:
        steps = self._year_steps(year)
        logs = array("d", bytes(8 * len(steps)))
        if year > ANCHOR_DAY.year:
            level = self._logs[year - 1][-1]
            for i, step in enumerate(steps):
                level += step
                logs[i] = level
        else:
            if year == ANCHOR_DAY.year:
                level = self._anchor
            else:
                level = self._logs[year + 1][0] - self._steps[year + 1][0]
            for i in range(len(steps) - 1, -1, -1):
                logs[i] = level
                level -= steps[i]
        return logs

    def _year_steps(self, year: int) -> array[float]:
        """Each day's log move: zero without a session, a GBM step (plus earnings) with one.

        Kept too: building the year before the anchor's needs this year's first step."""
        open_days = self._sessions.year(year).open_days
        rng = random.Random(f"{self.seed}:{self.symbol}:{year}")
        shocks = [rng.gauss(0.0, 1.0) for _ in range(366)][: len(open_days)]
        drift, sd = self._daily_drift, self._daily_sd
        steps = array(
            "d",
            (drift + sd * z if flag else 0.0 for flag, z in zip(open_days, shocks, strict=True)),
        )
        jumps = random.Random(f"{self.seed}:{self.symbol}:{year}:earnings")
        for day in self.earnings(year):
            jump = EARNINGS_MOVE * sd * jumps.gauss(0.0, 1.0)
            index = day.timetuple().tm_yday - 1
            if open_days[index]:
                self._jumps[day] = jump
                steps[index] += jump
        self._steps[year] = steps
        return steps

    # intraday

    def day(self, day: date) -> _Day:
        """One session's bridge from the previous close to the close, kept for the last day."""
        if self._last_day is not None and self._last_day[0] == day:
            return self._last_day[1]
        previous = self.log_close(day - timedelta(days=1))
        move = self.log_close(day) - previous
        rng = random.Random(f"{self.seed}:{self.symbol}:{day.isoformat()}")
        sd = self._daily_sd
        level = self._jumps.get(day, 0.0) + rng.gauss(0.0, sd * math.sqrt(OPENING_GAP_SHARE))
        step_sd = sd * math.sqrt((1 - OPENING_GAP_SHARE) / BRIDGE_STEPS)
        # Uniform steps with the normal steps' variance: over 78 steps the sum is as good as
        # Gaussian, and ``random()`` is several times cheaper than ``gauss()``.
        draw, width = rng.random, step_sd * math.sqrt(12.0)
        free = list(
            accumulate(((draw() - 0.5) * width for _ in range(BRIDGE_STEPS)), initial=level)
        )
        pull = (move - free[-1]) / BRIDGE_STEPS
        offsets = tuple(w + pull * k for k, w in enumerate(free))
        found = _Day(offsets=offsets, volume_draw=rng.random())
        self._last_day = (day, found)
        return found

    def log_price(self, at: datetime) -> float:
        """The log price at ``at``: the bridge inside a session, the last close outside."""
        day = exchange_date(at)
        session = self._sessions.session(day)
        if session is None or at < session.open:
            return self.log_close(day - timedelta(days=1))  # a closed day carries it anyway
        if at >= session.close:
            return self.log_close(day)
        fraction = (at - session.open) / (session.close - session.open)
        position = fraction * BRIDGE_STEPS
        k = min(int(position), BRIDGE_STEPS - 1)
        offsets = self.day(day).offsets
        offset = offsets[k] + (position - k) * (offsets[k + 1] - offsets[k])
        return self.log_close(day - timedelta(days=1)) + offset


# -- the provider --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Expiry:
    """A listed expiration: its real day, the moment it stops trading, and its kind."""

    day: date
    close: datetime
    monthly: bool
    """A third-Friday expiry: more open interest, listed a year out."""
    weekly: bool
    """One of the coming Fridays; the chain keeps the first few still trading."""


class SimulatedMarket:
    """A deterministic market for offline use; implements the ``MarketData`` port.

    ``seed`` picks one market among many (the same seed, the same prices);
    ``rate`` is the risk-free rate options are priced with; ``profiles`` adds
    or overrides symbol profiles (see :data:`PROFILES`); ``unlisted`` names
    symbols that must not be found, beyond the rule in the module docstring.
    """

    def __init__(
        self,
        clock: Clock,
        calendar: MarketCalendar,
        seed: int = 0,
        *,
        rate: float = DEFAULT_RATE,
        profiles: Mapping[str, SymbolProfile] | None = None,
        unlisted: Iterable[str] = (),
    ) -> None:
        self._clock = clock
        self._calendar = calendar
        self.seed = seed
        self.rate = rate
        self._profiles = {**PROFILES, **(profiles or {})}
        self._unlisted = frozenset(s.strip().upper() for s in unlisted)
        self._sessions = _SessionYears(calendar)
        self._paths: dict[str, _Path] = {}
        self._expirations: dict[date, tuple[_Expiry, ...]] = {}

    # -- symbols ---------------------------------------------------------------------------

    def profile(self, symbol: str) -> SymbolProfile:
        """The profile behind a listed symbol; ``SymbolNotFoundError`` for an unlisted one."""
        return self._path(symbol).profile

    def _path(self, symbol: str) -> _Path:
        key = symbol.strip().upper()
        found = self._paths.get(key)
        if found is not None:
            return found
        if key in self._unlisted or not is_listed(key):
            raise SymbolNotFoundError(f"symbol {symbol!r} is not listed in the simulated market")
        profile = self._profiles.get(key) or derived_profile(key)
        found = _Path(key, profile, self.seed, self._sessions)
        self._paths[key] = found
        return found

    # -- time ------------------------------------------------------------------------------

    def _market_time(self) -> datetime:
        """Now while a session runs; otherwise the last close, when the prices were set."""
        now = self._clock.now()
        session = self._sessions.session(exchange_date(now))
        if session is not None and session.open <= now < session.close:
            return now
        return self._sessions.last_close(now)

    # -- the port --------------------------------------------------------------------------

    async def get_quote(self, symbol: str) -> Quote:
        path = self._path(symbol)
        at = self._market_time()
        spot = math.exp(path.log_price(at))
        price = _cents(spot)
        half = _cents(max(0.01, spot * 0.0001 * (2.0 - path.profile.liquidity)))
        return Quote(
            symbol=path.symbol,
            price=price,
            as_of=at,
            bid=max(Decimal("0.00"), price - half),
            ask=price + half,
            simulated=True,
        )

    async def get_chain(
        self, symbol: str, *, from_date: date | None = None, to_date: date | None = None
    ) -> OptionChain:
        path = self._path(symbol)
        at = self._market_time()
        spot = _cents(math.exp(path.log_price(at)))
        today = exchange_date(at)
        strikes = _strike_grid(round(math.exp(path.log_close(today - timedelta(days=1))) * 100))
        elapsed = self._session_elapsed(at)
        options: list[OptionQuote] = []
        for expiry in self._expirations_from(today, at):
            if (from_date is None or expiry.day >= from_date) and (
                to_date is None or expiry.day <= to_date
            ):
                pricer = _ExpiryPricer(path, at, spot, expiry, self.rate, elapsed)
                options.extend(pricer.quotes(strikes))
        return OptionChain(
            symbol=path.symbol,
            underlying_price=spot,
            as_of=at,
            options=tuple(options),
            simulated=True,
        )

    async def get_price_history(self, symbol: str, start: date, end: date) -> list[PriceBar]:
        """Daily bars of the completed sessions in [start, end]; the running session is the
        quote, not a bar, and no bar lies after the clock's today."""
        path = self._path(symbol)
        now = self._clock.now()
        start = max(start, date(FIRST_YEAR, 1, 2))  # a bar needs the close of the day before
        end = min(end, exchange_date(now))
        if end < start:
            return []
        return [
            self._bar(path, session.day)
            for session in self._sessions.between(start, end)
            if session.close <= now
        ]

    async def get_events(self, symbol: str) -> CorporateEvents:
        """Earnings and ex-dividend dates from a year before today to a year after."""
        path = self._path(symbol)
        today = exchange_date(self._clock.now())
        first, last = today - timedelta(days=366), today + timedelta(days=366)
        years = range(first.year, last.year + 1)
        return CorporateEvents(
            symbol=path.symbol,
            earnings=tuple(d for y in years for d in path.earnings(y) if first <= d <= last),
            ex_dividends=tuple(
                d for y in years for d in path.ex_dividends(y) if first <= d <= last
            ),
            simulated=True,
        )

    # -- inside ----------------------------------------------------------------------------

    def _session_elapsed(self, at: datetime) -> float:
        """How much of the session has passed: option volume accumulates through the day."""
        session = self._sessions.session(exchange_date(at))
        if session is None or at >= session.close:
            return 1.0
        return max(0.0, (at - session.open) / (session.close - session.open))

    def _bar(self, path: _Path, day: date) -> PriceBar:
        """A session's bar from its intraday path; rounding is monotone, so rounding the
        extremes once gives the extremes of the rounded prices."""
        previous = path.log_close(day - timedelta(days=1))
        close = path.log_close(day)
        intraday = path.day(day)
        offsets = intraday.offsets
        move = abs(close - previous) / path.profile.volatility * math.sqrt(SESSIONS_PER_YEAR)
        volume = 10 ** (4.8 + 3.0 * path.profile.liquidity) * (0.6 + 0.8 * intraday.volume_draw)
        return PriceBar(
            day=day,
            open=_cents(math.exp(previous + offsets[0])),
            high=_cents(math.exp(max(previous + max(offsets), close))),
            low=_cents(math.exp(min(previous + min(offsets), close))),
            close=_cents(math.exp(close)),
            volume=int(volume * (1.0 + 0.5 * move)),
        )

    def _expirations_from(self, today: date, at: datetime) -> tuple[_Expiry, ...]:
        """Listed expirations still trading at ``at``, from a per-day list shared by symbols."""
        listed = self._expirations.get(today)
        if listed is None:
            if len(self._expirations) > 64:
                self._expirations.clear()
            listed = self._list_expirations(today)
            self._expirations[today] = listed
        trading = [e for e in listed if e.close > at]
        weeklies = {e.day for e in trading if e.weekly}
        kept = sorted(weeklies)[:WEEKLY_EXPIRATIONS]
        return tuple(e for e in trading if e.monthly or e.day in kept)

    def _list_expirations(self, today: date) -> tuple[_Expiry, ...]:
        """Every Friday of the coming weeks (one spare, in case today's has closed) and the
        third Fridays of the next year, each moved to its real expiration day."""
        friday = today + timedelta(days=(4 - today.weekday()) % 7)
        weeklies = {friday + timedelta(weeks=n) for n in range(WEEKLY_EXPIRATIONS + 1)}
        third_fridays = (_third_friday(*_add_months(today.year, today.month, n)) for n in range(13))
        monthlies = {d for d in third_fridays if today <= d <= today + MONTHLY_HORIZON}
        found = []
        for nominal in sorted(weeklies | monthlies):
            real = expiration_date(self._calendar, nominal)
            session = self._sessions.session(real)
            if session is not None:  # always, unless the calendar contradicts itself
                found.append(
                    _Expiry(real, session.close, nominal in monthlies, nominal in weeklies)
                )
        return tuple(found)


class _ExpiryPricer:
    """Prices every strike of one expiration: the work of a chain, kept in one tight loop."""

    def __init__(
        self,
        path: _Path,
        at: datetime,
        spot: Decimal,
        expiry: _Expiry,
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
        self.hash_base = _mix(_mix(path.key, expiry.day.toordinal()), exchange_date(at).toordinal())

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
        strike_hash = _mix(self.hash_base, round(value * 100))
        for kind, option_type in enumerate((OptionType.PUT, OptionType.CALL)):
            fair = pricing.price(
                option_type, self.spot, value, self.years, volatility, self.rate, self.dividend
            )
            bid, ask = self._market(fair)
            draws = _mix(strike_hash, kind)
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
        bid = max(0, _tick_down(fair * 100.0 - half))
        ask = max(bid + 1, _tick_up(fair * 100.0 + half))
        return Decimal(bid).scaleb(-2), Decimal(ask).scaleb(-2)

    def _open_interest_scale(self, strike: float, volatility: float) -> float:
        """Expected open interest: a bell over standard deviations from spot, larger for
        liquid names and monthlies, smaller for far expirations."""
        spread = volatility * math.sqrt(max(self.years, _MIN_YEARS))
        distance = math.log(strike / self.spot) / spread
        return self.size_base * math.exp(-0.5 * (distance / 1.5) ** 2)
