"""Time the REST API as it is deployed: ``wheel-strategy serve`` in its own process.

Run: ``uv run python benchmarks/http_bench.py [--clients 1,10,50] [--requests 2000]
[--seconds 15] [--log-level INFO] [--reads PATH,...] [--mixes read,write]
[--generator httpx|wrk]``

A fresh SQLite file is seeded in-process through the container and
``WheelService`` (3 portfolios, 30 wheels, 600 trades: 20 weekly puts per wheel,
19 ended — most expired worthless, every fourth bought back — and the last one
still open), then the real server is started as a subprocess on a free
127.0.0.1 port with that file and an environment holding no real configuration.
For each concurrency level, N ``httpx.AsyncClient`` workers share a request
budget (``--requests``, and at most ``--seconds``) over keep-alive connections;
every latency is measured client-side, from sending to the whole body read.
With ``--generator wrk``, wrk drives N connections for ``--seconds`` instead
(the same mixes from a Lua script; totals only, no per-endpoint figures).

Mixes (requests go round-robin through the list, ids rotating over the
portfolios): *read* — ``GET /portfolios``, ``/portfolios/{id}``,
``/portfolios/{id}/summary``, ``/wheels``, ``/trades?limit=50``, ``/positions``
(an endpoint answering 404/405 is left out and named); *write* — ``POST
/portfolios`` with a unique name and ``PATCH /portfolios/{id}``, alternately.

The load generator runs on the same machine as the server, so on 2 cores the
figures are the pair's, not the server's alone: httpx costs about as much CPU
per request as the server, wrk a small fraction of it. Figures only: nothing
asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx

from adapters.container import build_container, start, stop
from adapters.market_data.simulated_profiles import PROFILES
from adapters.settings import convert
from wheel_core.app.commands import (
    CloseTrade,
    CreatePortfolio,
    ExpireTrade,
    OpenWheel,
    RecordTrade,
)
from wheel_core.app.service import WheelService
from wheel_core.domain.enums import OptionType

API = "/api/v1"
PORTFOLIOS = 3
WHEELS_PER_PORTFOLIO = 10
TRADES_PER_WHEEL = 20
FIRST_WEEK = date(2025, 7, 8)  # a Tuesday; the Fridays after it are all trading days
READ_PATHS = [
    "/portfolios",
    "/portfolios/{id}",
    "/portfolios/{id}/summary",
    "/wheels",
    "/trades?limit=50",
    "/positions",
]


# --- seeding -------------------------------------------------------------------------


async def seed(db: Path) -> list[int]:
    """Fill ``db`` with the benchmark's history; the portfolio ids."""
    container = build_container(convert({"database": {"url": str(db)}}))
    await start(container)
    try:
        service: WheelService = container.service()
        portfolios = [p.id for p in await service.list_portfolios() if p.id is not None]
        for n in range(len(portfolios), PORTFOLIOS):
            created = await service.create_portfolio(
                CreatePortfolio(name=f"bench-{n}", capital=Decimal(1_000_000))
            )
            assert created.id is not None
            portfolios.append(created.id)
        symbols = sorted(PROFILES)[:WHEELS_PER_PORTFOLIO]
        for portfolio_id in portfolios:
            for symbol in symbols:
                await seed_wheel(service, portfolio_id, symbol)
        return portfolios
    finally:
        await stop(container)


