"""System endpoints: health, info and the run-time configuration."""

from __future__ import annotations

import platform
import time
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, get, patch, post
from litestar.datastructures import State
from litestar.params import Body
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.container import Container, apply_settings, save_settings, stored_settings
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
from wheel_core.domain.errors import StorageError

Status = Literal["ok", "degraded", "down"]


class DatabaseHealth(msgspec.Struct, frozen=True, kw_only=True):
    """``down``: unusable, or its file deleted or replaced (``cause`` ``gone``);
    ``degraded``: reads work but the last write failed (``cause`` ``full``,
    ``read_only`` or ``failed``) and none succeeded since."""

    status: Status
    error: str | None = None
    cause: str | None = None


class MarketDataHealth(msgspec.Struct, frozen=True, kw_only=True):
    provider: str
    simulated: bool
    status: Status
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None


class SchedulerHealth(msgspec.Struct, frozen=True, kw_only=True):
    """``disabled``: this process does not run jobs (``server.scheduler: false``);
    ``stopped``: it should, but the scheduler is not running."""

    status: Literal["running", "stopped", "disabled"]
    jobs: int = 0
    """Jobs scheduled in this process."""
    next_run_at: datetime | None = None
    next_job: str | None = None


class Health(msgspec.Struct, frozen=True, kw_only=True):
    """``down`` (503) when the database cannot be used; ``degraded`` when market data is,
    or when the database's last write failed (its disk full or read-only)."""

    status: Status
    database: DatabaseHealth
    market_data: MarketDataHealth
    scheduler: SchedulerHealth


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


class SystemController(Controller):
    path = "/"
    tags = ["system"]

    @get("/health", status_code=HTTP_200_OK)
    async def health(self, state: State) -> Health:
        """Database, market data and scheduler; 503 when the database is down, as
        problem+json like every error, with the same report in its ``health`` member."""
        container = container_of(state)
        database = await _database_health(container.engine())
        market = _market_health(container.market_data(), container.settings())
        jobs = container.scheduler().status()
        scheduler = SchedulerHealth(
            status=jobs.status, jobs=jobs.jobs, next_run_at=jobs.next_run_at, next_job=jobs.next_job
        )
        if database.status == "down":
            status: Status = "down"
        elif market.status != "ok" or database.status == "degraded":
            status = "degraded"
        else:
            status = "ok"
        body = Health(status=status, database=database, market_data=market, scheduler=scheduler)
        if status == "down":
            detail = f"the database is down: {database.error}"
            raise ServiceDownError(detail, code="database_down", health=body)
        return body

    @get("/system/info")
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

    @get("/system/config")
    async def get_config(self, state: State) -> Settings:
        """The effective settings, secrets shown as ``***``."""
        return redacted(container_of(state).settings())

    @patch("/system/config")
    async def update_config(self, state: State, data: ConfigPatch) -> ConfigChange:
        """Change run-time settings (core, market_data, calendar): validated, saved in the
        database, applied at once and kept across restarts. Body: the sections and keys
        to change, e.g. ``{"core": {"risk": {"medium_within_pct": 4}}}``."""
        container = container_of(state)
        stored, updated = await _proposed(container, data)
        await save_settings(container, stored)
        apply_settings(container, updated)
        return ConfigChange(settings=redacted(updated), shadowed_by_environment=shadowed_keys(data))

    @post("/system/config/validate", status_code=HTTP_200_OK)
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
    return stored, with_stored(container.settings(), stored)


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
