"""The operations service: what the HTTP system endpoints and the CLI's ``db`` and
``config`` commands ask of the running system, answered from the container's parts.

The container builds one :class:`OperationsService` per process and hands it every
part as a provider, called when needed: a settings change rebuilds the market and the
service, and the next health check must see the new ones; the ``config show`` of a
database that does not exist must not create it by opening the engine.
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from adapters.market_data.calendar import NyseCalendar
from adapters.market_data.live_hours import adopt_live_session
from adapters.market_data.readiness import provider_problem
from adapters.operations import database
from adapters.operations.health import WatchedScheduler, health_of
from adapters.operations.stored_settings import (
    StoredSettings,
    check_runtime_only,
    shadowed_keys,
    with_stored,
)
from adapters.operations.views import (
    ConfigChange,
    Health,
    LegacyImport,
    ProviderFallback,
    SystemInfo,
)
from adapters.scheduler.jobs import JobFailedError
from adapters.scheduler.token_watch import watch_schwab_login
from adapters.settings import Layer, Settings, SettingsError, merge, redacted
from adapters.version import VERSION
from wheel_core.ports import Clock, TradeQuery, UnitOfWorkFactory

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from adapters.operations.views import DatabaseUpgrade
    from wheel_core.app.service import WheelService

log = logging.getLogger(__name__)

Rewire = Callable[[Settings, ProviderFallback | None], None]
"""The container's hook: take these settings (the parts built from them are rebuilt on
next use) and this provider fallback (``None``: none)."""


class OperationsService:
    def __init__(
        self,
        *,
        settings: Callable[[], Settings],
        engine: Callable[[], AsyncEngine],
        unit_of_work: Callable[[], UnitOfWorkFactory],
        clock: Callable[[], Clock],
        market: Callable[[], object],
        service: Callable[[], WheelService],
        scheduler: Callable[[], WatchedScheduler],
        fallback: Callable[[], ProviderFallback | None],
        calendar: Callable[[], NyseCalendar],
        schwab_market: Callable[[], Any],
        rewire: Rewire,
    ) -> None:
        self._settings = settings
        self._engine = engine
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._market = market
        self._service = service
        self._scheduler = scheduler
        self._fallback = fallback
        self._calendar = calendar
        self._schwab_market = schwab_market
        self._rewire = rewire

    # --- start -----------------------------------------------------------------------

    async def open(self) -> None:
        """What a process does before it serves: migrate the database, apply the stored
        run-time settings (:meth:`apply_stored`), make sure the default portfolio exists;
        with Schwab, check its login once and take today's session from it."""
        await database.migrate(self._engine())
        await self.apply_stored()
        await self._service().ensure_default_portfolio()
        await self._open_market()

    async def open_to_read(self) -> bool:
        """:meth:`open` for a process that will only read (a CLI ``status``): without a
        single write transaction — the schema is checked, not upgraded, and the default
        portfolio is not ensured (the first migration made it; the core never deletes
        it). ``False``, having done nothing, when the schema is not current: the caller
        then opens as usual, migrations and all."""
        if not await database.is_current(self._engine()):
            return False
        await self.apply_stored()
        await self._open_market()
        return True

    async def _open_market(self) -> None:
        if self._settings().market_data.provider == "schwab":
            await self._warn_of_schwab_login()
            await adopt_live_session(self._schwab_market(), self._calendar(), self._clock())

    async def _warn_of_schwab_login(self) -> None:
        """The login watch once at start (a server started on day 6 says so at once); the
        scheduler's ``schwab_login_watch`` job repeats it hourly. Never stops the start."""
        try:
            summary = await watch_schwab_login(
                self._settings(), self._clock().now(), self._service()
            )
        except JobFailedError as error:
            log.warning("the Schwab login cannot be checked: %s", error)
        else:
            log.info("%s", summary)

    # --- health and info -------------------------------------------------------------

    async def health(self) -> Health:
        """Database, market data, scheduler and plugins; ``down`` when the database is."""
        return await health_of(
            engine=self._engine(),
            market=self._market(),
            settings=self._settings(),
            fallback=self._fallback(),
            now=self._clock().now(),
            scheduler=self._scheduler(),
        )

    async def info(self, *, uptime_seconds: float) -> SystemInfo:
        """Version, uptime, database location, size and row counts, market-data provider."""
        provider = self._settings().market_data.provider
        return SystemInfo(
            version=VERSION,
            python=platform.python_version(),
            uptime_seconds=uptime_seconds,
            database=await database.described(self._engine()),
            market_data_provider=provider,
            simulated_market=provider == "simulated",
        )

    # --- run-time settings -----------------------------------------------------------

    def settings(self) -> Settings:
        """The settings in effect in this process, secrets as ``***``."""
        return redacted(self._settings())

    async def stored_settings(self) -> Layer:
        """The run-time changes kept in the database (empty when none)."""
        return await StoredSettings(self._unit_of_work()).read()

    async def save_settings(self, layer: Layer) -> None:
        """Keep ``layer`` as the stored run-time changes (it replaces what was kept)."""
        await StoredSettings(self._unit_of_work()).save(layer)

    async def settings_with_stored(self) -> Settings:
        """These settings with the stored run-time changes of the database on top, secrets
        as ``***``. Opens (and migrates) the database: ask :func:`database.exists` first
        where a missing one must not be created."""
        settings = self._settings()
        await database.migrate(self._engine())
        stored = await self.stored_settings()
        return redacted(with_stored(settings, stored) if stored else settings)

    async def change_settings(self, change: Layer) -> ConfigChange:
        """Validate, save and apply at once a change of run-time settings; kept across
        restarts. ``SettingsError`` when the change cannot be taken."""
        stored, updated = await self._proposed(change)
        await self.save_settings(stored)
        self._rewire(updated, None)
        return ConfigChange(
            settings=redacted(updated), shadowed_by_environment=shadowed_keys(change)
        )

    async def check_settings(self, change: Layer) -> None:
        """Would this change be accepted? ``SettingsError`` saying why not; nothing is saved."""
        await self._proposed(change)

    async def apply_stored(self) -> None:
        """At start: put the stored run-time changes on top of the operator's settings. A
        stored setting that no longer validates stops the start (``SettingsError``
        naming it); a stored provider that cannot work does not (:meth:`_fall_back`)."""
        stored = await self.stored_settings()
        if not stored:
            return
        operator = self._settings()
        self._rewire(with_stored(operator, stored), None)
        self._fall_back(operator)

    async def _proposed(self, change: Layer) -> tuple[Layer, Settings]:
        """The stored layer with ``change`` on top, and the settings it would give;
        ``SettingsError`` when the change cannot be taken."""
        check_runtime_only(change)
        stored = merge(await self.stored_settings(), change)
        updated = with_stored(self._settings(), stored)
        self._check_provider_works(updated)
        return stored, updated

    def _check_provider_works(self, updated: Settings) -> None:
        """A change that would move prices to a provider that cannot work (Schwab with no
        key or no login) is refused, saying what is missing: stored, it would leave the
        server without prices now and at every start."""
        provider = updated.market_data.provider
        if provider == self._settings().market_data.provider:
            return
        problem = provider_problem(updated, self._clock().now())
        if problem is not None:
            raise SettingsError(f"market_data.provider {provider} cannot be used: {problem}")

    def _fall_back(self, operator: Settings) -> None:
        """When the provider the stored settings chose cannot work (a Schwab login that is
        missing or has lapsed), serve prices from the last one that can — the provider of
        the file, environment and flags (``operator``), else the simulated market — so a
        change made at run time never stops the server from starting. /health says
        ``degraded`` and why; a ``PATCH /system/config`` that works clears it.
        """
        current = self._settings()
        wanted = current.market_data.provider
        if wanted == operator.market_data.provider:
            return  # the operator chose it for this process: not a stored setting's doing
        now = self._clock().now()
        reason = provider_problem(current, now)
        if reason is None:
            return
        used = operator.market_data.provider
        if provider_problem(operator, now) is not None:
            used = "simulated"
        market = msgspec.structs.replace(current.market_data, provider=used)
        self._rewire(
            msgspec.structs.replace(current, market_data=market),
            ProviderFallback(wanted=wanted, used=used, reason=reason),
        )
        log.warning(
            "the stored market_data.provider %s cannot be used (%s); serving prices from the "
            "%s provider until it can",
            wanted,
            reason,
            used,
        )

    # --- the database ----------------------------------------------------------------

    async def upgrade_database(self) -> DatabaseUpgrade:
        """Migrate the database to the current schema: the revision before and after."""
        return await database.upgrade(self._engine())

    async def import_legacy(
        self,
        source: Path,
        *,
        backup_dir: Path | None,
        naive_timezone: tzinfo,
        progress: Callable[[int, int], None] | None = None,
    ) -> LegacyImport:
        """Import the legacy tool's file into the default portfolio (both files backed up
        first), and the open positions it left. A missing ``source`` is refused before
        the database is opened, so that a typo creates no empty database."""
        target = database.file_of(self._settings().database.url)
        backups = database.legacy_backups(source, backup_dir, target)
        report = await database.import_legacy_file(
            source,
            self._engine(),
            backups=backups,
            now=self._clock().now(),
            progress=progress,
            naive_timezone=naive_timezone,
        )
        service = self._service()
        default = await service.ensure_default_portfolio()
        trades = await service.list_trades(TradeQuery(portfolio_id=default.id, is_open=True))
        symbols = report.premium_by_symbol.keys()
        return LegacyImport(
            report=report, open_positions=[t for t in trades.items if t.symbol in symbols]
        )
