"""The simulated market passes the same ``MarketData`` contract as the fake and Schwab."""

from datetime import UTC, date, datetime

import pytest

from adapters.market_data.simulated import SimulatedMarket
from wheel_core.testing.contracts.market_data import MarketDataContract
from wheel_core.testing.fakes import FakeClock, FakeMarketCalendar


class TestSimulatedMarket(MarketDataContract):
    @pytest.fixture
    def market_data(self) -> SimulatedMarket:
        # Tuesday 2026-01-06, 10:30 in New York: a session is running.
        clock = FakeClock(datetime(2026, 1, 6, 15, 30, tzinfo=UTC))
        return SimulatedMarket(clock, FakeMarketCalendar(holidays=[date(2026, 1, 1)]))


class TestSimulatedMarketOnAWeekend(MarketDataContract):
    """A closed market still answers everything, from Friday's close."""

    @pytest.fixture
    def market_data(self) -> SimulatedMarket:
        clock = FakeClock(datetime(2026, 1, 10, 18, 0, tzinfo=UTC))
        return SimulatedMarket(clock, FakeMarketCalendar(), seed=42)

    @pytest.fixture
    def known_symbol(self) -> str:
        return "KO"
