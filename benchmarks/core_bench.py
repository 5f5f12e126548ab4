"""Time the core's bulk computations over a large, valid trading history.

Run: ``uv run python benchmarks/core_bench.py [--wheels 500] [--trades 100000] [--repeat 3]``

It builds a deterministic history (seeded), then reports the best of
``--repeat`` runs of: replaying every wheel, per-wheel performance, the
aggregate report, roll-chain P&L, the trades CSV and P&L history from a year
of daily snapshots. Figures only — nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from wheel_core.domain.entities import Snapshot, Trade, Wheel
from wheel_core.domain.enums import OptionType, Outcome, WheelState
from wheel_core.domain.lifecycle import Holdings, replay
from wheel_core.export import performance_csv, trades_csv
from wheel_core.performance import (
    Period,
    WheelBook,
    aggregate,
    chain_pnl,
    pnl_history,
    wheel_performance,
)

START = datetime(2020, 1, 6, 15, 0, tzinfo=UTC)
SYMBOLS = ("AAPL", "AMD", "BAC", "F", "INTC", "KO", "MSFT", "PFE", "T", "XOM")


def cents(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high)) / 100


def wheel_history(rng: random.Random, wheel_id: int, legs: int, first_id: int) -> list[Trade]:
    """A valid wheel: puts (some rolled), assignments, calls (some rolled), call-aways."""
    symbol = SYMBOLS[wheel_id % len(SYMBOLS)]
    trades: list[Trade] = []
    at = START
    holding = 0
    strike = Decimal(rng.randint(20, 300))
    chain: int | None = None
    previous: int | None = None
    for n in range(legs):
        trade_id = first_id + n
        kind = OptionType.CALL if holding else OptionType.PUT
        contracts = holding or rng.randint(1, 5)
        closed_at = at + timedelta(days=rng.randint(3, 10), hours=6)
        roll = rng.random()
        if n == legs - 1:
            outcome = None
        elif roll < 0.1:
            outcome = Outcome.ROLLED
        elif kind is OptionType.PUT:
            outcome = Outcome.ASSIGNED if roll < 0.35 else Outcome.EXPIRED_WORTHLESS
        else:
            outcome = Outcome.CALLED_AWAY if roll < 0.45 else Outcome.EXPIRED_WORTHLESS
        trades.append(
            Trade(
                id=trade_id,
                wheel_id=wheel_id,
                symbol=symbol,
                option_type=kind,
                strike=strike if kind is OptionType.PUT else strike + 5,
                expiration=closed_at.date(),
                premium=cents(rng, 20, 400),
                contracts=contracts,
                opened_at=at,
                fees=Decimal("0.65") * contracts,
                closed_at=closed_at if outcome else None,
                outcome=outcome,
                close_price=cents(rng, 10, 500) if outcome is Outcome.ROLLED else None,
                chain_id=chain,
                rolled_from_id=previous,
            )
        )
        if outcome is Outcome.ROLLED:
            chain, previous, at = chain or trade_id, trade_id, closed_at
            continue
        chain = previous = None
        at = closed_at + timedelta(days=1, hours=-6)
        if outcome is Outcome.ASSIGNED:
            holding = contracts
        elif outcome is Outcome.CALLED_AWAY:
            holding = 0
            strike = Decimal(rng.randint(20, 300))
    return trades


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=int, default=500)
    parser.add_argument("--trades", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20260116)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    legs = args.trades // args.wheels
    created = START - timedelta(days=1)
    histories: list[tuple[Wheel, list[Trade]]] = []
    for wheel_id in range(1, args.wheels + 1):
        wheel = Wheel(
            id=wheel_id,
            portfolio_id=1 + wheel_id % 3,
            symbol=SYMBOLS[wheel_id % len(SYMBOLS)],
            created_at=created,
            updated_at=created,
        )
        histories.append((wheel, wheel_history(rng, wheel_id, legs, wheel_id * legs)))
    all_trades = [t for _, trades in histories for t in trades]
    today = max(t.opened_at for t in all_trades).date()

    holdings: list[Holdings] = []

    def replay_all() -> None:
        holdings[:] = [replay(trades) for _, trades in histories]

    replay_time = best_of(args.repeat, replay_all)
    books = [
        WheelBook(
            wheel=wheel,
            trades=tuple(trades),
            holdings=held,
            price=Decimal("101.25"),
            option_marks={t.id: Decimal("0.40") for t in trades if t.is_open and t.id},
        )
        for (wheel, trades), held in zip(histories, holdings, strict=True)
    ]
    snapshots = [
        Snapshot(
            wheel_id=wheel_id,
            symbol=SYMBOLS[wheel_id % len(SYMBOLS)],
            day=today - timedelta(days=d),
            current_price=Decimal("100"),
            state=WheelState.PUT_OPEN,
            created_at=START,
            realized_pnl=Decimal("1234.56"),
            unrealized_pnl=Decimal("-12.34"),
        )
        for wheel_id in range(1, args.wheels + 1)
        for d in range(365)
    ]

    report = aggregate(books, Period.ALL, today)
    csv_bytes = sum(len(line) for line in trades_csv(all_trades))
    figures = [
        (f"replay, {args.wheels} wheels", replay_time, len(all_trades)),
        (
            "wheel_performance, each wheel, all",
            best_of(args.repeat, lambda: [wheel_performance(b, Period.ALL, today) for b in books]),
            len(all_trades),
        ),
        (
            "wheel_performance, each wheel, 365 days",
            best_of(
                args.repeat, lambda: [wheel_performance(b, Period.DAYS_365, today) for b in books]
            ),
            len(all_trades),
        ),
        (
            "aggregate (all wheels, by symbol)",
            best_of(args.repeat, lambda: aggregate(books, Period.ALL, today)),
            len(all_trades),
        ),
        (
            "chain_pnl",
            best_of(args.repeat, lambda: chain_pnl(all_trades)),
            len(all_trades),
        ),
        (
            f"trades_csv ({csv_bytes / 1e6:.1f} MB)",
            best_of(args.repeat, lambda: sum(1 for _ in trades_csv(all_trades))),
            len(all_trades),
        ),
        (
            "performance_csv",
            best_of(args.repeat, lambda: list(performance_csv(report))),
            len(report.by_symbol) + 1,
        ),
        (
            "pnl_history (365 days of snapshots)",
            best_of(args.repeat, lambda: pnl_history(snapshots)),
            len(snapshots),
        ),
    ]

    print(f"Python {platform.python_version()} on {platform.machine()} ({sys.platform})")
    print(
        f"{len(all_trades):,} trades over {args.wheels} wheels, {len(report.by_symbol)} symbols, "
        f"{START.date()} to {today}; best of {args.repeat}"
    )
    print(f"{'computation':<44}{'rows':>10}{'seconds':>10}{'µs/row':>9}")
    for name, seconds, rows in figures:
        print(f"{name:<44}{rows:>10,}{seconds:>10.3f}{seconds / rows * 1e6:>9.2f}")
    total = report.total
    print(
        f"check: premium {total.total_premium}, realized {total.realized_pnl}, "
        f"unrealized {total.unrealized_pnl}, win rate {total.win_rate}"
    )


if __name__ == "__main__":
    main()
