"""The NYSE calendar on real dates: holidays, early closes, DST, overrides, far expiries.

No network and no clock: every instant is written out. Named ``_dates`` because
``tests/contract/test_nyse_calendar.py`` already holds the contract run and pytest
needs distinct basenames in its rootdir import mode.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from adapters.market_data.calendar import NyseCalendar
from wheel_core.domain.errors import MarketDataError
from wheel_core.market import MarketSession
from wheel_core.sessions import (
    expiration_date,
    next_session,
    previous_session,
    trading_days_between,
)

NEW_YORK = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture(scope="module")
def nyse() -> NyseCalendar:
    return NyseCalendar()


# -- holidays --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2026, 11, 26), id="thanksgiving-2026"),
        pytest.param(date(2027, 1, 18), id="mlk-2027"),
        pytest.param(date(2025, 1, 9), id="carter-mourning-2025"),
        pytest.param(date(2026, 4, 3), id="good-friday-2026"),
    ],
)
def test_holidays_have_no_session(nyse: NyseCalendar, day: date) -> None:
    assert nyse.sessions(day, day) == []
    assert nyse.session(day) is None
    assert not nyse.is_open(datetime.combine(day, time(12), tzinfo=NEW_YORK))


def test_a_good_friday_expiry_moves_to_thursday(nyse: NyseCalendar) -> None:
    assert expiration_date(nyse, date(2026, 4, 3)) == date(2026, 4, 2)
    assert expiration_date(nyse, date(2026, 4, 10)) == date(2026, 4, 10)


def test_previous_and_next_session_skip_thanksgiving(nyse: NyseCalendar) -> None:
    assert previous_session(nyse, date(2026, 11, 27)).day == date(2026, 11, 25)
    assert next_session(nyse, date(2026, 11, 25)).day == date(2026, 11, 27)


# -- early closes ----------------------------------------------------------------------------


def test_the_day_after_thanksgiving_closes_at_one_new_york_time(nyse: NyseCalendar) -> None:
    session = nyse.session(date(2026, 11, 27))
    assert session is not None
    assert session.early_close
    assert session.open == utc(2026, 11, 27, 14, 30)
    assert session.close == utc(2026, 11, 27, 18, 0)
    assert session.close.astimezone(NEW_YORK).time() == time(13, 0)


def test_is_open_around_an_early_close(nyse: NyseCalendar) -> None:
    assert nyse.is_open(utc(2026, 11, 27, 17, 59))
    assert not nyse.is_open(utc(2026, 11, 27, 18, 0))
    assert not nyse.is_open(utc(2026, 11, 27, 20, 59))  # would be open on a full day
    assert nyse.is_open(utc(2026, 11, 25, 20, 59))
    assert nyse.next_close(utc(2026, 11, 27, 15, 0)) == utc(2026, 11, 27, 18, 0)
    assert nyse.next_open(utc(2026, 11, 27, 18, 0)) == utc(2026, 11, 30, 14, 30)


def test_historic_early_closes_keep_the_time_the_library_gives(nyse: NyseCalendar) -> None:
    """1990–1992 half days closed at 14:00, not at the modern 13:00."""
    session = nyse.session(date(1992, 12, 24))
    assert session is not None
    assert session.close.astimezone(NEW_YORK).time() == time(14, 0)


# -- trading days ----------------------------------------------------------------------------


def test_trading_dte_across_thanksgiving_week(nyse: NyseCalendar) -> None:
    # Seen on Friday 11-20 for the Friday 11-27 expiry: Mon, Tue, Wed, (Thu closed), Fri.
    assert trading_days_between(nyse, date(2026, 11, 20), date(2026, 11, 27)) == 4
    assert [s.day.day for s in nyse.sessions(date(2026, 11, 23), date(2026, 11, 27))] == [
        23,
        24,
        25,
        27,
    ]


def test_trading_dte_three_years_ahead_has_no_horizon(nyse: NyseCalendar) -> None:
    # 755 is exchange_calendars' XNYS count for the same span (built with an explicit end).
    assert trading_days_between(nyse, date(2026, 1, 16), date(2029, 1, 19)) == 755
    assert expiration_date(nyse, date(2029, 1, 19)) == date(2029, 1, 19)
    assert nyse.session(date(2040, 12, 25)) is None


# -- next open / close -----------------------------------------------------------------------


def test_next_open_across_a_long_weekend(nyse: NyseCalendar) -> None:
    friday_after_close = utc(2026, 1, 16, 21, 30)
    assert nyse.next_open(friday_after_close) == utc(2026, 1, 20, 14, 30)  # MLK Monday skipped
    assert nyse.next_close(friday_after_close) == utc(2026, 1, 20, 21, 0)
    assert not nyse.is_open(utc(2026, 1, 19, 15, 0))


def test_next_open_across_easter_and_the_dst_switch(nyse: NyseCalendar) -> None:
    thursday_after_close = utc(2026, 4, 2, 20, 30)
    assert nyse.next_open(thursday_after_close) == utc(2026, 4, 6, 13, 30)


def test_next_open_at_the_open_is_the_next_day(nyse: NyseCalendar) -> None:
    assert nyse.next_open(utc(2026, 1, 6, 14, 30)) == utc(2026, 1, 7, 14, 30)


# -- daylight saving -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "opens", "closes"),
    [
        pytest.param(date(2026, 3, 6), utc(2026, 3, 6, 14, 30), utc(2026, 3, 6, 21), id="winter"),
        pytest.param(date(2026, 3, 9), utc(2026, 3, 9, 13, 30), utc(2026, 3, 9, 20), id="spring"),
        pytest.param(
            date(2026, 10, 30), utc(2026, 10, 30, 13, 30), utc(2026, 10, 30, 20), id="fall"
        ),
        pytest.param(date(2026, 11, 2), utc(2026, 11, 2, 14, 30), utc(2026, 11, 2, 21), id="back"),
    ],
)
def test_sessions_follow_new_york_daylight_saving(
    nyse: NyseCalendar, day: date, opens: datetime, closes: datetime
) -> None:
    session = nyse.session(day)
    assert session is not None
    assert (session.open, session.close) == (opens, closes)


def test_is_open_at_the_same_utc_time_across_the_switch(nyse: NyseCalendar) -> None:
    assert not nyse.is_open(utc(2026, 3, 6, 13, 45))
    assert nyse.is_open(utc(2026, 3, 9, 13, 45))


def test_naive_times_are_refused(nyse: NyseCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        nyse.is_open(datetime(2026, 1, 6, 15, 0))


# -- settings overrides ----------------------------------------------------------------------


def test_a_closure_the_library_already_has_may_be_listed_again() -> None:
    calendar = NyseCalendar(extra_closed_days=[date(2025, 1, 9)])
    assert calendar.session(date(2025, 1, 9)) is None
    assert calendar.session(date(2025, 1, 8)) is not None


def test_settings_close_a_day_the_library_trades() -> None:
    calendar = NyseCalendar(extra_closed_days=[date(2026, 3, 11)])
    assert calendar.session(date(2026, 3, 11)) is None
    assert trading_days_between(calendar, date(2026, 3, 9), date(2026, 3, 13)) == 3
    assert calendar.next_open(utc(2026, 3, 10, 21)) == utc(2026, 3, 12, 13, 30)


def test_settings_early_close_on_a_regular_day() -> None:
    calendar = NyseCalendar(extra_early_closes=[date(2026, 3, 11)])
    session = calendar.session(date(2026, 3, 11))
    assert session is not None
    assert session.early_close
    assert session.close == utc(2026, 3, 11, 17)  # 13:00 EDT


def test_settings_beat_the_library_both_ways() -> None:
    calendar = NyseCalendar(
        extra_early_closes=[date(2026, 11, 26)], extra_closed_days=[date(2026, 11, 27)]
    )
    thanksgiving = calendar.session(date(2026, 11, 26))
    assert thanksgiving is not None and thanksgiving.early_close
    assert calendar.session(date(2026, 11, 27)) is None


def test_a_day_in_both_settings_lists_stays_closed() -> None:
    day = date(2026, 3, 11)
    calendar = NyseCalendar(extra_closed_days=[day], extra_early_closes=[day])
    assert calendar.session(day) is None


def test_an_early_close_on_a_weekend_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="2026-03-14"):
        NyseCalendar(extra_early_closes=[date(2026, 3, 14)])


def test_a_calendar_closed_for_a_year_says_so() -> None:
    first, last = date(2026, 1, 1).toordinal(), date(2027, 2, 1).toordinal()
    closed = [date.fromordinal(n) for n in range(first, last)]
    calendar = NyseCalendar(extra_closed_days=closed)
    with pytest.raises(MarketDataError, match="no NYSE session"):
        calendar.next_open(utc(2026, 1, 2, 12))


# -- the live answer for today ---------------------------------------------------------------


def test_a_live_closure_for_today_wins_and_can_be_cleared() -> None:
    calendar = NyseCalendar()
    today = date(2026, 3, 11)
    calendar.sessions(date(2026, 1, 1), date(2026, 12, 31))  # warm the year's table
    calendar.set_today_session(today, None)
    assert calendar.session(today) is None
    assert not calendar.is_open(utc(2026, 3, 11, 15))
    calendar.clear_today_session(today)
    assert calendar.session(today) is not None


def test_live_hours_for_today_win_over_settings_and_are_stored_in_utc() -> None:
    today = date(2026, 3, 11)
    calendar = NyseCalendar(extra_closed_days=[today])
    live = MarketSession(
        day=today,
        open=datetime(2026, 3, 11, 9, 30, tzinfo=NEW_YORK),
        close=datetime(2026, 3, 11, 14, 0, tzinfo=NEW_YORK),
        early_close=True,
    )
    calendar.set_today_session(today, live)
    session = calendar.session(today)
    assert session == live
    assert session is not None
    assert session.close.utcoffset() is not None and session.close.tzinfo is UTC
    assert calendar.is_open(utc(2026, 3, 11, 17, 59))
    assert not calendar.is_open(utc(2026, 3, 11, 18))


def test_a_live_session_for_another_day_is_refused() -> None:
    calendar = NyseCalendar()
    other = calendar.session(date(2026, 3, 12))
    assert other is not None
    with pytest.raises(ValueError, match="2026-03-12"):
        calendar.set_today_session(date(2026, 3, 11), other)
