"""``/health``, part by part: the database, market data, the scheduler and the plugins.

Each part is judged here from what its adapter reports (a ping and the storage watch,
the provider wrapper's counters, the Schwab login's age, the scheduler's lease); the
HTTP adapter only shows the answer and turns ``down`` into a 503.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.market_data.readiness import schwab_token_file
from adapters.market_data.resilient import ProviderHealth, ResilientMarketData
from adapters.operations.views import (
    DatabaseHealth,
    Health,
    MarketDataHealth,
    PluginFault,
    PluginsHealth,
    ProviderFallback,
    SchedulerHealth,
    SchwabLoginHealth,
    Status,
)
from adapters.persistence.inspection import ping
from adapters.persistence.storage import storage_status
from adapters.scheduler.views import PluginView, SchedulerStatus
from adapters.settings import Settings
from wheel_core.domain.errors import StorageError


class WatchedScheduler(Protocol):
    """What health reads of the scheduler: its state and lease, and its plugins."""

    async def current_status(self) -> SchedulerStatus: ...

    async def list_plugins(self) -> list[PluginView]: ...


def overall(database: DatabaseHealth, market: MarketDataHealth, plugins: PluginsHealth) -> Status:
    """``down`` when the database cannot be used; ``degraded`` when market data is, when
    plugins failed, or when the database's last write failed."""
    if database.status == "down":
        return "down"
    if market.status != "ok" or plugins.status != "ok" or database.status == "degraded":
        return "degraded"
    return "ok"


async def health_of(
    *,
    engine: AsyncEngine,
    market: object,
    settings: Settings,
    fallback: ProviderFallback | None,
    now: datetime,
    scheduler: WatchedScheduler,
) -> Health:
    database = await database_health(engine)
    market_health = with_provider_notes(market_health_of(market, settings), settings, fallback, now)
    jobs = scheduler_health(await scheduler.current_status())
    plugins = await plugins_health(scheduler)
    return Health(
        status=overall(database, market_health, plugins),
        database=database,
        market_data=market_health,
        scheduler=jobs,
        plugins=plugins,
    )


async def database_health(engine: AsyncEngine) -> DatabaseHealth:
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


def market_health_of(market: object, settings: Settings) -> MarketDataHealth:
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


def with_provider_notes(
    market: MarketDataHealth,
    settings: Settings,
    fallback: ProviderFallback | None,
    now: datetime,
) -> MarketDataHealth:
    """The start-up fallback (when the stored provider could not be used) and, with
    Schwab, the login's age."""
    if fallback is not None:
        market = msgspec.structs.replace(
            market, status="degraded", wanted_provider=fallback.wanted, reason=fallback.reason
        )
    if settings.market_data.provider != "schwab":
        return market
    login = schwab_login_health(settings, now)
    if login.status in ("expired", "missing") and market.status == "ok":
        market = msgspec.structs.replace(market, status="degraded")
    return msgspec.structs.replace(market, schwab_login=login)


def schwab_login_health(settings: Settings, now: datetime) -> SchwabLoginHealth:
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


def scheduler_health(jobs: SchedulerStatus) -> SchedulerHealth:
    return SchedulerHealth(
        status=jobs.status,
        jobs=jobs.jobs,
        next_run_at=jobs.next_run_at,
        next_job=jobs.next_job,
        role=jobs.role,
        identity=jobs.identity,
        leader=jobs.leader,
        lease_expires_at=jobs.lease_expires_at,
    )


async def plugins_health(scheduler: WatchedScheduler) -> PluginsHealth:
    failed = [
        PluginFault(name=view.name, reason=view.reason)
        for view in await scheduler.list_plugins()
        if view.fault
    ]
    return PluginsHealth(status="degraded" if failed else "ok", failed=failed)
