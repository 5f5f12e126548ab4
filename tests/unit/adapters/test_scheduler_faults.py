"""Faults are recorded and contained: a job that raises, a plugin that hangs, a plugin
that fails to import, the market-data provider down — and a month of jobs with faults
injected, whose success rate the test computes."""

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scheduler_harness import NY, FakeJobFacade, Simulation, build, market_down, ny

from adapters.market_data.calendar import NyseCalendar
from adapters.scheduler import Plugin, PluginContext
from adapters.scheduler.discovery import Discovery, LoadedPlugin, discover
from adapters.scheduler.schedules import JobSchedule
from wheel_core.domain.errors import MarketDataError
from wheel_core.testing.fakes import FakeClock


class Hangs(Plugin):
    name = "hangs"
    schedule = JobSchedule(cron="0 11 * * mon-fri", only_when="trading_day")

    def __init__(self) -> None:
        self.failures: list[BaseException] = []

    async def execute(self, context: PluginContext) -> str:
        await asyncio.Event().wait()  # never fires
        return "never"

    async def on_failure(self, context: PluginContext, error: BaseException) -> None:
        self.failures.append(error)


class NeedsMarket(Plugin):
    name = "needs_market"
    schedule = JobSchedule(cron="0 12 * * mon-fri", only_when="trading_day")

    async def execute(self, context: PluginContext) -> str:
        quote = await context.market.get_quote("AAPL")
        return f"AAPL at {quote.price}"


class Raises(Plugin):
    name = "raises"
    schedule = JobSchedule(cron="0 11 * * mon-fri", only_when="trading_day")

    def __init__(self) -> None:
        self.failures: list[BaseException] = []

    async def execute(self, context: PluginContext) -> str:
        raise ValueError("the threshold table is empty")

    async def on_failure(self, context: PluginContext, error: BaseException) -> None:
        self.failures.append(error)


def at(hour: int, minute: int = 0) -> Callable[[datetime], bool]:
    return lambda now: (now.astimezone(NY).hour, now.astimezone(NY).minute) == (hour, minute)


async def test_a_job_that_raises_is_recorded_and_the_others_run_on() -> None:
    clock = FakeClock(ny(2026, 11, 24).astimezone(UTC))
    facade = FakeJobFacade(clock, faults={"refresh_prices": ("raise", market_down)})
    harness = build(clock, NyseCalendar(), facade=facade)
    simulation = Simulation(harness, ny(2026, 11, 24))
    await simulation.run_until(ny(2026, 11, 24, 23, 0))

    assert simulation.count("price_refresh", "failure") == 78
    failed = next(r for r in harness.store.runs if r.job == "price_refresh")
    assert failed.error == "RuntimeError: refresh_prices broke"
    assert failed.finished_at is not None
    assert simulation.count("risk_monitor", "success") == 26
    assert simulation.count("daily_snapshot", "success") == 1
    assert harness.scheduler.is_enabled("price_refresh")  # a core job is never switched off


async def test_the_market_data_provider_down_fails_the_runs_that_need_it() -> None:
    clock = FakeClock(ny(2026, 11, 24).astimezone(UTC))
    facade = FakeJobFacade(
        clock,
        faults={
            "refresh_prices": ("market_down", market_down),
            "monitor_risk": ("market_down", market_down),
        },
    )
    harness = build(
        clock,
        NyseCalendar(),
        facade=facade,
        discovery=_discovered(NeedsMarket()),
    )
    harness.market.fail_with = MarketDataError("quote provider unavailable")
    simulation = Simulation(harness, ny(2026, 11, 24))
    await simulation.run_until(ny(2026, 11, 25, 23, 0))

    refresh = next(r for r in harness.store.runs if r.job == "price_refresh")
    assert refresh.status == "failure"
    assert refresh.error == (
        "price refresh: all 2 failed (AAPL: quote provider unavailable; "
        "MSFT: quote provider unavailable)"
    )
    plugin_runs = [r for r in harness.store.runs if r.job == "needs_market"]
    assert [r.status for r in plugin_runs] == ["failure", "failure"]  # both days: still enabled
    assert plugin_runs[0].error == "quote provider unavailable"
    assert (await harness.scheduler.get_plugin("needs_market")).status == "enabled"
    assert simulation.count("daily_snapshot", "success") == 2  # what needs no quotes runs


async def test_a_plugin_that_raises_is_disabled_with_the_reason_and_the_others_run_on() -> None:
    clock = FakeClock(ny(2026, 11, 24).astimezone(UTC))
    raises = Raises()
    harness = build(clock, NyseCalendar(), discovery=_discovered(raises))
    simulation = Simulation(harness, ny(2026, 11, 24))
    await simulation.run_until(ny(2026, 11, 25, 23, 0))

    [run] = [r for r in harness.store.runs if r.job == "raises"]  # Tuesday only: then off
    assert (run.status, run.trigger) == ("failure", "schedule")
    assert run.error == "ValueError: the threshold table is empty"
    assert run.finished_at == ny(2026, 11, 24, 11, 0)
    assert [str(error) for error in raises.failures] == ["the threshold table is empty"]
    view = await harness.scheduler.get_plugin("raises")
    assert (view.status, view.enabled) == ("disabled", False)
    assert view.reason == (
        "failed: ValueError: the threshold table is empty (at 2026-11-24T16:00:00+00:00)"
    )
    assert not harness.scheduler.is_enabled("raises")
    stored = harness.store.values["plugin.raises"]  # kept off across a restart
    assert '"enabled":false' in stored and "the threshold table is empty" in stored
    assert simulation.count("price_refresh", "success") == 78 + 78
    assert simulation.count("daily_snapshot", "success") == 2


