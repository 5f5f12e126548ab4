"""Background jobs: their schedules, changes that apply at once, runs on demand, history.

Handlers get the scheduler as :class:`~adapters.scheduler.control.LocalJobControl`,
never the concrete ``Scheduler``: the scheduler's inside stays its own.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import get, patch, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Dependency, Parameter, QueryParameter
from litestar.status_codes import HTTP_200_OK

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import container_of
from adapters.http.pagination import DEFAULT_LIMIT, Limit, Offset
from adapters.scheduler.control import (
    NAME_PATTERN,
    JobOverride,
    JobRunQuery,
    JobRunView,
    JobView,
    LocalJobControl,
    RunStatus,
)
from adapters.wire import JOB, JOB_RUN, JOB_RUNS, JOBS
from wheel_core.app.views import Page

JobName = Annotated[
    str, Parameter(pattern=NAME_PATTERN, max_length=64, description="A job's name.")
]


async def _scheduler(state: State) -> LocalJobControl:
    """The process's scheduler; where it does not run the jobs (a worker with
    ``server.scheduler: false``), its settings are read again first, since the process
    that runs them may have changed them (a plugin disabled after a failure)."""
    scheduler: LocalJobControl = container_of(state).scheduler()
    await scheduler.refresh()
    return scheduler


SCHEDULER = {"scheduler": Provide(_scheduler)}
Jobs = Annotated[LocalJobControl, Dependency(skip_validation=True)]
"""The ``scheduler`` handlers receive: a Protocol, which Litestar cannot check with
``isinstance`` (nor need to: the container built it)."""


class JobController(ApiController):
    path = "/"
    tags = ["jobs"]
    dependencies = SCHEDULER

    @get(JOBS)
    async def list_jobs(self, scheduler: Jobs) -> list[JobView]:
        """Every job — the core ones and one per loaded plugin — with its effective
        schedule, next run and last run."""
        return await scheduler.list_jobs()

    @get(JOB_RUNS)
    async def list_runs(
        self,
        scheduler: Jobs,
        job: Annotated[
            str | None,
            Parameter(pattern=NAME_PATTERN, max_length=64, description="Only this job's runs."),
        ] = None,
        status: Annotated[RunStatus | None, Parameter(description="Only runs so ended.")] = None,
        day_from: Annotated[
            date | None,
            QueryParameter(name="from", description="Started on or after this day (UTC)."),
        ] = None,
        day_to: Annotated[
            date | None,
            QueryParameter(name="to", description="Started on or before this day (UTC)."),
        ] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[JobRunView]:
        """The run history, newest first; ``total`` counts every match."""
        return await scheduler.list_runs(
            JobRunQuery(
                job=job, status=status, day_from=day_from, day_to=day_to, offset=offset, limit=limit
            )
        )

    @get(JOB)
    async def get_job(self, scheduler: Jobs, name: JobName) -> JobView:
        """One job; 404 when no job has that name."""
        return await scheduler.get_job(name)

    @patch(JOB)
    async def update_job(self, scheduler: Jobs, name: JobName, data: JobOverride) -> JobView:
        """Change a job's schedule; stored, and applied at once by the running scheduler.
        Give ``interval_minutes`` or ``cron`` (either replaces the other); for a plugin's
        job, ``enabled`` is the plugin's enable flag."""
        return await scheduler.update_job(name, data)

    @post(JOB_RUN, status_code=HTTP_200_OK)
    async def run_job(self, scheduler: Jobs, name: JobName) -> JobRunView:
        """Run the job now, whatever its schedule or the market hours, and answer the
        recorded run (trigger ``manual``); 409 while the job is running."""
        return await scheduler.run_now(name)
