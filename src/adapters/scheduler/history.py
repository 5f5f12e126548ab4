"""The run history: every run as the API shows it, and the filtered, paged list.

The filters and the page are the repository's query (``JobRunQuery``, re-exported
here for the API and the CLI), so a long history is never read whole: about 25,000
runs a year with the default schedules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from wheel_core.app.views import Page
from wheel_core.domain.entities import JobRun
from wheel_core.ports import JobRunQuery, UnitOfWorkFactory

__all__ = [
    "JobRunQuery",
    "JobRunView",
    "RunStatus",
    "RunTrigger",
    "last_run",
    "list_runs",
    "view_of",
]

RunStatus = Literal["running", "success", "failure", "timeout", "skipped_market_closed"]
RunTrigger = Literal["schedule", "manual"]


class JobRunView(msgspec.Struct, frozen=True, kw_only=True):
    """One run: when, how it was triggered, how it ended, and what it did."""

    id: int
    job: str
    trigger: RunTrigger
    status: RunStatus
    started_at: datetime
    finished_at: datetime | None
    duration_seconds: float | None
    """``finished_at − started_at``; ``None`` while running."""
    error: str | None
    summary: str | None


def view_of(run: JobRun) -> JobRunView:
    duration = (
        None
        if run.finished_at is None
        else round((run.finished_at - run.started_at).total_seconds(), 3)
    )
    return JobRunView(
        id=run.id or 0,
        job=run.job,
        trigger=run.trigger,  # type: ignore[arg-type]
        status=run.status,  # type: ignore[arg-type]
        started_at=run.started_at,
        finished_at=run.finished_at,
        duration_seconds=duration,
        error=run.error,
        summary=run.summary,
    )


async def list_runs(unit_of_work: UnitOfWorkFactory, query: JobRunQuery) -> Page[JobRunView]:
    """Runs newest first, filtered; ``total`` counts every match before paging."""
    async with unit_of_work() as uow:
        runs = await uow.job_runs.search(query)
        total = await uow.job_runs.count(query)
    return Page(
        items=[view_of(run) for run in runs],
        total=total,
        offset=query.offset,
        limit=query.limit,
    )


async def last_run(unit_of_work: UnitOfWorkFactory, job: str) -> JobRunView | None:
    async with unit_of_work() as uow:
        runs = await uow.job_runs.search(JobRunQuery(job=job, limit=1))
    return view_of(runs[0]) if runs else None
