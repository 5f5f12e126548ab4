"""Rows become the core's Structs without ``msgspec.convert``: the values must still be
the core's types (aware UTC instants, exact Decimals, enums), and text that is no enum
value must be refused rather than slip through as a plain string."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import SqlUnitOfWorkFactory, tables
from wheel_core.domain.entities import Portfolio, Trade, Wheel
from wheel_core.domain.enums import OptionType, Outcome, RiskProfile, WheelState
from wheel_core.ports import TradeQuery

AT = datetime(2026, 3, 2, 15, 30, 1, 250, tzinfo=UTC)


async def _wheel_with_trade(factory: SqlUnitOfWorkFactory) -> Trade:
    async with factory() as uow:
        portfolio = await uow.portfolios.add(Portfolio(name="p", created_at=AT))
        assert portfolio.id is not None
        wheel = await uow.wheels.add(
            Wheel(
                portfolio_id=portfolio.id,
                symbol="AAPL",
                created_at=AT,
                updated_at=AT,
                profile=RiskProfile.DEFENSIVE,
                state=WheelState.PUT_OPEN,
                capital=Decimal("20000.10"),
            )
        )
        assert wheel.id is not None
        trade = await uow.trades.add(
            Trade(
                wheel_id=wheel.id,
                symbol="AAPL",
                option_type=OptionType.PUT,
                strike=Decimal("97.50"),
                expiration=date(2026, 3, 20),
                premium=Decimal("1.0025"),
                contracts=2,
                opened_at=AT,
                outcome=Outcome.ROLLED,
                closed_at=AT,
                close_price=Decimal("0.40"),
            )
        )
        await uow.commit()
        return trade


async def test_rows_read_back_as_the_core_types(sql_engine: AsyncEngine) -> None:
    factory = SqlUnitOfWorkFactory(sql_engine)
    stored = await _wheel_with_trade(factory)
    async with factory() as uow:
        [trade] = await uow.trades.list(TradeQuery())
        wheel = await uow.wheels.get(stored.wheel_id)
    assert trade == stored
    assert trade.option_type is OptionType.PUT
    assert trade.outcome is Outcome.ROLLED
    assert trade.price_at_expiry is None
    assert str(trade.premium) == "1.0025"
    assert trade.opened_at.tzinfo is UTC
    assert wheel is not None
    assert wheel.profile is RiskProfile.DEFENSIVE
    assert wheel.state is WheelState.PUT_OPEN
    assert wheel.active is True
    assert str(wheel.capital) == "20000.10"


async def test_instants_written_by_other_tools_read_back_in_utc(sql_engine: AsyncEngine) -> None:
    if sql_engine.dialect.name != "sqlite":
        pytest.skip("the text form of an instant is SQLite's")
    factory = SqlUnitOfWorkFactory(sql_engine)
    stored = await _wheel_with_trade(factory)
    async with sql_engine.begin() as connection:
        await connection.exec_driver_sql(
            "UPDATE trades SET opened_at = '2026-03-02T17:30:01+02:00', "
            "closed_at = '2026-03-03 09:00:00'"
        )
    async with factory() as uow:
        trade = await uow.trades.get(stored.id or 0)
    assert trade is not None
    assert trade.opened_at == datetime(2026, 3, 2, 15, 30, 1, tzinfo=UTC)
    assert trade.opened_at.tzinfo is UTC
    assert trade.closed_at == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


async def test_text_that_is_no_enum_value_is_refused(sql_engine: AsyncEngine) -> None:
    factory = SqlUnitOfWorkFactory(sql_engine)
    stored = await _wheel_with_trade(factory)
    async with sql_engine.begin() as connection:
        await connection.execute(update(tables.trades).values(outcome="vanished"))
    async with factory() as uow:
        with pytest.raises(ValueError, match="vanished"):
            await uow.trades.get(stored.id or 0)


async def test_columns_the_entity_lacks_are_left_out(sql_engine: AsyncEngine) -> None:
    """``legacy_id`` is a column of wheels but no field of ``Wheel``."""
    factory = SqlUnitOfWorkFactory(sql_engine)
    stored = await _wheel_with_trade(factory)
    async with sql_engine.begin() as connection:
        await connection.execute(update(tables.wheels).values(legacy_id=7))
        await connection.execute(
            insert(tables.portfolios).values(
                name="second", description="", capital=Decimal(0), is_default=False, created_at=AT
            )
        )
    async with factory() as uow:
        wheel = await uow.wheels.get(stored.wheel_id)
        portfolios = await uow.portfolios.list()
    assert wheel is not None
    assert wheel.symbol == "AAPL"
    assert [p.name for p in portfolios][-2:] == ["p", "second"]
