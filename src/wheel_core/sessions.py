"""Questions about trading days, answered from any ``MarketCalendar``.

The port stays small (sessions, open/close edges); everything derivable from
its sessions lives here, once, for every calendar implementation.
"""

from __future__ import annotations

from datetime import date, timedelta

from wheel_core.domain.errors import MarketDataError
from wheel_core.domain.rules import MAX_EXPIRATION_YEARS
from wheel_core.market import MarketSession
from wheel_core.ports import MarketCalendar

_SEARCH_DAYS = 14
"""No exchange closes for two weeks running; a longer gap means the calendar is broken."""

COUNTED_DAYS = 366 * (MAX_EXPIRATION_YEARS + 1)
"""How far ahead :func:`trading_days_between` asks the calendar for sessions: past the
furthest expiration a trade may be entered with. Beyond it (only a trade stored before
that bound existed reaches there) days are counted as weekdays, in closed form, so no
date a user once chose makes the calendar build thousands of years of sessions."""


def trading_days_between(calendar: MarketCalendar, start: date, end: date) -> int:
    """Sessions after ``start`` up to and including ``end``: the trading DTE of an option
    expiring on ``end`` seen on ``start``. Zero when ``end`` is not after ``start``.

    Exact up to :data:`COUNTED_DAYS` ahead; past that, the remaining weekdays are added
    (holidays so far out are nobody's concern), so the work is bounded whatever ``end``.
    """
    if end <= start:
        return 0
    counted_to = _day(min(end.toordinal(), start.toordinal() + COUNTED_DAYS))
    found = len(calendar.sessions(start + timedelta(days=1), counted_to))
    return found + weekdays_between(counted_to, end)


def weekdays_between(start: date, end: date) -> int:
    """Mondays to Fridays after ``start`` up to and including ``end``, in closed form."""
    if end <= start:
        return 0
    return _weekdays_through(end) - _weekdays_through(start)


def _weekdays_through(day: date) -> int:
    """Weekdays from the proleptic 0001-01-01 (a Monday, ordinal 1) through ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def previous_session(calendar: MarketCalendar, day: date) -> MarketSession:
    """The last session strictly before ``day``."""
    first = _day(day.toordinal() - _SEARCH_DAYS)
    found = calendar.sessions(first, _day(day.toordinal() - 1)) if day > date.min else ()
    if not found:
        raise MarketDataError(f"no trading session in the two weeks before {day}")
    return found[-1]


def next_session(calendar: MarketCalendar, day: date) -> MarketSession:
    """The first session strictly after ``day``."""
    last = _day(day.toordinal() + _SEARCH_DAYS)
    found = calendar.sessions(_day(day.toordinal() + 1), last) if day < date.max else ()
    if not found:
        raise MarketDataError(f"no trading session in the two weeks after {day}")
    return found[0]


def _day(ordinal: int) -> date:
    """The date of ``ordinal``, held inside the dates Python has (no ``OverflowError``
    for a search that would step past year 1 or 9999)."""
    return date.fromordinal(max(1, min(ordinal, date.max.toordinal())))


def expiration_date(calendar: MarketCalendar, nominal: date) -> date:
    """The day an option listed for ``nominal`` really expires: the last session on or
    before it (a holiday Friday moves to Thursday, e.g. Good Friday 2026-04-03 → 04-02)."""
    if calendar.sessions(nominal, nominal):
        return nominal
    return previous_session(calendar, nominal).day
