"""The NYSE calendar asked about dates far from today (issue #14): an expiration stored
in 9999 is answered, never an ``OverflowError``, and asking about many far years does
not grow the process without end."""

from datetime import date

from adapters.market_data import calendar as calendar_module
from adapters.market_data.calendar import NyseCalendar
from wheel_core.sessions import expiration_date, trading_days_between


def test_the_last_days_python_has_are_answered() -> None:
    calendar = NyseCalendar()
    assert calendar.session(date(9999, 12, 31)) is not None  # a Friday
    assert calendar.session(date(9999, 12, 25)) is None  # a Saturday
    assert expiration_date(calendar, date(9999, 12, 31)) == date(9999, 12, 31)
    assert trading_days_between(calendar, date(2026, 11, 24), date.max) > 2_000_000


def test_a_calendar_keeps_a_bounded_number_of_years_built() -> None:
    calendar = NyseCalendar()
    kept = calendar_module._KEPT_YEARS
    for year in range(9999 - kept - 5, 10_000):
        assert calendar.session(date(year, 6, 2)) is not None or date(year, 6, 2).weekday() >= 5
    assert len(calendar._years) == kept
    # The years asked for last are the ones kept; an evicted year is rebuilt the same.
    assert max(calendar._years) == 9999
    first = 9999 - kept - 5
    assert calendar.sessions(date(first, 1, 1), date(first, 1, 31)) == NyseCalendar().sessions(
        date(first, 1, 1), date(first, 1, 31)
    )
