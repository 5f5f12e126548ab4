"""The unit of work's portfolio and wheel repositories: names, filters, state and revisions.

Part of :class:`~wheel_core.testing.contracts.unit_of_work.UnitOfWorkContract`, split out
by repository so each suite fits in one reading; it runs alone too (provide ``uow_factory``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest

from wheel_core.domain.entities import ShareMove
from wheel_core.domain.enums import ShareMoveKind, WheelState
from wheel_core.domain.errors import ConflictError
from wheel_core.ports import UnitOfWork, UnitOfWorkFactory
from wheel_core.testing.contracts.records import (
    T0,
    StorageSuite,
    add_portfolio,
    add_wheel,
    new_trade,
)


class PortfolioRepositoryContract(StorageSuite):
    """Portfolios and wheels round trip, filter, and keep their revisions honest."""

    async def test_portfolio_names_are_unique(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            await add_portfolio(uow, "dup")
            await uow.commit()
        with pytest.raises(ConflictError):
            async with uow_factory() as uow:
                await add_portfolio(uow, "dup")
                await uow.commit()

    async def test_portfolio_update_and_delete(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow)
            portfolio.description = "income"
            portfolio.capital = Decimal("12345.67")
            await uow.portfolios.update(portfolio)
            await uow.commit()
        assert portfolio.id is not None
        async with uow_factory() as uow:
            stored = await uow.portfolios.get(portfolio.id)
            assert stored is not None
            assert (stored.description, stored.capital) == ("income", Decimal("12345.67"))
            await uow.portfolios.delete(portfolio.id)
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.portfolios.get(portfolio.id) is None

    async def test_wheels_find_active_and_filter(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            one, two = await add_portfolio(uow, "one"), await add_portfolio(uow, "two")
            assert one.id is not None and two.id is not None
            archived = await add_wheel(uow, one.id, "AAPL")
            archived.active = False
            await uow.wheels.update(archived)
            active = await add_wheel(uow, one.id, "AAPL")
            other = await add_wheel(uow, two.id, "MSFT")
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.wheels.find_active(one.id, "AAPL") == active
            assert await uow.wheels.find_active(two.id, "AAPL") is None
            assert await uow.wheels.list(portfolio_id=two.id) == [other]
            assert await uow.wheels.list(active=False) == [archived]
            assert [w.symbol for w in await uow.wheels.list()] == ["AAPL", "AAPL", "MSFT"]

    async def test_wheel_state_round_trips(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow)
            assert portfolio.id is not None
            wheel = await add_wheel(uow, portfolio.id)
            wheel.state = WheelState.HOLDING_SHARES
            wheel.shares = 300
            wheel.cost_basis = Decimal("95.123456")
            await uow.wheels.update(wheel)
            await uow.commit()
        assert wheel.id is not None
        async with uow_factory() as uow:
            assert await uow.wheels.get(wheel.id) == wheel

    async def test_wheel_revisions_change_with_every_change_to_a_history(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            one, two = await add_portfolio(uow, "one"), await add_portfolio(uow, "two")
            assert one.id is not None and two.id is not None
            wheel, other = await add_wheel(uow, one.id, "AAPL"), await add_wheel(uow, two.id, "KO")
            archived = await add_wheel(uow, one.id, "MSFT")
            archived.active = False
            await uow.wheels.update(archived)
            await uow.commit()
        assert wheel.id is not None and other.id is not None and archived.id is not None
        ids = [wheel.id, other.id, archived.id]
        wheel_id, other_id = wheel.id, other.id

        async def revisions() -> dict[int, int]:
            async with uow_factory() as uow:
                return await uow.wheels.revisions()

        async with uow_factory() as uow:
            everything = await uow.wheels.revisions()
            assert list(everything) == ids
            assert list(await uow.wheels.revisions(portfolio_id=one.id)) == [wheel.id, archived.id]
            assert list(await uow.wheels.revisions(symbol="KO")) == [other.id]
            assert list(await uow.wheels.revisions(active=False)) == [archived.id]
            assert list(await uow.wheels.revisions(active=True, portfolio_id=two.id)) == [other.id]
        assert await revisions() == everything  # reading changes nothing

        seen = [everything[wheel.id]]

        async def changed(change: Callable[[UnitOfWork], Awaitable[object]]) -> None:
            async with uow_factory() as uow:
                await change(uow)
                await uow.commit()
            now = await revisions()
            assert now[wheel_id] != seen[-1], "the changed wheel's revision must change"
            assert now[other_id] == everything[other_id], "other wheels' revisions stay"
            seen.append(now[wheel_id])

        trade = new_trade(wheel.id)

        async def add_trade(uow: UnitOfWork) -> None:
            nonlocal trade
            trade = await uow.trades.add(trade)

        await changed(add_trade)
        trade.premium = Decimal("2.05")
        await changed(lambda uow: uow.trades.update(trade))
        move = ShareMove(
            wheel_id=wheel.id, kind=ShareMoveKind.IMPORTED, quantity=100, price=Decimal(90), at=T0
        )

        async def add_move(uow: UnitOfWork) -> None:
            nonlocal move
            move = await uow.share_moves.add(move)

        await changed(add_move)
        assert move.id is not None and trade.id is not None
        await changed(lambda uow: uow.share_moves.delete(move.id or 0))
        await changed(lambda uow: uow.trades.delete(trade.id or 0))
        wheel.capital = Decimal("12345.67")
        await changed(lambda uow: uow.wheels.update(wheel))

        async with uow_factory() as uow:  # not committed: nothing changed
            await uow.trades.add(new_trade(wheel.id))
            wheel.capital = Decimal(1)
            await uow.wheels.update(wheel)
        assert (await revisions())[wheel.id] == seen[-1]

    async def test_a_reused_wheel_id_never_meets_an_old_revision(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow)
            assert portfolio.id is not None
            wheel = await add_wheel(uow, portfolio.id, "AAPL")
            assert wheel.id is not None
            trade = await uow.trades.add(new_trade(wheel.id))
            await uow.commit()
            old = await uow.wheels.revisions()
        async with uow_factory() as uow:
            await uow.trades.delete(trade.id or 0)
            await uow.wheels.delete(wheel.id)
            again = await add_wheel(uow, portfolio.id, "AAPL")
            await uow.commit()
            assert again.id is not None
            now = await uow.wheels.revisions()
        if again.id in old:
            assert now[again.id] != old[again.id]
