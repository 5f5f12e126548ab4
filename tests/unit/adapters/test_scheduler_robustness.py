"""The running scheduler keeps to what is stored: a plugin disabled by its own failure
leaves the schedule; a change stored by another process (the CLI on the database, a
worker without the scheduler) is neither lost nor overwritten, and reaches the process
running the jobs; stopping records the runs it interrupts, and a start closes the runs
a stopped process left "running".

The real AsyncIOScheduler is started where the schedule is read, but no job fires: the
tests call the run path themselves, on a fake clock, and never wait for a time."""

import asyncio
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from dependency_injector import providers
from scheduler_harness import Harness, build, ny

from adapters.container import Container, build_container, start, start_scheduler, stop
from adapters.container import stop_scheduler as stop_jobs
from adapters.market_data.calendar import NyseCalendar
from adapters.scheduler import Plugin, PluginContext
from adapters.scheduler.discovery import Discovery, LoadedPlugin
from adapters.scheduler.history import JobRunQuery
from adapters.scheduler.housekeeping import ORPHANED
from adapters.scheduler.owners import is_alive, this_process
from adapters.scheduler.runner import INTERRUPTED, STOP_GRACE
from adapters.scheduler.scheduler import RELOAD_SECONDS, Scheduler
from adapters.scheduler.schedules import JobSchedule
from adapters.scheduler.views import PluginUpdate
from adapters.settings import JobOverride, SchedulerSettings, convert
from wheel_core.domain.entities import JobRun
from wheel_core.domain.errors import ValidationError
from wheel_core.testing.fakes import FakeClock

NOW = ny(2026, 11, 24, 11).astimezone(UTC)  # a Tuesday, the market open
PROJECT_PLUGINS = Path(__file__).parents[3] / "plugins"
RARELY = JobSchedule(cron="0 3 1 1 *", only_when="always")  # never fires during a test


class Raises(Plugin):
    name = "raises"
    schedule = RARELY

    async def execute(self, context: PluginContext) -> str:
        raise ValueError("the threshold table is empty")


class Quiet(Plugin):
    name = "quiet"
    schedule = RARELY

    async def execute(self, context: PluginContext) -> str:
        return "nothing to say"


def _harness() -> Harness:
    discovery = Discovery(
        loaded=[LoadedPlugin(Raises(), "test"), LoadedPlugin(Quiet(), "test")], failed=[]
    )
    return build(FakeClock(NOW), NyseCalendar(), discovery=discovery)


@pytest.fixture
async def running() -> AsyncIterator[Harness]:
    harness = _harness()
    await harness.scheduler.start()
    yield harness
    await harness.scheduler.stop()


def _scheduled(scheduler: Scheduler) -> set[str]:
    assert scheduler._aps is not None
    return {job.id for job in scheduler._aps.get_jobs()}


# --- 1. a plugin disabled by a failure leaves the schedule --------------------------------


async def test_a_plugin_that_fails_a_scheduled_run_leaves_the_schedule(running: Harness) -> None:
    scheduler = running.scheduler
    assert {"raises", "quiet"} <= _scheduled(scheduler)
    assert scheduler.status().jobs == 6

    run = await scheduler.run_scheduled("raises")
    assert run is not None and run.status == "failure"

    assert (await scheduler.get_plugin("raises")).status == "disabled"
    assert "raises" not in _scheduled(scheduler)
    assert scheduler.next_run_at("raises") is None
    assert scheduler.status().jobs == 5
    assert "quiet" in _scheduled(scheduler)


async def test_a_plugin_that_fails_a_manual_run_leaves_the_schedule(running: Harness) -> None:
    scheduler = running.scheduler
    assert (await scheduler.run_now("raises")).status == "failure"
    assert "raises" not in _scheduled(scheduler)
    assert scheduler.status().jobs == 5


