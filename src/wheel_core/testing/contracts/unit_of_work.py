"""The contract suite of the ``UnitOfWork`` port: transactions, and every repository.

:class:`UnitOfWorkContract` is the one suite an adapter subclasses. It is assembled
from one suite per group of repositories, each in its own module so it can be read
(and, while an adapter is growing, run) alone:

* :class:`TransactionContract` (here) — ids on add, commit, rollback, read-only;
* :mod:`~wheel_core.testing.contracts.portfolios` — portfolios and wheels;
* :mod:`~wheel_core.testing.contracts.trades` — trades, share moves, snapshots;
* :mod:`~wheel_core.testing.contracts.monitoring` — alerts, watchlist, opportunities;
* :mod:`~wheel_core.testing.contracts.operations` — job runs and settings;
* :mod:`~wheel_core.testing.contracts.deletion` — deletes across repositories.
"""

from __future__ import annotations

import pytest

from wheel_core.ports import UnitOfWorkFactory
from wheel_core.testing.contracts.deletion import DeletionContract
from wheel_core.testing.contracts.monitoring import MonitoringRepositoryContract
from wheel_core.testing.contracts.operations import OperationsRepositoryContract
from wheel_core.testing.contracts.portfolios import PortfolioRepositoryContract
from wheel_core.testing.contracts.records import StorageSuite, add_portfolio, add_wheel
from wheel_core.testing.contracts.trades import TradeRepositoryContract


class TransactionContract(StorageSuite):
    """A unit of work is one transaction: committed writes last, anything else is undone."""

    async def test_add_assigns_ids_and_commit_persists(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow)
            await uow.commit()
        assert portfolio.id is not None
        async with uow_factory() as uow:
            assert await uow.portfolios.get(portfolio.id) == portfolio

    async def test_leaving_without_commit_discards_writes(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            await add_portfolio(uow, "ghost")
        async with uow_factory() as uow:
            assert await uow.portfolios.get_by_name("ghost") is None

    async def test_an_exception_rolls_everything_back(self, uow_factory: UnitOfWorkFactory) -> None:
        with pytest.raises(RuntimeError):
            async with uow_factory() as uow:
                portfolio = await add_portfolio(uow, "half")
                assert portfolio.id is not None
                await add_wheel(uow, portfolio.id)
                raise RuntimeError("boom")
        async with uow_factory() as uow:
            assert await uow.portfolios.get_by_name("half") is None
            assert await uow.wheels.list() == []

    async def test_explicit_rollback_discards_writes(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            await add_portfolio(uow, "undone")
            await uow.rollback()
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.portfolios.get_by_name("undone") is None

    async def test_a_read_only_unit_of_work_reads_and_refuses_to_commit(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow)
            await uow.commit()
        assert portfolio.id is not None
        async with uow_factory(read_only=True) as uow:
            assert await uow.portfolios.get(portfolio.id) == portfolio
            with pytest.raises(RuntimeError, match="read-only"):
                await uow.commit()


class StorageContract(
    TransactionContract,
    PortfolioRepositoryContract,
    TradeRepositoryContract,
    MonitoringRepositoryContract,
    OperationsRepositoryContract,
):
    """Round trips, transactions and queries; see :class:`UnitOfWorkContract`."""


class UnitOfWorkContract(StorageContract, DeletionContract):
    """What every ``UnitOfWork`` must do. Provide a ``uow_factory`` fixture."""
