"""The real clock passes the clock contract (it reads the time; it never waits)."""

import pytest

from adapters.clock import SystemClock
from wheel_core.testing.contracts.clock import ClockContract


class TestSystemClock(ClockContract):
    @pytest.fixture
    def clock(self) -> SystemClock:
        return SystemClock()
