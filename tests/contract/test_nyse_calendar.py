"""The NYSE calendar passes the same contract as the fake, alone and with settings overrides."""

from datetime import date

import pytest

from adapters.market_data.calendar import NyseCalendar
from wheel_core.testing.contracts.calendar import MarketCalendarContract

HOLIDAYS = [
    date(2025, 1, 9),  # national day of mourning for President Carter (short notice)
    date(2026, 1, 1),  # New Year's Day
    date(2026, 1, 19),  # Martin Luther King Jr. Day
    date(2026, 4, 3),  # Good Friday
    date(2026, 7, 3),  # Independence Day, observed (the 4th is a Saturday)
    date(2026, 11, 26),  # Thanksgiving
    date(2026, 12, 25),  # Christmas
    date(2027, 1, 18),  # Martin Luther King Jr. Day
]
EARLY_CLOSES = [
    date(2025, 7, 3),  # day before Independence Day
    date(2026, 11, 27),  # day after Thanksgiving
    date(2026, 12, 24),  # Christmas Eve
]


class TestNyseCalendar(MarketCalendarContract):
    @pytest.fixture
    def calendar(self) -> NyseCalendar:
        return NyseCalendar()

    @pytest.fixture
    def known_holidays(self) -> list[date]:
        return HOLIDAYS

    @pytest.fixture
    def known_early_closes(self) -> list[date]:
        return EARLY_CLOSES


class TestNyseCalendarWithSettingsOverrides(MarketCalendarContract):
    """Settings lists are part of the calendar, so the contract holds with them too."""

    @pytest.fixture
    def calendar(self) -> NyseCalendar:
        return NyseCalendar(
            extra_closed_days=[date(2026, 3, 11)], extra_early_closes=[date(2026, 3, 12)]
        )

    @pytest.fixture
    def known_holidays(self) -> list[date]:
        return [*HOLIDAYS, date(2026, 3, 11)]

    @pytest.fixture
    def known_early_closes(self) -> list[date]:
        return [*EARLY_CLOSES, date(2026, 3, 12)]
