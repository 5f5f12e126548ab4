"""The one run path: what happens each time a job runs, scheduled or manual.

Gate (scheduled runs only: a manual run is the user's explicit wish), record the start,
run under the job's timeout, record the end — status, error, summary — and let the
job's hooks react. Nothing a job does escapes this path: an exception, a timeout or
a hook's own failure becomes a recorded status, so the scheduler and the other jobs
go on. Each run opens its own units of work.

A run executes in a task of its own, shielded from its caller: cancelling the caller
(APScheduler's shutdown, a client that went away) leaves the run to finish and be
recorded. Only :meth:`JobRunner.stop` cancels runs, and waits (bounded) for each to
record itself as interrupted before the database goes away.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from adapters.scheduler.history import RunStatus, RunTrigger
from adapters.scheduler.jobs import Job, JobFailedError
from adapters.scheduler.owners import this_process
from adapters.scheduler.schedules import JobSchedule, allowed
from wheel_core.domain.entities import JobRun
from wheel_core.domain.errors import ConflictError, DomainError
from wheel_core.ports import Clock, MarketCalendar, UnitOfWorkFactory

log = logging.getLogger(__name__)

STOP_GRACE = 10.0
"""Seconds :meth:`JobRunner.stop` waits for cancelled runs to record themselves."""
INTERRUPTED = "interrupted: the scheduler stopped"


class JobRunner:
    def __init__(
        self,
        *,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        calendar: Callable[[], MarketCalendar],
        default_timeout: float,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._calendar = calendar
        self._default_timeout = default_timeout
        self._running: set[str] = set()
        self._tasks: set[asyncio.Task[JobRun]] = set()
        self._interrupted: set[asyncio.Task[JobRun]] = set()

    def is_running(self, name: str) -> bool:
        return name in self._running

    async def run(self, job: Job, schedule: JobSchedule, trigger: RunTrigger) -> JobRun | None:
        """Run ``job`` once and return its recorded run.

        A scheduled run while the job still runs (a manual run started it) is dropped
        (``None``); a manual one is refused with ``ConflictError``: one instance per job.
        """
        if job.name in self._running:
            if trigger == "manual":
                raise ConflictError(f"job {job.name} is running; wait for it to finish")
            log.info("job %s is still running; this scheduled run is dropped", job.name)
            return None
        started = self._clock.now()
        if trigger == "schedule" and not allowed(self._calendar(), schedule.only_when, started):
            skipped = JobRun(
                job=job.name,
                trigger=trigger,
                started_at=started,
                finished_at=started,
                status="skipped_market_closed",
                summary=f"market closed at {started.isoformat()}",
            )
            return await self._save(skipped, new=True)
        self._running.add(job.name)
        task = asyncio.create_task(self._execute(job, schedule, trigger, started))
        self._tasks.add(task)

        def done(task: asyncio.Task[JobRun]) -> None:
            self._tasks.discard(task)
            self._interrupted.discard(task)
            self._running.discard(job.name)

        task.add_done_callback(done)
        return await asyncio.shield(task)

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Cancel the runs in progress and wait up to ``grace`` seconds for each to record
        itself as a failure, ``interrupted: the scheduler stopped``."""
        tasks = [task for task in self._tasks if not task.done()]
        for task in tasks:
            self._interrupted.add(task)
            task.cancel()
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=grace)
        if pending:
            log.error("%d runs did not stop within %g s; recorded as running", len(pending), grace)

    async def _execute(
        self, job: Job, schedule: JobSchedule, trigger: RunTrigger, started: datetime
    ) -> JobRun:
        running = JobRun(
            job=job.name,
            trigger=trigger,
            started_at=started,
            status="running",
            owner=this_process(),
        )
        run = await self._save(running, new=True)
        timeout = schedule.timeout_seconds or self._default_timeout
        status: RunStatus
        summary: str | None = None
        error: str | None = None
        failure: BaseException | None = None
        try:
            async with asyncio.timeout(timeout) as deadline:
                summary = await job.action()
            status = "success"
        except TimeoutError as raised:
            if deadline.expired():
                status, error = "timeout", f"did not finish within {timeout:g} s; cancelled"
            else:
                status, error = "failure", _message(raised)
            failure = raised
        except asyncio.CancelledError:
            stopped = asyncio.current_task() in self._interrupted
            run.status, run.finished_at = "failure", self._clock.now()
            run.error = INTERRUPTED if stopped else "cancelled"
            await self._save(run, new=False)
            raise
        except Exception as raised:
            status, error, failure = "failure", _message(raised), raised
            log.warning("job %s failed: %s", job.name, error, exc_info=raised)
        run.status, run.summary, run.error = status, summary, error
        run.finished_at = self._clock.now()
        await self._save(run, new=False)
        await self._after(job, run, failure)
        return run

    async def _after(self, job: Job, run: JobRun, failure: BaseException | None) -> None:
        try:
            if failure is None and job.after_success is not None:
                await job.after_success(run.summary or "")
            elif failure is not None and job.after_failure is not None:
                await job.after_failure(run.status, failure)
        except Exception:
            log.exception("the after-run hook of job %s failed", job.name)

    async def _save(self, run: JobRun, *, new: bool) -> JobRun:
        """Record ``run``; a database that cannot take it is logged, never raised."""
        try:
            async with self._unit_of_work() as uow:
                if new:
                    run = await uow.job_runs.add(run)
                else:
                    await uow.job_runs.update(run)
                await uow.commit()
        except Exception:
            log.exception("could not record a run of job %s", run.job)
        return run


def _message(error: BaseException) -> str:
    """A domain error's own message says it; anything else is named by its class too."""
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, JobFailedError):
        return str(error)
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
