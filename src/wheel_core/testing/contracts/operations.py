"""The unit of work's operations repositories: job runs and settings.

Part of :class:`~wheel_core.testing.contracts.unit_of_work.UnitOfWorkContract`, split out
by repository so each suite fits in one reading; it runs alone too (provide ``uow_factory``).
"""

from __future__ import annotations

from datetime import timedelta

from wheel_core.domain.entities import JobRun
from wheel_core.ports import JobRunQuery, UnitOfWorkFactory
from wheel_core.testing.contracts.records import T0, StorageSuite


class OperationsRepositoryContract(StorageSuite):
    """Job runs newest first and pruned when finished; settings round trip."""

    async def test_job_runs_newest_first(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            first = await uow.job_runs.add(
                JobRun(job="snapshot", trigger="schedule", started_at=T0, status="running")
            )
            second = await uow.job_runs.add(
                JobRun(
                    job="risk",
                    trigger="manual",
                    started_at=T0 + timedelta(minutes=5),
                    status="success",
                    finished_at=T0 + timedelta(minutes=6),
                    summary="3 ok",
                )
            )
            first.status = "failure"
            first.error = "provider down"
            first.finished_at = T0 + timedelta(minutes=1)
            await uow.job_runs.update(first)
            await uow.commit()
        async with uow_factory() as uow:
            every = JobRunQuery()
            assert await uow.job_runs.search(every) == [second, first]
            assert await uow.job_runs.search(JobRunQuery(job="snapshot")) == [first]
            assert await uow.job_runs.search(JobRunQuery(limit=1)) == [second]
            assert await uow.job_runs.search(JobRunQuery(offset=1)) == [first]
            assert await uow.job_runs.count(every) == 2
            failed = JobRunQuery(status="failure")
            assert (await uow.job_runs.search(failed), await uow.job_runs.count(failed)) == (
                [first],
                1,
            )
            day = T0.date()
            same_day = JobRunQuery(day_from=day, day_to=day)
            assert await uow.job_runs.count(same_day) == 2
            assert await uow.job_runs.count(JobRunQuery(day_from=day + timedelta(days=1))) == 0
            assert await uow.job_runs.count(JobRunQuery(day_to=day - timedelta(days=1))) == 0
        async with uow_factory() as uow:
            running = await uow.job_runs.add(
                JobRun(job="snapshot", trigger="manual", started_at=T0, status="running")
            )
            assert await uow.job_runs.delete_finished_before(T0) == 0, "strictly before"
            cutoff = T0 + timedelta(minutes=5)
            assert await uow.job_runs.delete_finished_before(cutoff) == 1  # first; not running
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.job_runs.search(JobRunQuery()) == [second, running]

    async def test_settings_round_trip(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            await uow.settings.set("risk.medium_within_pct", "5")
            await uow.settings.set("jobs", '{"snapshot": {"enabled": true}}')
            await uow.settings.set("risk.medium_within_pct", "7.5")
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.settings.get("risk.medium_within_pct") == "7.5"
            assert await uow.settings.get("missing") is None
            assert await uow.settings.all() == {
                "risk.medium_within_pct": "7.5",
                "jobs": '{"snapshot": {"enabled": true}}',
            }
