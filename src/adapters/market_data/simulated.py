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
kept (``simulated_path.PricePath``), the calendar's sessions a year at a time for
all symbols, strike grids and expiration lists per day. A quote then costs a few
dictionary look-ups; a chain costs one model price per contract. The
benchmark (``benchmarks/market_data_bench.py``) times chains for 100 symbols.

**Modules.** This one holds the provider (:class:`SimulatedMarket`, the port's four
calls); ``simulated_profiles`` the symbols (:data:`PROFILES`, :func:`derived_profile`,
:func:`is_listed`, :data:`ANCHOR_DAY`); ``simulated_path`` the price path (sessions by
year, daily closes, the intraday bridge); ``simulated_chain`` the chain pricer
(expirations, strikes, :func:`strike_increment`, :func:`smile_volatility`, bid/ask, open
interest and volume).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

from adapters.market_data.errors import SymbolNotFoundError
from adapters.market_data.simulated_chain import (
    WEEKLY_EXPIRATIONS,
    Expiry,
    ExpiryPricer,
    list_expirations,
    strike_grid,
)
from adapters.market_data.simulated_path import (
    FIRST_YEAR,
    SESSIONS_PER_YEAR,
    PricePath,
    SessionYears,
)
from adapters.market_data.simulated_profiles import (
    PROFILES,
    SymbolProfile,
    cents,
    derived_profile,
    is_listed,
)
from wheel_core.domain.rules import exchange_date
from wheel_core.market import CorporateEvents, OptionChain, OptionQuote, PriceBar, Quote
from wheel_core.ports import Clock, MarketCalendar

DEFAULT_RATE = 0.04
"""Continuously compounded risk-free rate used to price options, per year."""


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
        self._sessions = SessionYears(calendar)
        self._paths: dict[str, PricePath] = {}
        self._expirations: dict[date, tuple[Expiry, ...]] = {}

    # -- symbols ---------------------------------------------------------------------------

    def profile(self, symbol: str) -> SymbolProfile:
        """The profile behind a listed symbol; ``SymbolNotFoundError`` for an unlisted one."""
        return self._path(symbol).profile

    def _path(self, symbol: str) -> PricePath:
        key = symbol.strip().upper()
        found = self._paths.get(key)
        if found is not None:
            return found
        if key in self._unlisted or not is_listed(key):
            raise SymbolNotFoundError(f"symbol {symbol!r} is not listed in the simulated market")
        profile = self._profiles.get(key) or derived_profile(key)
        found = PricePath(key, profile, self.seed, self._sessions)
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
        price = cents(spot)
        half = cents(max(0.01, spot * 0.0001 * (2.0 - path.profile.liquidity)))
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
        spot = cents(math.exp(path.log_price(at)))
        today = exchange_date(at)
        strikes = strike_grid(round(math.exp(path.log_close(today - timedelta(days=1))) * 100))
        elapsed = self._session_elapsed(at)
        options: list[OptionQuote] = []
        for expiry in self._expirations_from(today, at):
            if (from_date is None or expiry.day >= from_date) and (
                to_date is None or expiry.day <= to_date
            ):
                pricer = ExpiryPricer(path, at, spot, expiry, self.rate, elapsed)
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

    def _bar(self, path: PricePath, day: date) -> PriceBar:
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
            open=cents(math.exp(previous + offsets[0])),
            high=cents(math.exp(max(previous + max(offsets), close))),
            low=cents(math.exp(min(previous + min(offsets), close))),
            close=cents(math.exp(close)),
            volume=int(volume * (1.0 + 0.5 * move)),
        )

    def _expirations_from(self, today: date, at: datetime) -> tuple[Expiry, ...]:
        """Listed expirations still trading at ``at``, from a per-day list shared by symbols."""
        listed = self._expirations.get(today)
        if listed is None:
            if len(self._expirations) > 64:
                self._expirations.clear()
            listed = list_expirations(self._calendar, self._sessions, today)
            self._expirations[today] = listed
        trading = [e for e in listed if e.close > at]
        weeklies = {e.day for e in trading if e.weekly}
        kept = sorted(weeklies)[:WEEKLY_EXPIRATIONS]
        return tuple(e for e in trading if e.monthly or e.day in kept)
