"""The run history's upkeep: runs a stopped process left ``running`` are closed as
failures, and runs older than ``scheduler.keep_runs_days`` are deleted once a day.

The scheduler calls both when it starts leading and with every reload while it leads
(a standby only follows); a database that cannot be written to is logged and tried
again next time — upkeep never stops the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from adapters.scheduler.history import JobRunQuery
from adapters.scheduler.owners import is_alive
from adapters.scheduler.runner import STOP_GRACE
from wheel_core.domain.entities import JobRun
from wheel_core.ports import Clock, UnitOfWorkFactory

log = logging.getLogger(__name__)

ORPHANED = "interrupted (the process stopped during the run)"


class RunHousekeeping:
    """``timeout_of(job)``: the job's timeout in seconds (the default for a job since
    removed); ``born``: when this process's scheduler was built — a run without an
    owner, recorded by an older version, is orphaned if it began before that."""

    def __init__(
        self,
        *,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        keep_days: int,
        timeout_of: Callable[[str], int],
        born: datetime,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._keep_days = keep_days
        self._timeout_of = timeout_of
        self._born = born
        self._pruned_on: date | None = None

    async def prune_runs(self) -> int:
        """Delete the runs older than ``scheduler.keep_runs_days``, once a day; how many.
        A database that cannot be written to is logged and tried again tomorrow."""
        today = self._clock.now().date()
        keep = self._keep_days
        if keep == 0 or self._pruned_on == today:
            return 0
        self._pruned_on = today
        try:
            async with self._unit_of_work() as uow:
                pruned = await uow.job_runs.delete_finished_before(
                    self._clock.now() - timedelta(days=keep)
                )
                await uow.commit()
        except Exception:
            log.exception("the run history could not be pruned")
            return 0
        if pruned:
            log.info("deleted %d job runs older than %d days", pruned, keep)
        return pruned

    async def close_orphans(self) -> int:
        """Record as failures the runs still ``running`` whose process stopped mid-run;
        how many. Done at start and with every reload, so a run left by a process that
        died while another kept running is closed within a minute of its timeout."""
        now = self._clock.now()
        try:
            async with self._unit_of_work(read_only=True) as uow:
                running = await uow.job_runs.search(JobRunQuery(status="running"))
            orphans = {run.id for run in running if self._orphaned(run, now)}
            if not orphans:
                return 0
            closed = 0
            async with self._unit_of_work() as uow:  # again: one may have finished since
                for run in await uow.job_runs.search(JobRunQuery(status="running")):
                    if run.id in orphans:
                        run.status, run.error, run.finished_at = "failure", ORPHANED, now
                        await uow.job_runs.update(run)
                        closed += 1
                await uow.commit()
        except Exception:
            log.exception("runs left running by a stopped process could not be closed")
            return 0
        log.warning("%d job runs left running by a stopped process were closed", closed)
        return closed

    def _orphaned(self, run: JobRun, now: datetime) -> bool:
        """Whether ``run``'s process is gone (see ``owners.py``). A run without an owner
        was recorded by an older version: gone if it began before this process."""
        if run.owner is None:
            return run.started_at < self._born
        if is_alive(run.owner) is False:
            return True
        timeout = self._timeout_of(run.job)
        return now - run.started_at > timedelta(seconds=timeout + STOP_GRACE)
