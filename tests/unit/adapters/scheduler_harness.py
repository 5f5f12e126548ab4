"""What the scheduler tests share: a fake of the facade the jobs call, a light store of
runs and settings, and a simulation that fires jobs at their triggers' own times.

The simulation is the real scheduler's run path (``Scheduler.run_scheduled``) driven by
APScheduler's trigger objects (``get_next_fire_time``) and a fake clock: no sleeping,
no real time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self
from zoneinfo import ZoneInfo

from adapters.scheduler.assembly import build_scheduler
from adapters.scheduler.discovery import Discovery
from adapters.scheduler.lease import InMemoryLease
from adapters.scheduler.scheduler import Scheduler
from adapters.settings import SchedulerSettings
from wheel_core.domain.entities import Alert, JobRun
from wheel_core.domain.enums import RiskLevel
from wheel_core.domain.errors import MarketDataError
from wheel_core.ports import JobRunQuery, MarketCalendar
from wheel_core.testing.fakes import FakeClock, FakeMarketData, RecordingNotifier

NY = ZoneInfo("America/New_York")


def ny(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NY)


# --- a light store: job runs and settings, no copying ---------------------------------


class _Runs:
    def __init__(self, rows: list[JobRun]) -> None:
        self.rows = rows

    async def add(self, run: JobRun) -> JobRun:
        run.id = len(self.rows) + 1
        self.rows.append(run)
        return run

    async def update(self, run: JobRun) -> None:
        assert run.id is not None
        self.rows[run.id - 1] = run

    async def list(self, *, job: str | None = None, limit: int = 100) -> list[JobRun]:
        found = [r for r in reversed(self.rows) if job is None or r.job == job]
        return found[:limit]

    async def delete_finished_before(self, at: datetime) -> int:
        """Deleted runs become ``None`` in place, so ids stay list positions."""
        old = [
            i for i, r in enumerate(self.rows)
            if r is not None and r.started_at < at and r.status != "running"
        ]  # fmt: skip
        for i in old:
            self.rows[i] = None  # type: ignore[call-overload]
        return len(old)

    def _matching(self, query: JobRunQuery) -> list[JobRun]:
        return [
            r
            for r in reversed(self.rows)
            if r is not None
            and (query.job is None or r.job == query.job)
            and (query.status is None or r.status == query.status)
            and (query.day_from is None or r.started_at.date() >= query.day_from)
            and (query.day_to is None or r.started_at.date() <= query.day_to)
        ]

    async def search(self, query: JobRunQuery) -> list[JobRun]:
        found = self._matching(query)[query.offset :]
        return found if query.limit is None else found[: query.limit]

    async def count(self, query: JobRunQuery) -> int:
        return len(self._matching(query))


class _Settings:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    async def get(self, key: str) -> str | None:
        return self.values.get(key)

    async def set(self, key: str, value: str) -> None:
        self.values[key] = value

    async def all(self) -> dict[str, str]:
        return dict(self.values)


class LightStore:
    """Runs and settings for the scheduler, committed at once (the run path commits every
    write; what it stores is what this keeps)."""

    def __init__(self) -> None:
        self.runs: list[JobRun] = []
        self.values: dict[str, str] = {}

    def __call__(self, *, read_only: bool = False) -> Self:
        return self

    async def __aenter__(self) -> Self:
        self.job_runs = _Runs(self.runs)
        self.settings = _Settings(self.values)
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    async def commit(self) -> None:
        return None


# --- a fake of what the jobs call ------------------------------------------------------


@dataclass
class Refresh:
    symbols: list[str]
    refreshed: int
    failures: list[Any]
    as_of: datetime | None = None


@dataclass
class Scan:
    checked: int
    alerts: list[Alert]
    failures: list[Any]


@dataclass
class SnapshotRun:
    day: date
    snapshots: list[str]
    failures: list[Any]


@dataclass
class OpportunityScan:
    found: list[str]
    updated: int
    failures: list[Any]


@dataclass
class Failure:
    symbol: str
    error: str


@dataclass
class FakeJobFacade:
    """The use cases the jobs call, scripted by the test.

    ``conditions`` are (from, key, message): from that time the risk monitor finds the
    condition; an alert is raised once per key. ``faults`` maps a method name to a
    predicate of the time: when true, the call raises (``"raise"``), reports every symbol
    failed (``"market_down"``) or hangs (``"hang"``) as the fault's kind says.
    """

    clock: FakeClock
    symbols: list[str] = field(default_factory=lambda: ["AAPL", "MSFT"])
    conditions: list[tuple[datetime, str, str]] = field(default_factory=list)
    faults: dict[str, tuple[str, Callable[[datetime], bool]]] = field(default_factory=dict)
    alerts: dict[str, Alert] = field(default_factory=dict)
    snapshots: dict[date, int] = field(default_factory=dict)
    calls: list[tuple[str, datetime]] = field(default_factory=list)
    never: asyncio.Event = field(default_factory=asyncio.Event)
    notifier: RecordingNotifier | None = None
    """Where new alerts go, as ``WheelService`` delivers each alert it stores."""

    async def _deliver(self, alert: Alert) -> None:
        if self.notifier is not None:
            await self.notifier.notify(alert)

    async def _enter(self, name: str) -> bool:
        """Record the call; True when the use case should report a market outage."""
        now = self.clock.now()
        self.calls.append((name, now))
        kind, when = self.faults.get(name, ("", lambda _: False))
        if not when(now):
            return False
        if kind == "raise":
            raise RuntimeError(f"{name} broke")
        if kind == "hang":
            await self.never.wait()
        return kind == "market_down"

    def _down(self) -> list[Failure]:
        return [Failure(s, "quote provider unavailable") for s in self.symbols]

    async def refresh_prices(self) -> Refresh:
        if await self._enter("refresh_prices"):
            return Refresh(self.symbols, 0, self._down())
        return Refresh(self.symbols, len(self.symbols), [])

    async def monitor_risk(self) -> Scan:
        if await self._enter("monitor_risk"):
            return Scan(0, [], self._down())
        new = []
        for since, key, message in self.conditions:
            if self.clock.now() >= since and key not in self.alerts:
                alert = Alert(
                    kind="risk",
                    key=key,
                    message=message,
                    level=RiskLevel.HIGH,
                    created_at=self.clock.now(),
                    id=len(self.alerts) + 1,
                )
                self.alerts[key] = alert
                new.append(alert)
                await self._deliver(alert)
        return Scan(len(self.symbols), new, [])

    async def take_snapshot(self, *, portfolio_id: int | None = None) -> SnapshotRun:
        await self._enter("take_snapshot")
        day = self.clock.now().astimezone(NY).date()
        self.snapshots[day] = len(self.symbols)  # a second run the same day replaces
        return SnapshotRun(day, list(self.symbols), [])

    async def scan_opportunities(self) -> OpportunityScan:
        if await self._enter("scan_opportunities"):
            return OpportunityScan([], 0, self._down())
        return OpportunityScan(["AAPL 180P"], 1, [])

    async def raise_alert(self, command: Any) -> Alert | None:
        if command.key in self.alerts:
            return None
        alert = Alert(
            kind=command.kind,
            key=command.key,
            message=command.message,
            level=command.level,
            created_at=self.clock.now(),
            wheel_id=command.wheel_id,
            trade_id=command.trade_id,
            id=len(self.alerts) + 1,
        )
        self.alerts[command.key] = alert
        await self._deliver(alert)
        return alert

    async def list_wheels(self, **_: Any) -> list[Any]:
        return []


@dataclass
class Harness:
    scheduler: Scheduler
    clock: FakeClock
    facade: FakeJobFacade
    store: LightStore
    notifier: RecordingNotifier
    market: FakeMarketData
    calendar: list[MarketCalendar]
    """One slot: replace ``calendar[0]`` to change the calendar under a running scheduler."""


def build(
    clock: FakeClock,
    calendar: MarketCalendar,
    *,
    facade: FakeJobFacade | None = None,
    discovery: Discovery | None = None,
    settings: SchedulerSettings | None = None,
    timeout: float | None = None,
) -> Harness:
    notifier = RecordingNotifier()
    facade = facade or FakeJobFacade(clock)
    if isinstance(facade, FakeJobFacade) and facade.notifier is None:
        facade.notifier = notifier  # the service delivers the alerts it stores
    store = LightStore()
    market = FakeMarketData()
    slot = [calendar]
    scheduler = build_scheduler(
        settings=settings or SchedulerSettings(),
        enabled=True,
        unit_of_work=store,
        clock=clock,
        calendar=lambda: slot[0],
        service=lambda: facade,
        market=lambda: market,
        notifier=lambda: notifier,
        discovery=discovery or Discovery(loaded=[], failed=[]),
        lease=InMemoryLease(),
    )
    if timeout is not None:
        scheduler._runner._default_timeout = timeout  # a tiny timeout: hangs end at once
    return Harness(scheduler, clock, facade, store, notifier, market, slot)


class Simulation:
    """Fires every enabled job at its trigger's times, in time order, on the fake clock."""

    def __init__(self, harness: Harness, start: datetime) -> None:
        self.harness = harness
        self.fired: list[tuple[datetime, str, str]] = []
        harness.clock.set(start.astimezone(UTC))
        self._next: dict[str, datetime | None] = {}
        for name in harness.scheduler.names:
            self._schedule(name, None, start)

    def _schedule(self, name: str, previous: datetime | None, now: datetime) -> None:
        scheduler = self.harness.scheduler
        if not scheduler.is_enabled(name):
            self._next[name] = None
            return
        self._next[name] = scheduler.trigger(name).get_next_fire_time(previous, now)

    async def run_until(self, end: datetime) -> None:
        order = self.harness.scheduler.names
        while True:
            due = [(when, order.index(n), n) for n, when in self._next.items() if when]
            if not due:
                break
            when, _, name = min(due)
            if when > end:
                break
            self.harness.clock.set(when.astimezone(UTC))
            run = await self.harness.scheduler.run_scheduled(name)
            self.fired.append((when, name, "dropped" if run is None else run.status))
            self._schedule(name, when, when)
        self.harness.clock.set(end.astimezone(UTC))

    def count(self, name: str, status: str | None = None, day: date | None = None) -> int:
        return sum(
            1
            for when, job, outcome in self.fired
            if job == name
            and (status is None or outcome == status)
            and (day is None or when.astimezone(NY).date() == day)
        )

    def times(self, name: str, day: date) -> list[str]:
        return [
            when.astimezone(NY).strftime("%H:%M")
            for when, job, _ in self.fired
            if job == name and when.astimezone(NY).date() == day
        ]


def market_down(_: datetime) -> bool:
    return True


def raising_market(error: str = "provider down") -> MarketDataError:
    return MarketDataError(error)
