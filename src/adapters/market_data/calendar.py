"""The NYSE calendar: which days trade, and from when to when, for the ``MarketCalendar`` port.

Dates come from the ``holidays`` package's NYSE financial calendar: its public
category lists the days the exchange is closed, its ``half_day`` category the
early closes. We chose it over ``exchange_calendars`` (same dates) because that
one needs pandas and numpy, imports slowly and refuses dates past its horizon,
which a LEAPS expiry reaches; ``holidays`` computes any year on demand.

Libraries learn of short-notice closures (a national day of mourning) only with
their next release, so two layers sit on top of it, strongest first:

1. a per-day override set by a live source (Schwab's market-hours endpoint is
   the truth for today), see :meth:`NyseCalendar.set_today_session`;
2. the settings lists of extra closed days and extra early closes.

Sessions use today's regular hours, 09:30–16:00 America/New_York, Monday to
Friday, for every year; early closes end at the time the library's label gives
(13:00 for all modern ones). Older hours (10:00 opens, Saturday sessions before
1952) are out of scope: the product looks at today and the years ahead.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from wheel_core.domain.errors import MarketDataError
from wheel_core.market import MarketSession

NEW_YORK = ZoneInfo("America/New_York")
REGULAR_OPEN = time(9, 30)
REGULAR_CLOSE = time(16, 0)
EARLY_CLOSE = time(13, 0)
"""The close of a settings early close, and of a library one whose label names no time."""

_MAX_CLOSED_RUN = timedelta(days=366)
"""How far ``next_open``/``next_close`` look: the longest closure on record (1914) lasted four
months, so finding nothing within a year means the calendar was configured wrong."""

_KEPT_YEARS = 64
"""How many years of sessions a calendar keeps built. Every trading day of those years
fits in a few megabytes; a request about a far year (a trade stored with an expiration
in 9998) builds that year once and pushes out the oldest, instead of growing the
process for as long as it runs."""

_CLOSE_LABEL = re.compile(r"markets close at (\d{1,2}):(\d{2})\s*([ap])m", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _LibraryYear:
    """What the ``holidays`` package says about one year, before our overrides."""

    closed: frozenset[date]
    early_closes: dict[date, time]


@lru_cache(maxsize=128)
def _library_year(year: int) -> _LibraryYear:
    """One year of the library's NYSE table, built once per process (it is pure).

    ``holidays`` is imported here, not at module level: its import and first table cost
    a noticeable fraction of a second, which commands that never ask the calendar skip.
    """
    from holidays import HALF_DAY, PUBLIC, financial_holidays

    closed = financial_holidays("NYSE", years=year, categories=PUBLIC, language="en_US")
    half_days = financial_holidays("NYSE", years=year, categories=HALF_DAY, language="en_US")
    return _LibraryYear(
        closed=frozenset(closed),
        early_closes={day: _close_from_label(str(name)) for day, name in half_days.items()},
    )


def _close_from_label(label: str) -> time:
    """The close time the library writes into a half day's name ("… (markets close at 2:00pm)");
    the modern 13:00 when it names none. Older half days closed at 14:00, 14:30 or 15:00."""
    found = _CLOSE_LABEL.search(label)
    if found is None:
        return EARLY_CLOSE
    hour, minute, half = int(found[1]) % 12, int(found[2]), found[3].lower()
    return time(hour + (12 if half == "p" else 0), minute)


def _utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=NEW_YORK).astimezone(UTC)


def _session(day: date, close: time) -> MarketSession:
    return MarketSession(
        day=day,
        open=_utc(day, REGULAR_OPEN),
        close=_utc(day, close),
        early_close=close < REGULAR_CLOSE,
    )


def _require_aware(at: datetime) -> None:
    if at.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is required, got naive {at.isoformat()}")


def _session_day(session: MarketSession) -> date:
    return session.day


class NyseCalendar:
    """NYSE sessions for any year, with settings and live overrides on top of the library.

    ``extra_closed_days`` and ``extra_early_closes`` come from the settings and beat the
    library either way: a listed early close opens a day the library calls a holiday, and
    a day in both lists stays closed (the cautious answer).
    """

    def __init__(
        self,
        *,
        extra_closed_days: Iterable[date] = (),
        extra_early_closes: Iterable[date] = (),
    ) -> None:
        self._extra_closed = frozenset(extra_closed_days)
        self._extra_early = frozenset(extra_early_closes)
        weekend = sorted(d.isoformat() for d in self._extra_early if d.weekday() >= 5)
        if weekend:
            raise ValueError(f"extra early closes fall on a weekend: {', '.join(weekend)}")
        self._live: dict[date, MarketSession | None] = {}
        self._years: dict[int, tuple[MarketSession, ...]] = {}

    # -- the port -------------------------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        _require_aware(at)
        session = self.session(at.astimezone(NEW_YORK).date())
        return session is not None and session.open <= at < session.close

    def sessions(self, start: date, end: date) -> Sequence[MarketSession]:
        found: list[MarketSession] = []
        for year in range(start.year, end.year + 1):
            table = self._year(year)
            low = bisect_left(table, start, key=_session_day)
            high = bisect_right(table, end, key=_session_day)
            found.extend(table[low:high])
        return found

    def next_open(self, at: datetime) -> datetime:
        return self._next_edge(at, lambda s: s.open)

    def next_close(self, at: datetime) -> datetime:
        return self._next_edge(at, lambda s: s.close)

    # -- beyond the port ------------------------------------------------------------------

    def session(self, day: date) -> MarketSession | None:
        """The session of one exchange-local day, or ``None`` when the exchange is closed."""
        found = self.sessions(day, day)
        return found[0] if found else None

    def set_today_session(self, day: date, session: MarketSession | None) -> None:
        """Make a live source the truth for ``day``: its session, or ``None`` for closed.

        The Schwab provider calls this with the market-hours answer for today; it wins over
        the settings and the library, and stays for that day (so history stays as seen).
        """
        self._live[day] = None if session is None else _live_session(day, session)
        self._years.pop(day.year, None)

    def clear_today_session(self, day: date) -> None:
        """Forget a live answer for ``day``: the settings and the library decide again."""
        self._live.pop(day, None)
        self._years.pop(day.year, None)

    # -- inside ---------------------------------------------------------------------------

    def _year(self, year: int) -> tuple[MarketSession, ...]:
        """All sessions of one year, built on first use and kept: the calendar is asked often."""
        table = self._years.get(year)
        if table is None:
            table = self._build_year(year)
            if len(self._years) >= _KEPT_YEARS:
                del self._years[next(iter(self._years))]
            self._years[year] = table
        return table

    def _build_year(self, year: int) -> tuple[MarketSession, ...]:
        library = _library_year(year)
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        # By ordinal: stepping a date past 9999-12-31 would raise OverflowError.
        days = (date.fromordinal(ordinal) for ordinal in range(first, last + 1))
        return tuple(s for day in days if (s := self._decide(day, library)) is not None)

    def _decide(self, day: date, library: _LibraryYear) -> MarketSession | None:
        """One day's session, strongest source first: live, settings, library, regular hours."""
        if day in self._live:
            return self._live[day]
        if day.weekday() >= 5 or day in self._extra_closed:
            return None
        if day in self._extra_early:
            return _session(day, EARLY_CLOSE)
        if day in library.closed:
            return None
        return _session(day, library.early_closes.get(day, REGULAR_CLOSE))

    def _next_edge(self, at: datetime, edge: Callable[[MarketSession], datetime]) -> datetime:
        _require_aware(at)
        day = at.astimezone(NEW_YORK).date()
        last = date.fromordinal(min(day.toordinal() + _MAX_CLOSED_RUN.days, date.max.toordinal()))
        for session in self.sessions(day, last):
            if edge(session) > at:
                return edge(session)
        raise MarketDataError(f"no NYSE session in the year after {at.isoformat()}")


def _live_session(day: date, session: MarketSession) -> MarketSession:
    """A live answer is taken as the truth, so a malformed one is refused outright; its
    times are brought to UTC, as the port promises."""
    if session.day != day:
        raise ValueError(f"session for {session.day} given as the session of {day}")
    if session.open.utcoffset() is None or session.close.utcoffset() is None:
        raise ValueError("a live session needs timezone-aware open and close times")
    if not session.open < session.close:
        raise ValueError(f"session of {day} closes before it opens")
    return MarketSession(
        day=day,
        open=session.open.astimezone(UTC),
        close=session.close.astimezone(UTC),
        early_close=session.early_close,
    )