async def test_a_disabled_plugin_s_fire_time_runs_nothing_and_drops_the_job(
    running: Harness,
) -> None:
    scheduler = running.scheduler
    await scheduler._plugins.disable("quiet", "failed: elsewhere")  # the flag alone
    assert "quiet" in _scheduled(scheduler)

    assert await scheduler.run_scheduled("quiet") is None

    assert running.store.runs == []
    assert "quiet" not in _scheduled(scheduler)
    assert scheduler.status().jobs == 5


async def test_a_successful_run_keeps_its_place_in_the_schedule(running: Harness) -> None:
    scheduler = running.scheduler
    assert scheduler._aps is not None
    before = scheduler._aps.get_job("quiet")
    run = await scheduler.run_scheduled("quiet")
    assert run is not None and run.status == "success"
    assert scheduler._aps.get_job("quiet") is before  # not removed and added again


# --- 2. changes stored by another process -----------------------------------------------


def _container(tmp_path: Path, *, scheduler: bool, plugins: Path = PROJECT_PLUGINS) -> Container:
    container = build_container(
        convert(
            {
                "database": {"url": str(tmp_path / "shared.db")},
                "server": {"scheduler": scheduler},
                "scheduler": {"plugins_dir": str(plugins)},
            }
        )
    )
    container.clock.override(providers.Object(FakeClock(NOW)))
    return container


async def _open(container: Container) -> Scheduler:
    await start(container)
    return await start_scheduler(container)


async def _close(container: Container) -> None:
    await stop_jobs(container)
    await stop(container)


async def test_a_change_merges_onto_what_another_process_stored(tmp_path: Path) -> None:
    server_side, cli_side = (
        _container(tmp_path, scheduler=True),
        _container(tmp_path, scheduler=False),
    )
    server = await _open(server_side)
    cli = await _open(cli_side)
    try:
        await cli.update_job("price_refresh", JobOverride(enabled=False))
        await cli.update_plugin("premium_target", PluginUpdate(config={"target_pct": 30}))
        await cli.update_job("earnings_alert", JobOverride(interval_minutes=90))

        # The server has not read them yet; its own changes keep them all the same.
        changed = await server.update_job("price_refresh", JobOverride(interval_minutes=10))
        assert (changed.enabled, changed.interval_minutes) == (False, 10)
        await server._plugins.disable("premium_target", "failed: ValueError (at 11:00)")
        await server.update_job("earnings_alert", JobOverride(enabled=False))
    finally:
        await _close(cli_side)
        await _close(server_side)

    later_side = _container(tmp_path, scheduler=False)
    later = await _open(later_side)
    try:
        refresh = await later.get_job("price_refresh")
        assert (refresh.enabled, refresh.interval_minutes) == (False, 10)
        target = await later.get_plugin("premium_target")
        assert (target.enabled, target.reason) == (False, "failed: ValueError (at 11:00)")
        assert target.config == {"target_pct": 30}
        earnings = await later.get_job("earnings_alert")
        assert (earnings.enabled, earnings.interval_minutes) == (False, 90)
    finally:
        await _close(later_side)


async def test_the_running_scheduler_takes_up_what_another_process_stored(
    tmp_path: Path,
) -> None:
    server_side, worker_side = (
        _container(tmp_path, scheduler=True),
        _container(tmp_path, scheduler=False),
    )
    server = await _open(server_side)
    worker = await _open(worker_side)
    try:
        assert {"risk_monitor", "volatility_spike"} <= _scheduled(server)
        jobs = server.status().jobs
        await worker.update_job("risk_monitor", JobOverride(enabled=False))
        await worker.update_plugin("volatility_spike", PluginUpdate(enabled=False))
        await worker.update_plugin("premium_target", PluginUpdate(config={"target_pct": 30}))
        await worker.update_job("daily_snapshot", JobOverride(cron="0 12 * * *"))

        await server.reload()

        assert "risk_monitor" not in _scheduled(server)
        assert "volatility_spike" not in _scheduled(server)
        assert server.status().jobs == jobs - 2
        assert (await server.get_plugin("premium_target")).config == {"target_pct": 30}
        assert server._aps is not None
        when = server._aps.get_job("daily_snapshot").next_run_time.astimezone(ny(2026, 1, 1).tzinfo)
        assert (when.hour, when.minute) == (12, 0)

        await worker.update_job("risk_monitor", JobOverride(enabled=True))
        await server.reload()
        assert "risk_monitor" in _scheduled(server)
    finally:
        await _close(worker_side)
        await _close(server_side)


