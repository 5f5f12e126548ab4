"""Contract suites for the driven ports, shared by the fakes and every real adapter.

A suite is a class of tests that asks for one fixture; subclass it in a module
pytest collects, provide the fixture, and your adapter runs the same
specification as the in-memory fake::

    class TestSqlUnitOfWork(UnitOfWorkContract):
        @pytest.fixture
        def uow_factory(self, tmp_path):
            return SqlUnitOfWorkFactory(f"sqlite+aiosqlite:///{tmp_path}/t.db")

An adapter is done when its suite passes. Async tests are marked for
pytest-asyncio, so they run in strict mode too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from wheel_core.domain.entities import (
    Alert,
    JobRun,
    Opportunity,
    Portfolio,
    ShareMove,
    Snapshot,
    Trade,
    WatchlistEntry,
    Wheel,
)
from wheel_core.domain.enums import (
    OpportunitySource,
    OptionType,
    Outcome,
    RiskLevel,
    ShareMoveKind,
    WheelState,
)
from wheel_core.domain.errors import ConflictError, MarketDataError
from wheel_core.ports import (
    AlertQuery,
    Clock,
    JobRunQuery,
    MarketCalendar,
    MarketData,
    Notifier,
    OpportunityQuery,
    SnapshotQuery,
    TradeQuery,
    UnitOfWork,
    UnitOfWorkFactory,
)

T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


async def _portfolio(uow: UnitOfWork, name: str = "main") -> Portfolio:
    return await uow.portfolios.add(Portfolio(name=name, created_at=T0))


async def _wheel(uow: UnitOfWork, portfolio_id: int, symbol: str = "AAPL") -> Wheel:
    return await uow.wheels.add(
        Wheel(portfolio_id=portfolio_id, symbol=symbol, created_at=T0, updated_at=T0)
    )


def _trade(wheel_id: int, symbol: str = "AAPL", **changes: object) -> Trade:
    fields: dict[str, object] = {
        "wheel_id": wheel_id,
        "symbol": symbol,
        "option_type": OptionType.PUT,
        "strike": Decimal("100"),
        "expiration": date(2026, 1, 16),
        "premium": Decimal("2.00"),
        "contracts": 1,
        "opened_at": T0,
    }
    fields.update(changes)
    return Trade(**fields)  # type: ignore[arg-type]


@pytest.mark.asyncio
class StorageContract:
    """Round trips, transactions and queries; see :class:`UnitOfWorkContract`."""

    @pytest.fixture
    def uow_factory(self) -> UnitOfWorkFactory:
        raise NotImplementedError("provide a uow_factory fixture for your adapter")

    async def test_add_assigns_ids_and_commit_persists(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await _portfolio(uow)
            await uow.commit()
        assert portfolio.id is not None
        async with uow_factory() as uow:
            assert await uow.portfolios.get(portfolio.id) == portfolio

    async def test_leaving_without_commit_discards_writes(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            await _portfolio(uow, "ghost")
        async with uow_factory() as uow:
            assert await uow.portfolios.get_by_name("ghost") is None

    async def test_an_exception_rolls_everything_back(self, uow_factory: UnitOfWorkFactory) -> None:
        with pytest.raises(RuntimeError):
            async with uow_factory() as uow:
                portfolio = await _portfolio(uow, "half")
                assert portfolio.id is not None
                await _wheel(uow, portfolio.id)
                raise RuntimeError("boom")
        async with uow_factory() as uow:
            assert await uow.portfolios.get_by_name("half") is None
            assert await uow.wheels.list() == []

    async def test_explicit_rollback_discards_writes(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            await _portfolio(uow, "undone")
            await uow.rollback()
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.portfolios.get_by_name("undone") is None

    async def test_a_read_only_unit_of_work_reads_and_refuses_to_commit(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await _portfolio(uow)
            await uow.commit()
        assert portfolio.id is not None
        async with uow_factory(read_only=True) as uow:
            assert await uow.portfolios.get(portfolio.id) == portfolio
            with pytest.raises(RuntimeError, match="read-only"):
                await uow.commit()

    async def test_portfolio_names_are_unique(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            await _portfolio(uow, "dup")
            await uow.commit()
        with pytest.raises(ConflictError):
            async with uow_factory() as uow:
                await _portfolio(uow, "dup")
                await uow.commit()

    async def test_portfolio_update_and_delete(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            portfolio = await _portfolio(uow)
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

    async def test_money_and_times_round_trip_exactly(self, uow_factory: UnitOfWorkFactory) -> None:
        opened = datetime(2024, 2, 29, 14, 31, 7, 123456, tzinfo=UTC)
        async with uow_factory() as uow:
            portfolio = await _portfolio(uow)
            assert portfolio.id is not None
            wheel = await _wheel(uow, portfolio.id)
            assert wheel.id is not None
            trade = await uow.trades.add(
                _trade(
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

    async def test_wheels_find_active_and_filter(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            one, two = await _portfolio(uow, "one"), await _portfolio(uow, "two")
            assert one.id is not None and two.id is not None
            archived = await _wheel(uow, one.id, "AAPL")
            archived.active = False
            await uow.wheels.update(archived)
            active = await _wheel(uow, one.id, "AAPL")
            other = await _wheel(uow, two.id, "MSFT")
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.wheels.find_active(one.id, "AAPL") == active
            assert await uow.wheels.find_active(two.id, "AAPL") is None
            assert await uow.wheels.list(portfolio_id=two.id) == [other]
            assert await uow.wheels.list(active=False) == [archived]
            assert [w.symbol for w in await uow.wheels.list()] == ["AAPL", "AAPL", "MSFT"]

    async def test_wheel_state_round_trips(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            portfolio = await _portfolio(uow)
            assert portfolio.id is not None
            wheel = await _wheel(uow, portfolio.id)
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
            one, two = await _portfolio(uow, "one"), await _portfolio(uow, "two")
            assert one.id is not None and two.id is not None
            wheel, other = await _wheel(uow, one.id, "AAPL"), await _wheel(uow, two.id, "KO")
            archived = await _wheel(uow, one.id, "MSFT")
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

        trade = _trade(wheel.id)

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
            await uow.trades.add(_trade(wheel.id))
            wheel.capital = Decimal(1)
            await uow.wheels.update(wheel)
        assert (await revisions())[wheel.id] == seen[-1]

    async def test_a_reused_wheel_id_never_meets_an_old_revision(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await _portfolio(uow)
            assert portfolio.id is not None
            wheel = await _wheel(uow, portfolio.id, "AAPL")
            assert wheel.id is not None
            trade = await uow.trades.add(_trade(wheel.id))
            await uow.commit()
            old = await uow.wheels.revisions()
        async with uow_factory() as uow:
            await uow.trades.delete(trade.id or 0)
            await uow.wheels.delete(wheel.id)
            again = await _wheel(uow, portfolio.id, "AAPL")
            await uow.commit()
            assert again.id is not None
            now = await uow.wheels.revisions()
        if again.id in old:
            assert now[again.id] != old[again.id]

    async def test_trade_queries_filter_order_and_page(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            one, two = await _portfolio(uow, "one"), await _portfolio(uow, "two")
            assert one.id is not None and two.id is not None
            w1, w2 = await _wheel(uow, one.id, "AAPL"), await _wheel(uow, two.id, "MSFT")
            assert w1.id is not None and w2.id is not None
            closed = await uow.trades.add(
                _trade(
                    w1.id,
                    opened_at=T0,
                    closed_at=T0 + timedelta(days=11),
                    outcome=Outcome.EXPIRED_WORTHLESS,
                    price_at_expiry=Decimal("104"),
                )
            )
            call = await uow.trades.add(
                _trade(w2.id, "MSFT", option_type=OptionType.CALL, opened_at=T0 + timedelta(days=1))
            )
            later = await uow.trades.add(_trade(w1.id, opened_at=T0 + timedelta(days=12)))
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
            portfolio = await _portfolio(uow)
            assert portfolio.id is not None
            wheel = await _wheel(uow, portfolio.id)
            assert wheel.id is not None
            first = await uow.trades.add(_trade(wheel.id))
            assert first.id is not None
            first.outcome = Outcome.ROLLED
            first.closed_at = T0 + timedelta(days=3)
            first.close_price = Decimal("3.10")
            await uow.trades.update(first)
            second = await uow.trades.add(
                _trade(
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
            portfolio = await _portfolio(uow)
            assert portfolio.id is not None
            wheel, other = await _wheel(uow, portfolio.id), await _wheel(uow, portfolio.id, "KO")
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
            portfolio = await _portfolio(uow)
            assert portfolio.id is not None
            wheel = await _wheel(uow, portfolio.id)
            assert wheel.id is not None
            trade = await uow.trades.add(_trade(wheel.id))
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

    async def test_alerts_dedupe_by_key_and_acknowledge(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            old = await uow.alerts.add(
                Alert(
                    kind="itm",
                    key="itm:1",
                    message="AAPL put is ITM",
                    level=RiskLevel.HIGH,
                    created_at=T0,
                )
            )
            new = await uow.alerts.add(
                Alert(
                    kind="expiry",
                    key="expiry:1",
                    message="expires in 2 days",
                    level=RiskLevel.MEDIUM,
                    created_at=T0 + timedelta(hours=1),
                )
            )
            await uow.commit()
        assert old.id is not None
        async with uow_factory() as uow:
            assert await uow.alerts.find_by_key("itm:1") == old
            assert await uow.alerts.find_by_key("nope") is None
            assert await uow.alerts.list() == [new, old]
            old.acknowledged_at = T0 + timedelta(hours=2)
            await uow.alerts.update(old)
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.alerts.list(acknowledged=True) == [old]
            assert await uow.alerts.list(acknowledged=False) == [new]
            assert await uow.alerts.get(old.id) == old

    async def test_alert_queries_filter_order_and_page(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await _portfolio(uow)
            assert portfolio.id is not None
            wheel = await _wheel(uow, portfolio.id)
            assert wheel.id is not None
            trade = await uow.trades.add(_trade(wheel.id))
            day = timedelta(days=1)
            low = await uow.alerts.add(
                Alert(kind="expiry", key="e:1", message="m", level=RiskLevel.LOW, created_at=T0)
            )
            medium = await uow.alerts.add(
                Alert(
                    kind="risk",
                    key="r:1",
                    message="m",
                    level=RiskLevel.MEDIUM,
                    created_at=T0 + day,
                    wheel_id=wheel.id,
                    trade_id=trade.id,
                )
            )
            high = await uow.alerts.add(
                Alert(
                    kind="risk",
                    key="r:2",
                    message="m",
                    level=RiskLevel.HIGH,
                    created_at=T0 + 2 * day,
                    wheel_id=wheel.id,
                    acknowledged_at=T0 + 3 * day,
                )
            )
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.alerts.search(AlertQuery()) == [high, medium, low]
            assert await uow.alerts.count(AlertQuery()) == 3
            assert await uow.alerts.search(AlertQuery(kind="risk")) == [high, medium]
            assert await uow.alerts.search(AlertQuery(wheel_id=wheel.id, acknowledged=False)) == [
                medium
            ]
            assert await uow.alerts.search(AlertQuery(acknowledged=True)) == [high]
            medium_up = AlertQuery(min_level=RiskLevel.MEDIUM)
            assert await uow.alerts.search(medium_up) == [high, medium]
            assert await uow.alerts.search(AlertQuery(min_level=RiskLevel.HIGH)) == [high]
            on_day = AlertQuery(created_from=(T0 + day).date(), created_to=(T0 + day).date())
            assert await uow.alerts.search(on_day) == [medium]
            assert await uow.alerts.search(AlertQuery(created_from=(T0 + day).date())) == [
                high,
                medium,
            ]
            paged = AlertQuery(offset=1, limit=1)
            assert await uow.alerts.search(paged) == [medium]
            assert await uow.alerts.count(paged) == 3
            assert await uow.alerts.count(AlertQuery(kind="nope")) == 0

    async def test_watchlist_is_one_entry_per_symbol_in_symbol_order(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            msft = await uow.watchlist.add(
                WatchlistEntry(symbol="MSFT", added_at=T0, note="after earnings")
            )
            aapl = await uow.watchlist.add(WatchlistEntry(symbol="AAPL", added_at=T0))
            await uow.commit()
        assert msft.id is not None and aapl.id is not None
        async with uow_factory() as uow:
            assert await uow.watchlist.list() == [aapl, msft]
            assert await uow.watchlist.get("MSFT") == msft
            assert await uow.watchlist.get("KO") is None
        with pytest.raises(ConflictError):
            async with uow_factory() as uow:
                await uow.watchlist.add(WatchlistEntry(symbol="AAPL", added_at=T0))
                await uow.commit()
        async with uow_factory() as uow:
            await uow.watchlist.delete("AAPL")
            await uow.watchlist.delete("KO")  # absent: nothing to do
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.watchlist.list() == [msft]

    async def test_opportunities_are_one_per_contract_and_are_read_once(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        def opportunity(
            symbol: str, strike: str, found_at: datetime, **changes: object
        ) -> Opportunity:
            fields: dict[str, object] = {
                "symbol": symbol,
                "option_type": OptionType.PUT,
                "strike": Decimal(strike),
                "expiration": date(2026, 1, 16),
                "premium": Decimal("0.455"),
                "probability_itm": 0.1834,
                "annualized_yield": Decimal("0.0749"),
                "found_at": found_at,
                "last_seen_at": found_at,
                "source": OpportunitySource.WATCHLIST,
            }
            fields.update(changes)
            return Opportunity(**fields)  # type: ignore[arg-type]

        later = T0 + timedelta(hours=1)
        async with uow_factory() as uow:
            portfolio = await _portfolio(uow)
            assert portfolio.id is not None
            wheel = await _wheel(uow, portfolio.id, "KO")
            first = await uow.opportunities.add(opportunity("AAPL", "180", T0))
            second = await uow.opportunities.add(opportunity("AAPL", "175", T0))
            ko = await uow.opportunities.add(
                opportunity(
                    "KO",
                    "60.5",
                    later,
                    source=OpportunitySource.WHEEL,
                    wheel_id=wheel.id,
                    expiration=date(2026, 2, 20),
                )
            )
            await uow.commit()
        assert first.id is not None
        async with uow_factory() as uow:
            # Strikes compare as numbers: 180.00 is the contract stored as 180.
            found = await uow.opportunities.find(
                "AAPL", OptionType.PUT, Decimal("180.00"), date(2026, 1, 16)
            )
            assert found == first
            assert (
                await uow.opportunities.find(
                    "AAPL", OptionType.CALL, Decimal(180), date(2026, 1, 16)
                )
                is None
            )
            assert await uow.opportunities.search(OpportunityQuery()) == [ko, first, second]
            assert await uow.opportunities.search(OpportunityQuery(symbol="AAPL", limit=1)) == [
                first
            ]
            wheel_only = OpportunityQuery(source=OpportunitySource.WHEEL)
            assert await uow.opportunities.search(wheel_only) == [ko]
            calls = OpportunityQuery(option_type=OptionType.CALL)
            assert await uow.opportunities.count(calls) == 0
            first.read_at = later
            first.premium = Decimal("0.50")
            await uow.opportunities.update(first)
            await uow.commit()
        with pytest.raises(ConflictError):
            async with uow_factory() as uow:
                await uow.opportunities.add(opportunity("AAPL", "180.0", later))
                await uow.commit()
        async with uow_factory() as uow:
            assert await uow.opportunities.get(first.id) == first
            unread = OpportunityQuery(unread_only=True)
            assert await uow.opportunities.search(unread) == [ko, second]
            assert await uow.opportunities.mark_all_read(later) == 2
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.opportunities.count(OpportunityQuery(unread_only=True)) == 0
            assert await uow.opportunities.mark_all_read(later) == 0
            stored = await uow.opportunities.search(OpportunityQuery())
            assert [o.read_at for o in stored] == [later, later, later]
            assert stored[1] == first  # read before: its first reading is kept
        async with uow_factory() as uow:
            expirations = sorted({o.expiration for o in stored})
            assert await uow.opportunities.delete_expired(expirations[0]) == 0, "strictly before"
            gone = [o for o in stored if o.expiration == expirations[0]]
            cutoff = expirations[0] + timedelta(days=1)
            assert await uow.opportunities.delete_expired(cutoff) == len(gone)
            await uow.commit()
        async with uow_factory() as uow:
            kept = await uow.opportunities.search(OpportunityQuery())
            assert kept == [o for o in stored if o.expiration >= cutoff] != []

    async def test_job_runs_newest_first(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            first = await uow.job_runs.add(
                JobRun(job="snapshot", trigger="schedule", started_at=T0, status="running")
            )
            second = await uow.job_runs.add(
                JobRun(
                    job="risk",
                    trigger="manual",
                    started_at=T0 + timedelta(minutes=5),
                    status="success",
                    finished_at=T0 + timedelta(minutes=6),
                    summary="3 ok",
                )
            )
            first.status = "failure"
            first.error = "provider down"
            first.finished_at = T0 + timedelta(minutes=1)
            await uow.job_runs.update(first)
            await uow.commit()
        async with uow_factory() as uow:
            every = JobRunQuery()
            assert await uow.job_runs.search(every) == [second, first]
            assert await uow.job_runs.search(JobRunQuery(job="snapshot")) == [first]
            assert await uow.job_runs.search(JobRunQuery(limit=1)) == [second]
            assert await uow.job_runs.search(JobRunQuery(offset=1)) == [first]
            assert await uow.job_runs.count(every) == 2
            failed = JobRunQuery(status="failure")
            assert (await uow.job_runs.search(failed), await uow.job_runs.count(failed)) == (
                [first],
                1,
            )
            day = T0.date()
            same_day = JobRunQuery(day_from=day, day_to=day)
            assert await uow.job_runs.count(same_day) == 2
            assert await uow.job_runs.count(JobRunQuery(day_from=day + timedelta(days=1))) == 0
            assert await uow.job_runs.count(JobRunQuery(day_to=day - timedelta(days=1))) == 0
        async with uow_factory() as uow:
            running = await uow.job_runs.add(
                JobRun(job="snapshot", trigger="manual", started_at=T0, status="running")
            )
            assert await uow.job_runs.delete_finished_before(T0) == 0, "strictly before"
            cutoff = T0 + timedelta(minutes=5)
            assert await uow.job_runs.delete_finished_before(cutoff) == 1  # first; not running
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.job_runs.search(JobRunQuery()) == [second, running]

    async def test_settings_round_trip(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            await uow.settings.set("risk.medium_within_pct", "5")
            await uow.settings.set("jobs", '{"snapshot": {"enabled": true}}')
            await uow.settings.set("risk.medium_within_pct", "7.5")
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.settings.get("risk.medium_within_pct") == "7.5"
            assert await uow.settings.get("missing") is None
            assert await uow.settings.all() == {
                "risk.medium_within_pct": "7.5",
                "jobs": '{"snapshot": {"enabled": true}}',
            }


@pytest.mark.asyncio
class MarketDataContract:
    """What every ``MarketData`` provider must do.

    Provide ``market_data`` (the provider, ready to answer for ``known_symbol``)
    and ``known_symbol``; ``unknown_symbol`` defaults to one no exchange lists.
    """

    @pytest.fixture
    def market_data(self) -> MarketData:
        raise NotImplementedError("provide a market_data fixture for your adapter")

    @pytest.fixture
    def known_symbol(self) -> str:
        return "AAPL"

    @pytest.fixture
    def unknown_symbol(self) -> str:
        return "ZZZZQ"

    async def test_quote_is_positive_and_aware(
        self, market_data: MarketData, known_symbol: str
    ) -> None:
        quote = await market_data.get_quote(known_symbol)
        assert quote.symbol == known_symbol
        assert isinstance(quote.price, Decimal) and quote.price > 0
        assert quote.as_of.utcoffset() is not None
        if quote.bid is not None and quote.ask is not None:
            assert 0 <= quote.bid <= quote.ask

    async def test_chain_is_consistent(self, market_data: MarketData, known_symbol: str) -> None:
        chain = await market_data.get_chain(known_symbol)
        assert chain.symbol == known_symbol
        assert chain.underlying_price > 0
        assert chain.options, "a listed symbol has options"
        for option in chain.options:
            assert option.strike > 0
            assert 0 <= option.bid <= option.ask
            assert option.open_interest >= 0 and option.volume >= 0
            if option.implied_volatility is not None:
                assert option.implied_volatility > 0

    async def test_chain_respects_the_expiration_window(
        self, market_data: MarketData, known_symbol: str
    ) -> None:
        full = await market_data.get_chain(known_symbol)
        first = full.expirations[0]
        narrowed = await market_data.get_chain(known_symbol, from_date=first, to_date=first)
        assert narrowed.expirations == (first,)

    async def test_history_is_ascending_and_in_range(
        self, market_data: MarketData, known_symbol: str
    ) -> None:
        quote = await market_data.get_quote(known_symbol)
        end = quote.as_of.date()
        start = end - timedelta(days=60)
        bars = await market_data.get_price_history(known_symbol, start, end)
        assert bars, "sixty days hold trading days"
        days = [bar.day for bar in bars]
        assert days == sorted(set(days))
        assert all(start <= d <= end for d in days)
        assert all(bar.close > 0 for bar in bars)

    async def test_events_belong_to_the_symbol(
        self, market_data: MarketData, known_symbol: str
    ) -> None:
        events = await market_data.get_events(known_symbol)
        assert events.symbol == known_symbol
        assert list(events.earnings) == sorted(events.earnings)

    async def test_unknown_symbol_is_a_market_data_error(
        self, market_data: MarketData, unknown_symbol: str
    ) -> None:
        with pytest.raises(MarketDataError):
            await market_data.get_quote(unknown_symbol)


class MarketCalendarContract:
    """What every ``MarketCalendar`` must do.

    Provide ``calendar``; ``known_holidays`` and ``known_early_closes`` list
    dates the adapter is known to treat so (defaults: none).
    """

    @pytest.fixture
    def calendar(self) -> MarketCalendar:
        raise NotImplementedError("provide a calendar fixture for your adapter")

    @pytest.fixture
    def known_holidays(self) -> list[date]:
        return []

    @pytest.fixture
    def known_early_closes(self) -> list[date]:
        return []

    def test_weekends_have_no_session(self, calendar: MarketCalendar) -> None:
        sessions = calendar.sessions(date(2026, 1, 3), date(2026, 1, 4))
        assert list(sessions) == []

    def test_sessions_are_ordered_and_sane(self, calendar: MarketCalendar) -> None:
        sessions = list(calendar.sessions(date(2026, 1, 1), date(2026, 3, 31)))
        assert 55 <= len(sessions) <= 65
        assert [s.day for s in sessions] == sorted({s.day for s in sessions})
        for session in sessions:
            assert session.open < session.close
            assert session.open.utcoffset() == timedelta(0)
            assert session.day.weekday() < 5

    def test_is_open_agrees_with_sessions(self, calendar: MarketCalendar) -> None:
        session = calendar.sessions(date(2026, 1, 6), date(2026, 1, 6))[0]
        assert calendar.is_open(session.open)
        assert calendar.is_open(session.close - timedelta(minutes=1))
        assert not calendar.is_open(session.close)
        assert not calendar.is_open(session.open - timedelta(minutes=1))

    def test_next_open_and_close_are_strictly_later_session_edges(
        self, calendar: MarketCalendar
    ) -> None:
        friday_evening = datetime(2026, 1, 9, 23, 0, tzinfo=UTC)
        next_open = calendar.next_open(friday_evening)
        assert next_open > friday_evening
        assert next_open.astimezone(UTC).weekday() == 0
        assert calendar.is_open(next_open)
        assert calendar.next_close(next_open) > next_open
        assert not calendar.is_open(calendar.next_close(next_open))

    def test_the_first_and_last_days_python_has_are_answered(
        self, calendar: MarketCalendar
    ) -> None:
        """A date a user once stored (an expiration in 9999) is asked about like any
        other: an answer, never an ``OverflowError`` from stepping past the last date."""
        last_week = calendar.sessions(date(9999, 12, 25), date.max)
        first_week = calendar.sessions(date.min, date(1, 1, 7))
        for sessions in (last_week, first_week):
            assert len(sessions) <= 5
            assert all(s.day.weekday() < 5 and s.open < s.close for s in sessions)

    def test_known_holidays_are_closed(
        self, calendar: MarketCalendar, known_holidays: list[date]
    ) -> None:
        for day in known_holidays:
            assert list(calendar.sessions(day, day)) == [], day

    def test_known_early_closes_end_early(
        self, calendar: MarketCalendar, known_early_closes: list[date]
    ) -> None:
        for day in known_early_closes:
            (session,) = calendar.sessions(day, day)
            assert session.early_close
            assert session.close - session.open < timedelta(hours=6, minutes=30)


class ClockContract:
    """Provide ``clock``."""

    @pytest.fixture
    def clock(self) -> Clock:
        raise NotImplementedError("provide a clock fixture for your adapter")

    def test_now_is_utc_and_never_goes_back(self, clock: Clock) -> None:
        first, second = clock.now(), clock.now()
        assert first.utcoffset() == timedelta(0)
        assert second >= first


@pytest.mark.asyncio
class NotifierContract:
    """Provide ``notifier``; ``delivered`` returns what reached the destination, if observable."""

    @pytest.fixture
    def notifier(self) -> Notifier:
        raise NotImplementedError("provide a notifier fixture for your adapter")

    @pytest.fixture
    def delivered(self) -> Callable[[], list[Alert]] | None:
        return None

    async def test_notify_delivers_the_alert(
        self, notifier: Notifier, delivered: Callable[[], list[Alert]] | None
    ) -> None:
        alert = Alert(
            kind="itm",
            key="itm:7",
            message="KO call is ITM",
            level=RiskLevel.HIGH,
            created_at=T0,
            wheel_id=1,
            trade_id=7,
        )
        await notifier.notify(alert)
        if delivered is not None:
            assert alert in delivered()


@pytest.mark.asyncio
class DeletionContract:
    """Deletes that would orphan history are refused; derived data goes with its owner.

    Provide ``uow_factory``; mixed into :class:`UnitOfWorkContract` below.
    """

    async def test_a_portfolio_with_wheels_cannot_be_deleted(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await _portfolio(uow, "kept")
            assert portfolio.id is not None
            await _wheel(uow, portfolio.id)
            await uow.commit()
        with pytest.raises(ConflictError):
            async with uow_factory() as uow:
                await uow.portfolios.delete(portfolio.id)
                await uow.commit()

    async def test_a_wheel_with_trades_cannot_be_deleted_but_takes_its_snapshots(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        async with uow_factory() as uow:
            portfolio = await _portfolio(uow, "p")
            assert portfolio.id is not None
            wheel = await _wheel(uow, portfolio.id)
            assert wheel.id is not None
            trade = await uow.trades.add(_trade(wheel.id))
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
            portfolio = await _portfolio(uow, "r")
            assert portfolio.id is not None
            wheel = await _wheel(uow, portfolio.id)
            assert wheel.id is not None
            first = await uow.trades.add(_trade(wheel.id))
            await uow.trades.add(_trade(wheel.id, rolled_from_id=first.id, chain_id=first.id))
            await uow.commit()
        assert first.id is not None
        with pytest.raises(ConflictError):
            async with uow_factory() as uow:
                await uow.trades.delete(first.id)
                await uow.commit()


class UnitOfWorkContract(StorageContract, DeletionContract):
    """What every ``UnitOfWork`` must do. Provide a ``uow_factory`` fixture."""
