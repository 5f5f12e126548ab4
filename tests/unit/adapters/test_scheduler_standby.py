"""Two schedulers, one lease: exactly one runs the jobs, the other stands by and takes
over when the leader's lease lapses — on the fake clock, every heartbeat driven by the
test (the schedulers' own beat loops wait forever).

Both schedulers are started for real (APScheduler on the loop) over one store of runs
and settings and one lease, as two processes on one database would be; no job fires
by itself during a test (the nearest is minutes of real time away).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from scheduler_harness import FakeJobFacade, LightStore

from adapters.scheduler.assembly import build_scheduler
from adapters.scheduler.discovery import Discovery
from adapters.scheduler.lease import InMemoryLease, LeaseView
from adapters.scheduler.scheduler import Scheduler
from adapters.settings import SchedulerSettings
from wheel_core.testing.fakes import (
    FakeClock,
    FakeMarketCalendar,
    FakeMarketData,
    RecordingNotifier,
)

OPEN = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
"""Monday 10:00 in New York: the market is open, every job may run."""
TTL = timedelta(seconds=30)
CORE = {"daily_snapshot", "opportunity_scan", "price_refresh", "risk_monitor"}


async def _forever(_: float) -> None:
    await asyncio.Event().wait()


class UnreachableLease(InMemoryLease):
    """The lease's database down: every beat fails (``broken`` switches it)."""

    broken = False

    async def acquire_or_renew(self, holder: str, now: datetime, ttl: timedelta) -> LeaseView:
        if self.broken:
            raise ConnectionError("database down")
        return await super().acquire_or_renew(holder, now, ttl)


@dataclass
class Pair:
    a: Scheduler
    b: Scheduler
    clock: FakeClock
    lease: UnreachableLease
    store: LightStore
    facade: FakeJobFacade

    def beat_interval(self) -> timedelta:
        return TTL / 3


def _scheduler(
    clock: FakeClock, store: LightStore, facade: FakeJobFacade, lease: InMemoryLease
) -> Scheduler:
    calendar = FakeMarketCalendar()
    market, notifier = FakeMarketData(), RecordingNotifier()
    scheduler = build_scheduler(
        settings=SchedulerSettings(lease_seconds=int(TTL.total_seconds())),
        enabled=True,
        unit_of_work=store,
        clock=clock,
        calendar=lambda: calendar,
        service=lambda: facade,
        market=lambda: market,
        notifier=lambda: notifier,
        discovery=Discovery(loaded=[], failed=[]),
        lease=lease,
    )
    scheduler._pause = _forever  # the test beats
    return scheduler


@pytest.fixture
async def pair() -> AsyncIterator[Pair]:
    clock, store, lease = FakeClock(OPEN), LightStore(), UnreachableLease()
    facade = FakeJobFacade(clock)
    a = _scheduler(clock, store, facade, lease)
    b = _scheduler(clock, store, facade, lease)
    await a.start()
    await b.start()
    try:
        yield Pair(a, b, clock, lease, store, facade)
    finally:
        await a.stop()
        await b.stop()


def _scheduled(scheduler: Scheduler) -> set[str]:
    assert scheduler._aps is not None
    return {job.id for job in scheduler._aps.get_jobs()}


async def test_the_first_to_start_leads_the_second_stands_by_and_both_say_who_leads(
    pair: Pair,
) -> None:
    a, b = pair.a.status(), pair.b.status()
    assert (a.status, a.role, a.jobs) == ("running", "leader", 4)
    assert (b.status, b.role, b.jobs) == ("standby", "standby", 0)
    assert a.leader == b.leader == pair.a.identity != pair.b.identity
    assert a.lease_expires_at == b.lease_expires_at == OPEN + TTL
    assert _scheduled(pair.a) == CORE
    assert _scheduled(pair.b) == set(), "a standby holds no job in APScheduler"
    assert pair.b.beat_seconds == 10.0, "a beat every third of the lease"