async def seed_wheel(service: WheelService, portfolio_id: int, symbol: str) -> None:
    price = PROFILES[symbol].price
    strike = (price * Decimal("0.9")).quantize(Decimal(1))
    opened = datetime.combine(FIRST_WEEK, datetime.min.time(), UTC) - timedelta(days=7)
    wheel = await service.open_wheel(
        OpenWheel(
            symbol=symbol,
            portfolio_id=portfolio_id,
            capital=strike * 200,
            opened_at=opened,
        )
    )

    def put(expiration: date, premium: str, opened_at: datetime | None = None) -> RecordTrade:
        return RecordTrade(
            option_type=OptionType.PUT,
            strike=strike,
            expiration=expiration,
            premium=Decimal(premium),
            fees=Decimal("0.65"),
            opened_at=opened_at,
        )

    for week in range(TRADES_PER_WHEEL - 1):
        tuesday = FIRST_WEEK + timedelta(weeks=week)
        opened_at = datetime.combine(tuesday, datetime.min.time(), UTC) + timedelta(hours=15)
        trade = await service.record_trade(
            wheel.id, put(tuesday + timedelta(days=3), "1.25", opened_at)
        )
        if week % 4 == 3:
            await service.close_trade(
                trade.id, CloseTrade(price=Decimal("0.30"), at=opened_at + timedelta(days=1))
            )
        else:
            await service.expire_trade(trade.id, ExpireTrade(price_at_expiry=strike * 2))
    # The last put is open now, expiring on a Friday two to three weeks out.
    today = date.today()
    friday = today + timedelta(days=(4 - today.weekday()) % 7 + 14)
    await service.record_trade(wheel.id, put(friday, "2.10"))


# --- the server process -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(db: Path, workdir: Path, log_level: str) -> Iterator[str]:
    """``wheel-strategy serve`` on a free loopback port; stopped by PID on exit."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WHEEL_")}
    environ.update(HOME=str(workdir), XDG_CONFIG_HOME=str(workdir), XDG_DATA_HOME=str(workdir))
    argv = [sys.executable, "-m", "adapters.cli.main", "serve", "--port", str(port)]
    argv += ["--db", str(db), "--log-level", log_level]
    with (workdir / "server.log").open("wb") as log:
        process = subprocess.Popen(
            argv, cwd=workdir, env=environ, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(transport=httpx.HTTPTransport(retries=6), timeout=10) as client:
            for _ in range(3):
                if process.poll() is not None:
                    break
                try:
                    client.get(f"{base}{API}/portfolios")
                except httpx.TransportError:
                    continue
                break
        if process.poll() is not None:
            sys.exit(f"the server exited; see {workdir / 'server.log'}")
        yield base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


# --- load ----------------------------------------------------------------------------------


@dataclass
class Request:
    label: str
    method: str
    path: str
    body: dict[str, object] | None = None


@dataclass
class Result:
    """One level's figures. Latencies are kept per request by the httpx generator; wrk
    reports its percentiles only (``summary``), and no per-endpoint split."""

    latencies: list[float] = field(default_factory=list)
    by_label: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    elapsed: float = 0.0
    summary: dict[str, float] | None = None

    def percentile(self, q: float, values: list[float] | None = None) -> float:
        if values is None and self.summary is not None:
            return self.summary[f"p{q:g}"]
        data = sorted(self.latencies if values is None else values)
        return data[min(len(data) - 1, max(0, round(q / 100 * len(data)) - 1))] * 1000

    @property
    def succeeded(self) -> int:
        return int(self.summary["ok"]) if self.summary is not None else len(self.latencies)


def read_mix(portfolios: list[int], paths: list[str]) -> Callable[[int], Request]:
    def request(n: int) -> Request:
        path = paths[n % len(paths)]
        pid = portfolios[(n // len(paths)) % len(portfolios)]
        return Request(path, "GET", API + path.format(id=pid))

    return request


def write_mix(portfolios: list[int], run: str) -> Callable[[int], Request]:
    def request(n: int) -> Request:
        if n % 2 == 0:
            body: dict[str, object] = {"name": f"w-{run}-{n}", "capital": 10_000}
            return Request("POST /portfolios", "POST", f"{API}/portfolios", body)
        pid = portfolios[(n // 2) % len(portfolios)]
        body = {"description": f"edit {run} {n}"}
        return Request("PATCH /portfolios/{id}", "PATCH", f"{API}/portfolios/{pid}", body)

    return request


async def load(
    base: str, make: Callable[[int], Request], clients: int, budget: int, seconds: float
) -> Result:
    result = Result()
    counter = itertools.count()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        began = time.perf_counter()
        deadline = began + seconds

        async def worker() -> None:
            while (n := next(counter)) < budget and time.perf_counter() < deadline:
                request = make(n)
                sent = time.perf_counter()
                response = await client.request(request.method, request.path, json=request.body)
                await response.aread()
                took = time.perf_counter() - sent
                if response.is_success:
                    result.latencies.append(took)
                    result.by_label[request.label].append(took)
                else:
                    result.errors[response.status_code] += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
        result.elapsed = time.perf_counter() - began
    return result


WRK_SCRIPT = """
-- The benchmark's mixes for wrk: args are the mix, a run tag, then the paths.
local mix, run, paths, n, failed = "read", "", {}, 0, 0
init = function(args)
  mix, run = args[1], args[2]
  for i = 3, #args do paths[#paths + 1] = args[i] end
