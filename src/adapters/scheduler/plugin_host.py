"""The plugins of this process: their stored state, their jobs, and their isolation.

Each plugin's enable flag, config and disabled reason are stored under
``plugin.<name>`` in the settings table. A run builds a context with the config
validated against the plugin's Struct; when the run raises, the plugin's ``on_failure``
is called and the plugin disabled with the reason, stored, so a broken plugin stays off
across restarts until the user enables it again.

Plugin code — ``execute`` and both hooks — runs in a thread of its own
(:mod:`adapters.scheduler.plugin_thread` says why a thread), so no exception and no
blocking call of a plugin stops or freezes the server. A run past its timeout is
recorded as ``timeout``; a thread cannot be killed, so while a timed-out run's thread
still runs, the plugin is not started again (that run is recorded as a failure saying
so). :data:`REPEAT_TIMEOUTS` timeouts in a row (a refused start counts: the plugin is
still over its time) disable the plugin with the reason: one slow run may be the
provider's, two in a row are the plugin's.

Another process may change that row too (the CLI on the database, another server
worker): every change here reads the stored row inside its own transaction and
changes only what it means to, and :meth:`PluginHost.load` may be called again to pick
up what others stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import msgspec

from adapters.scheduler.discovery import Discovery, LoadedPlugin, validated_config
from adapters.scheduler.jobs import Job, JobFailedError
from adapters.scheduler.plugin_thread import PluginExitError, PluginThread, ServerLoopProxy
from adapters.scheduler.plugins import EmptyConfig, PluginContext, json_schema
from adapters.scheduler.schedules import JobSchedule
from adapters.scheduler.views import PluginStatus, PluginUpdate, PluginView
from wheel_core.app.facade import WheelFacade
from wheel_core.domain.errors import MarketDataError, NotFoundError, ValidationError
from wheel_core.ports import (
    Clock,
    MarketCalendar,
    MarketData,
    Notifier,
    UnitOfWork,
    UnitOfWorkFactory,
)

__all__ = [
    "REPEAT_TIMEOUTS",
    "PluginHost",
    "PluginServices",
    "PluginStillRunningError",
    "StoredPlugin",
    "settings_key",
    "validated_config",
    "validated_or_stored",
]

log = logging.getLogger(__name__)

HOOK_TIMEOUT = 30.0
"""Seconds a plugin's ``on_success``/``on_failure`` may take."""
REPEAT_TIMEOUTS = 2
"""Timeouts in a row that disable a plugin."""


class PluginStillRunningError(JobFailedError):
    """The plugin was not started: a run of it that timed out still runs in its thread."""


class StoredPlugin(msgspec.Struct, kw_only=True):
    enabled: bool
    config: dict[str, Any] = msgspec.field(default_factory=dict)
    disabled_reason: str | None = None
    fault: bool = False
    """Disabled by a crash or by timeouts, not by the user (``/health`` shows it)."""


def settings_key(name: str) -> str:
    return f"plugin.{name}"


@dataclass
class _Entry:
    loaded: LoadedPlugin
    state: StoredPlugin
    context: PluginContext[Any] | None = field(default=None)
    threads: list[PluginThread[Any]] = field(default_factory=list)
    """Its calls whose threads may still run (pruned as they end)."""
    timeouts: int = 0
    """Its runs in a row that timed out or could not start because one still ran."""

    def running(self) -> list[PluginThread[Any]]:
        self.threads = [thread for thread in self.threads if thread.alive]
        return self.threads

    @property
    def plugin(self) -> Any:
        return self.loaded.plugin


@dataclass(frozen=True, kw_only=True)
class PluginServices:
    """What a plugin's context is made of, each asked for at run time."""

    service: Callable[[], WheelFacade]
    market: Callable[[], MarketData]
    calendar: Callable[[], MarketCalendar]
    notifier: Callable[[], Notifier]
    clock: Clock


