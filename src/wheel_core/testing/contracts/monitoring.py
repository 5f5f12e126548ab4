"""The unit of work's monitoring repositories: alerts, the watchlist and opportunities.

Part of :class:`~wheel_core.testing.contracts.unit_of_work.UnitOfWorkContract`, split out
by repository so each suite fits in one reading; it runs alone too (provide ``uow_factory``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from wheel_core.domain.entities import Alert, Opportunity, WatchlistEntry
from wheel_core.domain.enums import OpportunitySource, OptionType, RiskLevel
from wheel_core.domain.errors import ConflictError
from wheel_core.ports import AlertQuery, OpportunityQuery, UnitOfWorkFactory
from wheel_core.testing.contracts.records import (
    T0,
    StorageSuite,
    add_portfolio,
    add_wheel,
    new_trade,
)


class MonitoringRepositoryContract(StorageSuite):
    """Alerts dedupe and page; one watchlist entry per symbol; opportunities are read once."""

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
            portfolio = await add_portfolio(uow)
            assert portfolio.id is not None
            wheel = await add_wheel(uow, portfolio.id)
            assert wheel.id is not None
            trade = await uow.trades.add(new_trade(wheel.id))
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
            portfolio = await add_portfolio(uow)
            assert portfolio.id is not None
            wheel = await add_wheel(uow, portfolio.id, "KO")
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
