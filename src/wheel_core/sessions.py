"""Questions about trading days, answered from any ``MarketCalendar``.

The port stays small (sessions, open/close edges); everything derivable from
its sessions lives here, once, for every calendar implementation.
"""

from __future__ import annotations

from datetime import date, timedelta

from wheel_core.domain.errors import MarketDataError
from wheel_core.market import MarketSession
from wheel_core.ports import MarketCalendar

_SEARCH_DAYS = 14
"""No exchange closes for two weeks running; a longer gap means the calendar is broken."""


def trading_days_between(calendar: MarketCalendar, start: date, end: date) -> int:
    """Sessions after ``start`` up to and including ``end``: the trading DTE of an option
    expiring on ``end`` seen on ``start``. Zero when ``end`` is not after ``start``."""
    if end <= start:
        return 0
    return len(calendar.sessions(start + timedelta(days=1), end))


def previous_session(calendar: MarketCalendar, day: date) -> MarketSession:
    """The last session strictly before ``day``."""
    found = calendar.sessions(day - timedelta(days=_SEARCH_DAYS), day - timedelta(days=1))
    if not found:
        raise MarketDataError(f"no trading session in the two weeks before {day}")
    return found[-1]


def next_session(calendar: MarketCalendar, day: date) -> MarketSession:
    """The first session strictly after ``day``."""
    found = calendar.sessions(day + timedelta(days=1), day + timedelta(days=_SEARCH_DAYS))
    if not found:
        raise MarketDataError(f"no trading session in the two weeks after {day}")
    return found[0]


def expiration_date(calendar: MarketCalendar, nominal: date) -> date:
    """The day an option listed for ``nominal`` really expires: the last session on or
    before it (a holiday Friday moves to Thursday, e.g. Good Friday 2026-04-03 → 04-02)."""
    if calendar.sessions(nominal, nominal):
        return nominal
    return previous_session(calendar, nominal).day
