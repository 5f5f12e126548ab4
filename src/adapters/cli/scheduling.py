"""Where the ``jobs`` and ``plugins`` commands reach the background jobs.

Jobs are no use case of the core: they belong to the scheduler adapter, so
:class:`JobControl` is the CLI's own small port over it. Direct mode loads the
scheduler's stored settings from the database and acts on them in this process (a
job run on demand runs here, against the same file); remote mode asks the server,
whose scheduler is the one that runs jobs on their schedule. Both answer the same
Structs, so the commands print the same bytes in either mode.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Protocol, TypeVar

from adapters.cli.options import GlobalOptions
from adapters.cli.runner import run

if TYPE_CHECKING:
    from adapters.scheduler.history import JobRunQuery, JobRunView
    from adapters.scheduler.lease import LeaseView
    from adapters.scheduler.scheduler import Scheduler
    from adapters.scheduler.views import JobView, PluginUpdate, PluginView
    from adapters.settings import JobOverride
    from wheel_core.app.views import Page

T = TypeVar("T")


class JobControl(Protocol):
    """What the CLI asks of the background jobs; the API's jobs and plugins endpoints."""

    async def list_jobs(self) -> list[JobView]: ...

    async def get_job(self, name: str) -> JobView: ...

    async def update_job(self, name: str, change: JobOverride) -> JobView: ...

    async def run_now(self, name: str) -> JobRunView: ...

    async def list_runs(self, query: JobRunQuery) -> Page[JobRunView]: ...

    async def leader(self) -> LeaseView:
        """The process that runs the jobs on their schedule, and until when its lease runs."""
        ...

    async def list_plugins(self) -> list[PluginView]: ...

    async def get_plugin(self, name: str) -> PluginView: ...

    async def update_plugin(self, name: str, change: PluginUpdate) -> PluginView: ...


@asynccontextmanager
async def open_jobs(options: GlobalOptions) -> AsyncIterator[JobControl]:
    if options.remote:
        from adapters.cli.remote import connect
        from adapters.cli.remote.jobs import RemoteJobControl

        async with connect(options.server, options.api_token) as client:
            yield RemoteJobControl(client)
        return
    from adapters.cli.session import local_settings
    from adapters.container import build_container, start, stop

    container = build_container(local_settings(options))
    await start(container)
    try:
        scheduler: Scheduler = container.scheduler()
        await scheduler.load()  # loaded, not started: only what a command asks for runs here
        yield scheduler
    finally:
        await stop(container)


def run_jobs(options: GlobalOptions, work: Callable[[JobControl], Awaitable[T]]) -> T:
    """``work`` on the jobs of the mode the options choose, with ``run``'s error handling."""

    async def opened() -> T:
        async with open_jobs(options) as jobs:
            return await work(jobs)

    return run(options, opened)


if TYPE_CHECKING:

    def _conforms(scheduler: Scheduler) -> JobControl:
        """mypy checks the local side against the Protocol here (the remote side checks
        itself in its own module)."""
        return scheduler
