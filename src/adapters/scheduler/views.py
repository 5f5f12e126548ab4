"""What the scheduler answers and accepts: the Structs the API and the CLI show."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import msgspec

from adapters.scheduler.history import JobRunView
from adapters.scheduler.jobs import JobKind
from adapters.scheduler.schedules import OnlyWhen


class JobView(msgspec.Struct, frozen=True, kw_only=True):
    """A job and its effective schedule (defaults < config file < changes made here)."""

    name: str
    kind: JobKind
    description: str
    enabled: bool
    interval_minutes: int | None
    cron: str | None
    timezone: str
    only_when: OnlyWhen
    timeout_seconds: int
    schedule: str
    """The schedule in words."""
    next_run_at: datetime | None
    """When the running scheduler will run it next (or would, when it is not running)."""
    running: bool
    last_run: JobRunView | None


PluginStatus = Literal["enabled", "disabled", "failed"]


class PluginView(msgspec.Struct, frozen=True, kw_only=True):
    """A plugin found at start. ``failed``: it did not load (``reason`` says why);
    ``disabled``: by the user or after a crash or timeout (``reason`` then says which)."""

    name: str
    description: str
    version: str
    source: str
    status: PluginStatus
    enabled: bool
    reason: str | None
    fault: bool = False
    """Not working through no choice of the user: it did not load, a crash or timeouts
    disabled it, or a run that timed out still holds its thread (``/health`` is
    ``degraded`` then)."""
    config: dict[str, Any]
    config_schema: dict[str, Any]
    """The JSON Schema ``config`` must match."""


class PluginUpdate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Enable or disable a plugin and change its config (keys given replace those stored;
    the whole config is then validated against the plugin's schema)."""

    enabled: bool | None = None
    config: dict[str, Any] | None = None


SchedulerState = Literal["running", "standby", "stopped", "disabled"]
SchedulerRole = Literal["leader", "standby"]


def state_of(role: SchedulerRole | None, *, enabled: bool) -> SchedulerState:
    """The status of a process's scheduler from its part in the lease (``None``: not
    running) and whether it should run the jobs (``server.scheduler``)."""
    if role is not None:
        return "running" if role == "leader" else "standby"
    return "stopped" if enabled else "disabled"


class SchedulerStatus(msgspec.Struct, frozen=True, kw_only=True):
    status: SchedulerState
    """``running``: this process leads and runs the jobs; ``standby``: another process
    leads, this one takes over when its lease lapses; ``disabled``: this process does not
    run jobs (``server.scheduler: false``)."""
    jobs: int
    """Jobs scheduled (enabled) in this process."""
    next_run_at: datetime | None
    next_job: str | None
    role: SchedulerRole | None = None
    """This process's part while its scheduler runs; ``None`` when it takes none."""
    identity: str | None = None
    """This process in the scheduler lease: ``host:pid:suffix``."""
    leader: str | None = None
    """The process that runs the jobs (the lease's holder), ``None`` when none does."""
    lease_expires_at: datetime | None = None
    """When the holder's lease lapses unless renewed."""
