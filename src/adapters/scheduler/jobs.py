"""The core jobs: each a thin adapter over one facade use case, plus its summary line.

A job's action returns the summary recorded with the run. When a batch had work and
none of it succeeded (every symbol failed: the provider is down), the action raises
:class:`JobFailedError`, so the run is recorded as a failure and not as a success
with an alarming summary; a partial failure is a success whose summary counts the
failures.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from adapters.scheduler.job_facade import JobFacade
from adapters.scheduler.schedules import EXCHANGE_ZONE, JobSchedule

log = logging.getLogger(__name__)

JobKind = Literal["core", "plugin"]
Action = Callable[[], Awaitable[str]]
FailureHook = Callable[[str, BaseException], Awaitable[None]]
SuccessHook = Callable[[str], Awaitable[None]]


class JobFailedError(Exception):
    """The job ran but achieved nothing; the message says why (the first failures)."""


@dataclass(frozen=True, kw_only=True)
class Job:
    """Something the scheduler runs: its name, default schedule and action.

    ``after_success``/``after_failure`` let the plugin host react (a plugin's own hooks,
    disabling a plugin that crashed); the run path calls them and survives their errors.
    """

    name: str
    description: str
    kind: JobKind
    default: JobSchedule
    action: Action
    after_success: SuccessHook | None = None
    after_failure: FailureHook | None = None


NEW_YORK = EXCHANGE_ZONE.key

PRICE_REFRESH = "price_refresh"
RISK_MONITOR = "risk_monitor"
DAILY_SNAPSHOT = "daily_snapshot"
OPPORTUNITY_SCAN = "opportunity_scan"

CORE_DEFAULTS = {
    PRICE_REFRESH: JobSchedule(interval_minutes=5, timezone=NEW_YORK, only_when="market_open"),
    RISK_MONITOR: JobSchedule(interval_minutes=15, timezone=NEW_YORK, only_when="market_open"),
    DAILY_SNAPSHOT: JobSchedule(
        cron="30 16 * * mon-fri", timezone=NEW_YORK, only_when="trading_day"
    ),
    OPPORTUNITY_SCAN: JobSchedule(
        cron="45 9 * * mon-fri", timezone=NEW_YORK, only_when="trading_day"
    ),
}
"""The core jobs' schedules before any setting: DESIGN §5."""


def core_jobs(facade: Callable[[], JobFacade]) -> list[Job]:
    """The four core jobs over ``facade`` (asked for on each run: the container may have
    rebuilt it after a settings change)."""

    async def refresh_prices() -> str:
        result = await facade().refresh_prices()
        refreshed, symbols = count(result.refreshed), count(result.symbols)
        _fail_when_nothing_worked(refreshed, result.failures, "price refresh")
        return f"refreshed {refreshed} of {symbols} symbols" + _failures(result.failures)

    async def monitor_risk() -> str:
        result = await facade().monitor_risk()
        _fail_when_nothing_worked(count(result.checked), result.failures, "risk monitor")
        # The service delivered the new alerts through its notifier as it stored them.
        alerts = len(result.alerts)
        return (
            f"checked {count(result.checked)} positions, {alerts} new "
            f"alert{'' if alerts == 1 else 's'}" + _failures(result.failures)
        )

    async def take_snapshot() -> str:
        result = await facade().take_snapshot()
        taken = len(result.snapshots)
        _fail_when_nothing_worked(taken, result.failures, "snapshot")
        return f"{taken} snapshot{'' if taken == 1 else 's'} for {result.day}" + _failures(
            result.failures
        )

    async def scan_opportunities() -> str:
        result = await facade().scan_opportunities()
        found, updated = count(result.found), count(result.updated)
        _fail_when_nothing_worked(found + updated, result.failures, "opportunity scan")
        return f"found {found} new opportunities, updated {updated}" + _failures(result.failures)

    def job(name: str, description: str, action: Action) -> Job:
        return Job(
            name=name,
            description=description,
            kind="core",
            default=CORE_DEFAULTS[name],
            action=action,
        )

    return [
        job(PRICE_REFRESH, "Refresh quotes for every active wheel.", refresh_prices),
        job(
            RISK_MONITOR,
            "Check open positions; alert (once per condition) on ITM, risk level or expiry.",
            monitor_risk,
        ),
        job(DAILY_SNAPSHOT, "Record each active wheel's position for the day.", take_snapshot),
        job(
            OPPORTUNITY_SCAN,
            "Recommend trades for idle wheels and the watchlist; store them as opportunities.",
            scan_opportunities,
        ),
    ]


def count(value: object) -> int:
    """A result field as a number: a count as it is, a list by its length."""
    if isinstance(value, int):
        return value
    if isinstance(value, Sequence | set | frozenset | dict):
        return len(value)
    return 0


def describe_failure(failure: object) -> str:
    symbol = getattr(failure, "symbol", None)
    error = getattr(failure, "error", None) or getattr(failure, "message", None) or failure
    return f"{symbol}: {error}" if symbol else str(error)


MAX_LISTED = 3


def _listed(failures: Sequence[object]) -> str:
    listed = "; ".join(describe_failure(f) for f in failures[:MAX_LISTED])
    more = f"; and {len(failures) - MAX_LISTED} more" if len(failures) > MAX_LISTED else ""
    return listed + more


def _failures(failures: Sequence[object]) -> str:
    return f"; {len(failures)} failed ({_listed(failures)})" if failures else ""


def _fail_when_nothing_worked(done: int, failures: Sequence[object], what: str) -> None:
    if failures and done == 0:
        raise JobFailedError(f"{what}: all {len(failures)} failed ({_listed(failures)})")
