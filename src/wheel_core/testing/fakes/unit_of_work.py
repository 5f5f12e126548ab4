"""The in-memory ``UnitOfWork`` and its factory: work on a copy, publish it on commit."""

from __future__ import annotations

import copy
from types import TracebackType
from typing import Self

from wheel_core.testing.fakes.repositories import (
    FakeAlertRepository,
    FakeJobRunRepository,
    FakeOpportunityRepository,
    FakePortfolioRepository,
    FakeSettingRepository,
    FakeShareMoveRepository,
    FakeSnapshotRepository,
    FakeTradeRepository,
    FakeWatchlistRepository,
    FakeWheelRepository,
)
from wheel_core.testing.fakes.store import InMemoryStore, Table


class InMemoryUnitOfWork:
    """A transaction over an :class:`InMemoryStore`: work on a copy, publish it on commit."""

    def __init__(self, store: InMemoryStore, *, read_only: bool = False) -> None:
        self._store = store
        self.read_only = read_only
        self._working: dict[str, Table] = {}
        self._settings: dict[str, str] = {}

    async def __aenter__(self) -> Self:
        self._working = copy.deepcopy(self._store.tables)
        self._settings = dict(self._store.settings)
        tables = self._working
        self.portfolios = FakePortfolioRepository(tables["portfolios"], tables)
        self.wheels = FakeWheelRepository(tables["wheels"], tables)
        self.trades = FakeTradeRepository(tables["trades"], tables)
        self.share_moves = FakeShareMoveRepository(tables["share_moves"])
        self.snapshots = FakeSnapshotRepository(tables["snapshots"], tables["wheels"])
        self.alerts = FakeAlertRepository(tables["alerts"])
        self.watchlist = FakeWatchlistRepository(tables["watchlist"])
        self.opportunities = FakeOpportunityRepository(tables["opportunities"])
        self.job_runs = FakeJobRunRepository(tables["job_runs"])
        self.settings = FakeSettingRepository(self._settings)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()

    async def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self._store.tables = copy.deepcopy(self._working)
        self._store.settings = dict(self._settings)
        self._store.commits += 1

    async def rollback(self) -> None:
        """Forget uncommitted work: start again from what the store holds."""
        self._working = copy.deepcopy(self._store.tables)


class InMemoryUnitOfWorkFactory:
    """Hands out units of work over one shared store, like a connection pool over one DB."""

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store or InMemoryStore()

    def __call__(self, *, read_only: bool = False) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store, read_only=read_only)
