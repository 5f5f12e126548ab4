"""Trading-day arithmetic over any calendar (here the fake, with Good Friday 2026 closed)."""

from datetime import date

import pytest

from wheel_core.domain.errors import MarketDataError
from wheel_core.sessions import (
    expiration_date,
    next_session,
    previous_session,
    trading_days_between,
)
from wheel_core.testing.fakes import FakeMarketCalendar

GOOD_FRIDAY = date(2026, 4, 3)
CALENDAR = FakeMarketCalendar(holidays=[GOOD_FRIDAY])


def test_trading_days_skip_weekends_and_holidays() -> None:
    # Monday 2026-03-30 → Friday 2026-04-10: Tue–Thu, then Mon–Fri of the next week.
    assert trading_days_between(CALENDAR, date(2026, 3, 30), date(2026, 4, 10)) == 8


def test_no_trading_days_to_a_past_or_same_day() -> None:
    assert trading_days_between(CALENDAR, date(2026, 4, 10), date(2026, 4, 10)) == 0
    assert trading_days_between(CALENDAR, date(2026, 4, 10), date(2026, 4, 1)) == 0


def test_a_holiday_friday_expiration_moves_to_thursday() -> None:
    assert expiration_date(CALENDAR, GOOD_FRIDAY) == date(2026, 4, 2)
    assert expiration_date(CALENDAR, date(2026, 4, 10)) == date(2026, 4, 10)


def test_previous_and_next_sessions_jump_over_closures() -> None:
    assert previous_session(CALENDAR, date(2026, 4, 6)).day == date(2026, 4, 2)
    assert next_session(CALENDAR, date(2026, 4, 2)).day == date(2026, 4, 6)


def test_a_calendar_without_sessions_is_an_error() -> None:
    closed = FakeMarketCalendar(holidays=[date(2026, 1, d) for d in range(1, 32)])
    with pytest.raises(MarketDataError, match="no trading session"):
        previous_session(closed, date(2026, 1, 20))
    with pytest.raises(MarketDataError, match="no trading session"):
        next_session(closed, date(2026, 1, 5))