async def test_a_standby_never_runs_a_scheduled_job(pair: Pair) -> None:
    """Even when APScheduler calls it (a job it held when it led, firing late)."""
    for name in sorted(CORE):
        assert await pair.b.run_scheduled(name) is None
    assert pair.store.runs == [] and pair.facade.calls == []
    run = await pair.a.run_scheduled("price_refresh")
    assert run is not None and run.status == "success"
    assert [(r.job, r.trigger) for r in pair.store.runs] == [("price_refresh", "schedule")]


async def test_the_leader_renews_on_its_heartbeat_and_leads_for_as_long_as_it_beats(
    pair: Pair,
) -> None:
    for _ in range(12):  # four lease lifetimes
        pair.clock.advance(pair.beat_interval())
        assert await pair.b.heartbeat() is False
        assert await pair.a.heartbeat() is True
    assert pair.a.status().lease_expires_at == pair.clock.now() + TTL
    assert pair.lease.view.acquired_at == OPEN, "one leader all along"


async def test_when_the_leader_stops_beating_the_standby_takes_over_once_the_lease_lapses(
    pair: Pair,
) -> None:
    """The leader hangs (kill -STOP, a blocked loop): it beats no more."""
    pair.clock.set(OPEN + TTL - timedelta(microseconds=1))
    assert await pair.b.heartbeat() is False, "not a moment before the lease lapses"
    pair.clock.set(OPEN + TTL)
    assert await pair.b.heartbeat() is True
    assert pair.b.status().role == "leader" and _scheduled(pair.b) == CORE

    assert await pair.a.run_scheduled("price_refresh") is None, (
        "the old leader, waking up, starts nothing: its lease ran out by its own clock"
    )
    assert await pair.a.heartbeat() is False
    a = pair.a.status()
    assert (a.role, a.leader, _scheduled(pair.a)) == ("standby", pair.b.identity, set())
    assert pair.store.runs == []


async def test_a_leader_that_cannot_renew_steps_down_when_its_lease_runs_out(pair: Pair) -> None:
    pair.lease.broken = True
    pair.clock.advance(pair.beat_interval())
    assert await pair.a.heartbeat() is True, "one failed beat: the lease still runs"
    assert _scheduled(pair.a) == CORE
    pair.clock.set(OPEN + TTL)
    assert await pair.a.heartbeat() is False
    assert pair.a.status().role == "standby" and _scheduled(pair.a) == set()
    assert await pair.a.run_scheduled("risk_monitor") is None
    pair.lease.broken = False
    assert await pair.b.heartbeat() is True, "the standby takes the lapsed lease"
    assert await pair.a.heartbeat() is False, "and the old leader stays standby"


async def test_a_leader_that_stops_releases_the_lease_and_the_standby_leads_at_its_next_beat(
    pair: Pair,
) -> None:
    await pair.a.stop()
    assert pair.a.status().role is None
    pair.clock.advance(pair.beat_interval())
    assert await pair.b.heartbeat() is True, "a third of the lease later, not a whole one"
    assert pair.b.status().leader == pair.b.identity


async def test_a_manual_run_on_the_standby_runs_there_and_is_recorded_once(pair: Pair) -> None:
    run = await pair.b.run_now("daily_snapshot")
    assert (run.job, run.trigger, run.status) == ("daily_snapshot", "manual", "success")
    assert [(r.job, r.trigger) for r in pair.store.runs] == [("daily_snapshot", "manual")]
    assert [name for name, _ in pair.facade.calls] == ["take_snapshot"]


async def test_a_scheduler_that_is_not_started_never_takes_the_lease() -> None:
    """A server with ``server.scheduler: false`` loads its scheduler, never starts it."""
    clock, store, lease = FakeClock(OPEN), LightStore(), UnreachableLease()
    scheduler = _scheduler(clock, store, FakeJobFacade(clock), lease)
    await scheduler.load()
    await scheduler.run_now("price_refresh")
    assert lease.view == LeaseView()
    await lease.acquire_or_renew("elsewhere:1:beef", OPEN, TTL)
    status = await scheduler.current_status()
    assert (status.role, status.leader) == (None, "elsewhere:1:beef"), "it still says who leads"
