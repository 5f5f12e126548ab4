"""System endpoints: health, info and the run-time configuration."""

from __future__ import annotations

import platform
import time
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import get, patch, post
from litestar.datastructures import State
from litestar.params import Body
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.container import (
    Container,
    ProviderFallback,
    apply_settings,
    provider_problem,
    save_settings,
    schwab_token_file,
    stored_settings,
)
from adapters.http.api_controller import ApiController
from adapters.http.dependencies import container_of
from adapters.http.problems import ServiceDownError
from adapters.market_data.resilient import ProviderHealth, ResilientMarketData
from adapters.persistence.database import sqlite_path
from adapters.persistence.inspection import ping, row_counts
from adapters.persistence.storage import storage_status
from adapters.settings import (
    RUNTIME_SECTIONS,
    Layer,
    Settings,
    SettingsError,
    check_runtime_only,
    merge,
    redacted,
    shadowed_keys,
    with_stored,
)
from adapters.version import VERSION
from adapters.wire import HEALTH, SYSTEM_CONFIG, SYSTEM_CONFIG_VALIDATE, SYSTEM_INFO
from wheel_core.domain.errors import StorageError

Status = Literal["ok", "degraded", "down"]


class DatabaseHealth(msgspec.Struct, frozen=True, kw_only=True):
    """``down``: unusable, or its file deleted or replaced (``cause`` ``gone``);
    ``degraded``: reads work but the last write failed (``cause`` ``full``,
    ``read_only`` or ``failed``) and none succeeded since."""

    status: Status
    error: str | None = None
    cause: str | None = None


class SchwabLoginHealth(msgspec.Struct, frozen=True, kw_only=True):
    """The Schwab login's age: its refresh token lapses about 7 days after the login,
    and then every price goes stale until ``wheel-strategy schwab login`` is run again."""

    status: Literal["ok", "expiring", "expired", "missing"]
    """``expiring`` from day 6 (an alert is raised then), ``missing``: no usable login."""
    logged_in_at: datetime | None = None
    age_days: float | None = None
    """Days since the login, to two decimals."""
    expires_at: datetime | None = None
    error: str | None = None
    """Why the login cannot be read (``missing``); names the file, never the token."""


class MarketDataHealth(msgspec.Struct, frozen=True, kw_only=True):
    provider: str
    simulated: bool
    status: Status
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    wanted_provider: str | None = None
    """Set when the stored provider could not be used at start and ``provider`` serves
    in its place (``status`` is then ``degraded``, and ``reason`` says why)."""
    reason: str | None = None
    schwab_login: SchwabLoginHealth | None = None
    """Only when Schwab is the provider."""


class SchedulerHealth(msgspec.Struct, frozen=True, kw_only=True):
    """``running``: this process leads and runs the jobs; ``standby``: another process
    leads (``leader``) and this one takes over if its lease lapses; ``disabled``: this
    process does not run jobs (``server.scheduler: false``); ``stopped``: it should, but
    the scheduler is not running."""

    status: Literal["running", "standby", "stopped", "disabled"]
    jobs: int = 0
    """Jobs scheduled in this process."""
    next_run_at: datetime | None = None
    next_job: str | None = None
    role: Literal["leader", "standby"] | None = None
    """This process's part in the scheduler lease; ``None`` when it takes none."""
    identity: str | None = None
    """This process in the lease: ``host:pid:suffix``."""
    leader: str | None = None
    """The process that runs the jobs (``host:pid:suffix``); ``None`` when none does."""
    lease_expires_at: datetime | None = None


