"""``RemoteJobControl``: the scheduler's :class:`~adapters.scheduler.control.JobControl` over the
API's ``/jobs`` and ``/plugins`` endpoints.

Names are checked here with the rules the API applies to its path, so a name the API
would refuse as malformed (a 400 naming the parameter) fails instead as the local
scheduler fails on it: no job, or no plugin, of that name.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx
import msgspec

from adapters import wire
from adapters.cli.remote.client import Api
from adapters.scheduler.control import (
    NAME_PATTERN,
    JobOverride,
    JobRunQuery,
    JobRunView,
    JobView,
    LeaseView,
    PluginUpdate,
    PluginView,
)
from wheel_core.app.views import Page
from wheel_core.domain.errors import NotFoundError

if TYPE_CHECKING:
    from adapters.scheduler.control import JobControl

MAX_PLUGIN_NAME = 200
RUN_ANSWER_MARGIN = 30.0
"""Seconds beyond a job's timeout that ``jobs run`` waits for the server's answer."""
_JOB_NAME = re.compile(NAME_PATTERN)


class _Leadership(msgspec.Struct, frozen=True, kw_only=True):
    leader: str | None = None
    lease_expires_at: datetime | None = None


class _Health(msgspec.Struct, frozen=True, kw_only=True):
    """The part of ``GET /health`` read here (the rest is ignored)."""

    scheduler: _Leadership


def job_path(name: str) -> str:
    if not _JOB_NAME.match(name):
        raise NotFoundError("job", name)
    return wire.fill(wire.JOB, name=name)


def plugin_path(name: str) -> str:
    if not name or len(name) > MAX_PLUGIN_NAME or "/" in name:
        raise NotFoundError("plugin", name)
    return wire.fill(wire.PLUGIN, name=quote(name, safe=""))


class RemoteJobControl:
    """The server's jobs and plugins; its scheduler runs what is asked of it."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._api = Api(client)

    async def list_jobs(self) -> list[JobView]:
        return await self._api.call("GET", wire.JOBS, list[JobView])

    async def get_job(self, name: str) -> JobView:
        return await self._api.call("GET", job_path(name), JobView)

    async def update_job(self, name: str, change: JobOverride) -> JobView:
        return await self._api.call("PATCH", job_path(name), JobView, body=change)

    async def run_now(self, name: str) -> JobRunView:
        """The server answers when the run ends, which may take up to the job's timeout:
        the request waits that long (and a little more), not the client's usual 30 s."""
        job = await self.get_job(name)
        wait = job.timeout_seconds + RUN_ANSWER_MARGIN
        return await self._api.call("POST", f"{job_path(name)}/run", JobRunView, wait=wait)

    async def list_runs(self, query: JobRunQuery) -> Page[JobRunView]:
        if query.job is not None and not _JOB_NAME.match(query.job):
            return Page(items=[], total=0, offset=query.offset, limit=query.limit)
        return await self._api.page(
            wire.JOB_RUNS,
            Page[JobRunView],
            params={
                "job": query.job,
                "status": query.status,
                "from": query.day_from,
                "to": query.day_to,
            },
            offset=query.offset,
            limit=query.limit,
        )

    async def leader(self) -> LeaseView:
        """From ``/health``: its scheduler member names the leader, whichever process it
        is (this server, another one, ``scheduler run``)."""
        health = await self._api.call("GET", wire.HEALTH, _Health)
        leader = health.scheduler.leader
        expires = None if leader is None else health.scheduler.lease_expires_at
        return LeaseView(holder=leader, expires_at=expires)

    async def list_plugins(self) -> list[PluginView]:
        return await self._api.call("GET", wire.PLUGINS, list[PluginView])

    async def get_plugin(self, name: str) -> PluginView:
        return await self._api.call("GET", plugin_path(name), PluginView)

    async def update_plugin(self, name: str, change: PluginUpdate) -> PluginView:
        return await self._api.call("PATCH", plugin_path(name), PluginView, body=change)


if TYPE_CHECKING:

    def _conforms(client: httpx.AsyncClient) -> JobControl:
        """mypy checks every signature of the Protocol against the class here."""
        return RemoteJobControl(client)


__all__ = ["RemoteJobControl"]
