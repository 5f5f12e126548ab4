"""The CLI's commands, run in direct mode and in remote mode, print the same bytes.

Each scenario is a list of command lines; it runs once against a fresh SQLite file
(direct) and once against a fresh server (remote), both on one fake clock, and every
command's exit code, stdout and stderr must match. Nothing differs between the
modes — not even timestamps, since both read the same clock — so no field is
masked. Figures a trader would check by hand are asserted as well.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from api_moment import API_NOW
from cli_harness import Cli, Step, both, both_modes

from wheel_core.testing.fakes import FakeClock


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
    with both_modes(tmp_path, monkeypatch, capsys, clock) as modes:
        yield modes


def to(days: int) -> Callable[[FakeClock], None]:
    return lambda clock: clock.set(API_NOW + timedelta(days=days))


WORKED_EXAMPLE: list[Step] = [
    ("init", "AAPL", "--capital", "30000"),
    ("record", "AAPL", "put", "--strike", "100", "--expiration", "2026-12-18",
     "--premium", "2.00", "--contracts", "3"),
    to(24),  # Friday 2026-12-18, after the close
    ("expire", "AAPL", "--price", "95"),
    ("record", "AAPL", "call", "--strike", "105", "--expiration", "2027-01-15",
     "--premium", "1.50", "--contracts", "3"),
    to(52),  # Friday 2027-01-15
    ("expire", "AAPL", "--price", "110"),
    ("performance",),
    ("--json", "performance"),
    ("history", "AAPL"),
    ("list",),
]  # fmt: skip


def test_the_worked_example_gives_the_same_exact_figures_in_both_modes(
    modes: dict[str, Cli], clock: FakeClock
) -> None:
    results = both(modes, clock, WORKED_EXAMPLE)
    assert all(r.code == 0 for r in results), results
    put, assigned, call, called_away = (r.out for r in results[1:5])
    assert "3× put 100.00 exp 2026-12-18 premium 2.00 (total 600.00), open" in put
    assert "assigned on 2026-12-18, P&L 600.00" in assigned
    assert "(total 450.00)" in call
    assert "called_away on 2027-01-15, P&L 450.00" in called_away
    table = results[5].out
    assert "Total premium" in table and "1,050.00" in table
    assert "Share gains" in table and "1,500.00" in table
    assert "Realized P&L" in table and "2,550.00" in table
    raw = results[6].out
    assert '"total_premium":1050.00' in raw and '"realized_pnl":2550.00' in raw
    report = json.loads(raw, parse_float=Decimal)
    assert report["total"]["share_gain"] == Decimal("1500.00")
    assert report["total"]["assigned"] == 1 and report["total"]["called_away"] == 1


def test_portfolios_are_created_listed_shown_and_switched_alike(
    modes: dict[str, Cli], clock: FakeClock
) -> None:
    results = both(
        modes,
        clock,
        [
            ("portfolio", "create", "ira", "--capital", "50000", "--description", "Roth [IRA]"),
            ("portfolio", "list"),
            ("--portfolio", "ira", "init", "MSFT", "--shares", "200", "--cost-basis", "410.50"),
            ("portfolio", "show", "ira"),
            ("--json", "portfolio", "show", "2"),
            ("portfolio", "set-default", "ira"),
            ("list",),
            ("list", "--all-portfolios", "--json"),
            ("portfolio", "delete", "default"),
            ("portfolio", "show", "nope"),
        ],
    )
    assert [r.code for r in results] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert "Created Portfolio 2 ira: capital 50,000.00" in results[0].out
    assert "Roth [IRA]" in results[1].out
    assert "200 shares at 410.50" in results[2].out
    summary = json.loads(results[4].out, parse_float=Decimal)
    assert summary["portfolio"]["name"] == "ira" and summary["active_wheels"] == 1
    assert "Default: Portfolio 2 ira (default)" in results[5].out
    assert "MSFT" in results[6].out
    listed = json.loads(results[7].out)
    assert [w["symbol"] for w in listed["items"]] == ["MSFT"] and listed["total"] == 1
    assert "Deleted portfolio 1 default" in results[8].out
    assert results[9].err.startswith("error: ") and "nope" in results[9].err


def test_refusals_are_one_line_with_the_same_exit_code_in_both_modes(
    modes: dict[str, Cli], clock: FakeClock
) -> None:
    results = both(
        modes,
        clock,
        [
            ("status", "NOPE"),
            ("init", "AAPL", "--capital", "1000"),
            ("init", "AAPL"),
            ("expire", "AAPL", "--price", "95"),
            ("record", "AAPL", "call", "--strike", "105", "--expiration", "2026-12-18",
             "--premium", "1"),
            ("record", "AAPL", "put", "--strike", "100", "--expiration", "2026-12-18",
             "--premium", "1"),
            ("record", "AAPL", "put", "--strike", "-5", "--expiration", "2026-12-18",
             "--premium", "1"),
            ("record", "AAPL", "put", "--strike", "abc", "--expiration", "2026-12-18",
             "--premium", "1"),
            ("--portfolio", "ghost", "list"),
        ],
    )  # fmt: skip
    codes = [r.code for r in results]
    assert codes == [1, 0, 1, 1, 1, 1, 2, 2, 1]
    for result in (results[0], results[2], results[3], results[4], results[5], results[8]):
        assert result.out == ""
        assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    assert "no active wheel on NOPE in portfolio default" in results[0].err
    assert "AAPL has no open option (state idle)" in results[3].err
    assert "allowed actions" in results[4].err
    assert "collateral" in results[5].err or "capital" in results[5].err
    assert "--strike" in results[7].err
    assert "no portfolio named 'ghost'" in results[8].err


def test_positions_recommendations_and_snapshots_read_alike(
    modes: dict[str, Cli], clock: FakeClock
) -> None:
    results = both(
        modes,
        clock,
        [
            ("init", "AAPL", "--capital", "30000"),
            ("import", "MSFT", "--shares", "100", "--cost-basis", "400"),
            ("record", "AAPL", "put", "--strike", "250", "--expiration", "2026-12-18",
             "--premium", "3.10"),
            ("status",),
            ("status", "AAPL", "--json"),
            ("list", "--refresh"),
            ("refresh",),
            ("recommend", "--all"),
            ("recommend", "MSFT", "--max-dte", "30", "--json"),
            ("snapshot", "take"),
            ("snapshot", "take"),
            ("snapshot", "list", "--json"),
        ],
    )  # fmt: skip
    assert all(r.code == 0 for r in results), results
    assert "Prices: simulated market data" in results[3].out
    position = json.loads(results[4].out)
    assert position["symbol"] == "AAPL" and position["simulated"] is True
    assert position["option"]["strike"] == 250
    assert "┃ Risk" in results[5].out and "Prices: simulated market data" in results[5].out
    assert "MSFT (holding_shares): sell calls" in results[7].out
    recommendation = json.loads(results[8].out)
    assert recommendation["symbol"] == "MSFT"
    assert all(c["dte"] <= 30 for c in recommendation["recommendation"]["candidates"])
    snapshots = json.loads(results[11].out)
    assert snapshots["total"] == 2, "a second snapshot the same day replaces the first"


def test_close_roll_sell_update_archive_behave_alike(
    modes: dict[str, Cli], clock: FakeClock
) -> None:
    results = both(
        modes,
        clock,
        [
            ("init", "KO", "--capital", "10000"),
            ("record", "KO", "put", "--strike", "60", "--expiration", "2026-12-18",
             "--premium", "0.80"),
            ("roll", "KO", "--close-price", "0.30", "--strike", "58", "--expiration",
             "2027-01-15", "--premium", "0.95"),
            ("close", "KO", "--price", "0.20"),
            ("import", "KO", "--shares", "100", "--cost-basis", "61"),
            ("sell-shares", "KO", "--price", "63.50"),
            ("update", "KO", "--profile", "conservative"),
            ("update", "KO"),
            ("archive", "KO"),
            ("list", "--json"),
            ("--json", "performance", "--all-portfolios", "--period", "30"),
            ("performance", "--export", "csv"),
        ],
    )  # fmt: skip
    assert [r.code for r in results] == [0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0]
    assert "Rolled into Trade 2" in results[2].out
    assert "closed_early on 2026-11-24, P&L 75.00" in results[3].out
    # rolled leg (0.80 − 0.30) × 100 = 50, closed leg (0.95 − 0.20) × 100 = 75,
    # shares (63.50 − 61.00) × 100 = 250
    assert "realized 375.00" in results[5].out
    assert "conservative" in results[6].out
    assert "say what to change" in results[7].err
    assert json.loads(results[9].out)["total"] == 0
    csv = results[11].out.splitlines()
    assert csv[0].startswith("symbol,") and csv[-1].startswith("(total),")