async def test_the_reload_runs_every_minute_unlisted_and_unrecorded(tmp_path: Path) -> None:
    server_side, worker_side = (
        _container(tmp_path, scheduler=True),
        _container(tmp_path, scheduler=False),
    )
    pauses: asyncio.Queue[tuple[float, asyncio.Event]] = asyncio.Queue()

    async def pause(seconds: float) -> None:  # the loop's wait, stepped by the test
        gate = asyncio.Event()
        if seconds == RELOAD_SECONDS:  # the lease's heartbeat is not this test's: it waits
            await pauses.put((seconds, gate))
        await gate.wait()

    server_side.scheduler()._pause = pause
    server = await _open(server_side)
    worker = await _open(worker_side)
    try:
        seconds, gate = pauses.get_nowait()  # the loop started with the scheduler
        assert seconds == RELOAD_SECONDS == 60
        await worker.update_job("opportunity_scan", JobOverride(enabled=False))
        assert "opportunity_scan" in _scheduled(server)

        gate.set()
        seconds, _ = await pauses.get()  # reloaded; waiting for the next minute

        assert "opportunity_scan" not in _scheduled(server)
        assert [job.name for job in await server.list_jobs()] == server.names
        assert all(name in server.names for name in _scheduled(server))
        assert (await server.list_runs(JobRunQuery())).total == 0
    finally:
        await _close(worker_side)
        await _close(server_side)
    assert server._reloader is None


# --- 3. stopping records the runs it interrupts --------------------------------------------

HANGS = """
import asyncio

from adapters.scheduler import JobSchedule, Plugin


class Hangs(Plugin):
    name = "hangs"
    schedule = JobSchedule(cron="0 3 1 1 *", only_when="always")

    def __init__(self):
        self.started = asyncio.Event()
        self.server_loop = None  # the test's: execute runs in a thread with a loop of its own

    async def execute(self, context):
        self.server_loop.call_soon_threadsafe(self.started.set)
        await asyncio.Event().wait()
"""


async def test_stopping_records_a_run_in_progress_as_interrupted(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "hangs.py").write_text(HANGS)
    container = _container(tmp_path, scheduler=True, plugins=plugins)
    scheduler = await _open(container)
    [hangs] = [item.plugin for item in container.plugin_discovery().loaded]
    hangs.server_loop = asyncio.get_running_loop()
    task = asyncio.create_task(scheduler.run_scheduled("hangs"))  # as APScheduler does
    await hangs.started.wait()

    await _close(container)  # stops the scheduler, then disposes of the engine

    done = task.done()
    if not done:  # pragma: no cover - the failure this test catches
        task.cancel()
    assert done and task.cancelled()
    reader_side = _container(tmp_path, scheduler=False, plugins=plugins)
    reader = await _open(reader_side)
    try:
        [run] = (await reader.list_runs(JobRunQuery(job="hangs"))).items
        assert (run.status, run.error) == ("failure", INTERRUPTED)
        assert run.error == "interrupted: the scheduler stopped"
        assert run.finished_at == NOW
        assert (await reader.get_plugin("hangs")).enabled  # interrupted is not the plugin's fault
    finally:
        await _close(reader_side)


