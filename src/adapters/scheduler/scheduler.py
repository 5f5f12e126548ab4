"""The scheduler: our small interface over APScheduler's ``AsyncIOScheduler``.

Everything outside this package — the Litestar lifespan, the HTTP controllers, the
CLI — talks to :class:`Scheduler`: start and stop it, list and change jobs (changes
are stored and rescheduled at once), run a job now, read the history, list and
change plugins. It works headless too: without :meth:`Scheduler.start`, jobs still
run on demand (:meth:`run_now`) and tests drive :meth:`run_scheduled` with the
triggers' own fire times (:meth:`trigger`) and a fake clock — the very path
APScheduler calls.

A job's effective schedule is layered like every setting: its default <
``scheduler.jobs.<name>`` in the config file < what ``update_job`` stored under
``job.<name>`` in the settings table.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger

from adapters.scheduler.discovery import Discovery, discover
from adapters.scheduler.history import JobRunQuery, JobRunView, last_run, list_runs, view_of
from adapters.scheduler.job_facade import JobFacade
from adapters.scheduler.jobs import CORE_DEFAULTS, Job, core_jobs
from adapters.scheduler.plugin_host import PluginHost, PluginServices
from adapters.scheduler.runner import JobRunner
from adapters.scheduler.schedules import JobSchedule, describe, trigger_for, with_override
from adapters.scheduler.views import (
    JobView,
    PluginUpdate,
    PluginView,
    SchedulerState,
    SchedulerStatus,
)
from adapters.settings import JobOverride, SchedulerSettings, SettingsError
from wheel_core.app.facade import WheelFacade
from wheel_core.app.views import Page
from wheel_core.domain.entities import JobRun
from wheel_core.domain.errors import ConflictError, NotFoundError, ValidationError
from wheel_core.ports import Clock, MarketCalendar, MarketData, Notifier, UnitOfWorkFactory

log = logging.getLogger(__name__)


def settings_key(name: str) -> str:
    return f"job.{name}"


class Scheduler:
    def __init__(
        self,
        *,
        jobs: list[Job],
        plugins: PluginHost,
        runner: JobRunner,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        calendar: Callable[[], MarketCalendar],
        settings: SchedulerSettings,
        enabled: bool,
    ) -> None:
        self._jobs = {job.name: job for job in [*jobs, *plugins.jobs()]}
        self._plugins = plugins
        self._runner = runner
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._calendar = calendar
        self._settings = settings
        self._enabled = enabled
        self._stored: dict[str, JobOverride] = {}
        self._aps: AsyncIOScheduler | None = None
        self._file = self._file_overrides(settings)

    # --- life cycle ---------------------------------------------------------------

    async def load(self) -> None:
        """Read the stored job and plugin settings (``start`` does it; a process that
        does not run the scheduler calls it to show and run jobs on demand)."""
        try:
            self._stored = await self._read_stored()
            await self._plugins.load()
        except Exception:  # the database is down: run on the defaults, say so in the log
            log.exception("job and plugin settings could not be read; defaults are used")

    async def _read_stored(self) -> dict[str, JobOverride]:
        stored: dict[str, JobOverride] = {}
        async with self._unit_of_work() as uow:
            for name in self._jobs:
                raw = await uow.settings.get(settings_key(name))
                if raw is None:
                    continue
                try:
                    override = msgspec.json.decode(raw, type=JobOverride)
                    self._effective(name, {**stored, name: override})
                except (msgspec.DecodeError, ValidationError) as error:
                    log.error("stored settings of job %s ignored: %s", name, error)
                    continue
                stored[name] = override
        return stored

    async def start(self) -> None:
        """Load the settings and start APScheduler on the running event loop."""
        if self.running:
            return
        await self.load()
        self._aps = AsyncIOScheduler(
            timezone="UTC",
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": self._settings.misfire_grace,
            },
        )
        self._aps.start()
        for name in self._jobs:
            self._sync(name)
        log.info("scheduler started with %d jobs", len(self._aps.get_jobs()))

    async def stop(self) -> None:
        """Stop scheduling; runs in progress are cancelled (and recorded so)."""
        aps, self._aps = self._aps, None
        if aps is not None and aps.running:
            aps.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
            log.info("scheduler stopped")

    @property
    def running(self) -> bool:
        return self._aps is not None and self._aps.running

    def status(self) -> SchedulerStatus:
        state: SchedulerState = (
            "running" if self.running else "stopped" if self._enabled else "disabled"
        )
        upcoming = [
            (when, name)
            for name in self._jobs
            if (when := self.next_run_at(name)) is not None and self.running
        ]
        first = min(upcoming, default=None)
        return SchedulerStatus(
            status=state,
            jobs=len(upcoming),
            next_run_at=None if first is None else first[0],
            next_job=None if first is None else first[1],
        )

    # --- jobs ---------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return list(self._jobs)

    def schedule(self, name: str) -> JobSchedule:
        """The job's effective schedule; for a plugin, ``enabled`` is the plugin's flag."""
        self._job(name)
        return self._effective(name, self._stored)

    def is_enabled(self, name: str) -> bool:
        return self.schedule(name).enabled

    def trigger(self, name: str) -> BaseTrigger:
        return trigger_for(self.schedule(name), self._settings.timezone, self._calendar)

    def next_run_at(self, name: str) -> datetime | None:
        """When the running scheduler runs the job next; when not running, when its
        trigger would fire after now (``None`` for a disabled job)."""
        if self._aps is not None and self.running:
            job = self._aps.get_job(name)
            return None if job is None else job.next_run_time
        if not self.is_enabled(name):
            return None
        when: datetime | None = self.trigger(name).get_next_fire_time(None, self._clock.now())
        return when

    async def list_jobs(self) -> list[JobView]:
        return [await self.get_job(name) for name in self._jobs]

    async def get_job(self, name: str) -> JobView:
        job = self._job(name)
        schedule = self.schedule(name)
        return JobView(
            name=name,
            kind=job.kind,
            description=job.description,
            enabled=schedule.enabled,
            interval_minutes=schedule.interval_minutes,
            cron=schedule.cron,
            timezone=schedule.timezone or self._settings.timezone,
            only_when=schedule.only_when,
            timeout_seconds=schedule.timeout_seconds or self._settings.job_timeout,
            schedule=describe(schedule, self._settings.timezone),
            next_run_at=self.next_run_at(name),
            running=self._runner.is_running(name),
            last_run=await last_run(self._unit_of_work, name),
        )

    async def update_job(self, name: str, change: JobOverride) -> JobView:
        """Validate, store and apply at once (the running scheduler reschedules the job).
        For a plugin, ``enabled`` is the plugin's enable flag."""
        job = self._job(name)
        current = self._stored.get(name, JobOverride())
        fields = {
            key: value
            for key in change.__struct_fields__
            if (value := getattr(change, key)) is not None
        }
        if change.interval_minutes is not None:
            fields["cron"] = None
        if change.cron is not None:
            fields["interval_minutes"] = None
        plugin_enabled = fields.pop("enabled", None) if job.kind == "plugin" else None
        updated = msgspec.structs.replace(current, **fields)
        self._effective(name, {**self._stored, name: updated}, check=change)
        async with self._unit_of_work() as uow:
            await uow.settings.set(settings_key(name), msgspec.json.encode(updated).decode())
            await uow.commit()
        self._stored[name] = updated
        if plugin_enabled is not None:
            await self._plugins.set_enabled(name, plugin_enabled)
        self._sync(name)
        return await self.get_job(name)

    async def run_now(self, name: str) -> JobRunView:
        """Run the job at once, whatever its schedule or the market (the user asked);
        recorded with trigger ``manual``. ``ConflictError`` while it is running."""
        job = self._job(name)
        run = await self._runner.run(job, self.schedule(name), "manual")
        if run is None:  # pragma: no cover - the runner refuses manual overlaps instead
            raise ConflictError(f"job {name} is running")
        return view_of(run)

    async def run_scheduled(self, name: str) -> JobRun | None:
        """What APScheduler calls at a fire time: the job through the run path, gated by
        the market; ``None`` when dropped because a run is still going on."""
        return await self._runner.run(self._job(name), self.schedule(name), "schedule")

    async def list_runs(self, query: JobRunQuery) -> Page[JobRunView]:
        return await list_runs(self._unit_of_work, query)

    # --- plugins ------------------------------------------------------------------

    def list_plugins(self) -> list[PluginView]:
        return self._plugins.views()

    def get_plugin(self, name: str) -> PluginView:
        return self._plugins.view(name)

    async def update_plugin(self, name: str, change: PluginUpdate) -> PluginView:
        view = await self._plugins.update(name, change)
        self._sync(name)
        return view

    # --- inside -------------------------------------------------------------------

    def _job(self, name: str) -> Job:
        try:
            return self._jobs[name]
        except KeyError:
            raise NotFoundError("job", name) from None

    def _effective(
        self, name: str, stored: dict[str, JobOverride], check: JobOverride | None = None
    ) -> JobSchedule:
        job = self._jobs[name]
        schedule = job.default
        if name in self._file:
            schedule = with_override(schedule, self._file[name])
        if check is not None:
            with_override(schedule, check)  # names the field of the change itself
        if name in stored:
            schedule = with_override(schedule, stored[name])
        if job.kind == "plugin":
            schedule = msgspec.structs.replace(schedule, enabled=self._plugins.is_enabled(name))
        trigger_for(schedule, self._settings.timezone, self._calendar)
        return schedule

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

    def _sync(self, name: str) -> None:
        """Make the running APScheduler hold ``name`` as its settings say."""
        if self._aps is None or not self.running:
            return
        if self._aps.get_job(name) is not None:
            self._aps.remove_job(name)
        if self.is_enabled(name):
            self._aps.add_job(
                self.run_scheduled,
                trigger=self.trigger(name),
                args=[name],
                id=name,
                name=name,
                replace_existing=True,
            )