end
local json = {["Content-Type"] = "application/json"}
request = function()
  n = n + 1
  if mix == "read" then return wrk.format("GET", paths[n % #paths + 1]) end
  if n % 2 == 0 then
    local body = string.format('{"name":"w-%s-%d","capital":10000}', run, n)
    return wrk.format("POST", "/api/v1/portfolios", json, body)
  end
  return wrk.format("PATCH", paths[math.floor(n / 2) % #paths + 1], json, '{"description":"edit"}')
end
response = function(status) if status >= 300 then failed = failed + 1 end end
done = function(summary, latency)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + failed
  io.write(string.format("RESULT %d %d %d %.3f %.3f %.3f\\n", summary.requests, errors,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def load_with_wrk(
    base: str, mix: str, paths: list[str], portfolios: list[int], clients: int, seconds: float
) -> Result:
    """One level driven by ``wrk`` (one thread, ``clients`` connections, ``seconds`` long).

    wrk is an epoll load generator in C: it costs the shared cores a fraction of what
    httpx does per request, so its figures are closer to the server's own."""
    if mix == "read":
        targets = [API + path.format(id=pid) for pid in portfolios for path in paths]
    else:
        targets = [f"{API}/portfolios/{pid}" for pid in portfolios]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        argv = ["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "30s"]
        argv += ["-s", script.name, base, "--", mix, f"{clients}-{time.monotonic_ns()}"]
        output = subprocess.run(argv + targets, capture_output=True, text=True, check=True)
    finally:
        os.unlink(script.name)
    line = next(line for line in output.stdout.splitlines() if line.startswith("RESULT "))
    requests, errors, micros, p50, p95, p99 = (float(v) for v in line.split()[1:])
    result = Result(elapsed=micros / 1e6)
    result.summary = {"ok": requests - errors, "p50": p50, "p95": p95, "p99": p99}
    if errors:
        result.errors[0] = int(errors)
    return result


async def available_reads(
    base: str, portfolio: int, wanted: list[str]
) -> tuple[list[str], list[str]]:
    """The read paths this server answers; the ones it does not (404/405) are skipped."""
    kept, skipped = [], []
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for path in wanted:
            response = await client.get(API + path.format(id=portfolio))
            if response.status_code in (404, 405):
                skipped.append(f"{path} ({response.status_code})")
            elif response.is_success:
                kept.append(path)
            else:
                skipped.append(f"{path} ({response.status_code}: {response.text[:80]})")
    return kept, skipped


async def measure(args: argparse.Namespace, base: str, portfolios: list[int]) -> None:
    paths, skipped = await available_reads(base, portfolios[0], args.reads)
    if skipped:
        print(f"skipped read endpoints: {', '.join(skipped)}")
    # Warm-up: first-use costs (caches, JIT-less imports, the market's paths) out of the figures.
    await load(base, read_mix(portfolios, paths), 2, len(paths) * 6, args.seconds)

    rows: list[tuple[str, int, Result]] = []
    for mix in args.mixes:
        for clients in args.clients:
            if args.generator == "wrk":
                result = load_with_wrk(base, mix, paths, portfolios, clients, args.seconds)
            elif mix == "read":
                result = await load(
                    base, read_mix(portfolios, paths), clients, args.requests, args.seconds
                )
            else:
                make = write_mix(portfolios, f"{clients}-{time.monotonic_ns()}")
                result = await load(base, make, clients, args.requests, args.seconds)
            rows.append((mix, clients, result))

    print()
    print(f"load generator: {args.generator}")
    print("| mix | clients | requests | errors | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for mix, clients, result in rows:
        done = result.succeeded
        errors = sum(result.errors.values())
        rate = (done + errors) / result.elapsed if result.elapsed else 0.0
        print(
            f"| {mix} | {clients} | {done:,} | {errors} | {rate:,.0f} | "
            f"{result.percentile(50):.1f} | {result.percentile(95):.1f} | "
            f"{result.percentile(99):.1f} |"
        )
    for mix, clients, result in rows:
        if result.errors:
            print(f"errors ({mix}, {clients} clients): {dict(result.errors)}")
    if args.generator == "httpx":
        print_endpoints(args, paths, rows)


def print_endpoints(
    args: argparse.Namespace, paths: list[str], rows: list[tuple[str, int, Result]]
) -> None:
    print()
    print("Per endpoint (p50 / p95 ms):")
    print("| endpoint | " + " | ".join(f"{c} client{'s' * (c > 1)}" for c in args.clients) + " |")
    print("|---|" + "---:|" * len(args.clients))
    labels = [*paths, "POST /portfolios", "PATCH /portfolios/{id}"]
    for label in labels:
        if not any(label in result.by_label for _, _, result in rows):
            continue
        cells = [
            f"{statistics.median(values) * 1000:.1f} / {result.percentile(95, values):.1f}"
            for _, _, result in rows
            if (values := result.by_label.get(label))
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,10,50", help="concurrency levels, comma-separated")
    parser.add_argument("--requests", type=int, default=2000, help="request budget per level")
    parser.add_argument("--seconds", type=float, default=15.0, help="time cap per level")
    parser.add_argument("--log-level", default="INFO", help="the server's log level")
    parser.add_argument(
        "--reads", default=",".join(READ_PATHS), help="the read mix's paths, comma-separated"
    )
    parser.add_argument("--mixes", default="read,write", help="read, write or both")
    parser.add_argument(
        "--generator",
        choices=["httpx", "wrk"],
        default="httpx",
        help="the load generator: httpx in this process (request budget, per-endpoint "
        "figures) or wrk (Debian's package; runs --seconds per level, totals only)",
    )
    args = parser.parse_args()
    if args.generator == "wrk" and shutil.which("wrk") is None:
        parser.error("--generator wrk needs wrk on PATH (Debian/Ubuntu: apt install wrk)")
    args.clients = [int(c) for c in args.clients.split(",")]
    args.reads = args.reads.split(",")
    args.mixes = args.mixes.split(",")

    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="http-bench-") as tmp:
        workdir = Path(tmp)
        db = workdir / "bench.db"
        began = time.perf_counter()
        portfolios = asyncio.run(seed(db))
        print(
            f"seeded {PORTFOLIOS} portfolios, {PORTFOLIOS * WHEELS_PER_PORTFOLIO} wheels, "
            f"{PORTFOLIOS * WHEELS_PER_PORTFOLIO * TRADES_PER_WHEEL} trades "
            f"in {time.perf_counter() - began:.1f} s"
        )
        began = time.perf_counter()
        with server(db, workdir, args.log_level) as base:
            print(f"server ready in {time.perf_counter() - began:.1f} s at {base}")
            asyncio.run(measure(args, base, portfolios))
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
