"""The SQL adapter passes the same contract suite as the fake: on a real SQLite file, and
on PostgreSQL when one is configured (see ``tests/conftest.py``)."""

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import SqlUnitOfWorkFactory
from wheel_core.testing.contracts.unit_of_work import UnitOfWorkContract


class TestSqlUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    def uow_factory(self, sql_engine: AsyncEngine) -> SqlUnitOfWorkFactory:
        return SqlUnitOfWorkFactory(sql_engine)
