"""The contract suite of the ``MarketCalendar`` port (sessions, open/close, holidays)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from wheel_core.ports import MarketCalendar


class MarketCalendarContract:
    """What every ``MarketCalendar`` must do.

    Provide ``calendar``; ``known_holidays`` and ``known_early_closes`` list
    dates the adapter is known to treat so (defaults: none).
    """

    @pytest.fixture
    def calendar(self) -> MarketCalendar:
        raise NotImplementedError("provide a calendar fixture for your adapter")

    @pytest.fixture
    def known_holidays(self) -> list[date]:
        return []

    @pytest.fixture
    def known_early_closes(self) -> list[date]:
        return []

    def test_weekends_have_no_session(self, calendar: MarketCalendar) -> None:
        sessions = calendar.sessions(date(2026, 1, 3), date(2026, 1, 4))
        assert list(sessions) == []

    def test_sessions_are_ordered_and_sane(self, calendar: MarketCalendar) -> None:
        sessions = list(calendar.sessions(date(2026, 1, 1), date(2026, 3, 31)))
        assert 55 <= len(sessions) <= 65
        assert [s.day for s in sessions] == sorted({s.day for s in sessions})
        for session in sessions:
            assert session.open < session.close
            assert session.open.utcoffset() == timedelta(0)
            assert session.day.weekday() < 5

    def test_is_open_agrees_with_sessions(self, calendar: MarketCalendar) -> None:
        session = calendar.sessions(date(2026, 1, 6), date(2026, 1, 6))[0]
        assert calendar.is_open(session.open)
        assert calendar.is_open(session.close - timedelta(minutes=1))
        assert not calendar.is_open(session.close)
        assert not calendar.is_open(session.open - timedelta(minutes=1))

    def test_next_open_and_close_are_strictly_later_session_edges(
        self, calendar: MarketCalendar
    ) -> None:
        friday_evening = datetime(2026, 1, 9, 23, 0, tzinfo=UTC)
        next_open = calendar.next_open(friday_evening)
        assert next_open > friday_evening
        assert next_open.astimezone(UTC).weekday() == 0
        assert calendar.is_open(next_open)
        assert calendar.next_close(next_open) > next_open
        assert not calendar.is_open(calendar.next_close(next_open))

    def test_the_first_and_last_days_python_has_are_answered(
        self, calendar: MarketCalendar
    ) -> None:
        """A date a user once stored (an expiration in 9999) is asked about like any
        other: an answer, never an ``OverflowError`` from stepping past the last date."""
        last_week = calendar.sessions(date(9999, 12, 25), date.max)
        first_week = calendar.sessions(date.min, date(1, 1, 7))
        for sessions in (last_week, first_week):
            assert len(sessions) <= 5
            assert all(s.day.weekday() < 5 and s.open < s.close for s in sessions)

    def test_known_holidays_are_closed(
        self, calendar: MarketCalendar, known_holidays: list[date]
    ) -> None:
        for day in known_holidays:
            assert list(calendar.sessions(day, day)) == [], day

    def test_known_early_closes_end_early(
        self, calendar: MarketCalendar, known_early_closes: list[date]
    ) -> None:
        for day in known_early_closes:
            (session,) = calendar.sessions(day, day)
            assert session.early_close
            assert session.close - session.open < timedelta(hours=6, minutes=30)
