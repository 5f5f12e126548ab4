"""Time the SQLite adapter over 100k trades: bulk insert, reads, and portfolio performance.

Run: ``uv run python benchmarks/persistence_bench.py [--wheels 500] [--trades 100000]``

The history is the same seeded, valid one as ``core_bench.py``. It is written
through the SQL repositories (one transaction per wheel, as a legacy import
would), then read back and summarised through the facade. Figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).parent))

from core_bench import START, SYMBOLS, wheel_history

from adapters.persistence import SqlUnitOfWorkFactory, create_engine, upgrade
from wheel_core.app import WheelService
from wheel_core.domain.entities import Trade, Wheel
from wheel_core.domain.lifecycle import replay
from wheel_core.performance import Period
from wheel_core.ports import TradeQuery
from wheel_core.testing.fakes import FakeClock


async def insert_history(factory: SqlUnitOfWorkFactory, wheels: int, trades: int, seed: int) -> int:
    rng = random.Random(seed)
    legs = trades // wheels
    written = 0
    for n in range(1, wheels + 1):
        history = wheel_history(rng, n, legs, n * legs)
        async with factory() as uow:
            default = next(p for p in await uow.portfolios.list() if p.is_default)
            assert default.id is not None
            holdings = replay(history)
            wheel = await uow.wheels.add(
                Wheel(
                    portfolio_id=default.id,
                    symbol=SYMBOLS[n % len(SYMBOLS)],
                    created_at=START,
                    updated_at=START,
                    state=holdings.state,
                    shares=holdings.shares,
                    cost_basis=holdings.cost_basis,
                )
            )
            ids: dict[int, int] = {}
            for trade in history:
                stored = await uow.trades.add(_renumbered(trade, wheel, ids))
                assert trade.id is not None and stored.id is not None
                ids[trade.id] = stored.id
                written += 1
            await uow.commit()
    return written


def _renumbered(trade: Trade, wheel: Wheel, ids: dict[int, int]) -> Trade:
    assert wheel.id is not None
    return msgspec.structs.replace(
        trade,
        id=None,
        wheel_id=wheel.id,
        rolled_from_id=None if trade.rolled_from_id is None else ids[trade.rolled_from_id],
        chain_id=None if trade.chain_id is None else ids[trade.chain_id],
    )


async def timed(label: str, rows: int, work: object) -> object:
    began = time.perf_counter()
    result = await work  # type: ignore[misc]
    seconds = time.perf_counter() - began
    rate = f"{rows / seconds:>10,.0f}/s" if rows else ""
    print(f"{label:<44}{rows:>9,}{seconds:>10.3f} s {rate}")
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=int, default=500)
    parser.add_argument("--trades", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260116)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()} ({sys.platform})")

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.db"
        engine = create_engine(path)
        await upgrade(engine)
        factory = SqlUnitOfWorkFactory(engine)
        service = WheelService(factory, FakeClock())
        total = args.trades // args.wheels * args.wheels

        await timed(
            "insert (one transaction per wheel)",
            total,
            insert_history(factory, args.wheels, args.trades, args.seed),
        )
        await timed("read every trade", total, service.list_trades(TradeQuery()))
        await timed(
            "read one symbol, one page of 50",
            50,
            service.list_trades(TradeQuery(symbol="AAPL", offset=5000, limit=50)),
        )
        await timed("get one wheel (replays its history)", 0, service.get_wheel(250))
        report = await timed(
            "portfolio performance (all wheels, all time)",
            total,
            service.performance(Period.ALL, portfolio_id=1, with_prices=False),
        )
        await timed(
            "portfolio performance (365 days)",
            total,
            service.performance(Period.DAYS_365, portfolio_id=1, with_prices=False),
        )
        print(f"database file: {path.stat().st_size / 1e6:.1f} MB")
        print(f"check: realized {report.total.realized_pnl}")  # type: ignore[attr-defined]
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
