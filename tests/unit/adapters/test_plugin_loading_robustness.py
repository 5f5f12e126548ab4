"""Plugins the host cannot serve are refused at discovery, never at run or list time: a
constructor that raises, a name too long for an alert's kind, a config schema without
a JSON Schema or whose defaults do not validate. A non-finite number in a config is a
validation error naming ``config``; the built-ins count "today" in New York."""

from datetime import UTC, date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import msgspec
import pytest
from scheduler_harness import build, ny

from adapters.market_data.calendar import NyseCalendar
from adapters.scheduler import Plugin, PluginContext
from adapters.scheduler.discovery import MAX_NAME_LENGTH, discover
from adapters.scheduler.plugin_host import validated_config
from wheel_core.app.commands import RaiseAlert
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import ValidationError
from wheel_core.market import CorporateEvents, OptionChain, PriceBar
from wheel_core.testing.fakes import FakeClock

PROJECT_PLUGINS = Path(__file__).parents[3] / "plugins"

GOOD = """
from adapters.scheduler import Plugin


class Good(Plugin):
    name = "good"

    async def execute(self, context):
        return "ran"
"""

CONSTRUCTOR_RAISES = """
from adapters.scheduler import Plugin


class Broken(Plugin):
    name = "broken"

    def __init__(self):
        raise RuntimeError("no licence key")

    async def execute(self, context):
        return "never"
"""

NO_JSON_SCHEMA = """
import msgspec

from adapters.scheduler import Plugin


class Opaque:
    pass


class OpaqueConfig(msgspec.Struct, kw_only=True):
    thing: Opaque | None = None


class Undescribable(Plugin):
    name = "undescribable"
    config_schema = OpaqueConfig

    async def execute(self, context):
        return "ran"
"""

DEFAULTS_INVALID = """
import msgspec

from adapters.scheduler import Plugin


class NeedsKeyConfig(msgspec.Struct, kw_only=True):
    api_key: str


class NeedsKey(Plugin):
    name = "needs_key"
    config_schema = NeedsKeyConfig

    async def execute(self, context):
        return "ran"
"""


def _failures(directory: Path) -> dict[str, str]:
    return {failure.name: failure.error for failure in discover(directory, group="none").failed}


def _loaded(directory: Path) -> list[str]:
    return [item.plugin.name for item in discover(directory, group="none").loaded]


def test_a_constructor_that_raises_is_a_load_failure_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text(CONSTRUCTOR_RAISES)
    (tmp_path / "good.py").write_text(GOOD)
    assert _failures(tmp_path) == {"broken": "RuntimeError: no licence key"}
    assert _loaded(tmp_path) == ["good"]


def test_a_config_schema_without_json_schema_is_a_load_failure(tmp_path: Path) -> None:
    (tmp_path / "undescribable.py").write_text(NO_JSON_SCHEMA)
    (tmp_path / "good.py").write_text(GOOD)
    failures = _failures(tmp_path)
    assert list(failures) == ["undescribable"]
    assert failures["undescribable"].startswith("config_schema has no JSON Schema: TypeError:")
    assert "\n" not in failures["undescribable"]
    assert _loaded(tmp_path) == ["good"]


async def test_with_a_refused_schema_the_plugin_list_still_answers(tmp_path: Path) -> None:
    (tmp_path / "undescribable.py").write_text(NO_JSON_SCHEMA)
    (tmp_path / "good.py").write_text(GOOD)
    clock = FakeClock(ny(2026, 11, 24, 10).astimezone(UTC))
    harness = build(clock, NyseCalendar(), discovery=discover(tmp_path, group="none"))
    views = {view.name: view.status for view in await harness.scheduler.list_plugins()}
    assert views == {"good": "enabled", "undescribable": "failed"}


def test_a_config_schema_whose_defaults_do_not_validate_is_a_load_failure(
    tmp_path: Path,
) -> None:
    (tmp_path / "needs_key.py").write_text(DEFAULTS_INVALID)
    failures = _failures(tmp_path)
    assert failures["needs_key"].startswith("config_schema: its defaults do not validate: config")
    assert "api_key" in failures["needs_key"]


def _named(name: str) -> str:
    return GOOD.replace('"good"', repr(name)).replace("class Good", "class Named")


def test_a_name_longer_than_an_alert_kind_is_refused_at_discovery(tmp_path: Path) -> None:
    longest, too_long = "p" * MAX_NAME_LENGTH, "p" * (MAX_NAME_LENGTH + 1)
    (tmp_path / "longest.py").write_text(_named(longest))
    (tmp_path / "too_long.py").write_text(_named(too_long))
    assert _loaded(tmp_path) == [longest]
    error = _failures(tmp_path)[too_long]
    assert f"at most {MAX_NAME_LENGTH}, the limit of an alert's kind" in error


def test_the_name_limit_is_the_limit_of_an_alert_s_kind() -> None:
    RaiseAlert(kind="k" * MAX_NAME_LENGTH, key="key", message="message")
    with pytest.raises(ValidationError):
        RaiseAlert(kind="k" * (MAX_NAME_LENGTH + 1), key="key", message="message")