class PluginFault(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    reason: str | None


class PluginsHealth(msgspec.Struct, frozen=True, kw_only=True):
    """``degraded`` when a plugin did not load (an import error, an import past its time
    limit), was disabled by a crash or timeouts, or still holds a timed-out run's thread."""

    status: Literal["ok", "degraded"] = "ok"
    failed: list[PluginFault] = msgspec.field(default_factory=list)


class Health(msgspec.Struct, frozen=True, kw_only=True):
    """``down`` (503) when the database cannot be used; ``degraded`` when market data is,
    when plugins failed, or when the database's last write failed (its disk full or
    read-only)."""

    status: Status
    database: DatabaseHealth
    market_data: MarketDataHealth
    scheduler: SchedulerHealth
    plugins: PluginsHealth = msgspec.field(default_factory=PluginsHealth)


class DatabaseInfo(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    """Passwords masked."""
    path: str | None
    size_bytes: int | None
    row_counts: dict[str, int]


class SystemInfo(msgspec.Struct, frozen=True, kw_only=True):
    version: str
    python: str
    uptime_seconds: float
    database: DatabaseInfo
    market_data_provider: str
    simulated_market: bool


class ConfigChange(msgspec.Struct, frozen=True, kw_only=True):
    """What a configuration change did: the effective settings (secrets redacted) and
    the changed keys the environment overrides, which therefore have no effect now."""

    settings: Settings
    shadowed_by_environment: list[str]


ConfigPatch = Annotated[
    dict[str, Any],
    Body(
        description="The run-time sections and keys to change; any other section is a 422.",
        schema_extra={
            "properties": {
                section: {"type": "object", "description": f"Keys of {section} to change."}
                for section in sorted(RUNTIME_SECTIONS)
            },
            "additionalProperties": False,
        },
    ),
]
"""What the schema can say of a change without a partial copy of every settings type:
only the run-time sections, as objects; their keys are checked (422) when applied."""


class ConfigCheck(msgspec.Struct, frozen=True, kw_only=True):
    valid: bool
    error: str | None = None


class SystemController(ApiController):
    path = "/"
    tags = ["system"]

    @get(HEALTH, status_code=HTTP_200_OK)
    async def health(self, state: State) -> Health:
        """Database, market data and scheduler; 503 when the database is down, as
        problem+json like every error, with the same report in its ``health`` member."""
        container = container_of(state)
        database = await _database_health(container.engine())
        market = _with_provider_notes(
            _market_health(container.market_data(), container.settings()), container
        )
        jobs = await container.scheduler().current_status()
        scheduler = SchedulerHealth(
            status=jobs.status,
            jobs=jobs.jobs,
            next_run_at=jobs.next_run_at,
            next_job=jobs.next_job,
            role=jobs.role,
            identity=jobs.identity,
            leader=jobs.leader,
            lease_expires_at=jobs.lease_expires_at,
        )
        plugins = await _plugins_health(container)
        if database.status == "down":
            status: Status = "down"
        elif market.status != "ok" or plugins.status != "ok" or database.status == "degraded":
            status = "degraded"
        else:
            status = "ok"
        body = Health(
            status=status,
            database=database,
            market_data=market,
            scheduler=scheduler,
            plugins=plugins,
        )
        if status == "down":
            detail = f"the database is down: {database.error}"
            raise ServiceDownError(detail, code="database_down", health=body)
        return body

    @get(SYSTEM_INFO)
    async def info(self, state: State) -> SystemInfo:
        """Version, uptime, database location, size and row counts, market-data provider."""
        container = container_of(state)
        settings: Settings = container.settings()
        engine: AsyncEngine = container.engine()
        path = sqlite_path(str(engine.url))
        size = path.stat().st_size if path is not None and path.exists() else None
        return SystemInfo(
            version=VERSION,
            python=platform.python_version(),
            uptime_seconds=round(time.monotonic() - state.started_at, 3),
            database=DatabaseInfo(
                url=make_url(str(engine.url)).render_as_string(hide_password=True),
                path=None if path is None else str(path),
                size_bytes=size,
                row_counts=await row_counts(engine),
            ),
            market_data_provider=settings.market_data.provider,
            simulated_market=settings.market_data.provider == "simulated",
        )

    @get(SYSTEM_CONFIG)
    async def get_config(self, state: State) -> Settings:
        """The effective settings, secrets shown as ``***``."""
        return redacted(container_of(state).settings())

    @patch(SYSTEM_CONFIG)
    async def update_config(self, state: State, data: ConfigPatch) -> ConfigChange:
        """Change run-time settings (core, market_data, calendar): validated, saved in the
        database, applied at once and kept across restarts. Body: the sections and keys
        to change, e.g. ``{"core": {"risk": {"medium_within_pct": 4}}}``."""
        container = container_of(state)
        stored, updated = await _proposed(container, data)
        await save_settings(container, stored)
        apply_settings(container, updated)
        return ConfigChange(settings=redacted(updated), shadowed_by_environment=shadowed_keys(data))

    @post(SYSTEM_CONFIG_VALIDATE, status_code=HTTP_200_OK)
    async def validate_config(self, state: State, data: dict[str, Any]) -> ConfigCheck:
        """Would this change be accepted? Nothing is saved."""
        try:
            await _proposed(container_of(state), data)
        except SettingsError as error:
            return ConfigCheck(valid=False, error=str(error))
        return ConfigCheck(valid=True)


async def _proposed(container: Container, change: Layer) -> tuple[Layer, Settings]:
    """The stored layer with ``change`` on top, and the settings it would give;
    ``SettingsError`` when the change cannot be taken."""
    check_runtime_only(change)
    stored = merge(await stored_settings(container), change)
    updated = with_stored(container.settings(), stored)
    _check_provider_works(container, updated)
    return stored, updated


def _check_provider_works(container: Container, updated: Settings) -> None:
    """A change that would move prices to a provider that cannot work (Schwab with no
    key or no login) is refused, saying what is missing: stored, it would leave the
    server without prices now and at every start."""
    provider = updated.market_data.provider
    if provider == container.settings().market_data.provider:
        return
    problem = provider_problem(updated, container.clock().now())
    if problem is not None:
        raise SettingsError(f"market_data.provider {provider} cannot be used: {problem}")


async def _database_health(engine: AsyncEngine) -> DatabaseHealth:
    try:
        await ping(engine)
    except StorageError as error:  # a new connection refused to open a file not the one
        return DatabaseHealth(status="down", error=error.message, cause=error.cause)
    except Exception as error:  # any driver failure means the same thing here: down
        return DatabaseHealth(status="down", error=type(error).__name__)
    storage = storage_status(engine)
    if storage.status != "ok":
        return DatabaseHealth(status=storage.status, error=storage.message, cause=storage.cause)
    return DatabaseHealth(status="ok")


def _market_health(market: object, settings: Settings) -> MarketDataHealth:
    provider = settings.market_data.provider
    simulated = provider == "simulated"
    if not isinstance(market, ResilientMarketData):  # a test's fake: nothing to report
        return MarketDataHealth(provider=provider, simulated=simulated, status="ok")
    health: ProviderHealth = market.health()
    return MarketDataHealth(
        provider=provider,
        simulated=simulated,
        status=health.status,
        last_success=health.last_success,
        last_error=health.last_error,
        last_error_at=health.last_error_at,
    )


def _with_provider_notes(market: MarketDataHealth, container: Container) -> MarketDataHealth:
    """The start-up fallback (when the stored provider could not be used) and, with
    Schwab, the login's age."""
    fallback: ProviderFallback | None = container.market_fallback()
    if fallback is not None:
        market = msgspec.structs.replace(
            market, status="degraded", wanted_provider=fallback.wanted, reason=fallback.reason
        )
    settings: Settings = container.settings()
    if settings.market_data.provider != "schwab":
        return market
    login = _schwab_login_health(settings, container.clock().now())
    if login.status in ("expired", "missing") and market.status == "ok":
        market = msgspec.structs.replace(market, status="degraded")
    return msgspec.structs.replace(market, schwab_login=login)


def _schwab_login_health(settings: Settings, now: datetime) -> SchwabLoginHealth:
    from adapters.market_data.errors import AuthenticationError
    from adapters.market_data.schwab_auth import login_age

    try:
        age = login_age(schwab_token_file(settings.schwab), now)
    except AuthenticationError as error:
        return SchwabLoginHealth(status="missing", error=str(error))
    return SchwabLoginHealth(
        status=age.status,
        logged_in_at=age.logged_in_at,
        age_days=round(age.age.total_seconds() / 86_400, 2),
        expires_at=age.expires_at,
    )


async def _plugins_health(container: Container) -> PluginsHealth:
    failed = [
        PluginFault(name=view.name, reason=view.reason)
        for view in await container.scheduler().list_plugins()
        if view.fault
    ]
    return PluginsHealth(status="degraded" if failed else "ok", failed=failed)