def build_scheduler(
    *,
    settings: SchedulerSettings,
    enabled: bool,
    unit_of_work: UnitOfWorkFactory,
    clock: Clock,
    calendar: Callable[[], MarketCalendar],
    service: Callable[[], Any],
    market: Callable[[], MarketData],
    notifier: Callable[[], Notifier],
    discovery: Discovery,
) -> Scheduler:
    """The scheduler over the container's parts (each asked for at run time, so parts
    rebuilt after a settings change are the ones used)."""
    facade: Callable[[], JobFacade] = service
    plugin_service: Callable[[], WheelFacade] = service
    host = PluginHost(
        discovery,
        unit_of_work=unit_of_work,
        services=PluginServices(
            service=plugin_service, market=market, calendar=calendar, notifier=notifier, clock=clock
        ),
        default_timeout=settings.job_timeout,
    )
    return Scheduler(
        jobs=core_jobs(facade, notifier),
        plugins=host,
        runner=JobRunner(
            unit_of_work=unit_of_work,
            clock=clock,
            calendar=calendar,
            default_timeout=settings.job_timeout,
        ),
        unit_of_work=unit_of_work,
        clock=clock,
        calendar=calendar,
        settings=settings,
        enabled=enabled,
    )


def discover_plugins(settings: SchedulerSettings) -> Discovery:
    """The plugins of ``scheduler.plugins_dir`` and of the installed entry points."""
    return discover(Path(settings.plugins_dir).expanduser(), reserved=frozenset(CORE_DEFAULTS))