async def test_stopping_a_headless_scheduler_records_a_manual_run_in_progress() -> None:
    harness = build(
        FakeClock(NOW),
        NyseCalendar(),
        discovery=Discovery(loaded=[], failed=[]),
    )
    started = asyncio.Event()

    async def hangs(**_: object) -> None:
        started.set()
        await harness.facade.never.wait()

    harness.facade.take_snapshot = hangs  # type: ignore[assignment,method-assign]
    task = asyncio.create_task(harness.scheduler.run_now("daily_snapshot"))
    await started.wait()
    await harness.scheduler.stop()
    done = task.done()
    if not done:  # pragma: no cover - the failure this test catches
        task.cancel()
    [run] = harness.store.runs
    assert (run.status, run.error) == ("failure", INTERRUPTED)
    assert done
    assert not harness.scheduler._runner.is_running("daily_snapshot")


async def test_a_start_closes_the_runs_a_stopped_process_left_running(tmp_path: Path) -> None:
    writer_side = _container(tmp_path, scheduler=False)
    await _open(writer_side)
    async with writer_side.unit_of_work()() as uow:
        left = await uow.job_runs.add(
            JobRun(
                job="price_refresh",
                trigger="schedule",
                started_at=NOW - timedelta(hours=1),
                status="running",
            )
        )
        done = await uow.job_runs.add(
            JobRun(
                job="risk_monitor",
                trigger="schedule",
                started_at=NOW - timedelta(hours=2),
                finished_at=NOW - timedelta(hours=2),
                status="success",
            )
        )
        await uow.commit()
    await _close(writer_side)

    server_side = _container(tmp_path, scheduler=True)
    server_side.clock().set(NOW + timedelta(minutes=5))  # the new process starts later
    server = await _open(server_side)
    try:
        runs = {run.id: run for run in (await server.list_runs(JobRunQuery())).items}
        assert (runs[left.id].status, runs[left.id].error) == ("failure", ORPHANED)
        assert runs[left.id].error == "interrupted (the process stopped during the run)"
        assert runs[left.id].finished_at == NOW + timedelta(minutes=5)
        assert runs[done.id].status == "success"
    finally:
        await _close(server_side)


async def test_a_start_leaves_a_run_younger_than_the_process_running(tmp_path: Path) -> None:
    server_side = _container(tmp_path, scheduler=True)
    server_side.scheduler()  # the process is born at NOW
    writer_side = _container(tmp_path, scheduler=False)
    await _open(writer_side)
    async with writer_side.unit_of_work()() as uow:
        other = await uow.job_runs.add(
            JobRun(
                job="opportunity_scan",
                trigger="manual",
                started_at=NOW + timedelta(seconds=1),
                status="running",
            )
        )
        await uow.commit()
    try:
        server = await _open(server_side)
        [run] = (await server.list_runs(JobRunQuery(job="opportunity_scan"))).items
        assert (run.id, run.status) == (other.id, "running")
    finally:
        await _close(server_side)
        await _close(writer_side)


