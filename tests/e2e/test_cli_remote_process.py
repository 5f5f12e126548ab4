"""The installed ``wheel-strategy`` command against a real ``serve`` process.

Every command here is a subprocess, as a user runs it: once in remote mode against
the server (``--api-url``) and once in direct mode on a database file of its own,
and the two must print the same bytes. These processes read the machine's clock, so
the commands chosen print nothing that depends on the time (no trade dates, no
prices); ``tests/integration/test_cli_both_modes.py`` covers those on a fake clock.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from serve_process import clean_environment, free_port, running_server

SCRIPT = [
    ("portfolio", "create", "ira", "--capital", "50000", "--description", "Roth IRA"),
    ("portfolio", "list"),
    ("init", "AAPL", "--capital", "30000", "--profile", "conservative"),
    ("--portfolio", "ira", "import", "MSFT", "--shares", "200", "--cost-basis", "410.50"),
    ("list", "--all-portfolios"),
    ("update", "AAPL", "--capital", "25000"),
    ("portfolio", "show", "ira"),
    ("archive", "AAPL"),
    ("list",),
    ("status", "NOPE"),
    ("expire", "MSFT", "--price", "400", "--portfolio", "ira"),
    ("watchlist",),
    ("plugins",),
    ("jobs", "show", "nope"),
]


def cli(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli.main", *argv],
        cwd=tmp_path,
        env=clean_environment(tmp_path, {}),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_remote_mode_against_a_real_server_prints_what_direct_mode_prints(
    tmp_path: Path,
) -> None:
    direct_db = str(tmp_path / "direct.db")
    with running_server(tmp_path) as server:
        remote = [cli(tmp_path, "--api-url", server.base_url, *line) for line in SCRIPT]
        listed = cli(tmp_path, "--api-url", server.base_url, "--json", "list", "--all-portfolios")
    direct = [cli(tmp_path, "--db", direct_db, *line) for line in SCRIPT]

    for line, theirs, mine in zip(SCRIPT, remote, direct, strict=True):
        assert (theirs.returncode, theirs.stdout, theirs.stderr) == (
            mine.returncode,
            mine.stdout,
            mine.stderr,
        ), line
    assert [r.returncode for r in remote] == [0] * 9 + [1, 1, 0, 0, 1]
    assert "ira" in remote[1].stdout and "50,000.00" in remote[1].stdout
    assert (
        "MSFT [holding_shares]" in remote[3].stdout and "200 shares at 410.50" in remote[3].stdout
    )
    assert "AAPL" in remote[4].stdout and "25,000.00" in remote[5].stdout
    assert "AAPL" not in remote[8].stdout, "archived wheels leave the list"
    assert remote[9].stderr == (
        "error: no active wheel on NOPE in portfolio default; "
        "start one with `wheel-strategy init NOPE`\n"
    )
    assert "MSFT has no open option (state holding_shares)" in remote[10].stderr
    assert "Watchlist: empty." in remote[11].stdout
    assert remote[12].stdout.startswith("Plugins: none found")
    assert remote[13].stderr == "error: job 'nope' not found\n"
    wheels = json.loads(listed.stdout)
    assert [(w["symbol"], w["shares"]) for w in wheels["items"]] == [("MSFT", 200)]


def test_an_unreachable_server_is_exit_3_naming_the_url_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = cli(tmp_path, "--api-url", url, "init", "AAPL")
    assert result.returncode == 3
    assert result.stdout == ""
    assert url in result.stderr and result.stderr.count("\n") == 1
    assert not list(tmp_path.rglob("*.db")), "no silent fallback to a local database"
