"""Snapshots: each active wheel's position recorded once a day, for history and P&L."""

from __future__ import annotations

import msgspec
from litestar import get, post
from litestar.status_codes import HTTP_201_CREATED

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import Facade
from adapters.http.filters import SNAPSHOT_FILTERS
from adapters.http.pagination import DEFAULT_LIMIT, Limit, Offset
from adapters.http.params import PortfolioFilter
from adapters.wire import SNAPSHOTS, SNAPSHOTS_LATEST
from wheel_core.app.views import Page, SnapshotRun
from wheel_core.domain.entities import Snapshot
from wheel_core.ports import SnapshotQuery


class SnapshotController(ApiController):
    path = "/"
    tags = ["snapshots"]

    @get(SNAPSHOTS, dependencies=SNAPSHOT_FILTERS)
    async def list_snapshots(
        self,
        service: Facade,
        snapshot_filters: SnapshotQuery,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[Snapshot]:
        """Recorded daily snapshots, filtered; ``total`` counts every match."""
        return await service.list_snapshots(
            msgspec.structs.replace(snapshot_filters, offset=offset, limit=limit)
        )

    @get(SNAPSHOTS_LATEST)
    async def latest_snapshots(
        self,
        service: Facade,
        portfolio_id: PortfolioFilter = None,
    ) -> list[Snapshot]:
        """The most recent snapshot of each wheel, by symbol."""
        return await service.latest_snapshots(portfolio_id=portfolio_id)

    @post(SNAPSHOTS, status_code=HTTP_201_CREATED)
    async def take_snapshot(
        self,
        service: Facade,
        portfolio_id: PortfolioFilter = None,
    ) -> SnapshotRun:
        """Record every active wheel's position for today; run again the same day, it
        replaces that day's snapshots instead of adding more."""
        return await service.take_snapshot(portfolio_id=portfolio_id)
