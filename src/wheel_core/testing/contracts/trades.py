"""The unit of work's history repositories: trades, share moves and snapshots.

Part of :class:`~wheel_core.testing.contracts.unit_of_work.UnitOfWorkContract`, split out
by repository so each suite fits in one reading; it runs alone too (provide ``uow_factory``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from wheel_core.domain.entities import ShareMove, Snapshot
from wheel_core.domain.enums import OptionType, Outcome, RiskLevel, ShareMoveKind, WheelState
from wheel_core.ports import SnapshotQuery, TradeQuery, UnitOfWorkFactory
from wheel_core.testing.contracts.records import (
    T0,
    StorageSuite,
    add_portfolio,
    add_wheel,
    new_trade,
)


class TradeRepositoryContract(StorageSuite):
    """A wheel's history: exact money and times, queries, rolls, share moves, daily snapshots."""

    async def test_money_and_times_round_trip_exactly(self, uow_factory: UnitOfWorkFactory) -> None:
        opened = datetime(2024, 2, 29, 14, 31, 7, 123456, tzinfo=UTC)
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow)
            assert portfolio.id is not None
            wheel = await add_wheel(uow, portfolio.id)
            assert wheel.id is not None
            trade = await uow.trades.add(
                new_trade(
                    wheel.id,
                    strike=Decimal("1234.5"),
                    premium=Decimal("0.0001"),
                    fees=Decimal("1.3"),
                    opened_at=opened,
                    contracts=37,
                )
            )
            await uow.commit()
        assert trade.id is not None
        async with uow_factory() as uow:
            stored = await uow.trades.get(trade.id)
        assert stored == trade
        assert stored is not None
        assert str(stored.premium) == "0.0001"
        assert stored.opened_at == opened and stored.opened_at.utcoffset() == timedelta(0)

    async def test_trade_queries_filter_order_and_page(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            one, two = await add_portfolio(uow, "one"), await add_portfolio(uow, "two")
            assert one.id is not None and two.id is not None
            w1, w2 = await add_wheel(uow, one.id, "AAPL"), await add_wheel(uow, two.id, "MSFT")
            assert w1.id is not None and w2.id is not None
            closed = await uow.trades.add(
                new_trade(
                    w1.id,
                    opened_at=T0,
                    closed_at=T0 + timedelta(days=11),
                    outcome=Outcome.EXPIRED_WORTHLESS,
                    price_at_expiry=Decimal("104"),
                )
            )
            call = await uow.trades.add(
                new_trade(
                    w2.id, "MSFT", option_type=OptionType.CALL, opened_at=T0 + timedelta(days=1)
                )
            )
            later = await uow.trades.add(new_trade(w1.id, opened_at=T0 + timedelta(days=12)))
            await uow.commit()
        async with uow_factory() as uow:
            everything = await uow.trades.list(TradeQuery())
            assert everything == [closed, call, later]
            assert await uow.trades.list(TradeQuery(wheel_id=w1.id)) == [closed, later]
            assert await uow.trades.list(TradeQuery(portfolio_id=two.id)) == [call]
            assert await uow.trades.list(TradeQuery(symbol="MSFT")) == [call]
            assert await uow.trades.list(TradeQuery(option_type=OptionType.CALL)) == [call]
            assert await uow.trades.list(TradeQuery(is_open=False)) == [closed]
            assert await uow.trades.list(TradeQuery(outcome="open")) == [call, later]
            assert await uow.trades.list(TradeQuery(outcome="expired_worthless")) == [closed]
            window = TradeQuery(opened_from=date(2026, 1, 6), opened_to=date(2026, 1, 16))
            assert await uow.trades.list(window) == [call]
            page = TradeQuery(offset=1, limit=1)
            assert await uow.trades.list(page) == [call]
            assert await uow.trades.count(page) == 3

    async def test_trade_update_and_delete(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow)
            assert portfolio.id is not None
            wheel = await add_wheel(uow, portfolio.id)
            assert wheel.id is not None
            first = await uow.trades.add(new_trade(wheel.id))
            assert first.id is not None
            first.outcome = Outcome.ROLLED
            first.closed_at = T0 + timedelta(days=3)
            first.close_price = Decimal("3.10")
            await uow.trades.update(first)
            second = await uow.trades.add(
                new_trade(
                    wheel.id,
                    opened_at=first.closed_at,
                    rolled_from_id=first.id,
                    chain_id=first.id,
                )
            )
            await uow.commit()
        assert second.id is not None
        async with uow_factory() as uow:
            assert await uow.trades.get(first.id) == first
            assert await uow.trades.get(second.id) == second
            await uow.trades.delete(second.id)
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.trades.get(second.id) is None

    async def test_share_moves_by_wheel_in_time_order(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow)
            assert portfolio.id is not None
            wheel, other = (
                await add_wheel(uow, portfolio.id),
                await add_wheel(uow, portfolio.id, "KO"),
            )
            assert wheel.id is not None and other.id is not None
            sale = await uow.share_moves.add(
                ShareMove(
                    wheel_id=wheel.id,
                    kind=ShareMoveKind.SOLD,
                    quantity=200,
                    price=Decimal("101.25"),
                    fees=Decimal("0.65"),
                    at=T0 + timedelta(days=2),
                )
            )
            buy = await uow.share_moves.add(
                ShareMove(
                    wheel_id=wheel.id,
                    kind=ShareMoveKind.IMPORTED,
                    quantity=200,
                    price=Decimal("88.5"),
                    at=T0,
                )
            )
            elsewhere = await uow.share_moves.add(
                ShareMove(
                    wheel_id=other.id,
                    kind=ShareMoveKind.IMPORTED,
                    quantity=100,
                    price=Decimal("60"),
                    at=T0,
                )
            )
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.share_moves.list_for_wheel(wheel.id) == [buy, sale]
            both = await uow.share_moves.list_for_wheels([other.id, wheel.id])
            assert [m for m in both if m.wheel_id == wheel.id] == [buy, sale]
            assert [m for m in both if m.wheel_id == other.id] == [elsewhere]
            assert [m.wheel_id for m in both] == sorted(m.wheel_id for m in both)
            assert await uow.share_moves.list_for_wheels([]) == []
            assert buy.id is not None
            await uow.share_moves.delete(buy.id)
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.share_moves.list_for_wheel(wheel.id) == [sale]

    async def test_snapshots_are_one_per_wheel_trade_and_day(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await add_portfolio(uow)
            assert portfolio.id is not None
            wheel = await add_wheel(uow, portfolio.id)
            assert wheel.id is not None
            trade = await uow.trades.add(new_trade(wheel.id))
            day = date(2026, 1, 6)
            first = await uow.snapshots.upsert(
                Snapshot(
                    wheel_id=wheel.id,
                    symbol="AAPL",
                    day=day,
                    current_price=Decimal("101"),
                    state=WheelState.PUT_OPEN,
                    created_at=T0,
                    trade_id=trade.id,
                    risk_level=RiskLevel.MEDIUM,
                    moneyness_pct=Decimal("1.00"),
                )
            )
            again = await uow.snapshots.upsert(
                Snapshot(
                    wheel_id=wheel.id,
                    symbol="AAPL",
                    day=day,
                    current_price=Decimal("99.5"),
                    state=WheelState.PUT_OPEN,
                    created_at=T0 + timedelta(hours=1),
                    trade_id=trade.id,
                    risk_level=RiskLevel.HIGH,
                )
            )
            next_day = await uow.snapshots.upsert(
                Snapshot(
                    wheel_id=wheel.id,
                    symbol="AAPL",
                    day=day + timedelta(days=1),
                    current_price=Decimal("98"),
                    state=WheelState.PUT_OPEN,
                    created_at=T0,
                    trade_id=trade.id,
                )
            )
            await uow.commit()
        assert again.id == first.id
        async with uow_factory() as uow:
            stored = await uow.snapshots.list(SnapshotQuery(wheel_id=wheel.id))
            assert stored == [again, next_day]
            assert await uow.snapshots.count(SnapshotQuery(day_from=day + timedelta(days=1))) == 1
            assert await uow.snapshots.list(SnapshotQuery(portfolio_id=portfolio.id, limit=1)) == [
                again
            ]
