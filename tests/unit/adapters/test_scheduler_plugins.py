"""Plugins: found in a directory and through an entry point, configured and validated,
and the three built-ins doing their job on fake market data."""

import sys
from datetime import UTC, date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from scheduler_harness import build, ny

from adapters.market_data.calendar import NyseCalendar
from adapters.scheduler.assembly import discover_plugins
from adapters.scheduler.discovery import discover
from adapters.scheduler.plugin_host import validated_config
from adapters.scheduler.views import PluginUpdate
from adapters.settings import SchedulerSettings
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import ValidationError
from wheel_core.market import CorporateEvents, OptionChain, OptionQuote
from wheel_core.testing.fakes import FakeClock

PROJECT_PLUGINS = Path(__file__).parents[3] / "plugins"

PLUGIN_FILE = """
from adapters.scheduler import Plugin


class FromFile(Plugin):
    name = "from_file"
    version = "2.0.0"

    async def execute(self, context):
        return "file plugin ran"
"""


@pytest.fixture
def entry_point_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A tiny installed distribution: a module and a dist-info whose entry_points.txt
    names it in the wheel_strategy.plugins group, on a temporary sys.path entry."""
    site = tmp_path / "site"
    (site / "ep_plugin").mkdir(parents=True)
    (site / "ep_plugin" / "__init__.py").write_text(
        "from adapters.scheduler import Plugin\n\n"
        "class FromEntryPoint(Plugin):\n"
        "    name = 'from_entry_point'\n    version = '1.2.3'\n\n"
        "    async def execute(self, context):\n        return 'entry point plugin ran'\n"
    )
    info = site / "ep_plugin-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ep-plugin\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(
        "[wheel_strategy.plugins]\nfrom_entry_point = ep_plugin:FromEntryPoint\n"
    )
    monkeypatch.syspath_prepend(str(site))
    yield "from_entry_point"
    sys.modules.pop("ep_plugin", None)


async def test_plugins_load_from_a_directory_and_an_entry_point(
    tmp_path: Path, entry_point_package: str
) -> None:
    directory = tmp_path / "plugins"
    directory.mkdir()
    (directory / "from_file.py").write_text(PLUGIN_FILE)
    (directory / "_private.py").write_text("raise SystemExit('never imported')\n")
    found = discover(directory)
    sources = {item.plugin.name: item.source for item in found.loaded}
    assert sources["from_file"] == f"file:{directory / 'from_file.py'}"
    assert sources[entry_point_package] == (
        "entry_point:from_entry_point = ep_plugin:FromEntryPoint"
    )
    assert found.failed == []

    clock = FakeClock(ny(2026, 11, 24, 10).astimezone(UTC))
    harness = build(clock, NyseCalendar(), discovery=found)
    assert (await harness.scheduler.run_now("from_file")).summary == "file plugin ran"
    assert (await harness.scheduler.run_now("from_entry_point")).summary == (
        "entry point plugin ran"
    )
    assert (await harness.scheduler.get_plugin("from_entry_point")).version == "1.2.3"


def test_a_plugin_may_not_take_a_core_job_s_name_or_another_s(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(PLUGIN_FILE.replace('"from_file"', '"price_refresh"'))
    (tmp_path / "b.py").write_text(PLUGIN_FILE)
    (tmp_path / "c.py").write_text(PLUGIN_FILE.replace("FromFile", "Again"))
    found = discover_plugins(SchedulerSettings(plugins_dir=str(tmp_path)))
    assert [item.plugin.name for item in found.loaded] == ["from_file"]
    assert sorted(f.error for f in found.failed) == [
        "name 'from_file' is taken by another plugin",
        "name 'price_refresh' is taken by a core job",
    ]


def test_the_project_ships_three_builtin_plugins() -> None:
    found = discover(PROJECT_PLUGINS, group="none")
    assert sorted(item.plugin.name for item in found.loaded) == [
        "earnings_alert",
        "premium_target",
        "volatility_spike",
    ]


def test_config_is_validated_naming_the_field() -> None:
    found = discover(PROJECT_PLUGINS, group="none")
    schema = next(i.plugin for i in found.loaded if i.plugin.name == "premium_target").config_schema
    assert validated_config(schema, {"target_pct": 30}).target_pct == Decimal(30)
    with pytest.raises(ValidationError, match=r"^config\.target_pct: Invalid decimal"):
        validated_config(schema, {"target_pct": "lots"})
    with pytest.raises(ValidationError, match=r"^config\.target_pct: target_pct must be above 0"):
        validated_config(schema, {"target_pct": 150})
    with pytest.raises(ValidationError, match=r"^config\.colour: unknown field"):
        validated_config(schema, {"colour": "red"})


def _wheel(option_type: OptionType = OptionType.PUT) -> SimpleNamespace:
    trade = SimpleNamespace(
        id=7,
        option_type=option_type,
        strike=Decimal(180),
        expiration=date(2026, 12, 18),
        premium=Decimal("2.00"),
    )
    return SimpleNamespace(id=3, symbol="AAPL", open_trade=trade)


async def _builtins_harness(wheels: list[SimpleNamespace]):
    clock = FakeClock(ny(2026, 11, 24, 10).astimezone(UTC))
    harness = build(clock, NyseCalendar(), discovery=discover(PROJECT_PLUGINS, group="none"))

    async def list_wheels(**_: object) -> list[SimpleNamespace]:
        return wheels

    harness.facade.list_wheels = list_wheels  # type: ignore[method-assign]
    await harness.scheduler.load()
    return harness


async def test_earnings_before_expiry_is_alerted_once() -> None:
    harness = await _builtins_harness([_wheel()])
    harness.market.events["AAPL"] = CorporateEvents(
        symbol="AAPL", earnings=(date(2026, 12, 3), date(2027, 1, 28))
    )
    first = await harness.scheduler.run_now("earnings_alert")
    again = await harness.scheduler.run_now("earnings_alert")
    assert first.summary == "checked 1 open options, 1 new alerts"
    assert again.summary == "checked 1 open options, 0 new alerts"
    [alert] = harness.notifier.sent
    assert alert.key == "earnings:trade:7:earnings:2026-12-03"
    assert alert.message == "AAPL: earnings on 2026-12-03, before the 180 put expiring 2026-12-18"


async def test_premium_target_alerts_when_the_mid_is_cheap_enough() -> None:
    harness = await _builtins_harness([_wheel()])
    now = harness.clock.now()

    def chain(bid: str, ask: str) -> OptionChain:
        quote = OptionQuote(
            option_type=OptionType.PUT,
            strike=Decimal(180),
            expiration=date(2026, 12, 18),
            bid=Decimal(bid),
            ask=Decimal(ask),
        )
        return OptionChain(
            symbol="AAPL", underlying_price=Decimal(200), as_of=now, options=(quote,)
        )

    harness.market.chains["AAPL"] = chain("1.10", "1.30")  # mid 1.20 = 60 % of 2.00
    assert (await harness.scheduler.run_now("premium_target")).summary == (
        "checked 1 open options, 0 at target"
    )
    harness.market.chains["AAPL"] = chain("0.90", "1.00")  # mid 0.95 = 47.5 %
    assert (await harness.scheduler.run_now("premium_target")).summary == (
        "checked 1 open options, 1 at target"
    )
    assert harness.notifier.sent[0].message == (
        "AAPL 180 put 2026-12-18: buy back at 0.95, 47.5% of the 2.00 premium (target 50%)"
    )
    await harness.scheduler.update_plugin("premium_target", PluginUpdate(config={"target_pct": 40}))
    assert (await harness.scheduler.get_plugin("premium_target")).config == {
        "target_pct": Decimal(40)
    }


async def test_volatility_spike_compares_recent_realized_vol_with_the_weeks_before() -> None:
    from wheel_core.market import PriceBar

    harness = await _builtins_harness([_wheel()])
    now = harness.clock.now()
    calm = [Decimal(100) + Decimal(i % 2) / 10 for i in range(21)]  # ±0.1 a day
    wild = [Decimal(100) + Decimal(i % 2) * 5 for i in range(20)]  # ±5 a day
    days = [date(2026, 10, 1) + (date(2026, 10, 2) - date(2026, 10, 1)) * i for i in range(41)]
    harness.market.history["AAPL"] = [
        PriceBar(day=d, close=c) for d, c in zip(days, calm + wild, strict=True)
    ]
    harness.market.chains["AAPL"] = OptionChain(
        symbol="AAPL", underlying_price=Decimal(100), as_of=now
    )
    run = await harness.scheduler.run_now("volatility_spike")
    assert run.summary == "checked 1 symbols, 1 spikes"
    assert harness.notifier.sent[0].key == "volatility_spike:AAPL:2026-11-24"


async def test_the_guide_s_example_plugin_loads_and_runs(tmp_path: Path) -> None:
    import re

    from wheel_core.market import PriceBar

    guide = (Path(__file__).parents[3] / "docs" / "plugins.md").read_text()
    example = re.search(r"```python\n(.*?)```", guide, re.S)
    assert example is not None
    (tmp_path / "big_move.py").write_text(example.group(1))
    clock = FakeClock(ny(2026, 11, 24, 10).astimezone(UTC))
    harness = build(clock, NyseCalendar(), discovery=discover(tmp_path, group="none"))
    harness.market.set_price("AAPL", "106", clock.now())
    harness.market.history["AAPL"] = [PriceBar(day=date(2026, 11, 23), close=Decimal(100))]
    await harness.scheduler.update_plugin("big_move", PluginUpdate(config={"symbols": ["AAPL"]}))
    run = await harness.scheduler.run_now("big_move")
    assert run.summary == "1 symbols, 1 big moves"
    assert harness.notifier.sent[0].message == "AAPL moved +6.0% to 106"


# --- the plugin host's "for each open option: fetch, count failures" loop ----------------


async def _fetched(fetches: object) -> list[object]:
    return [pair async for pair in fetches]  # type: ignore[attr-defined]


async def test_fetch_each_skips_and_counts_items_without_market_data() -> None:
    from adapters.scheduler.plugins import MarketFetches
    from wheel_core.domain.errors import MarketDataError

    async def fetch(symbol: str) -> str:
        if symbol == "BAD":
            raise MarketDataError(f"no data for {symbol}")
        return symbol.lower()

    fetches = MarketFetches(["AAPL", "BAD", "MSFT"], fetch)
    assert await _fetched(fetches) == [("AAPL", "aapl"), ("MSFT", "msft")]
    assert fetches.failed == 1
    assert [str(e) for e in fetches.errors] == ["no data for BAD"]


async def test_fetch_each_raises_the_first_error_when_every_item_failed() -> None:
    from adapters.scheduler.plugins import MarketFetches
    from wheel_core.domain.errors import MarketDataError

    async def fetch(symbol: str) -> str:
        raise MarketDataError(f"down for {symbol}")

    with pytest.raises(MarketDataError, match="down for AAPL"):
        await _fetched(MarketFetches(["AAPL", "MSFT"], fetch))
    assert await _fetched(MarketFetches([], fetch)) == []  # nothing to fetch: no failure


async def test_earnings_alert_counts_open_options_without_data_and_fails_when_all_do() -> None:
    from wheel_core.domain.errors import MarketDataError

    other = SimpleNamespace(id=4, symbol="ZZZZ", open_trade=_wheel().open_trade)
    harness = await _builtins_harness([_wheel(), other])
    harness.market.events["AAPL"] = CorporateEvents(symbol="AAPL", earnings=(date(2026, 12, 3),))
    events = harness.market.get_events

    async def events_but_zzzz(symbol: str) -> CorporateEvents:
        if symbol == "ZZZZ":
            raise MarketDataError("no events for ZZZZ")
        return await events(symbol)

    harness.market.get_events = events_but_zzzz  # type: ignore[method-assign]
    run = await harness.scheduler.run_now("earnings_alert")
    assert run.summary == "checked 2 open options, 1 new alerts, 1 without market data"

    harness.market.fail_with = MarketDataError("the provider is down")
    down = await harness.scheduler.run_now("earnings_alert")
    assert (down.status, down.error) == ("failure", "the provider is down")
    assert (await harness.scheduler.get_plugin("earnings_alert")).enabled  # not its fault
