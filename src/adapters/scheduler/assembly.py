"""The scheduler built from its parts: the core jobs, the container's extra jobs, the
plugin host over the discovered plugins, the runner, the lease.

The container calls :func:`build_scheduler` and :func:`discover_plugins`; tests call
them with fakes. Every part the jobs use at run time is passed as a provider (a
callable), so parts rebuilt after a settings change are the ones used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from adapters.scheduler.discovery import Discovery, discover
from adapters.scheduler.job_facade import JobFacade
from adapters.scheduler.jobs import CORE_DEFAULTS, Job, core_jobs
from adapters.scheduler.lease import SchedulerLease
from adapters.scheduler.plugin_host import PluginHost, PluginServices
from adapters.scheduler.runner import JobRunner
from adapters.scheduler.scheduler import Scheduler
from adapters.scheduler.token_watch import SCHWAB_LOGIN_WATCH
from adapters.settings import SchedulerSettings
from wheel_core.app.facade import WheelFacade
from wheel_core.ports import Clock, MarketCalendar, MarketData, Notifier, UnitOfWorkFactory


def build_scheduler(
    *,
    settings: SchedulerSettings,
    enabled: bool,
    unit_of_work: UnitOfWorkFactory,
    clock: Clock,
    calendar: Callable[[], MarketCalendar],
    service: Callable[[], Any],
    market: Callable[[], MarketData],
    notifier: Callable[[], Notifier],
    discovery: Discovery,
    lease: SchedulerLease,
    extra_jobs: Sequence[Job] = (),
) -> Scheduler:
    """The scheduler over the container's parts (each asked for at run time, so parts
    rebuilt after a settings change are the ones used). ``extra_jobs`` are adapter jobs
    the container adds beside the four core ones (the Schwab login watch)."""
    facade: Callable[[], JobFacade] = service
    plugin_service: Callable[[], WheelFacade] = service
    host = PluginHost(
        discovery,
        unit_of_work=unit_of_work,
        services=PluginServices(
            service=plugin_service, market=market, calendar=calendar, notifier=notifier, clock=clock
        ),
        default_timeout=settings.job_timeout,
    )
    return Scheduler(
        jobs=[*core_jobs(facade), *extra_jobs],
        plugins=host,
        runner=JobRunner(
            unit_of_work=unit_of_work,
            clock=clock,
            calendar=calendar,
            default_timeout=settings.job_timeout,
        ),
        unit_of_work=unit_of_work,
        clock=clock,
        calendar=calendar,
        settings=settings,
        enabled=enabled,
        lease=lease,
    )


def discover_plugins(settings: SchedulerSettings) -> Discovery:
    """The plugins of ``scheduler.plugins_dir`` and of the installed entry points."""
    return discover(
        Path(settings.plugins_dir).expanduser(),
        reserved=frozenset({*CORE_DEFAULTS, SCHWAB_LOGIN_WATCH}),
        import_timeout=settings.plugin_import_timeout,
    )
