"""The kept histories on a real SQLite file: a change made by another engine (another
process, such as the CLI in direct mode) or by hand-written SQL is seen at once,
because the database's triggers, not the service, move the revisions."""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

from adapters.persistence import SqlUnitOfWorkFactory, create_engine, upgrade
from wheel_core.app import CloseTrade, OpenWheel, RecordTrade, WheelService
from wheel_core.domain.enums import OptionType, WheelState
from wheel_core.testing.fakes import FakeClock

NOW = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


def put() -> RecordTrade:
    return RecordTrade(
        option_type=OptionType.PUT,
        strike=Decimal(100),
        expiration=date(2026, 1, 16),
        premium=Decimal("2.00"),
        contracts=1,
    )


async def test_changes_from_another_engine_and_from_raw_sql_are_seen(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    server_engine, cli_engine = create_engine(path), create_engine(path)
    await upgrade(server_engine)
    clock = FakeClock(NOW)
    server = WheelService(SqlUnitOfWorkFactory(server_engine), clock)
    cli = WheelService(SqlUnitOfWorkFactory(cli_engine), clock)
    try:
        wheels = [
            await server.open_wheel(OpenWheel(symbol=s, capital=Decimal(50_000)))
            for s in ("AAPL", "KO", "MSFT")
        ]
        assert {w.state for w in await server.list_wheels()} == {WheelState.IDLE}

        trade = await cli.record_trade(wheels[1].id, put())
        listed = {w.symbol: w for w in await server.list_wheels()}
        assert listed["KO"].state is WheelState.PUT_OPEN
        assert listed["KO"].open_trade is not None
        assert listed["AAPL"].state is WheelState.IDLE
        summary = await server.portfolio_summary(wheels[0].portfolio_id)
        assert summary.open_trades == 1

        await cli.close_trade(trade.id, CloseTrade(price=Decimal("0.50")))
        listed = {w.symbol: w for w in await server.list_wheels()}
        assert listed["KO"].open_trade is None
        assert listed["KO"].realized_pnl == Decimal("150.00")

        async with cli_engine.begin() as connection:
            await connection.execute(text("UPDATE trades SET premium = '3.00'"))
        listed = {w.symbol: w for w in await server.list_wheels()}
        assert listed["KO"].realized_pnl == Decimal("250.00")
        assert (await server.portfolio_summary(wheels[0].portfolio_id)).total_premium == Decimal(
            "300.00"
        )
    finally:
        await server_engine.dispose()
        await cli_engine.dispose()
