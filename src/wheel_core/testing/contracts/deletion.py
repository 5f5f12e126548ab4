"""Deletes across repositories: what would orphan history is refused, derived data goes along.

Part of :class:`~wheel_core.testing.contracts.unit_of_work.UnitOfWorkContract`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wheel_core.domain.entities import Snapshot
from wheel_core.domain.enums import WheelState
from wheel_core.domain.errors import ConflictError
from wheel_core.ports import SnapshotQuery, UnitOfWorkFactory
from wheel_core.testing.contracts.records import (
    T0,
    StorageSuite,
    add_portfolio,
    add_wheel,
    new_trade,
)


class DeletionContract(StorageSuite):
    """Deletes that would orphan history are refused; derived data goes with its owner.

    Provide ``uow_factory``; mixed into
    :class:`~wheel_core.testing.contracts.unit_of_work.UnitOfWorkContract`.
    """

    async def test_a_portfolio_with_wheels_cannot_be_deleted(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow, "kept")
            assert portfolio.id is not None
            await add_wheel(uow, portfolio.id)
            await uow.commit()
        with pytest.raises(ConflictError):
            async with uow_factory() as uow:
                await uow.portfolios.delete(portfolio.id)
                await uow.commit()

    async def test_a_wheel_with_trades_cannot_be_deleted_but_takes_its_snapshots(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow, "p")
            assert portfolio.id is not None
            wheel = await add_wheel(uow, portfolio.id)
            assert wheel.id is not None
            trade = await uow.trades.add(new_trade(wheel.id))
            await uow.snapshots.upsert(
                Snapshot(
                    wheel_id=wheel.id,
                    symbol="AAPL",
                    day=date(2026, 1, 6),
                    current_price=Decimal(101),
                    state=WheelState.PUT_OPEN,
                    created_at=T0,
                    trade_id=trade.id,
                )
            )
            await uow.commit()
        with pytest.raises(ConflictError):
            async with uow_factory() as uow:
                await uow.wheels.delete(wheel.id)
                await uow.commit()
        async with uow_factory() as uow:
            assert trade.id is not None
            await uow.trades.delete(trade.id)
            snapshots = await uow.snapshots.list(SnapshotQuery(wheel_id=wheel.id))
            assert [s.trade_id for s in snapshots] == [None]
            await uow.wheels.delete(wheel.id)
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.wheels.get(wheel.id) is None
            assert await uow.snapshots.list(SnapshotQuery(wheel_id=wheel.id)) == []

    async def test_a_rolled_leg_cannot_be_deleted_under_its_successor(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow, "r")
            assert portfolio.id is not None
            wheel = await add_wheel(uow, portfolio.id)
            assert wheel.id is not None
            first = await uow.trades.add(new_trade(wheel.id))
            await uow.trades.add(new_trade(wheel.id, rolled_from_id=first.id, chain_id=first.id))
            await uow.commit()
        assert first.id is not None
        with pytest.raises(ConflictError):
            async with uow_factory() as uow:
                await uow.trades.delete(first.id)
                await uow.commit()
