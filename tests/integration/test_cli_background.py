"""The background-work commands — alerts, watchlist, opportunities, jobs, plugins — print
the same bytes in direct and remote mode, and do what they say.

A copy of the built-in ``premium_target`` plugin sits in the working directory's
``plugins/`` before either mode starts, so the local scheduler (direct) and the server's
(remote) both find it.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from api_moment import API_NOW
from cli_harness import Cli, both, both_modes

from adapters.persistence import create_engine
from adapters.persistence.lease import SqlSchedulerLease
from wheel_core.testing.fakes import FakeClock

REPOSITORY = Path(__file__).resolve().parents[2]

CORE_JOBS = (
    "price_refresh",
    "risk_monitor",
    "daily_snapshot",
    "opportunity_scan",
    "schwab_login_watch",
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(API_NOW)


@pytest.fixture
def modes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clock: FakeClock,
) -> Iterator[dict[str, Cli]]:
    (tmp_path / "plugins").mkdir()
    shutil.copy(REPOSITORY / "plugins" / "premium_target.py", tmp_path / "plugins")
    with both_modes(tmp_path, monkeypatch, capsys, clock) as modes:
        yield modes


def test_alerts_are_raised_by_a_scan_listed_and_acknowledged_alike(
    modes: dict[str, Cli], clock: FakeClock
) -> None:
    results = both(
        modes,
        clock,
        [
            ("init", "AAPL", "--capital", "30000"),
            ("record", "AAPL", "put", "--strike", "250", "--expiration", "2026-12-04",
             "--premium", "3.10"),
            ("alerts",),
            ("alerts", "--scan"),
            ("alerts", "--scan"),
            ("alerts",),
            ("--json", "alerts"),
            ("alerts", "--ack", "1"),
            ("alerts",),
            ("alerts", "--all", "--level", "high"),
            ("alerts", "--all"),
            ("alerts", "--ack", "999"),
            ("alerts", "--ack", "1", "--scan"),
        ],
    )  # fmt: skip
    assert [r.code for r in results] == [0] * 11 + [1, 2]
    assert results[2].out == "New alerts: none.\n"
    scanned = results[3].out
    assert scanned.startswith("Checked 1 open option(s): ")
    raised = int(scanned.split(": ")[1].split(" ")[0])
    assert raised >= 1, "a put 8 trading days from expiry raises the near-expiry alert"
    assert "Alert 1 [" in scanned
    assert results[4].out == "Checked 1 open option(s): 0 new alert(s).\n", "never twice"
    assert f"New alerts ({raised})" in results[5].out
    page = json.loads(results[6].out)
    assert page["total"] == raised and all(a["acknowledged_at"] is None for a in page["items"])
    assert results[7].out.startswith("Acknowledged Alert 1 [")
    assert "(acknowledged 2026-11-24 15:00Z)" in results[7].out
    assert f"New alerts ({raised - 1})" in results[8].out or raised == 1
    assert f"Alerts ({raised})" in results[10].out
    assert "alert 999 not found" in results[11].err


def test_watchlist_and_opportunities_alike(modes: dict[str, Cli], clock: FakeClock) -> None:
    results = both(
        modes,
        clock,
        [
            ("watchlist",),
            ("watchlist", "add", "nvda", "--note", "after earnings"),
            ("watchlist", "add", "NVDA"),
            ("watchlist",),
            ("watchlist", "scan"),
            ("watchlist", "scan"),
            ("opportunities", "--limit", "3"),
            ("--json", "opportunities", "count"),
            ("opportunities", "read", "1"),
            ("opportunities", "--unread", "--limit", "2", "--json"),
            ("opportunities", "read-all"),
            ("opportunities", "count"),
            ("opportunities", "read", "99999"),
            ("opportunities", "--side", "call"),
            ("watchlist", "remove", "NVDA"),
            ("watchlist", "remove", "NVDA"),
            ("watchlist", "add", "not a ticker!"),
        ],
    )
    codes = [r.code for r in results]
    assert codes == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1], results
    assert "Watchlist: empty." in results[0].out
    assert results[1].out == "Watching NVDA (after earnings) since 2026-11-24\n"
    assert "NVDA" in results[3].out and "after earnings" in results[3].out
    found = int(results[4].out.split(" new ")[0].removeprefix("Scan: "))
    assert found > 0 and "Opportunity 1: sell NVDA put" in results[4].out
    assert results[5].out.startswith(f"Scan: 0 new opportunities, {found} updated."), "no repeats"
    assert f"Opportunities ({found})" in results[6].out
    assert json.loads(results[7].out) == {"unread": found}
    assert results[8].out.startswith("Read Opportunity 1: sell NVDA put")
    unread = json.loads(results[9].out, parse_float=Decimal)
    assert unread["total"] == found - 1 and all(o["read_at"] is None for o in unread["items"])
    assert isinstance(unread["items"][0]["strike"], Decimal), "money stays exact"
    assert results[10].out == f"Marked {found - 1} read.\n"
    assert results[11].out == "0 unread.\n"
    assert "opportunity 99999 not found" in results[12].err
    assert results[13].out == "Opportunities: none.\n"
    assert results[14].out == "Stopped watching NVDA\n"
    assert "watchlist symbol 'NVDA' not found" in results[15].err


def test_jobs_are_listed_changed_run_and_recorded_alike(
    modes: dict[str, Cli], clock: FakeClock
) -> None:
    results = both(
        modes,
        clock,
        [
            ("init", "KO", "--capital", "10000"),
            ("jobs",),
            ("jobs", "show", "daily_snapshot"),
            ("jobs", "set", "opportunity_scan", "--cron", "45 9,12 * * mon-fri"),
            ("--json", "jobs", "show", "opportunity_scan"),
            ("jobs", "set", "price_refresh", "--disable"),
            ("jobs", "run", "daily_snapshot"),
            ("snapshot", "list", "--json"),
            ("jobs", "history"),
            ("--json", "jobs", "history", "--job", "daily_snapshot", "--status", "success"),
            ("jobs", "history", "--job", "risk_monitor"),
            ("jobs", "show", "nope"),
            ("jobs", "run", "Bad-Name"),
            ("jobs", "set", "price_refresh", "--every", "0"),
            ("jobs", "set", "price_refresh", "--every", "5", "--cron", "* * * * *"),
            ("jobs", "set", "opportunity_scan", "--cron", "not a cron"),
        ],
    )
    assert [r.code for r in results] == [0] * 11 + [1, 1, 2, 2, 1], results
    listing = results[1].out
    for job in CORE_JOBS:
        assert job in listing
    assert "premium_target" in listing, "the plugin's job is listed with the core jobs"
    # Tuesday 2026-11-24 15:00 UTC is 10:00 in New York: the snapshot runs at 16:30 there.
    assert "Next run    │ 2026-11-24 21:30Z" in results[2].out
    changed = json.loads(results[4].out)
    assert changed["cron"] == "45 9,12 * * mon-fri" and changed["interval_minutes"] is None
    assert "Enabled     │ no" in results[5].out
    assert results[6].out.startswith("Run 1 of daily_snapshot (manual) at 2026-11-24 15:00Z: ")
    assert "success" in results[6].out
    snapshots = json.loads(results[7].out)
    assert snapshots["total"] == 1 and snapshots["items"][0]["symbol"] == "KO"
    assert "daily_snapshot │ manual" in results[8].out
    runs = json.loads(results[9].out)
    assert runs["total"] == 1 and runs["items"][0]["trigger"] == "manual"
    assert results[10].out == "Job runs: none.\n"
    assert "job 'nope' not found" in results[11].err
    assert "job 'Bad-Name' not found" in results[12].err
    assert "invalid --every" in results[13].err
    assert "--every and --cron" in results[14].err
    assert "cron" in results[15].err


def test_plugins_are_shown_configured_disabled_and_enabled_alike(
    modes: dict[str, Cli], clock: FakeClock
) -> None:
    results = both(
        modes,
        clock,
        [
            ("plugins",),
            ("plugins", "show", "premium_target"),
            ("plugins", "config", "premium_target", "target_pct=40.50"),
            ("--json", "plugins", "config", "premium_target"),
            ("plugins", "config", "premium_target", "target_pct=400"),
            ("plugins", "config", "premium_target", "target_pct"),
            ("plugins", "disable", "premium_target"),
            ("jobs", "show", "premium_target"),
            ("plugins", "enable", "premium_target"),
            ("jobs", "run", "premium_target"),
            ("plugins", "show", "nope"),
        ],
    )
    assert [r.code for r in results] == [0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 1], results
    assert "premium_target" in results[0].out and "enabled" in results[0].out
    assert "target_pct │ 50 " in results[1].out
    assert "target_pct │ 40.50 " in results[2].out, "the digits typed, in both modes"
    assert '"config":{"target_pct":40.50}' in results[3].out
    shown = json.loads(results[3].out, parse_float=Decimal)
    assert shown["config"] == {"target_pct": Decimal("40.50")}
    assert "target_pct must be above 0 and at most 100, got 400" in results[4].err
    assert "write KEY=VALUE" in results[5].err
    assert results[6].out.startswith("Plugin premium_target 1.0.0: disabled")
    assert "Enabled     │ no" in results[7].out
    assert results[8].out.startswith("Plugin premium_target 1.0.0: enabled\n")
    assert "Run 1 of premium_target (manual)" in results[9].out
    assert "plugin 'nope' not found" in results[10].err


def test_jobs_say_which_process_runs_them_alike(
    modes: dict[str, Cli], clock: FakeClock, tmp_path: Path
) -> None:
    """Another process (a server, ``scheduler run``) takes the lease of each mode's
    database: ``jobs`` names it, until its lease lapses; it then stops (and releases
    the lease, so the other mode starts free)."""
    holder = "elsewhere:4242:beef"

    async def on_both(act: Callable[[SqlSchedulerLease], Awaitable[object]]) -> None:
        for database in ("direct.db", "server.db"):
            engine = create_engine(tmp_path / database)
            try:
                await act(SqlSchedulerLease(engine))
            finally:
                await engine.dispose()

    def lease_taken_elsewhere(clock: FakeClock) -> None:
        ttl = timedelta(seconds=30)
        asyncio.run(on_both(lambda lease: lease.acquire_or_renew(holder, clock.now(), ttl)))

    def lease_lapsed(clock: FakeClock) -> None:
        clock.advance(timedelta(seconds=30))

    def holder_stopped(clock: FakeClock) -> None:
        asyncio.run(on_both(lambda lease: lease.release(holder)))

    results = both(
        modes,
        clock,
        [
            ("jobs",),
            lease_taken_elsewhere,
            ("jobs",),
            ("--json", "jobs"),
            lease_lapsed,
            ("jobs",),
            holder_stopped,
        ],
    )
    none = "No process runs the jobs on their schedule now (none holds the scheduler lease).\n"
    assert results[0].out.endswith(none)
    assert results[1].out.endswith(
        "Run on schedule by elsewhere:4242:beef (its lease runs to 15:00:30Z unless renewed).\n"
    )
    listed = json.loads(results[2].out)
    assert isinstance(listed, list) and "elsewhere" not in results[2].out, "JSON: the jobs only"
    assert results[3].out.endswith(none)