class PluginHost:
    def __init__(
        self,
        discovery: Discovery,
        *,
        unit_of_work: UnitOfWorkFactory,
        services: PluginServices,
        default_timeout: float,
    ) -> None:
        self._discovery = discovery
        self._unit_of_work = unit_of_work
        self._services = services
        self._default_timeout = default_timeout
        self._entries = {
            item.plugin.name: _Entry(item, StoredPlugin(enabled=_enabled_by_default(item.plugin)))
            for item in discovery.loaded
        }

    async def load(self) -> None:
        """Read each plugin's stored state (again: what another process stored is taken
        up); a plugin whose stored config does not validate is kept disabled, with the
        reason."""
        async with self._unit_of_work() as uow:
            states = {name: await self._read(uow, name) for name in self._entries}
        for name, state in states.items():
            try:
                validated_config(_schema(self._entries[name].plugin), state.config)
            except ValidationError as error:
                state.enabled = False
                state.disabled_reason = f"invalid config: {error.message}"
            self._entries[name].state = state

    async def _read(self, uow: UnitOfWork, name: str) -> StoredPlugin:
        """The stored state of ``name`` as ``uow`` reads it; its default when none."""
        raw = await uow.settings.get(settings_key(name))
        if raw is None:
            return StoredPlugin(enabled=_enabled_by_default(self._entries[name].plugin))
        try:
            return msgspec.json.decode(raw, type=StoredPlugin)
        except msgspec.DecodeError as error:
            return StoredPlugin(enabled=False, disabled_reason=f"stored state unreadable: {error}")

    @property
    def names(self) -> list[str]:
        return list(self._entries)

    def is_enabled(self, name: str) -> bool:
        return self._entry(name).state.enabled

    def jobs(self) -> list[Job]:
        return [self._job(entry) for entry in self._entries.values()]

    def views(self) -> list[PluginView]:
        loaded = [self._view(entry) for entry in self._entries.values()]
        failed = [
            PluginView(
                name=failure.name,
                description="",
                version="",
                source=failure.source,
                status="failed",
                enabled=False,
                reason=failure.error,
                fault=True,
                config={},
                config_schema={},
            )
            for failure in self._discovery.failed
        ]
        return sorted(loaded + failed, key=lambda view: view.name)

    def view(self, name: str) -> PluginView:
        for view in self.views():
            if view.name == name:
                return view
        raise NotFoundError("plugin", name)

    async def update(self, name: str, change: PluginUpdate) -> PluginView:
        """Validate and store ``change``; enabling clears the disabled reason."""
        if name not in self._entries:
            self.view(name)  # a plugin that failed to load: not changeable, but not unknown
            raise ValidationError(f"plugin {name} did not load; fix it and restart the server")
        async with self._unit_of_work() as uow:
            state = await self.stage(uow, name, change)
            await uow.commit()
        self.adopt(name, state)
        return self._view(self._entries[name])

    async def stage(self, uow: UnitOfWork, name: str, change: PluginUpdate) -> StoredPlugin:
        """Write ``change`` over the state stored now, in ``uow`` (the caller commits,
        then :meth:`adopt` s the result)."""
        entry = self._entry(name)
        current = await self._read(uow, name)
        config = current.config
        if change.config is not None:
            config = {**config, **change.config}
            validated_config(_schema(entry.plugin), config)  # stored as given: defaults may move
        enabled = current.enabled if change.enabled is None else change.enabled
        reason = None if enabled else current.disabled_reason
        if change.enabled is False and reason is None:
            reason = "disabled by the user"
        fault = current.fault and change.enabled is None  # enabling or disabling: seen to
        state = StoredPlugin(enabled=enabled, config=config, disabled_reason=reason, fault=fault)
        await uow.settings.set(settings_key(name), msgspec.json.encode(state).decode())
        return state

    def adopt(self, name: str, state: StoredPlugin) -> None:
        """Hold ``state``, committed by the caller, as the plugin's state (enabled again,
        its count of timeouts starts afresh)."""
        entry = self._entry(name)
        if state.enabled and not entry.state.enabled:
            entry.timeouts = 0
        entry.state = state

    async def set_enabled(self, name: str, enabled: bool) -> None:
        await self.update(name, PluginUpdate(enabled=enabled))

    async def disable(self, name: str, reason: str) -> None:
        """Disable ``name`` for a fault (a crash, timeouts) with ``reason``, keeping the
        config stored now."""
        self._entry(name)
        log.error("plugin %s disabled: %s", name, reason)
        async with self._unit_of_work() as uow:
            current = await self._read(uow, name)
            state = StoredPlugin(
                enabled=False, config=current.config, disabled_reason=reason, fault=True
            )
            await uow.settings.set(settings_key(name), msgspec.json.encode(state).decode())
            await uow.commit()
        self.adopt(name, state)

    def _entry(self, name: str) -> _Entry:
        try:
            return self._entries[name]
        except KeyError:
            raise NotFoundError("plugin", name) from None

    def _view(self, entry: _Entry) -> PluginView:
        plugin = entry.plugin
        status: PluginStatus = "enabled" if entry.state.enabled else "disabled"
        return PluginView(
            name=plugin.name,
            description=getattr(plugin, "description", "") or "",
            version=getattr(plugin, "version", "") or "",
            source=entry.loaded.source,
            status=status,
            enabled=entry.state.enabled,
            reason=entry.state.disabled_reason,
            fault=entry.state.fault or any(thread.abandoned for thread in entry.running()),
            config=msgspec.to_builtins(
                validated_or_stored(_schema(plugin), entry.state.config), builtin_types=(Decimal,)
            ),
            config_schema=json_schema(_schema(plugin)),
        )

    def _job(self, entry: _Entry) -> Job:
        plugin = entry.plugin
        services = self._services
        name: str = plugin.name

        async def action() -> str:
            running = entry.running()
            if running:
                raise PluginStillRunningError(
                    f"not started: {running[0].label} timed out and its thread still runs"
                )
            config = validated_config(_schema(plugin), entry.state.config)
            loop = asyncio.get_running_loop()
            entry.context = context = PluginContext(
                name=name,
                service=ServerLoopProxy(services.service(), loop),
                market=ServerLoopProxy(services.market(), loop),
                calendar=services.calendar(),
                notifier=ServerLoopProxy(services.notifier(), loop),
                clock=services.clock,
                config=config,
            )
            summary = await self._isolated(entry, "execute", lambda: plugin.execute(context))
            raised = len(context.raised)
            return summary or f"{raised} new alert{'' if raised == 1 else 's'}"

        async def after_success(summary: str) -> None:
            entry.timeouts = 0
            hook = getattr(plugin, "on_success", None)
            context = entry.context
            if hook is not None and context is not None:
                async with asyncio.timeout(HOOK_TIMEOUT):
                    await self._isolated(entry, "on_success", lambda: hook(context, summary))

        async def after_failure(status: str, error: BaseException) -> None:
            refused = isinstance(error, PluginStillRunningError)
            entry.timeouts = entry.timeouts + 1 if status == "timeout" or refused else 0
            try:
                hook = getattr(plugin, "on_failure", None)
                context = entry.context
                if hook is not None and context is not None and not refused:
                    async with asyncio.timeout(HOOK_TIMEOUT):
                        await self._isolated(entry, "on_failure", lambda: hook(context, error))
            finally:
                when = services.clock.now().isoformat(timespec="seconds")
                if entry.timeouts >= REPEAT_TIMEOUTS:
                    what = f"timed out {entry.timeouts} runs in a row"
                    await self.disable(name, f"{what} (at {when})")
                elif entry.timeouts:
                    log.warning("plugin %s timed out; one more in a row disables it", name)
                elif not isinstance(error, MarketDataError):
                    await self.disable(name, f"failed: {_named(error)} (at {when})")

        schedule = getattr(plugin, "schedule", None) or JobSchedule(
            interval_minutes=60, only_when="trading_day"
        )
        return Job(
            name=name,
            description=getattr(plugin, "description", "") or "",
            kind="plugin",
            default=schedule,
            action=action,
            after_success=after_success,
            after_failure=after_failure,
        )

    async def _isolated(self, entry: _Entry, what: str, call: Callable[[], Any]) -> Any:
        """``call`` (the plugin's ``what``) in a thread of its own, kept in ``entry``
        while it may still run."""
        thread: PluginThread[Any] = PluginThread(f"plugin {entry.plugin.name} {what}", call)
        entry.threads.append(thread)
        return await thread.result()


def _enabled_by_default(plugin: Any) -> bool:
    return bool(getattr(plugin, "enabled_by_default", True))


def _schema(plugin: Any) -> type[msgspec.Struct]:
    schema: type[msgspec.Struct] = getattr(plugin, "config_schema", None) or EmptyConfig
    return schema


def validated_or_stored(schema: type[msgspec.Struct], raw: dict[str, Any]) -> Any:
    try:
        return validated_config(schema, raw)
    except ValidationError:
        return raw


def _named(error: BaseException) -> str:
    if isinstance(error, PluginExitError):
        return str(error)
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
