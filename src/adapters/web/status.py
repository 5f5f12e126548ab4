"""The status line: is the market open, are prices simulated or stale, who runs the jobs.

Prices and jobs are what ``GET /api/v1/health`` reports, asked of the same
operations service (``adapters.operations``); whether the market is open is the
container's exchange calendar at the clock's now.
"""

from __future__ import annotations

import msgspec
from litestar.datastructures import State

from wheel_core.app.views import PositionView


class StatusLine(msgspec.Struct, frozen=True, kw_only=True):
    market_open: bool
    simulated: bool
    stale: bool
    """A position's price is stale, or the market data provider is not answering."""
    jobs: str
    """Which process runs the scheduled jobs, in words."""


async def status_line(state: State, positions: list[PositionView]) -> StatusLine:
    container = state.container
    health = await container.operations().health()
    return StatusLine(
        market_open=container.calendar().is_open(container.clock().now()),
        simulated=health.market_data.simulated,
        stale=health.market_data.status != "ok" or any(p.stale for p in positions),
        jobs=_jobs_in_words(health.scheduler.status, health.scheduler.leader),
    )


def _jobs_in_words(status: str, leader: str | None) -> str:
    if status == "running":
        return "this server runs the jobs"
    if status == "standby":
        return f"jobs run in another process ({leader or 'none leads now'})"
    if status == "disabled":
        return "this server runs no jobs (server.scheduler is off)"
    return "the scheduler is stopped"
