"""When a job runs: its schedule, the settings layers over it, and the APScheduler trigger.

A schedule is every N minutes or a cron, read in a time zone, and gated by the market:
``market_open`` fires only inside NYSE sessions (early closes included), ``trading_day``
only on days with a session, ``always`` whenever the trigger says. The gate is part of
the trigger (:class:`SessionTrigger`), so a holiday or an early-closed afternoon simply
has no fire times; the run path checks again when a run starts (a closure announced
after the trigger computed its next time is recorded as ``skipped_market_closed``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from adapters.settings import JobOverride
from wheel_core.domain.errors import ValidationError
from wheel_core.ports import MarketCalendar

OnlyWhen = Literal["market_open", "trading_day", "always"]
EXCHANGE_ZONE = ZoneInfo("America/New_York")
NAME_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
"""Job and plugin names: what a URL path and a settings key can hold as they are."""

MAX_SKIPS = 400
"""Closed stretches a trigger steps over before it gives up (more than a year of days)."""


class JobSchedule(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A job's effective schedule: exactly one of ``interval_minutes`` and ``cron``."""

    enabled: bool = True
    interval_minutes: Annotated[int, msgspec.Meta(ge=1, le=1440)] | None = None
    cron: str | None = None
    """Five crontab fields: minute hour day month day-of-week."""
    timezone: str | None = None
    """Where the cron is read; ``None``: ``scheduler.timezone``."""
    only_when: OnlyWhen = "always"
    timeout_seconds: Annotated[int, msgspec.Meta(ge=1, le=86_400)] | None = None
    """``None``: ``scheduler.job_timeout``."""


def with_override(schedule: JobSchedule, override: JobOverride, *, where: str = "") -> JobSchedule:
    """``override`` over ``schedule``: its set keys win, and choosing an interval drops the
    cron below it (and the other way round), so each layer may switch the kind."""
    check_override(override, where=where)
    changes = {
        field: value
        for field in override.__struct_fields__
        if (value := getattr(override, field)) is not None
    }
    if override.interval_minutes is not None:
        changes["cron"] = None
    if override.cron is not None:
        changes["interval_minutes"] = None
    result = msgspec.structs.replace(schedule, **changes)
    if result.interval_minutes is None and result.cron is None:
        raise ValidationError(f"{where}interval_minutes or cron: a schedule needs one of them")
    return result


def check_override(override: JobOverride, *, where: str = "") -> None:
    """Refuse what cannot become a trigger; the message starts with the field's name."""
    if override.interval_minutes is not None and override.cron is not None:
        raise ValidationError(f"{where}cron: give interval_minutes or cron, not both")
    zone = zone_of(override.timezone, where=where) if override.timezone else EXCHANGE_ZONE
    if override.cron is not None:
        try:
            CronTrigger.from_crontab(override.cron, timezone=zone)
        except ValueError as error:
            raise ValidationError(
                f"{where}cron: {override.cron!r} is not a crontab (minute hour day month "
                f"day-of-week): {error}"
            ) from None


def zone_of(name: str, *, where: str = "") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"{where}timezone: {name!r} is not an IANA time zone (e.g. America/New_York)"
        ) from None


def trigger_for(
    schedule: JobSchedule, default_zone: str, calendar: Callable[[], MarketCalendar]
) -> BaseTrigger:
    """The APScheduler trigger of ``schedule``; the calendar is asked each time, so a
    calendar rebuilt from new settings is the one used."""
    zone = zone_of(schedule.timezone or default_zone)
    inner: BaseTrigger
    if schedule.cron is not None:
        inner = CronTrigger.from_crontab(schedule.cron, timezone=zone)
    else:
        minutes = schedule.interval_minutes or 60
        # Anchored at a midnight, so every 5 minutes means :00, :05, … and 09:30 is one.
        anchor = datetime(2000, 1, 3, tzinfo=zone)
        inner = IntervalTrigger(minutes=minutes, start_date=anchor, timezone=zone)
    if schedule.only_when == "always":
        return inner
    return SessionTrigger(inner, calendar, schedule.only_when)


class SessionTrigger(BaseTrigger):  # type: ignore[misc]  # APScheduler is untyped
    """Another trigger's fire times, only those inside sessions (or on trading days)."""

    __slots__ = ("_calendar", "_inner", "_only_when")

    def __init__(
        self,
        inner: BaseTrigger,
        calendar: Callable[[], MarketCalendar],
        only_when: Literal["market_open", "trading_day"],
    ) -> None:
        self._inner = inner
        self._calendar = calendar
        self._only_when = only_when

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        candidate: datetime | None = self._inner.get_next_fire_time(previous_fire_time, now)
        for _ in range(MAX_SKIPS):
            if candidate is None or allowed(self._calendar(), self._only_when, candidate):
                return candidate
            resume = self._resume_after(candidate)
            candidate = self._inner.get_next_fire_time(None, resume)
        return None

    def _resume_after(self, at: datetime) -> datetime:
        """The earliest time after ``at`` at which the gate could be open again."""
        opens = self._calendar().next_open(at)
        if self._only_when == "market_open":
            return opens
        day = opens.astimezone(EXCHANGE_ZONE).date()
        return datetime.combine(day, time(0), tzinfo=EXCHANGE_ZONE)

    def __str__(self) -> str:
        return f"{self._inner} when {self._only_when}"

    def __getstate__(self) -> Any:  # pragma: no cover - jobs live in memory only
        raise TypeError("SessionTrigger holds the live calendar and is not persisted")


def allowed(calendar: MarketCalendar, only_when: OnlyWhen, at: datetime) -> bool:
    """Does the gate let a run start at ``at``?"""
    if only_when == "always":
        return True
    if only_when == "market_open":
        return calendar.is_open(at)
    day = at.astimezone(EXCHANGE_ZONE).date()
    return bool(calendar.sessions(day, day))


def describe(schedule: JobSchedule, default_zone: str) -> str:
    """In words, for logs and summaries: ``every 5 min while the market is open``."""
    when = {
        "market_open": " while the market is open",
        "trading_day": " on trading days",
        "always": "",
    }[schedule.only_when]
    zone = schedule.timezone or default_zone
    if schedule.cron is not None:
        return f"cron {schedule.cron!r} ({zone}){when}"
    return f"every {schedule.interval_minutes} min{when}"
