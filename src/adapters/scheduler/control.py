"""``JobControl``: the one face of the background jobs that the HTTP adapter and the CLI
see — and the Structs it takes and answers, re-exported here so that neither imports
the scheduler's inside (import-linter checks it for HTTP).

:class:`~adapters.scheduler.scheduler.Scheduler` implements :class:`LocalJobControl`
(the jobs of this process); the CLI's remote mode implements :class:`JobControl` over
the API (``adapters/cli/remote/jobs.py``). Either way the commands print the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from adapters.scheduler.history import JobRunQuery, JobRunView, RunStatus
from adapters.scheduler.lease import LeaseView
from adapters.scheduler.schedules import NAME_PATTERN
from adapters.scheduler.views import JobView, PluginUpdate, PluginView
from adapters.settings import JobOverride
from wheel_core.app.views import Page

__all__ = [
    "NAME_PATTERN",
    "JobControl",
    "JobOverride",
    "JobRunQuery",
    "JobRunView",
    "JobView",
    "LeaseView",
    "LocalJobControl",
    "PluginUpdate",
    "PluginView",
    "RunStatus",
]


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


class LocalJobControl(JobControl, Protocol):
    """The jobs of this process's own scheduler, which may not be the one that runs them
    on their schedule (``server.scheduler: false``, or a standby)."""

    async def load(self) -> None:
        """Read the stored job and plugin settings, to show and run jobs on demand in a
        process that does not start the scheduler."""
        ...

    async def refresh(self) -> None:
        """Read the stored settings again unless this process's scheduler runs (its own
        reload keeps it current): the process that runs the jobs may have changed them."""
        ...


if TYPE_CHECKING:
    from adapters.scheduler.scheduler import Scheduler

    def _conforms(scheduler: Scheduler) -> LocalJobControl:
        """mypy checks the scheduler against the Protocol here."""
        return scheduler
