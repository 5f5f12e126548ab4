"""What running the product keeps: the job-run and settings repositories."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.persistence import tables
from adapters.persistence.repositories.base import SqlRepository
from wheel_core.domain.entities import JobRun
from wheel_core.ports import JobRunQuery


class SqlJobRunRepository(SqlRepository):
    table, what = tables.job_runs, "job run"

    async def add(self, run: JobRun) -> JobRun:
        return await self._insert(run)

    async def update(self, run: JobRun) -> None:
        await self._update(run)

    def _conditions(self, q: JobRunQuery) -> list[ColumnElement[bool]]:
        c = self.table.c
        conditions: list[ColumnElement[bool]] = []
        if q.job is not None:
            conditions.append(c.job == q.job)
        if q.status is not None:
            conditions.append(c.status == q.status)
        if q.day_from is not None:
            conditions.append(func.date(c.started_at) >= q.day_from)
        if q.day_to is not None:
            conditions.append(func.date(c.started_at) <= q.day_to)
        return conditions

    async def search(self, query: JobRunQuery) -> list[JobRun]:
        c = self.table.c
        order = (c.started_at.desc(), c.id.desc())
        return await self._page(JobRun, self._conditions(query), order, query.offset, query.limit)

    async def count(self, query: JobRunQuery) -> int:
        return await self._count(self._conditions(query))

    async def delete_finished_before(self, at: datetime) -> int:
        c = self.table.c
        statement = delete(self.table).where(c.started_at < at, c.status != "running")
        result = await self._execute(statement)
        return int(result.rowcount)


class SqlSettingRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        self._table = tables.settings

    async def get(self, key: str) -> str | None:
        statement = select(self._table.c.value).where(self._table.c.key == key)
        value = (await self._connection.execute(statement)).scalar_one_or_none()
        return None if value is None else str(value)

    async def set(self, key: str, value: str) -> None:
        c = self._table.c
        changed = await self._connection.execute(
            update(self._table).where(c.key == key).values(value=value)
        )
        if changed.rowcount == 0:
            await self._connection.execute(insert(self._table).values(key=key, value=value))

    async def all(self) -> dict[str, str]:
        rows = (await self._connection.execute(select(self._table))).all()
        return {str(key): str(value) for key, value in rows}
