"""The contract suite of the ``Clock`` port."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wheel_core.ports import Clock


class ClockContract:
    """Provide ``clock``."""

    @pytest.fixture
    def clock(self) -> Clock:
        raise NotImplementedError("provide a clock fixture for your adapter")

    def test_now_is_utc_and_never_goes_back(self, clock: Clock) -> None:
        first, second = clock.now(), clock.now()
        assert first.utcoffset() == timedelta(0)
        assert second >= first
