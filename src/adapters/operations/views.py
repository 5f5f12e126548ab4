"""What the operations service answers: health, system info, a settings change, a
database upgrade and a legacy import — the Structs the API and the CLI show as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import msgspec

from adapters.settings import Settings
from wheel_core.app.views import TradeView

if TYPE_CHECKING:
    from adapters.persistence.legacy import LegacyImportReport as LegacyImportReport

Status = Literal["ok", "degraded", "down"]


class DatabaseHealth(msgspec.Struct, frozen=True, kw_only=True):
    """``down``: unusable, or its file deleted or replaced (``cause`` ``gone``);
    ``degraded``: reads work but the last write failed (``cause`` ``full``,
    ``read_only`` or ``failed``) and none succeeded since."""

    status: Status
    error: str | None = None
    cause: str | None = None


class SchwabLoginHealth(msgspec.Struct, frozen=True, kw_only=True):
    """The Schwab login's age: its refresh token lapses about 7 days after the login,
    and then every price goes stale until ``wheel-strategy schwab login`` is run again."""

    status: Literal["ok", "expiring", "expired", "missing"]
    """``expiring`` from day 6 (an alert is raised then), ``missing``: no usable login."""
    logged_in_at: datetime | None = None
    age_days: float | None = None
    """Days since the login, to two decimals."""
    expires_at: datetime | None = None
    error: str | None = None
    """Why the login cannot be read (``missing``); names the file, never the token."""


class MarketDataHealth(msgspec.Struct, frozen=True, kw_only=True):
    provider: str
    simulated: bool
    status: Status
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    wanted_provider: str | None = None
    """Set when the stored provider could not be used at start and ``provider`` serves
    in its place (``status`` is then ``degraded``, and ``reason`` says why)."""
    reason: str | None = None
    schwab_login: SchwabLoginHealth | None = None
    """Only when Schwab is the provider."""


class SchedulerHealth(msgspec.Struct, frozen=True, kw_only=True):
    """``running``: this process leads and runs the jobs; ``standby``: another process
    leads (``leader``) and this one takes over if its lease lapses; ``disabled``: this
    process does not run jobs (``server.scheduler: false``); ``stopped``: it should, but
    the scheduler is not running."""

    status: Literal["running", "standby", "stopped", "disabled"]
    jobs: int = 0
    """Jobs scheduled in this process."""
    next_run_at: datetime | None = None
    next_job: str | None = None
    role: Literal["leader", "standby"] | None = None
    """This process's part in the scheduler lease; ``None`` when it takes none."""
    identity: str | None = None
    """This process in the lease: ``host:pid:suffix``."""
    leader: str | None = None
    """The process that runs the jobs (``host:pid:suffix``); ``None`` when none does."""
    lease_expires_at: datetime | None = None


class PluginFault(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    reason: str | None


class PluginsHealth(msgspec.Struct, frozen=True, kw_only=True):
    """``degraded`` when a plugin did not load (an import error, an import past its time
    limit), was disabled by a crash or timeouts, or still holds a timed-out run's thread."""

    status: Literal["ok", "degraded"] = "ok"
    failed: list[PluginFault] = msgspec.field(default_factory=list)


class Health(msgspec.Struct, frozen=True, kw_only=True):
    """``down`` (503) when the database cannot be used; ``degraded`` when market data is,
    when plugins failed, or when the database's last write failed (its disk full or
    read-only)."""

    status: Status
    database: DatabaseHealth
    market_data: MarketDataHealth
    scheduler: SchedulerHealth
    plugins: PluginsHealth = msgspec.field(default_factory=PluginsHealth)


class DatabaseInfo(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    """Passwords masked."""
    path: str | None
    size_bytes: int | None
    row_counts: dict[str, int]


class SystemInfo(msgspec.Struct, frozen=True, kw_only=True):
    version: str
    python: str
    uptime_seconds: float
    database: DatabaseInfo
    market_data_provider: str
    simulated_market: bool


class ConfigChange(msgspec.Struct, frozen=True, kw_only=True):
    """What a configuration change did: the effective settings (secrets redacted) and
    the changed keys the environment overrides, which therefore have no effect now."""

    settings: Settings
    shadowed_by_environment: list[str]


class DatabaseUpgrade(msgspec.Struct, frozen=True, kw_only=True):
    """What ``db upgrade`` did: the schema revision before and after (``None``: no schema)."""

    database: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class LegacyImport:
    """The import's report and, for the tables only, the open positions it left: ``--json``
    prints the report alone, as the importer returns it."""

    report: LegacyImportReport
    open_positions: list[TradeView]


class ProviderFallback(msgspec.Struct, frozen=True, kw_only=True):
    """The stored provider could not be used at start, so another one serves prices."""

    wanted: str
    """The provider the stored settings ask for."""
    used: str
    reason: str
    """Why ``wanted`` cannot work (what is missing; never a secret)."""
