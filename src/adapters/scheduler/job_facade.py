"""What the jobs need of the core: the few facade methods they call, and no more.

``WheelService`` satisfies this Protocol; tests hand the scheduler a small fake of it,
so the scheduler is tested without the database or the market. The result Protocols
name only the fields a job reads to write its summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from wheel_core.domain.entities import Alert


class PriceRefreshResult(Protocol):
    @property
    def symbols(self) -> Any: ...
    @property
    def refreshed(self) -> Any: ...
    @property
    def failures(self) -> Sequence[object]: ...


class RiskScanResult(Protocol):
    @property
    def checked(self) -> Any: ...
    @property
    def alerts(self) -> Sequence[Alert]:
        """Only alerts raised by this scan (a condition already alerted is not repeated)."""
        ...

    @property
    def failures(self) -> Sequence[object]: ...


class SnapshotResult(Protocol):
    @property
    def day(self) -> Any: ...
    @property
    def snapshots(self) -> Sequence[object]: ...
    @property
    def failures(self) -> Sequence[object]: ...


class OpportunityScanResult(Protocol):
    @property
    def found(self) -> Any: ...
    @property
    def updated(self) -> Any: ...
    @property
    def failures(self) -> Sequence[object]: ...


class JobFacade(Protocol):
    """The use cases behind the core jobs, plus ``raise_alert`` for plugins."""

    async def refresh_prices(self) -> PriceRefreshResult: ...
    async def monitor_risk(self) -> RiskScanResult: ...
    async def take_snapshot(self, *, portfolio_id: int | None = None) -> SnapshotResult: ...
    async def scan_opportunities(self) -> OpportunityScanResult: ...
    async def raise_alert(self, command: Any) -> Alert | None:
        """Store the alert unless its key exists; ``None`` when it did."""
        ...
