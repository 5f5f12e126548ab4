"""Time the simulated market: option chains for 100 symbols, cold and warm.

Run: ``uv run python benchmarks/market_data_bench.py [--symbols 100] [--repeat 3] [--seed 0]
[--calendar nyse|fake]``

"Cold" is a fresh ``SimulatedMarket``: every symbol's daily path is built
first. "Warm" asks the same provider again, so the paths, strike grids and
expiration lists are memoized but every chain is still priced afresh (the
provider keeps no chains: a TTL cache wrapper is a separate layer). "Warm,
clock +5 min" moves the fake clock, as a price-refresh job would see it.
The calendar's first year (the ``holidays`` import) is timed on its own line,
because a server pays it once at start-up whatever the provider. Figures
only — nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import platform
import string
import sys
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, date, datetime, timedelta

from adapters.market_data.calendar import NyseCalendar
from adapters.market_data.simulated import SimulatedMarket
from adapters.market_data.simulated_profiles import PROFILES, is_listed
from wheel_core.ports import MarketCalendar
from wheel_core.testing.fakes import FakeClock, FakeMarketCalendar

NOW = datetime(2026, 1, 6, 15, 30, tzinfo=UTC)  # Tuesday, 10:30 in New York


def symbols(count: int) -> list[str]:
    """The table's tickers, then derived three-letter ones, in a fixed order."""
    names = list(PROFILES)
    for letters in itertools.product(string.ascii_uppercase, repeat=3):
        name = "".join(letters)
        if name not in PROFILES and is_listed(name):
            names.append(name)
        if len(names) >= count:
            break
    return names[:count]


async def chains(market: SimulatedMarket, names: list[str]) -> int:
    return sum([len((await market.get_chain(name)).options) for name in names])


async def quotes(market: SimulatedMarket, names: list[str]) -> int:
    return len([await market.get_quote(name) for name in names])


async def histories(market: SimulatedMarket, names: list[str]) -> int:
    start, end = date(2025, 1, 6), NOW.date()
    return sum([len(await market.get_price_history(name, start, end)) for name in names])


Step = Callable[[SimulatedMarket, list[str]], Coroutine[object, object, int]]


def timed(step: Step, market: SimulatedMarket, names: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    rows = asyncio.run(step(market, names))
    return time.perf_counter() - started, rows


def best(runs: list[tuple[float, int]]) -> tuple[float, int]:
    return min(runs, key=lambda run: run[0])


def measure(
    calendar: MarketCalendar, names: list[str], seed: int, repeat: int
) -> list[tuple[str, float, int]]:
    """Each line's best of ``repeat`` runs; every cold run gets a fresh provider."""
    lines: dict[str, list[tuple[float, int]]] = {}

    def record(label: str, run: tuple[float, int]) -> None:
        lines.setdefault(label, []).append(run)

    for _ in range(repeat):
        clock = FakeClock(NOW)
        market = SimulatedMarket(clock, calendar, seed)
        record("chains, cold (fresh provider)", timed(chains, market, names))
        record("chains, warm (same provider, same time)", timed(chains, market, names))
        clock.advance(timedelta(minutes=5))
        record("chains, warm, clock +5 min", timed(chains, market, names))
        record("quotes, warm", timed(quotes, market, names))
        record("price history, 1 year, warm", timed(histories, market, names))
        record(
            "quotes, cold (fresh provider)",
            timed(quotes, SimulatedMarket(clock, calendar, seed), names),
        )
    return [(label, *best(runs)) for label, runs in lines.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--symbols", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--calendar", choices=("nyse", "fake"), default="nyse")
    args = parser.parse_args()

    names = symbols(args.symbols)
    started = time.perf_counter()
    calendar: MarketCalendar = NyseCalendar() if args.calendar == "nyse" else FakeMarketCalendar()
    calendar.sessions(date(2025, 1, 1), date(2027, 12, 31))
    warm_up = time.perf_counter() - started

    print(f"Python {sys.version.split()[0]}, {platform.machine()} {platform.system()}")
    print(
        f"{len(names)} symbols, seed {args.seed}, {args.calendar} calendar, best of {args.repeat}"
    )
    print(f"{'calendar, first use (2025-2027)':44} {warm_up:8.3f} s")
    for label, seconds, rows in measure(calendar, names, args.seed, args.repeat):
        per_symbol = seconds / len(names) * 1000
        print(f"{label:44} {seconds:8.3f} s  {per_symbol:6.2f} ms/symbol  {rows:>9,} rows")


if __name__ == "__main__":
    main()
