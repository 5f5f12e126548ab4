"""The fake ``Clock``: time moves only when the test moves it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, now: datetime | None = None) -> None:
        self._now = now or datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
        if self._now.utcoffset() is None:
            raise ValueError("FakeClock needs a timezone-aware datetime")

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now
