"""The composition root: the one place that knows which adapter serves which port.

Everything is built from :class:`~adapters.settings.Settings`. Tests replace any
part in one line, before anything asks for it::

    container = Container(settings=providers.Object(settings))
    container.clock.override(providers.Object(fake_clock))
    container.market_data.override(providers.Object(FakeMarketData()))

The engine is created here but opened (migrated) and closed by whoever runs the
process — the Litestar lifespan, the CLI — through :func:`start` and :func:`stop`.

Only wiring lives here: what the system does to itself — opening at start (migrations,
the stored run-time settings and the provider fallback, the default portfolio), health,
info, the database upgrade and legacy import, run-time settings changes — is the
operations service's (``adapters/operations/``), built by ``Container.operations``;
:func:`apply_settings` is its hook back into the wiring.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from dependency_injector import containers, providers
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.clock import SystemClock
from adapters.market_data.calendar import NyseCalendar
from adapters.market_data.readiness import missing_keys
from adapters.market_data.resilient import CachePolicy, ResilientMarketData, RetryPolicy
from adapters.market_data.simulated import SimulatedMarket
from adapters.operations.service import OperationsService
from adapters.operations.views import ProviderFallback
from adapters.persistence.database import create_engine
from adapters.persistence.lease import SqlSchedulerLease
from adapters.persistence.unit_of_work import SqlUnitOfWorkFactory
from adapters.scheduler.assembly import build_scheduler, discover_plugins
from adapters.scheduler.notifiers import LogNotifier, WebhookNotifier
from adapters.scheduler.scheduler import Scheduler
from adapters.scheduler.token_watch import schwab_login_job
from adapters.settings import MarketDataSettings, SchedulerSettings, SchwabSettings, Settings
from wheel_core.app.service import WheelService
from wheel_core.ports import Notifier


def cache_policy(settings: MarketDataSettings) -> CachePolicy:
    return CachePolicy(
        quote_ttl=timedelta(seconds=settings.quote_ttl),
        chain_ttl=timedelta(seconds=settings.chain_ttl),
        history_ttl=timedelta(seconds=settings.history_ttl),
        events_ttl=timedelta(seconds=settings.history_ttl),
        max_stale=timedelta(seconds=settings.max_stale),
    )


UNLIMITED = 1_000_000_000
"""Requests a minute allowed to the simulated market: it is local, so nothing to spare."""


def retry_policy(settings: MarketDataSettings) -> RetryPolicy:
    """The rate limit protects a broker; the simulated market is computed here and is not
    limited (a limiter there would only queue a busy server's requests for nothing)."""
    per_minute = UNLIMITED if settings.provider == "simulated" else settings.requests_per_minute
    return RetryPolicy(attempts=settings.retry_attempts, requests_per_minute=per_minute)


def build_schwab_market(settings: SchwabSettings, clock: Any) -> Any:
    """The Schwab provider over the saved login; imported here only when chosen, so
    the default install needs no schwab-py."""
    from adapters.market_data.errors import AuthenticationError
    from adapters.market_data.schwab import LOGIN_COMMAND, SchwabMarketData
    from adapters.market_data.schwab_auth import load_client, token_path

    if not settings.api_key or not settings.app_secret:
        raise AuthenticationError(missing_keys(LOGIN_COMMAND))
    path = Path(settings.token_path) if settings.token_path else token_path()
    client = load_client(settings.api_key, settings.app_secret, path)
    return SchwabMarketData(client, clock)


def build_notifier(settings: SchedulerSettings) -> Notifier:
    """Where new alerts go: the log (default) or ``scheduler.webhook_url``."""
    if settings.notifier == "webhook":
        return WebhookNotifier(
            settings.webhook_url, timeout=settings.webhook_timeout, retries=settings.webhook_retries
        )
    return LogNotifier()


def build_operations(container: Container) -> OperationsService:
    """The operations service over this container's parts, each asked for when needed;
    a settings change it takes goes through :func:`apply_settings`."""
    return OperationsService(
        settings=container.settings,
        engine=container.engine,
        unit_of_work=container.unit_of_work,
        clock=container.clock,
        market=container.market_data,
        service=container.service,
        scheduler=container.scheduler,
        fallback=container.market_fallback,
        calendar=container.calendar,
        schwab_market=container.schwab_market,
        rewire=partial(apply_settings, container),
    )


class Container(containers.DeclarativeContainer):
    settings = providers.Object(Settings())

    clock = providers.Singleton(SystemClock)
    engine = providers.Singleton(create_engine, settings.provided.database.url)
    unit_of_work = providers.Singleton(SqlUnitOfWorkFactory, engine)

    calendar = providers.Singleton(
        NyseCalendar,
        extra_closed_days=settings.provided.calendar.extra_closed_days,
        extra_early_closes=settings.provided.calendar.extra_early_closes,
    )
    simulated_market = providers.Singleton(
        SimulatedMarket, clock, calendar, seed=settings.provided.market_data.seed
    )
    schwab_market = providers.Singleton(build_schwab_market, settings.provided.schwab, clock)
    market_provider = providers.Selector(
        providers.Callable(lambda settings: settings.market_data.provider, settings),
        simulated=simulated_market,
        schwab=schwab_market,
    )
    market_data = providers.Singleton(
        ResilientMarketData,
        market_provider,
        clock,
        cache=providers.Callable(cache_policy, settings.provided.market_data),
        retry=providers.Callable(retry_policy, settings.provided.market_data),
    )

    market_fallback: providers.Object[ProviderFallback | None] = providers.Object(None)
    """A :class:`ProviderFallback` while the stored provider cannot be used (set through
    :func:`apply_settings` by the operations service at start, cleared by the next
    settings change); ``None`` otherwise."""

    notifier = providers.Singleton(build_notifier, settings.provided.scheduler)
    service = providers.Singleton(
        WheelService,
        unit_of_work,
        clock,
        market=market_data,
        calendar=calendar,
        settings=settings.provided.core,
        notifier=notifier,
    )

    scheduler_lease = providers.Singleton(SqlSchedulerLease, engine)
    plugin_discovery = providers.Singleton(discover_plugins, settings.provided.scheduler)
    # The scheduler asks for the service, market, calendar and notifier on each run
    # (``.provider``), so the parts rebuilt by ``apply_settings`` or overridden by a test
    # are the ones its jobs use.
    scheduler = providers.Singleton(
        build_scheduler,
        settings=settings.provided.scheduler,
        enabled=settings.provided.server.scheduler,
        unit_of_work=unit_of_work,
        clock=clock,
        calendar=calendar.provider,
        service=service.provider,
        market=market_data.provider,
        notifier=notifier.provider,
        discovery=plugin_discovery,
        lease=scheduler_lease,
        extra_jobs=providers.List(
            providers.Callable(schwab_login_job, settings.provider, clock, service.provider)
        ),
    )

    __self__ = providers.Self()
    operations = providers.Singleton(build_operations, __self__)
    """Health, info, the database upgrade and legacy import, run-time settings: what the
    HTTP system endpoints and the CLI's ``db`` and ``config`` commands use."""


def build_container(settings: Settings) -> Container:
    container = Container()
    container.settings.override(providers.Object(settings))
    return container


def apply_settings(
    container: Container, settings: Settings, fallback: ProviderFallback | None = None
) -> None:
    """Take new run-time settings: the parts built from them are rebuilt on next use.
    ``fallback`` says the provider serving prices is not the one the settings asked for
    (``None``: it is).

    The engine is kept — the database cannot change under a running process.
    """
    container.settings.override(providers.Object(settings))
    container.market_fallback.reset_override()
    if fallback is not None:
        container.market_fallback.override(providers.Object(fallback))
    for provider in (
        container.calendar,
        container.simulated_market,
        container.schwab_market,
        container.market_data,
        container.service,
    ):
        provider.reset()


async def start(container: Container) -> AsyncEngine:
    """Open the process's database and state (:meth:`OperationsService.open`: migrations,
    the stored run-time settings, the default portfolio, the Schwab login's check); the
    engine, for whoever closes it with :func:`stop`."""
    operations: OperationsService = container.operations()
    await operations.open()
    engine: AsyncEngine = container.engine()
    return engine


async def start_to_read(container: Container) -> bool:
    """:func:`start` without a write transaction, for a process that only reads
    (:meth:`OperationsService.open_to_read`); ``False`` when the schema needs migrating."""
    operations: OperationsService = container.operations()
    return await operations.open_to_read()


async def start_scheduler(container: Container) -> Scheduler:
    """After :func:`start`: run the background jobs in this process when
    ``server.scheduler`` is on; otherwise only load their settings, so jobs can be
    listed, changed and run on demand. Needs a running event loop."""
    scheduler: Scheduler = container.scheduler()
    if container.settings().server.scheduler:
        await scheduler.start()
    else:
        await scheduler.load()
    return scheduler


async def stop_scheduler(container: Container) -> None:
    scheduler: Scheduler = container.scheduler()
    await scheduler.stop()


async def stop(container: Container) -> None:
    engine: AsyncEngine = container.engine()
    await engine.dispose()
