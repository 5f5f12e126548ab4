"""Thanksgiving week 2026 on a fake clock: Thu 11-26 closed, Fri 11-27 closes at 13:00 ET.

Exactly which jobs ran when, which were skipped, and what snapshots and alerts exist
afterwards — the fire times come from APScheduler's own triggers, the runs from the
path the real scheduler calls.
"""

from datetime import UTC, date
from decimal import Decimal as D

from scheduler_harness import NY, FakeJobFacade, Simulation, build, ny

from adapters.market_data.calendar import NyseCalendar
from wheel_core.app import OpenWheel, RecordTrade, WheelService
from wheel_core.domain.enums import OptionType, RiskLevel
from wheel_core.ports import SnapshotQuery
from wheel_core.testing.fakes import (
    FakeClock,
    FakeMarketData,
    InMemoryUnitOfWorkFactory,
    RecordingNotifier,
)

MON, TUE, WED, THU, FRI = (date(2026, 11, d) for d in range(23, 28))
SAT, SUN = date(2026, 11, 28), date(2026, 11, 29)


def five_minutes(start: str, end: str, step: int) -> list[str]:
    h, m = map(int, start.split(":"))
    eh, em = map(int, end.split(":"))
    out = []
    while (h, m) <= (eh, em):
        out.append(f"{h:02d}:{m:02d}")
        m += step
        h, m = h + m // 60, m % 60
    return out


async def test_thanksgiving_week_runs_exactly_the_trading_hours() -> None:
    clock = FakeClock(ny(2026, 11, 23).astimezone(UTC))
    facade = FakeJobFacade(
        clock,
        conditions=[
            (ny(2026, 11, 24, 10, 50), "itm:trade:1", "AAPL 180 put is in the money"),
            (ny(2026, 11, 27, 10, 0), "expiry:trade:1", "AAPL 180 put expires in 1 day"),
        ],
    )
    harness = build(clock, NyseCalendar(), facade=facade)
    simulation = Simulation(harness, ny(2026, 11, 23))
    await simulation.run_until(ny(2026, 11, 29, 23, 59))

    full_day, half_day = five_minutes("09:30", "15:55", 5), five_minutes("09:30", "12:55", 5)
    for day in (MON, TUE, WED):
        assert simulation.times("price_refresh", day) == full_day
        assert simulation.times("risk_monitor", day) == five_minutes("09:30", "15:45", 15)
        assert simulation.times("daily_snapshot", day) == ["16:30"]
        assert simulation.times("opportunity_scan", day) == ["09:45"]
    for day in (THU, SAT, SUN):  # the holiday and the weekend: nothing at all
        assert all(not simulation.times(job, day) for job in harness.scheduler.names)
    assert simulation.times("price_refresh", FRI) == half_day  # the early close at 13:00
    assert simulation.times("risk_monitor", FRI) == five_minutes("09:30", "12:45", 15)
    assert simulation.times("daily_snapshot", FRI) == ["16:30"]
    assert simulation.times("opportunity_scan", FRI) == ["09:45"]

    assert simulation.count("price_refresh") == 3 * 78 + 42 == 276
    assert simulation.count("risk_monitor") == 3 * 26 + 14 == 92
    assert {status for _, _, status in simulation.fired} == {"success"}
    assert len(harness.store.runs) == 276 + 92 + 4 + 4

    assert sorted(facade.snapshots) == [MON, TUE, WED, FRI]
    sent = [(alert.key, alert.created_at) for alert in harness.notifier.sent]
    assert sent == [
        ("itm:trade:1", ny(2026, 11, 24, 11, 0)),  # the first risk run after 10:50
        ("expiry:trade:1", ny(2026, 11, 27, 10, 0)),
    ]
    alerting = [
        run.started_at
        for run in harness.store.runs
        if run.job == "risk_monitor" and "1 new alert" in (run.summary or "")
    ]
    assert alerting == [ny(2026, 11, 24, 11, 0), ny(2026, 11, 27, 10, 0)]  # once each


async def test_a_closure_announced_at_short_notice_skips_the_runs_already_due() -> None:
    """Wednesday closes after Tuesday's triggers computed their next times: Wednesday's
    first run of each job is recorded as skipped_market_closed, then nothing until Friday."""
    clock = FakeClock(ny(2026, 11, 24).astimezone(UTC))
    harness = build(clock, NyseCalendar())
    simulation = Simulation(harness, ny(2026, 11, 24))
    await simulation.run_until(ny(2026, 11, 24, 20, 0))
    harness.calendar[0] = NyseCalendar(extra_closed_days=[WED])
    await simulation.run_until(ny(2026, 11, 27, 23, 0))

    skipped = [
        (when.astimezone(NY).strftime("%a %H:%M"), job)
        for when, job, status in simulation.fired
        if status == "skipped_market_closed"
    ]
    assert skipped == [
        ("Wed 09:30", "price_refresh"),
        ("Wed 09:30", "risk_monitor"),
        ("Wed 09:45", "opportunity_scan"),
        ("Wed 16:30", "daily_snapshot"),
    ]
    assert simulation.count("price_refresh", "success", WED) == 0
    assert simulation.count("price_refresh", "success", FRI) == 42
    runs = [r for r in harness.store.runs if r.status == "skipped_market_closed"]
    assert all(r.finished_at == r.started_at and "market closed" in (r.summary or "") for r in runs)
    assert WED not in harness.facade.snapshots


async def test_the_week_on_the_real_service_leaves_four_snapshots_and_two_alerts() -> None:
    """The same week through the real ``WheelService`` (in-memory store, fake market): an
    AAPL put at 180 that goes in the money on Tuesday at 10:50. Afterwards the store holds
    one snapshot per trading day — none for Thanksgiving, one for the half day — and the
    two alerts of the condition, each raised once though the monitor ran 92 times."""
    clock = FakeClock(ny(2026, 11, 20, 12).astimezone(UTC))
    calendar = NyseCalendar()
    market = FakeMarketData()
    market.set_price("AAPL", "200", clock.now())
    notifier = RecordingNotifier()
    service = WheelService(
        InMemoryUnitOfWorkFactory(), clock, market=market, calendar=calendar, notifier=notifier
    )
    wheel = await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(20000)))
    put = RecordTrade(
        option_type=OptionType.PUT, strike=D(180), expiration=date(2026, 12, 4), premium=D(2)
    )
    trade = await service.record_trade(wheel.id, put)
    harness = build(clock, calendar, facade=service)  # type: ignore[arg-type]
    simulation = Simulation(harness, ny(2026, 11, 23))
    await simulation.run_until(ny(2026, 11, 24, 10, 50))
    market.set_price("AAPL", "170", clock.now())
    await simulation.run_until(ny(2026, 11, 29, 23, 59))

    assert {status for _, _, status in simulation.fired} == {"success"}
    assert simulation.count("risk_monitor") == 92
    snapshots = (await service.list_snapshots(SnapshotQuery())).items
    assert sorted((s.day, s.wheel_id) for s in snapshots) == [
        (day, wheel.id) for day in (MON, TUE, WED, FRI)
    ]
    alerts = (await service.list_alerts()).items
    assert sorted((a.key, a.level, a.created_at) for a in alerts) == [
        (f"itm:trade:{trade.id}", RiskLevel.HIGH, ny(2026, 11, 24, 11, 0)),
        (f"risk:high:trade:{trade.id}", RiskLevel.HIGH, ny(2026, 11, 24, 11, 0)),
    ]
    assert sorted(a.key for a in notifier.sent) == sorted(a.key for a in alerts), "each once"
