"""SQLite under concurrent writers and a killed process: nothing acknowledged is lost."""

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from adapters.persistence import SqlUnitOfWorkFactory, create_engine, upgrade
from wheel_core.app import OpenWheel, RecordTrade, WheelService
from wheel_core.domain.enums import OptionType
from wheel_core.domain.lifecycle import replay
from wheel_core.ports import TradeQuery
from wheel_core.testing.fakes import FakeClock

SYMBOLS = [f"S{n:02d}" for n in range(20)]


async def test_twenty_concurrent_writers_lose_nothing_and_never_see_locked(
    tmp_path: Path,
) -> None:
    path = tmp_path / "busy.db"
    # Two engines stand for two processes (the server and the CLI) on one file.
    engines = [create_engine(path), create_engine(path)]
    await upgrade(engines[0])
    clock = FakeClock(datetime(2026, 1, 5, 15, 0, tzinfo=UTC))
    services = [WheelService(SqlUnitOfWorkFactory(e), clock) for e in engines]

    async def writer(n: int) -> list[int]:
        service = services[n % 2]
        wheel = await service.open_wheel(OpenWheel(symbol=SYMBOLS[n], capital=Decimal(10_000)))
        trade = await service.record_trade(
            wheel.id,
            RecordTrade(
                option_type=OptionType.PUT,
                strike=Decimal(50) + n,
                expiration=date(2026, 1, 16),
                premium=Decimal("1.25"),
                contracts=1,
            ),
        )
        return [wheel.id, trade.id]

    acknowledged = await asyncio.gather(*(writer(n) for n in range(20)))

    check = WheelService(SqlUnitOfWorkFactory(engines[0]), clock)
    wheels = await check.list_wheels()
    assert sorted(w.symbol for w in wheels) == SYMBOLS
    trades = (await check.list_trades(TradeQuery())).items
    assert sorted(t.id for t in trades) == sorted(ids[1] for ids in acknowledged)
    for wheel in wheels:
        assert wheel.state.value == "put_open"
        history = [t for t in trades if t.wheel_id == wheel.id]
        assert len(history) == 1
    for engine in engines:
        await engine.dispose()


CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import UTC, datetime
    from decimal import Decimal
    from adapters.persistence import SqlUnitOfWorkFactory, create_engine, upgrade
    from wheel_core.app import OpenWheel, WheelService
    from wheel_core.testing.fakes import FakeClock

    async def main(path):
        engine = create_engine(path)
        await upgrade(engine)
        service = WheelService(SqlUnitOfWorkFactory(engine), FakeClock())
        for n in range(100_000):  # bounded; the parent kills us long before
            wheel = await service.open_wheel(
                OpenWheel(symbol=f"K{n}", capital=Decimal("1000.01"))
            )
            print(wheel.id, flush=True)

    asyncio.run(main(sys.argv[1]))
    """
)


def test_a_killed_writer_leaves_an_intact_file_with_every_acknowledged_write(
    tmp_path: Path,
) -> None:
    path = tmp_path / "crash.db"
    src = Path(__file__).parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    acknowledged = [int(child.stdout.readline()) for _ in range(40)]
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in connection.execute("SELECT id FROM wheels")}
        capital = connection.execute("SELECT DISTINCT capital FROM wheels").fetchall()
    assert set(acknowledged) <= stored
    assert capital == [("1000.01",)]


def test_replay_of_stored_rows_matches(tmp_path: Path) -> None:
    """Rows read back by the adapter replay to the state the facade stored."""

    async def run() -> None:
        engine = create_engine(tmp_path / "replay.db")
        await upgrade(engine)
        factory = SqlUnitOfWorkFactory(engine)
        service = WheelService(factory, FakeClock())
        wheel = await service.open_wheel(
            OpenWheel(symbol="KO", shares=300, cost_basis=Decimal("58.3333"))
        )
        async with factory() as uow:
            trades = await uow.trades.list(TradeQuery(wheel_id=wheel.id))
            moves = await uow.share_moves.list_for_wheel(wheel.id)
            stored = await uow.wheels.get(wheel.id)
        assert stored is not None
        rebuilt = replay(trades, moves)
        assert (rebuilt.state, rebuilt.shares, rebuilt.cost_basis) == (
            stored.state,
            stored.shares,
            stored.cost_basis,
        )
        assert stored.cost_basis == Decimal("58.3333")
        await engine.dispose()

    asyncio.run(run())