def _finished_process() -> str:
    """The owner stamp of a process that has exited (and been reaped) on this host."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}"


def _left_running(harness: Harness, owner: str, minutes_ago: int) -> JobRun:
    started = harness.clock.now() - timedelta(minutes=minutes_ago)
    run = JobRun(job="opportunity_scan", trigger="manual", started_at=started,
                 status="running", owner=owner, id=len(harness.store.runs) + 1)  # fmt: skip
    harness.store.runs.append(run)
    return run


def test_an_owner_is_alive_only_when_this_host_has_its_process() -> None:
    assert is_alive(this_process()) is True
    assert is_alive(_finished_process()) is False
    assert is_alive("another-host.invalid:1") is None  # cannot tell from here
    assert is_alive(f"{socket.gethostname()}:not-a-pid") is None


async def test_every_run_is_stamped_with_the_process_that_ran_it() -> None:
    harness = build(FakeClock(ny(2026, 11, 24, 10, 0)), NyseCalendar())
    await harness.scheduler.run_now("price_refresh")
    [run] = harness.store.runs
    assert run.owner == this_process()


async def test_a_run_whose_process_is_gone_is_closed_at_once() -> None:
    harness = build(FakeClock(ny(2026, 11, 24, 10, 0)), NyseCalendar())
    gone = _left_running(harness, _finished_process(), minutes_ago=1)
    assert await harness.scheduler.close_orphans() == 1
    assert (gone.status, gone.error) == ("failure", ORPHANED)
    assert gone.finished_at == harness.clock.now()


@pytest.mark.parametrize("owner", [this_process(), "another-host.invalid:4242"])
async def test_a_run_of_a_live_or_unknown_process_is_closed_only_after_its_timeout(
    owner: str,
) -> None:
    """The CLI's ``jobs run`` beside a server that restarts: its run goes on, so the new
    scheduler leaves it; past its timeout (and the stop grace) no live runner has it."""
    clock = FakeClock(ny(2026, 11, 24, 10, 0))
    harness = build(clock, NyseCalendar())
    clock.advance(timedelta(minutes=1))  # the run began before this scheduler
    run = _left_running(harness, owner, minutes_ago=2)
    timeout = (await harness.scheduler.get_job("opportunity_scan")).timeout_seconds
    assert await harness.scheduler.close_orphans() == 0
    clock.set(run.started_at + timedelta(seconds=timeout + STOP_GRACE))
    assert await harness.scheduler.close_orphans() == 0
    assert run.status == "running"
    clock.advance(timedelta(seconds=1))
    assert await harness.scheduler.close_orphans() == 1
    assert (run.status, run.error) == ("failure", ORPHANED)


async def test_a_schedule_that_never_fires_is_refused_and_nothing_is_stored() -> None:
    harness = build(FakeClock(ny(2026, 11, 24, 10, 0)), NyseCalendar())
    scheduler = harness.scheduler
    before = await scheduler.get_job("price_refresh")
    with pytest.raises(ValidationError, match=r"^cron: this schedule never fires"):
        await scheduler.update_job("price_refresh", JobOverride(cron="0 0 31 2 *"))
    with pytest.raises(ValidationError, match="never fires while the market is open"):
        await scheduler.update_job("price_refresh", JobOverride(cron="0 20 * * *"))
    assert await scheduler.get_job("price_refresh") == before
    evening = await scheduler.update_job(
        "price_refresh", JobOverride(cron="0 20 * * *", only_when="always")
    )
    assert evening.next_run_at == ny(2026, 11, 24, 20, 0)
    off = await scheduler.update_job(
        "opportunity_scan", JobOverride(enabled=False, cron="0 0 31 2 *")
    )
    assert off.enabled is False, "a disabled job may hold any valid crontab"


async def test_the_run_history_keeps_its_last_days_and_is_pruned_once_a_day() -> None:
    clock = FakeClock(ny(2026, 11, 24, 10, 0))
    harness = build(clock, NyseCalendar(), settings=SchedulerSettings(keep_runs_days=90))
    for days_ago in (200, 91, 89, 1):
        started = clock.now() - timedelta(days=days_ago)
        harness.store.runs.append(
            JobRun(job="price_refresh", trigger="schedule", started_at=started,
                   status="success", finished_at=started, id=len(harness.store.runs) + 1)
        )  # fmt: skip
    assert await harness.scheduler.prune_runs() == 2
    kept = await harness.scheduler.list_runs(JobRunQuery())
    assert [(clock.now() - r.started_at).days for r in kept.items] == [1, 89]
    clock.advance(timedelta(days=2))
    assert await harness.scheduler.prune_runs() == 1, "the next day, the 89-day run is 91"
    assert await harness.scheduler.prune_runs() == 0, "once a day"

    keep_all = build(clock, NyseCalendar(), settings=SchedulerSettings(keep_runs_days=0))
    ancient = clock.now() - timedelta(days=3000)
    keep_all.store.runs.append(
        JobRun(job="price_refresh", trigger="schedule", started_at=ancient,
               status="success", finished_at=ancient, id=1)
    )  # fmt: skip
    assert await keep_all.scheduler.prune_runs() == 0
    assert (await keep_all.scheduler.list_runs(JobRunQuery())).total == 1
