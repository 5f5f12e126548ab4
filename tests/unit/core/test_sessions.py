"""Trading-day arithmetic over any calendar (here the fake, with Good Friday 2026 closed)."""

from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from wheel_core.domain.errors import MarketDataError
from wheel_core.market import MarketSession
from wheel_core.sessions import (
    COUNTED_DAYS,
    expiration_date,
    next_session,
    previous_session,
    trading_days_between,
    weekdays_between,
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


class CountingCalendar(FakeMarketCalendar):
    """The fake, counting the days it is asked to look at: the work a caller causes."""

    def __init__(self) -> None:
        super().__init__(holidays=[GOOD_FRIDAY])
        self.days_asked = 0

    def sessions(self, start: date, end: date) -> Sequence[MarketSession]:
        self.days_asked += max(0, (end - start).days + 1)
        return super().sessions(start, end)


@pytest.mark.parametrize("far", [date(2100, 1, 1), date(9998, 12, 31), date.max])
def test_trading_days_to_a_far_date_ask_the_calendar_for_a_bounded_span(far: date) -> None:
    """An expiration stored in 9998 once made every positions call build 8,000 years of
    sessions (10 s, 500 MB); the calendar is now asked about at most COUNTED_DAYS days
    and the rest is counted in closed form, whatever the distance."""
    calendar = CountingCalendar()
    today = date(2026, 11, 24)
    counted = trading_days_between(calendar, today, far)
    assert calendar.days_asked <= COUNTED_DAYS
    edge = today + timedelta(days=COUNTED_DAYS)
    exact = len(FakeMarketCalendar(holidays=[GOOD_FRIDAY]).sessions(today + timedelta(1), edge))
    assert counted == exact + weekdays_between(edge, far)


def test_trading_days_within_the_counted_span_are_exact() -> None:
    calendar = CountingCalendar()
    start, end = date(2026, 3, 1), date(2026, 3, 1) + timedelta(days=COUNTED_DAYS)
    expected = len(calendar.sessions(start + timedelta(days=1), end))
    assert trading_days_between(calendar, start, end) == expected


def test_weekdays_between_is_the_count_of_mondays_to_fridays() -> None:
    start = date(2026, 3, 27)  # a Friday
    for length in range(0, 30):
        end = start + timedelta(days=length)
        expected = sum((start + timedelta(days=n)).weekday() < 5 for n in range(1, length + 1))
        assert weekdays_between(start, end) == expected
    assert weekdays_between(date(2026, 1, 1), date(2025, 1, 1)) == 0


def test_sessions_around_the_first_and_last_dates_do_not_overflow() -> None:
    assert next_session(CALENDAR, date(9999, 12, 20)).day == date(9999, 12, 21)
    assert previous_session(CALENDAR, date(1, 1, 3)).day == date(1, 1, 2)
    with pytest.raises(MarketDataError):
        next_session(CALENDAR, date.max)
    with pytest.raises(MarketDataError):
        previous_session(CALENDAR, date.min)
    assert expiration_date(CALENDAR, date(9999, 12, 31)) == date(9999, 12, 31)
