"""The run history: every run as the API shows it, and the filtered, paged list.

``JobRunRepository`` lists runs newest first by job; the status and date filters and
the total are applied here over that list, which is enough for a history of a few
runs a day per job (a repository query would be the step up for a very long history).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec

from wheel_core.app.views import Page
from wheel_core.domain.entities import JobRun
from wheel_core.ports import UnitOfWorkFactory

RunStatus = Literal["running", "success", "failure", "timeout", "skipped_market_closed"]
RunTrigger = Literal["schedule", "manual"]
EVERY_RUN = 2**31 - 1


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


class JobRunQuery(msgspec.Struct, frozen=True, kw_only=True):
    job: str | None = None
    status: RunStatus | None = None
    day_from: date | None = None
    """Inclusive bounds on the UTC day the run started."""
    day_to: date | None = None
    offset: int = 0
    limit: int = 100


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
        runs = await uow.job_runs.list(job=query.job, limit=EVERY_RUN)
    matching = [run for run in runs if _matches(run, query)]
    page = matching[query.offset : query.offset + query.limit]
    return Page(
        items=[view_of(run) for run in page],
        total=len(matching),
        offset=query.offset,
        limit=query.limit,
    )


async def last_run(unit_of_work: UnitOfWorkFactory, job: str) -> JobRunView | None:
    async with unit_of_work() as uow:
        runs = await uow.job_runs.list(job=job, limit=1)
    return view_of(runs[0]) if runs else None


def _matches(run: JobRun, query: JobRunQuery) -> bool:
    day = run.started_at.date()
    return (
        (query.status is None or run.status == query.status)
        and (query.day_from is None or day >= query.day_from)
        and (query.day_to is None or day <= query.day_to)
    )
