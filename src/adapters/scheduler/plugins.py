"""What a plugin author writes against: the :class:`Plugin` base class and its context.

A plugin is a class with a name, a version, a default schedule, a typed config (a
msgspec Struct) and ``async execute(context)``. The host validates the stored config
against that Struct before each run and hands it over as ``context.config``. The
context reads the product (``service``, ``market``, ``calendar``, ``clock``) and raises
alerts through the core (``raise_alert``: stored once per key, then delivered by the
notifier). See ``docs/plugins.md`` for a complete example.

Most plugins walk the open positions and ask the market about each:
:meth:`PluginContext.fetch_each` is that loop — a symbol without data is skipped and
counted, and a run where every symbol failed raises the provider's error (the provider
is down: not the plugin's fault, so it stays enabled).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

import msgspec

from adapters.scheduler.schedules import JobSchedule
from wheel_core.app.commands import RaiseAlert
from wheel_core.app.facade import WheelFacade
from wheel_core.domain.entities import Alert
from wheel_core.domain.enums import RiskLevel
from wheel_core.domain.errors import MarketDataError
from wheel_core.ports import Clock, MarketCalendar, MarketData, Notifier


class EmptyConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The config of a plugin that takes none."""


ConfigT = TypeVar("ConfigT", bound=msgspec.Struct)
ItemT = TypeVar("ItemT")
DataT = TypeVar("DataT")


class MarketFetches(Generic[ItemT, DataT]):
    """``async for item, data in fetches``: each item with its market data, in order.

    An item whose fetch raises ``MarketDataError`` is skipped and counted (``failed``,
    ``errors``); once every item has failed — at least one — the first error is raised
    at the end of the loop, so the run is recorded as a market-data failure, which
    leaves the plugin enabled. Fetches are made one at a time, as the loop asks.
    """

    def __init__(self, items: Sequence[ItemT], fetch: Callable[[ItemT], Awaitable[DataT]]) -> None:
        self._items = items
        self._fetch = fetch
        self.errors: list[MarketDataError] = []

    @property
    def failed(self) -> int:
        """Items skipped for want of market data so far."""
        return len(self.errors)

    async def __aiter__(self) -> AsyncIterator[tuple[ItemT, DataT]]:
        for item in self._items:
            try:
                data = await self._fetch(item)
            except MarketDataError as error:
                self.errors.append(error)
                continue
            yield item, data
        if self.errors and len(self.errors) == len(self._items):
            raise self.errors[0]


class PluginContext(Generic[ConfigT]):
    """What one run of a plugin may use. ``service`` is the whole facade: read with it
    (positions, wheels, trades); change things only through ``raise_alert``."""

    def __init__(
        self,
        *,
        name: str,
        service: WheelFacade,
        market: MarketData,
        calendar: MarketCalendar,
        notifier: Notifier,
        clock: Clock,
        config: ConfigT,
    ) -> None:
        self.name = name
        self.service = service
        self.market = market
        self.calendar = calendar
        self.notifier = notifier
        self.clock = clock
        self.config = config
        self.log = logging.getLogger(f"wheel_strategy.plugins.{name}")
        self.raised: list[Alert] = []

    def now(self) -> datetime:
        return self.clock.now()

    def fetch_each(
        self, items: Sequence[ItemT], fetch: Callable[[ItemT], Awaitable[DataT]]
    ) -> MarketFetches[ItemT, DataT]:
        """For each item, ``await fetch(item)`` (e.g. its chain from ``self.market``);
        see :class:`MarketFetches` for what a failed fetch does."""
        return MarketFetches(items, fetch)

    async def raise_alert(
        self,
        *,
        key: str,
        message: str,
        level: RiskLevel = RiskLevel.MEDIUM,
        kind: str | None = None,
        wheel_id: int | None = None,
        trade_id: int | None = None,
    ) -> Alert | None:
        """Store an alert and deliver it; ``None`` when an alert with ``key`` exists
        already (so a plugin may find the same condition every run and tell it once).
        ``kind`` defaults to the plugin's name."""
        command = RaiseAlert(
            kind=kind or self.name,
            key=key,
            message=message,
            level=level,
            wheel_id=wheel_id,
            trade_id=trade_id,
        )
        alert = await self.service.raise_alert(command)  # stores and delivers it, once
        if alert is not None:
            self.raised.append(alert)
        return alert


class Plugin(Generic[ConfigT]):
    """Subclass this (or write a class with the same members) and put it in a file of the
    plugins directory or behind a ``wheel_strategy.plugins`` entry point.

    ``execute`` returns the run's summary line (recorded in the job history). An
    exception or a run past its timeout is recorded and disables the plugin, with the
    reason shown in ``GET /api/v1/plugins``; ``MarketDataError`` (the provider is down:
    not the plugin's fault) is recorded and leaves it enabled.
    """

    name: ClassVar[str]
    """Lower-case letters, digits and ``_``; also the plugin's job name."""
    description: ClassVar[str] = ""
    version: ClassVar[str] = "0.1.0"
    schedule: ClassVar[JobSchedule] = JobSchedule(interval_minutes=60, only_when="trading_day")
    """The default schedule; users change it with ``PATCH /api/v1/jobs/{name}``."""
    config_schema: ClassVar[type[msgspec.Struct]] = EmptyConfig
    enabled_by_default: ClassVar[bool] = True

    async def execute(self, context: PluginContext[ConfigT]) -> str | None:
        raise NotImplementedError

    async def on_success(self, context: PluginContext[ConfigT], summary: str) -> None:
        """Called after a successful run; an exception here is logged, nothing more."""

    async def on_failure(self, context: PluginContext[ConfigT], error: BaseException) -> None:
        """Called after a failed or timed-out run (``error`` is a ``TimeoutError`` then)."""


def config_fields(schema: type[msgspec.Struct]) -> list[str]:
    return list(schema.__struct_fields__)


def json_schema(schema: type[msgspec.Struct]) -> dict[str, Any]:
    """The config's JSON Schema, inlined (what ``GET /plugins/{name}`` shows an editor)."""
    found: dict[str, Any] = _decimals_as_numbers(msgspec.json.schema(schema))
    definitions = found.pop("$defs", {})
    ref = found.get("$ref", "")
    if ref.startswith("#/$defs/"):
        inlined: dict[str, Any] = definitions.get(ref.removeprefix("#/$defs/"), {})
        return inlined
    return found


def _decimals_as_numbers(node: Any) -> Any:
    """msgspec documents a Decimal as a string; the API reads and writes it as a number."""
    if isinstance(node, list):
        return [_decimals_as_numbers(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _decimals_as_numbers(value) for key, value in node.items()}
    if converted.get("format") == "decimal" and converted.get("type") == "string":
        converted["type"] = "number"
        if isinstance(converted.get("default"), str):
            converted["default"] = float(converted["default"])
    return converted
