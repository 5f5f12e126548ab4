"""The SQL adapter on a real SQLite file passes the same contract suite as the fake."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.persistence import SqlUnitOfWorkFactory, create_engine, upgrade
from wheel_core.testing.contracts import UnitOfWorkContract


class TestSqliteUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    async def uow_factory(self, tmp_path: Path) -> AsyncIterator[SqlUnitOfWorkFactory]:
        engine = create_engine(tmp_path / "contract.db")
        await upgrade(engine)
        yield SqlUnitOfWorkFactory(engine)
        await engine.dispose()
