"""The fake ``MarketCalendar``: weekdays in New York, minus the holidays a test names."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from wheel_core.market import MarketSession

NEW_YORK = ZoneInfo("America/New_York")


class FakeMarketCalendar:
    """Weekdays minus given holidays, 09:30–16:00 New York, 13:00 on given early closes."""

    def __init__(
        self,
        holidays: Iterable[date] = (),
        early_closes: Iterable[date] = (),
    ) -> None:
        self.holidays = frozenset(holidays)
        self.early_closes = frozenset(early_closes)

    def _session(self, day: date) -> MarketSession | None:
        if day.weekday() >= 5 or day in self.holidays:
            return None
        early = day in self.early_closes
        opens = datetime.combine(day, time(9, 30), tzinfo=NEW_YORK).astimezone(UTC)
        closes = datetime.combine(day, time(13 if early else 16), tzinfo=NEW_YORK)
        return MarketSession(day=day, open=opens, close=closes.astimezone(UTC), early_close=early)

    def is_open(self, at: datetime) -> bool:
        session = self._session(at.astimezone(NEW_YORK).date())
        return session is not None and session.open <= at < session.close

    def sessions(self, start: date, end: date) -> Sequence[MarketSession]:
        # By ordinal: stepping a date past 9999-12-31 would raise OverflowError.
        days = (date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1))
        return [session for day in days if (session := self._session(day)) is not None]

    def _next(self, at: datetime, edge: Callable[[MarketSession], datetime]) -> datetime:
        day = at.astimezone(NEW_YORK).date()
        for session in self.sessions(day, day + timedelta(days=14)):
            if edge(session) > at:
                return edge(session)
        raise ValueError(f"no session within two weeks after {at.isoformat()}")

    def next_open(self, at: datetime) -> datetime:
        return self._next(at, lambda s: s.open)

    def next_close(self, at: datetime) -> datetime:
        return self._next(at, lambda s: s.close)
