"""One simulated symbol's prices: daily closes by geometric Brownian motion over the
calendar's sessions, pinned at :data:`~adapters.market_data.simulated_profiles.ANCHOR_DAY`,
with earnings jumps, and a seeded Brownian bridge inside each session (the rules are in
``simulated.py``'s docstring).

:class:`SessionYears` holds the calendar's sessions a year at a time for every symbol;
:class:`PricePath` one symbol's closes under one seed, built a year at a time and kept.
"""

from __future__ import annotations

import calendar as gregorian
import hashlib
import math
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate

from adapters.market_data.simulated_profiles import ANCHOR_DAY, SymbolProfile
from wheel_core.domain.errors import MarketDataError
from wheel_core.domain.rules import exchange_date
from wheel_core.market import MarketSession
from wheel_core.ports import MarketCalendar

FIRST_YEAR = 1990
LAST_YEAR = 2200
"""The simulated market's span: bounding it keeps a mistyped year from building centuries."""

SESSIONS_PER_YEAR = 252
EARNINGS_MOVE = 2.5
"""An earnings jump's standard deviation, in daily standard deviations (≈ 4 % for AAPL)."""

BRIDGE_STEPS = 78
"""Five-minute steps in a regular session; intraday prices interpolate between them."""

OPENING_GAP_SHARE = 0.2
"""Share of a day's variance that arrives at the open as a gap, the rest through the day."""

_MASK = (1 << 64) - 1


def digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def mix(z: int, part: int) -> int:
    """Fold ``part`` into the 64-bit hash ``z`` with one SplitMix64 round: fast and stable.

    Used for per-contract open interest and volume, where seeding a
    ``random.Random`` for each of thousands of contracts would dominate a chain.
    """
    z = ((z ^ (part & _MASK)) + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


# -- sessions ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionYear:
    """One calendar year's sessions, indexed by date and by day of the year."""

    sessions: tuple[MarketSession, ...]
    by_day: dict[date, MarketSession]
    open_days: bytes
    """``open_days[i]`` is 1 when the i-th day of the year (0-based) has a session."""


class SessionYears:
    """The calendar's sessions a year at a time, asked once and shared by every symbol.

    Kept for the provider's life: the simulated market is the offline provider,
    where no live source overrides today's session.
    """

    def __init__(self, calendar: MarketCalendar) -> None:
        self._calendar = calendar
        self._years: dict[int, SessionYear] = {}

    def year(self, year: int) -> SessionYear:
        found = self._years.get(year)
        if found is None:
            found = self._build(year)
            self._years[year] = found
        return found

    def _build(self, year: int) -> SessionYear:
        sessions = tuple(self._calendar.sessions(date(year, 1, 1), date(year, 12, 31)))
        flags = bytearray(366 if gregorian.isleap(year) else 365)
        for session in sessions:
            flags[session.day.timetuple().tm_yday - 1] = 1
        return SessionYear(sessions, {s.day: s for s in sessions}, bytes(flags))

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
class SessionPath:
    """One session's intraday path: log offsets from the previous close, and a volume draw."""

    offsets: tuple[float, ...]
    volume_draw: float


class PricePath:
    """One symbol's daily log closes under one seed, built a year at a time and kept.

    ``_logs[year][i]`` is the log close standing at the end of the i-th day of
    the year; a day without a session carries the previous close forward, so
    "the last close before a time" is a single look-up.
    """

    def __init__(
        self, symbol: str, profile: SymbolProfile, seed: int, sessions: SessionYears
    ) -> None:
        self.symbol = symbol
        self.profile = profile
        self.seed = seed
        self.key = digest(f"{seed}:{symbol}")
        self._sessions = sessions
        self._daily_sd = profile.volatility / math.sqrt(SESSIONS_PER_YEAR)
        self._daily_drift = (profile.drift - 0.5 * profile.volatility**2) / SESSIONS_PER_YEAR
        self._anchor = math.log(float(profile.price))
        self._logs: dict[int, array[float]] = {}
        self._steps: dict[int, array[float]] = {}
        self._jumps: dict[date, float] = {}
        self._earnings: dict[int, tuple[date, ...]] = {}
        self._last_day: tuple[date, SessionPath] | None = None

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

    def day(self, day: date) -> SessionPath:
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
        found = SessionPath(offsets=offsets, volume_draw=rng.random())
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
