"""A job's effective schedule, layered like every setting: the job's default <
``scheduler.jobs.<name>`` in the config file < what ``update_job`` stored under
``job.<name>`` in the settings table. For a plugin's job, ``enabled`` is the plugin's
own flag (kept by the plugin host).

:class:`JobLayers` holds the file's layer (checked once, at start: a bad one is a
``SettingsError`` naming the key) and computes the rest from the stored layer the
scheduler passes in; it reads that layer too, but keeps no stored state of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from adapters.scheduler.jobs import Job
from adapters.scheduler.schedules import JobSchedule, trigger_for, with_override
from adapters.settings import JobOverride, SchedulerSettings, SettingsError
from wheel_core.domain.errors import ValidationError
from wheel_core.ports import Clock, MarketCalendar, UnitOfWorkFactory

log = logging.getLogger(__name__)


def settings_key(name: str) -> str:
    """Where a job's stored override is kept in the settings table."""
    return f"job.{name}"


def changed_fields(change: JobOverride) -> dict[str, Any]:
    """The fields a change sets; ``interval_minutes`` and ``cron`` replace each other."""
    fields = {
        key: value
        for key in change.__struct_fields__
        if (value := getattr(change, key)) is not None
    }
    if change.interval_minutes is not None:
        fields["cron"] = None
    if change.cron is not None:
        fields["interval_minutes"] = None
    return fields


class JobLayers:
    def __init__(
        self,
        jobs: Mapping[str, Job],
        *,
        plugin_enabled: Callable[[str], bool],
        settings: SchedulerSettings,
        calendar: Callable[[], MarketCalendar],
        clock: Clock,
    ) -> None:
        self._jobs = jobs
        self._plugin_enabled = plugin_enabled
        self._timezone = settings.timezone
        self._calendar = calendar
        self._clock = clock
        self._file = self._file_overrides(settings)

    def effective(
        self, name: str, stored: Mapping[str, JobOverride], check: JobOverride | None = None
    ) -> JobSchedule:
        """``name``'s schedule with the file's and ``stored``'s overrides; ``check``, a
        change about to be stored, is validated on its own first so that an error names
        the field of the change itself. ``ValidationError`` when a layer is unusable."""
        job = self._jobs[name]
        schedule = job.default
        if name in self._file:
            schedule = with_override(schedule, self._file[name])
        if check is not None:
            with_override(schedule, check)
        if name in stored:
            schedule = with_override(schedule, stored[name])
        if job.kind == "plugin":
            schedule = msgspec.structs.replace(schedule, enabled=self._plugin_enabled(name))
        trigger_for(schedule, self._timezone, self._calendar)
        return schedule

    async def read(self, unit_of_work: UnitOfWorkFactory) -> dict[str, JobOverride]:
        """Every job's stored override that can be used (see :meth:`decoded`)."""
        stored: dict[str, JobOverride] = {}
        async with unit_of_work() as uow:
            for name in self._jobs:
                override = self.decoded(name, await uow.settings.get(settings_key(name)))
                if override is not None:
                    stored[name] = override
        return stored

    def decoded(self, name: str, raw: str | None) -> JobOverride | None:
        """The stored override of ``name``; ``None`` when none, or unusable (logged)."""
        if raw is None:
            return None
        try:
            override = msgspec.json.decode(raw, type=JobOverride)
            self.effective(name, {name: override})
        except (msgspec.DecodeError, ValidationError) as error:
            log.error("stored settings of job %s ignored: %s", name, error)
            return None
        return override

    def check_fires(self, schedule: JobSchedule) -> None:
        """Refuse a schedule that would never run (``0 0 31 2 *``, or ``0 20 * * *`` only
        while the market is open): saved, it would look set and do nothing, silently."""
        if not schedule.enabled:
            return
        trigger = trigger_for(schedule, self._timezone, self._calendar)
        if trigger.get_next_fire_time(None, self._clock.now()) is None:
            gate = {"market_open": " while the market is open", "trading_day": " on trading days"}
            raise ValidationError(
                f"{'cron' if schedule.cron else 'interval_minutes'}: this schedule never "
                f"fires{gate.get(schedule.only_when, '')}; change it, or only_when"
            )

    def _file_overrides(self, settings: SchedulerSettings) -> dict[str, JobOverride]:
        overrides: dict[str, JobOverride] = {}
        for name, override in settings.jobs.items():
            if name not in self._jobs:
                log.warning("scheduler.jobs.%s names no job; ignored", name)
                continue
            try:
                with_override(self._jobs[name].default, override)
                if override.timezone:
                    trigger_for(
                        with_override(self._jobs[name].default, override),
                        settings.timezone,
                        self._calendar,
                    )
            except ValidationError as error:
                raise SettingsError(
                    f"invalid setting scheduler.jobs.{name}.{error.message}"
                ) from None
            overrides[name] = override
        return overrides