async def test_a_plugin_that_hangs_twice_in_a_row_times_out_and_is_disabled_with_the_reason() -> (
    None
):
    clock = FakeClock(ny(2026, 11, 24).astimezone(UTC))
    hangs = Hangs()
    harness = build(clock, NyseCalendar(), discovery=_discovered(hangs), timeout=0.01)
    simulation = Simulation(harness, ny(2026, 11, 24))
    await simulation.run_until(ny(2026, 11, 24, 11, 0))

    run = harness.store.runs[-1]
    assert (run.job, run.status) == ("hangs", "timeout")
    assert run.error == "did not finish within 0.01 s; cancelled"
    assert isinstance(hangs.failures[0], TimeoutError)  # its on_failure was told
    view = await harness.scheduler.get_plugin("hangs")
    assert (view.status, view.enabled, view.fault) == ("enabled", True, False)  # once: may be slow

    await simulation.run_until(ny(2026, 11, 25, 11, 0))  # twice in a row: the plugin's fault
    assert [r.status for r in harness.store.runs if r.job == "hangs"] == ["timeout", "timeout"]
    view = await harness.scheduler.get_plugin("hangs")
    assert (view.status, view.enabled, view.fault) == ("disabled", False, True)
    assert view.reason == "timed out 2 runs in a row (at 2026-11-25T16:00:00+00:00)"
    assert not harness.scheduler.is_enabled("hangs")

    await simulation.run_until(ny(2026, 11, 27, 23, 0))  # the others go on; it does not
    assert simulation.count("hangs") == 2
    assert simulation.count("price_refresh", "success") == 78 + 78 + 42


async def test_a_plugin_that_fails_to_import_is_listed_as_failed(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import not_a_module_anywhere\n")
    (tmp_path / "works.py").write_text(
        "from adapters.scheduler import Plugin\n\n"
        "class Works(Plugin):\n    name = 'works'\n\n"
        "    async def execute(self, context):\n        return 'fine'\n"
    )
    clock = FakeClock(ny(2026, 11, 24, 10).astimezone(UTC))
    harness = build(clock, NyseCalendar(), discovery=discover(tmp_path))
    broken = await harness.scheduler.get_plugin("broken")
    assert broken.status == "failed"
    assert broken.reason == "ModuleNotFoundError: No module named 'not_a_module_anywhere'"
    assert broken.source == f"file:{tmp_path / 'broken.py'}"
    assert "broken" not in harness.scheduler.names
    run = await harness.scheduler.run_now("works")
    assert (run.status, run.summary) == ("success", "fine")


async def test_a_simulated_month_with_injected_faults(capsys: pytest.CaptureFixture[str]) -> None:
    """November 2026: 20 sessions (Thanksgiving closed, the 27th half a day). Faults: the
    price refresh raises at 12:00 every session, the risk monitor finds the provider down
    on Mondays at 09:30, the opportunity scan hangs on Wednesday the 11th."""
    clock = FakeClock(ny(2026, 11, 1).astimezone(UTC))
    facade = FakeJobFacade(
        clock,
        faults={
            "refresh_prices": ("raise", at(12)),
            "monitor_risk": ("market_down", lambda now: now.weekday() == 0 and at(9, 30)(now)),
            "scan_opportunities": ("hang", lambda now: now.astimezone(NY).day == 11),
        },
    )
    harness = build(clock, NyseCalendar(), facade=facade, timeout=0.01)
    simulation = Simulation(harness, ny(2026, 11, 1))
    await simulation.run_until(ny(2026, 11, 30, 23, 59))

    statuses = Counter(run.status for run in harness.store.runs)
    runs = {job: simulation.count(job) for job in harness.scheduler.names}
    assert runs == {
        "price_refresh": 19 * 78 + 42,
        "risk_monitor": 19 * 26 + 14,
        "daily_snapshot": 20,
        "opportunity_scan": 20,
    }
    assert statuses == {"success": 2072 - 26, "failure": 25, "timeout": 1}
    rate = statuses["success"] / sum(statuses.values())
    with capsys.disabled():
        print(f"\nsimulated month: {sum(statuses.values())} runs, success rate {rate:.2%}")
    assert round(rate * 100, 2) == 98.75


def _discovered(*plugins: object) -> Discovery:
    return Discovery(loaded=[LoadedPlugin(p, "test") for p in plugins], failed=[])
