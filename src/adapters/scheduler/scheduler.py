"""The scheduler: our small interface over APScheduler's ``AsyncIOScheduler``.

:class:`Scheduler` starts and stops, lists and changes jobs (stored and rescheduled at
once), runs a job now, reads the history, lists and changes plugins. The HTTP adapter
and the CLI see it only as :class:`~adapters.scheduler.control.LocalJobControl`; the
container builds it (``assembly.py``). Headless, jobs still run on demand
(:meth:`run_now`), and tests drive :meth:`run_scheduled` with the triggers' own fire
times (:meth:`trigger`) and a fake clock — the very path APScheduler calls. A job's
schedule is layered like every setting (``job_settings.py``); the run history's
upkeep is ``housekeeping.py``.

Other processes change those settings too (the CLI on the database, a server worker
that does not run the jobs): every change here reads the stored row in its own
transaction and writes it back changed, and the running scheduler reads the stored
settings again every :data:`RELOAD_SECONDS` (a task of its own beside APScheduler: not
a job, neither listed nor recorded), rescheduling the jobs whose schedule or enable
flag changed.

Several processes may start a scheduler on one database (two ``serve``, a ``serve`` and
``scheduler run``); exactly one runs the jobs: the holder of the scheduler lease
(``lease.py``). A started scheduler beats every third of ``scheduler.lease_seconds``:
the leader renews the lease, a standby tries to take it, and takes it once it lapsed.
Only the leader holds jobs in APScheduler; a scheduled run starts only while this
process's lease runs by its own clock, so a leader that could not renew in time steps
down before another can take over — never two leaders. A manual run (``run_now``) is
the user's request to this process: it runs here, leader or not, recorded once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import msgspec
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger

from adapters.scheduler.history import JobRunQuery, JobRunView, last_run, list_runs, view_of
from adapters.scheduler.housekeeping import RunHousekeeping
from adapters.scheduler.job_settings import JobLayers, changed_fields, settings_key
from adapters.scheduler.jobs import Job
from adapters.scheduler.lease import LeaseView, SchedulerLease, new_identity
from adapters.scheduler.plugin_host import PluginHost
from adapters.scheduler.runner import JobRunner
from adapters.scheduler.schedules import JobSchedule, describe, trigger_for
from adapters.scheduler.views import (
    JobView,
    PluginUpdate,
    PluginView,
    SchedulerRole,
    SchedulerStatus,
    state_of,
)
from adapters.settings import JobOverride, SchedulerSettings
from wheel_core.app.views import Page
from wheel_core.domain.entities import JobRun
from wheel_core.domain.errors import ConflictError, NotFoundError
from wheel_core.ports import Clock, MarketCalendar, UnitOfWorkFactory

log = logging.getLogger(__name__)

RELOAD_SECONDS = 60
"""How often the running scheduler reads the job and plugin settings stored elsewhere."""


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
        lease: SchedulerLease,
        identity: str | None = None,
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
        self._scheduled: dict[str, JobSchedule | None] = {}
        """What APScheduler holds for each job (``None``: nothing), as of ``_sync``."""
        self._layers = JobLayers(
            self._jobs,
            plugin_enabled=plugins.is_enabled,
            settings=settings,
            calendar=calendar,
            clock=clock,
        )
        self._housekeeping = RunHousekeeping(
            unit_of_work=unit_of_work,
            clock=clock,
            keep_days=settings.keep_runs_days,
            timeout_of=self._timeout_of,
            born=clock.now(),
        )
        self._reloader: asyncio.Task[None] | None = None
        self._pause: Callable[[float], Awaitable[None]] = asyncio.sleep
        """What the reload and heartbeat loops wait with (tests replace it: no real time)."""
        self._lease = lease
        self.identity = identity or new_identity()
        """This process in the lease: ``host:pid:suffix``."""
        self._ttl = timedelta(seconds=settings.lease_seconds)
        self._leading = False
        self._lease_until: datetime | None = None
        """Until when this process's lease runs, by its own clock (``None``: it holds none)."""
        self._seen = LeaseView()
        """The lease as of this process's last heartbeat."""
        self._beater: asyncio.Task[None] | None = None

    # --- life cycle ---------------------------------------------------------------

    async def load(self) -> None:
        """Read the stored job and plugin settings (``start`` does it; a process that
        does not run the scheduler calls it to show and run jobs on demand)."""
        try:
            self._stored = await self._layers.read(self._unit_of_work)
            await self._plugins.load()
        except Exception:  # the database is down: run on the defaults, say so in the log
            log.exception("job and plugin settings could not be read; defaults are used")

    async def reload(self) -> None:
        """Read the stored job and plugin settings again and reschedule the jobs whose
        schedule or enable flag another process changed (the running scheduler does it
        every ``RELOAD_SECONDS``); a database that cannot be read changes nothing."""
        try:
            stored = await self._layers.read(self._unit_of_work)
            await self._plugins.load()
        except Exception:
            log.exception("job and plugin settings could not be read again")
            return
        self._stored = stored
        for name in self._jobs:
            self._resync(name)

    async def refresh(self) -> None:
        """:meth:`reload` unless this scheduler runs (its reload task keeps it current):
        the process that runs the jobs may have changed their settings (a plugin
        disabled after a failure)."""
        if not self.running:
            await self.reload()

    async def _reload_every(self, seconds: float) -> None:
        while True:
            await self._pause(seconds)
            await self.reload()
            if self._leading:  # the leader keeps the history; a standby only follows
                await self.close_orphans()
                await self.prune_runs()

    async def prune_runs(self) -> int:
        """Delete the runs older than ``scheduler.keep_runs_days``, once a day; how many
        (see ``housekeeping.py``)."""
        return await self._housekeeping.prune_runs()

    async def close_orphans(self) -> int:
        """Record as failures the runs a stopped process left ``running``; how many
        (see ``housekeeping.py``)."""
        return await self._housekeeping.close_orphans()

    def _timeout_of(self, job: str) -> int:
        """The job's timeout in seconds; the default for a plugin since removed."""
        try:
            return self.schedule(job).timeout_seconds or self._settings.job_timeout
        except NotFoundError:
            return self._settings.job_timeout

    async def start(self) -> None:
        """Load the settings, start APScheduler on the running event loop and contend for
        the lease: the jobs are scheduled here once this process leads."""
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
        await self.heartbeat()
        self._reloader = asyncio.create_task(self._reload_every(RELOAD_SECONDS))
        self._beater = asyncio.create_task(self._beat_every(self.beat_seconds))
        if not self._leading:
            leader = self._seen.holder or "another process"
            log.info("scheduler started on standby: %s runs the jobs", leader)

    @property
    def beat_seconds(self) -> float:
        """How often the lease is renewed (leader) or tried (standby): a third of its
        time to live, so two beats may fail before it lapses."""
        return self._ttl.total_seconds() / 3

    async def heartbeat(self) -> bool:
        """Renew or try to take the lease, then lead or stand by as it says; whether this
        process leads. A lease that cannot be reached keeps a leader leading only while
        its lease runs (then it steps down: another may have taken over)."""
        now = self._clock.now()
        try:
            # Bounded by the lease itself: a slow database may delay a beat, and no run
            # starts here meanwhile once the lease ran out (``run_scheduled``).
            async with asyncio.timeout(self._ttl.total_seconds()):
                seen = await self._lease.acquire_or_renew(self.identity, now, self._ttl)
        except Exception as error:  # the database is down or slow: judged below
            log.warning("the scheduler lease could not be renewed: %s", type(error).__name__)
            leads = self._holds_lease(self._clock.now())
        else:
            self._seen = seen
            leads = seen.holder == self.identity and seen.expires_at is not None
            self._lease_until = seen.expires_at if leads else None
        if leads and not self._leading:
            await self._lead()
        elif not leads and self._leading:
            self._stand_down()
        return leads

    async def _beat_every(self, seconds: float) -> None:
        while True:
            await self._pause(seconds)
            await self.heartbeat()

    def _holds_lease(self, now: datetime) -> bool:
        return self._leading and self._lease_until is not None and now < self._lease_until

    async def _lead(self) -> None:
        """Now the leader: close the runs a stopped process left, prune, schedule."""
        self._leading = True
        log.info("this process (%s) leads the scheduler: it runs the jobs", self.identity)
        await self.close_orphans()
        await self.prune_runs()
        for name in self._jobs:
            self._sync(name)
        log.info("scheduler started with %d jobs", self.status().jobs)

    def _stand_down(self) -> None:
        """No longer the leader: nothing more is scheduled here. Runs in progress finish
        and are recorded (their timeout bounds them)."""
        self._leading = False
        self._lease_until = None
        for name in self._jobs:
            self._sync(name)
        log.warning(
            "this process (%s) no longer leads the scheduler; %s does",
            self.identity,
            self._seen.leader_at(self._clock.now()) or "no process yet",
        )

    async def leader(self) -> LeaseView:
        """Who runs the jobs now and until when, as the database holds the lease; empty
        when no process does (none started, or its lease lapsed)."""
        lease = await self._lease.current()
        holder = lease.leader_at(self._clock.now())
        return LeaseView(holder=holder, expires_at=None if holder is None else lease.expires_at)

    async def stop(self) -> None:
        """Stop scheduling; runs in progress are cancelled and, before this returns
        (within ``runner.STOP_GRACE``), recorded as interrupted."""
        aps, self._aps = self._aps, None
        self._scheduled.clear()
        for task in (self._reloader, self._beater):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._reloader = self._beater = None
        if aps is not None and aps.running:
            aps.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
            log.info("scheduler stopped")
        await self._runner.stop()
        await self._release()

    async def _release(self) -> None:
        """Give the lease up after the last run here ended: a standby takes over at its
        next beat, not only once the lease lapses."""
        if not self._leading:
            return
        self._leading, self._lease_until = False, None
        try:
            await self._lease.release(self.identity)
        except Exception:
            log.exception("the scheduler lease could not be released; it lapses by itself")

    @property
    def running(self) -> bool:
        return self._aps is not None and self._aps.running

    @property
    def leading(self) -> bool:
        """Whether this process holds the lease and runs the jobs."""
        return self.running and self._leading

    def status(self) -> SchedulerStatus:
        """This process's part, and the leader as of its last heartbeat."""
        role: SchedulerRole | None = None
        if self.running:
            role = "leader" if self._leading else "standby"
        upcoming = [
            (when, name)
            for name in self._jobs
            if (when := self.next_run_at(name)) is not None and self.leading
        ]
        first = min(upcoming, default=None)
        return SchedulerStatus(
            status=state_of(role, enabled=self._enabled),
            jobs=len(upcoming),
            next_run_at=None if first is None else first[0],
            next_job=None if first is None else first[1],
            role=role,
            identity=self.identity,
            leader=self._seen.leader_at(self._clock.now()),
            lease_expires_at=self._seen.expires_at if self._seen.holder else None,
        )

    async def current_status(self) -> SchedulerStatus:
        """:meth:`status`, with the leader as the database says now (a process whose beat
        is late, or that does not beat at all — ``server.scheduler: false`` — still says
        who leads); a database that cannot be read leaves what the last beat saw."""
        status = self.status()
        try:
            lease = await self._lease.current()
        except Exception:
            return status
        return msgspec.structs.replace(
            status,
            leader=lease.leader_at(self._clock.now()),
            lease_expires_at=lease.expires_at if lease.holder else None,
        )

    # --- jobs ---------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return list(self._jobs)

    def schedule(self, name: str) -> JobSchedule:
        """The job's effective schedule; for a plugin, ``enabled`` is the plugin's flag."""
        self._job(name)
        return self._layers.effective(name, self._stored)

    def is_enabled(self, name: str) -> bool:
        return self.schedule(name).enabled

    def trigger(self, name: str) -> BaseTrigger:
        return trigger_for(self.schedule(name), self._settings.timezone, self._calendar)

    def next_run_at(self, name: str) -> datetime | None:
        """When the running scheduler runs the job next; elsewhere (not running, or on
        standby: the leader runs it), when its trigger would fire after now (``None``
        for a disabled job)."""
        if self._aps is not None and self.leading:
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
        fields = changed_fields(change)
        plugin_enabled = fields.pop("enabled", None) if job.kind == "plugin" else None
        plugin_state = None
        async with self._unit_of_work() as uow:  # one transaction: read, change, write
            current = self._layers.decoded(name, await uow.settings.get(settings_key(name)))
            updated = msgspec.structs.replace(current or JobOverride(), **fields)
            self._layers.check_fires(self._layers.effective(name, {name: updated}, check=change))
            await uow.settings.set(settings_key(name), msgspec.json.encode(updated).decode())
            if plugin_enabled is not None:
                change_flag = PluginUpdate(enabled=plugin_enabled)
                plugin_state = await self._plugins.stage(uow, name, change_flag)
            await uow.commit()
        self._stored[name] = updated
        if plugin_state is not None:
            self._plugins.adopt(name, plugin_state)
        self._sync(name)
        return await self.get_job(name)

    async def run_now(self, name: str) -> JobRunView:
        """Run the job at once, whatever its schedule or the market (the user asked);
        recorded with trigger ``manual``. ``ConflictError`` while it is running."""
        job = self._job(name)
        try:
            run = await self._runner.run(job, self.schedule(name), "manual")
        finally:
            self._resync(name)  # a plugin that failed is disabled: off the schedule
        if run is None:  # pragma: no cover - the runner refuses manual overlaps instead
            raise ConflictError(f"job {name} is running")
        return view_of(run)

    async def run_scheduled(self, name: str) -> JobRun | None:
        """What APScheduler calls at a fire time: the job through the run path, gated by
        the market; ``None`` when dropped because a run is still going on, or because
        the job is disabled (then it leaves APScheduler too)."""
        job = self._job(name)
        if self.running and not self._holds_lease(self._clock.now()):
            log.warning("job %s not run: this process no longer leads the scheduler", name)
            self._sync(name)
            return None
        if not self.is_enabled(name):
            self._sync(name)
            return None
        try:
            return await self._runner.run(job, self.schedule(name), "schedule")
        finally:
            self._resync(name)  # a plugin that failed is disabled: off the schedule

    async def list_runs(self, query: JobRunQuery) -> Page[JobRunView]:
        return await list_runs(self._unit_of_work, query)

    # --- plugins ------------------------------------------------------------------

    async def list_plugins(self) -> list[PluginView]:
        return self._plugins.views()

    async def get_plugin(self, name: str) -> PluginView:
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

    def _resync(self, name: str) -> None:
        """``_sync`` when the job's settings no longer match what APScheduler holds (a
        reschedule restarts an interval: not done for nothing)."""
        if self.running and self._scheduled.get(name) != self._enabled_schedule(name):
            self._sync(name)

    def _enabled_schedule(self, name: str) -> JobSchedule | None:
        """What APScheduler should hold for ``name``: nothing unless this process leads."""
        if not self._leading:
            return None
        schedule = self.schedule(name)
        return schedule if schedule.enabled else None

    def _sync(self, name: str) -> None:
        """Make the running APScheduler hold ``name`` as its settings say."""
        if self._aps is None or not self.running:
            return
        if self._aps.get_job(name) is not None:
            self._aps.remove_job(name)
        self._scheduled[name] = schedule = self._enabled_schedule(name)
        if schedule is not None:
            self._aps.add_job(
                self.run_scheduled,
                trigger=self.trigger(name),
                args=[name],
                id=name,
                name=name,
                replace_existing=True,
            )
