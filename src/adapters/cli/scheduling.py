"""Where the ``jobs`` and ``plugins`` commands reach the background jobs.

Jobs are no use case of the core: they belong to the scheduler adapter, whose
:class:`~adapters.scheduler.control.JobControl` Protocol is all the CLI sees of them
(never the concrete ``Scheduler``). Direct mode loads the
scheduler's stored settings from the database and acts on them in this process (a
job run on demand runs here, against the same file); remote mode asks the server,
whose scheduler is the one that runs jobs on their schedule. Both answer the same
Structs, so the commands print the same bytes in either mode.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, TypeVar

from adapters.cli.options import GlobalOptions
from adapters.cli.runner import run

if TYPE_CHECKING:
    from adapters.scheduler.control import JobControl, LocalJobControl

T = TypeVar("T")


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
        scheduler: LocalJobControl = container.scheduler()
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