class _Alerts(Plugin):
    name = "p" * MAX_NAME_LENGTH

    async def execute(self, context: PluginContext) -> str:
        await context.raise_alert(key="longest", message="a plugin with the longest name")
        return "raised"


async def test_a_plugin_with_the_longest_name_raises_alerts_with_its_default_kind() -> None:
    from adapters.scheduler.discovery import Discovery, LoadedPlugin

    clock = FakeClock(ny(2026, 11, 24, 10).astimezone(UTC))
    discovery = Discovery(loaded=[LoadedPlugin(_Alerts(), "test")], failed=[])
    harness = build(clock, NyseCalendar(), discovery=discovery)
    run = await harness.scheduler.run_now(_Alerts.name)
    assert (run.status, run.summary) == ("success", "raised")
    assert [alert.kind for alert in harness.notifier.sent] == [_Alerts.name]


# --- non-finite numbers in a config ------------------------------------------------------


def _schema(name: str) -> type[msgspec.Struct]:
    found = discover(PROJECT_PLUGINS, group="none")
    schema: type[msgspec.Struct] = next(
        item.plugin.config_schema for item in found.loaded if item.plugin.name == name
    )
    return schema


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize(
    ("plugin", "field"), [("premium_target", "target_pct"), ("volatility_spike", "jump_pct")]
)
def test_builtins_refuse_a_non_finite_number(plugin: str, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validated_config(_schema(plugin), {field: value})
    assert raised.value.message.startswith(f"config.{field}: {field} must be a finite number")


class _Compares(msgspec.Struct, frozen=True, kw_only=True):
    """A schema whose own check raises what msgspec does not turn into its error."""

    limit: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        if self.limit < 0:  # NaN: decimal.InvalidOperation, an ArithmeticError
            raise ValueError("limit must be 0 or more")


class _Raises(msgspec.Struct, frozen=True, kw_only=True):
    size: int = 1

    def __post_init__(self) -> None:
        if self.size > 10:
            raise ArithmeticError("size overflows the table")


def test_any_arithmetic_error_of_a_schema_is_a_validation_error_naming_config() -> None:
    with pytest.raises(ValidationError, match=r"^config: InvalidOperation"):
        validated_config(_Compares, {"limit": "NaN"})
    with pytest.raises(ValidationError, match=r"^config: ArithmeticError: size overflows"):
        validated_config(_Raises, {"size": 11})
    assert validated_config(_Raises, {"size": 2}).size == 2


# --- "today" is New York's date ----------------------------------------------------------


def _wheel() -> SimpleNamespace:
    trade = SimpleNamespace(
        id=7,
        option_type=OptionType.PUT,
        strike=Decimal(180),
        expiration=date(2026, 12, 18),
        premium=Decimal("2.00"),
    )
    return SimpleNamespace(id=3, symbol="AAPL", open_trade=trade)


async def _evening_harness():  # 21:00 New York on Tuesday: already Wednesday in UTC
    clock = FakeClock(ny(2026, 11, 24, 21).astimezone(UTC))
    assert clock.now().date() == date(2026, 11, 25)
    harness = build(clock, NyseCalendar(), discovery=discover(PROJECT_PLUGINS, group="none"))

    async def list_wheels(**_: object) -> list[SimpleNamespace]:
        return [_wheel()]

    harness.facade.list_wheels = list_wheels  # type: ignore[method-assign]
    await harness.scheduler.load()
    return harness


async def test_earnings_today_in_new_york_is_still_alerted_in_the_evening() -> None:
    harness = await _evening_harness()
    harness.market.events["AAPL"] = CorporateEvents(symbol="AAPL", earnings=(date(2026, 11, 24),))
    run = await harness.scheduler.run_now("earnings_alert")
    assert run.summary == "checked 1 open options, 1 new alerts"
    assert harness.notifier.sent[0].key == "earnings:trade:7:earnings:2026-11-24"


async def test_a_volatility_spike_is_keyed_and_read_up_to_the_new_york_date() -> None:
    harness = await _evening_harness()
    calm = [Decimal(100) + Decimal(i % 2) / 10 for i in range(21)]
    wild = [Decimal(100) + Decimal(i % 2) * 5 for i in range(20)]
    days = [date(2026, 10, 1) + (date(2026, 10, 2) - date(2026, 10, 1)) * i for i in range(41)]
    harness.market.history["AAPL"] = [
        PriceBar(day=d, close=c) for d, c in zip(days, calm + wild, strict=True)
    ]
    harness.market.chains["AAPL"] = OptionChain(
        symbol="AAPL", underlying_price=Decimal(100), as_of=harness.clock.now()
    )
    asked: list[tuple[date, date]] = []
    history = harness.market.get_price_history

    async def recorded(symbol: str, start: date, end: date) -> list[PriceBar]:
        asked.append((start, end))
        return await history(symbol, start, end)

    harness.market.get_price_history = recorded  # type: ignore[method-assign]
    run = await harness.scheduler.run_now("volatility_spike")
    assert run.summary == "checked 1 symbols, 1 spikes"
    assert harness.notifier.sent[0].key == "volatility_spike:AAPL:2026-11-24"
    assert asked[0][1] == date(2026, 11, 24)
