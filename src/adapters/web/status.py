"""The status line: is the market open, are prices simulated or stale, who runs the jobs.

These are the figures ``GET /api/v1/health`` reports, read from the same container
parts (calendar, clock, settings, scheduler). The issue's operations service will
own them; then this module asks it instead.
"""

from __future__ import annotations

import msgspec
from litestar.datastructures import State

from wheel_core.app.views import PositionView


class StatusLine(msgspec.Struct, frozen=True, kw_only=True):
    market_open: bool
    simulated: bool
    stale: bool
    jobs: str
    """Which process runs the scheduled jobs, in words."""


async def status_line(state: State, positions: list[PositionView]) -> StatusLine:
    container = state.container
    now = container.clock().now()
    settings = container.settings()
    scheduler = await container.scheduler().current_status()
    return StatusLine(
        market_open=container.calendar().is_open(now),
        simulated=settings.market_data.provider == "simulated",
        stale=any(position.stale for position in positions),
        jobs=_jobs_in_words(scheduler.status, scheduler.leader),
    )


def _jobs_in_words(status: str, leader: str | None) -> str:
    if status == "running":
        return "this server runs the jobs"
    if status == "standby":
        return f"jobs run in another process ({leader or 'none leads now'})"
    if status == "disabled":
        return "this server runs no jobs (server.scheduler is off)"
    return "the scheduler is stopped"
