"""A symbol-addressed command finds its wheel in one read: one HTTP request in remote
mode, and in direct mode a read-only command opens no write transaction at all.

Requests are counted with an httpx event hook on the client the CLI builds; write
transactions by the statement each transaction begins with, as the SQLite driver
sends it (every writing transaction is ``BEGIN IMMEDIATE``, a reading one ``BEGIN``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_moment import API_NOW
from cli_harness import Cli, both_modes

import adapters.cli.remote as remote_package
from adapters.persistence.sqlite_driver import OneTripConnection
from wheel_core.testing.fakes import FakeClock

SETUP = [
    ("init", "AAPL", "--capital", "30000"),
    ("record", "AAPL", "put", "--strike", "100", "--expiration", "2026-12-18",
     "--premium", "2.00", "--contracts", "3"),
]  # fmt: skip


@pytest.fixture
def modes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[dict[str, Cli]]:
    with both_modes(tmp_path, monkeypatch, capsys, FakeClock(API_NOW)) as modes:
        for mode in modes.values():
            for step in SETUP:
                mode.ok(*step)
        yield modes


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``METHOD path?query`` of every request the CLI sends from now on."""
    sent: list[str] = []
    connect = remote_package.connect

    async def record(request: httpx.Request) -> None:
        query = f"?{request.url.query.decode()}" if request.url.query else ""
        sent.append(f"{request.method} {request.url.path}{query}")

    def counting(url: str, token: str | None, timeout: float = 30.0) -> httpx.AsyncClient:
        client = connect(url, token, timeout)
        client.event_hooks["request"].append(record)
        return client

    monkeypatch.setattr(remote_package, "connect", counting)
    return sent


@pytest.fixture
def begins(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statement every transaction the direct-mode CLI opens from now on begins with."""
    statements: list[str] = []
    begin_with_next = OneTripConnection.begin_with_next

    def spy(self: OneTripConnection, statement: str) -> None:
        statements.append(statement)
        begin_with_next(self, statement)

    monkeypatch.setattr(OneTripConnection, "begin_with_next", spy)
    return statements


def test_status_of_one_symbol_is_one_request(modes: dict[str, Cli], requests: list[str]) -> None:
    out = modes["remote"].ok("status", "aapl")
    assert "AAPL" in out
    assert requests == ["GET /api/v1/positions/by-symbol/AAPL"]


def test_a_symbol_addressed_command_finds_its_wheel_in_one_request(
    modes: dict[str, Cli], requests: list[str]
) -> None:
    modes["remote"].ok("--portfolio", "default", "history", "AAPL")
    assert requests == [
        "GET /api/v1/wheels/by-symbol/AAPL?portfolio=default",
        "GET /api/v1/wheels/1/history",
    ]


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (
            ("--portfolio", "nope", "status", "AAPL"),
            "error: no portfolio named 'nope'; see `wheel-strategy portfolio list` or create "
            "it with `wheel-strategy portfolio create nope`\n",
        ),
        (
            ("status", "msft"),
            "error: no active wheel on MSFT in portfolio default; start one with "
            "`wheel-strategy init MSFT`\n",
        ),
        (
            ("history", "MSFT"),
            "error: no active wheel on MSFT in portfolio default; start one with "
            "`wheel-strategy init MSFT`\n",
        ),
    ],
)
def test_a_miss_is_one_request_and_the_same_words_in_both_modes(
    modes: dict[str, Cli], requests: list[str], argv: tuple[str, ...], error: str
) -> None:
    direct, remote = modes["direct"](*argv), modes["remote"](*argv)
    assert direct == remote
    assert (remote.code, remote.err) == (1, error)
    assert len(requests) == 1


def test_the_missing_wheel_names_the_portfolio_it_was_looked_for_in(
    modes: dict[str, Cli],
) -> None:
    for mode in modes.values():
        mode.ok("portfolio", "create", "growth")
        result = mode("--portfolio", "growth", "update", "AAPL", "--profile", "aggressive")
        assert result.err == (
            "error: no active wheel on AAPL in portfolio growth; start one with "
            "`wheel-strategy init AAPL`\n"
        )


READ_ONLY_COMMANDS = [
    ("status", "AAPL"),
    ("status",),
    ("list",),
    ("history", "AAPL"),
    ("performance",),
    ("performance", "AAPL"),
    ("performance", "--export", "csv"),
    ("portfolio", "list"),
    ("portfolio", "show", "default"),
    ("snapshot", "list"),
]


@pytest.mark.parametrize("argv", READ_ONLY_COMMANDS, ids=" ".join)
def test_a_read_only_command_opens_no_write_transaction(
    modes: dict[str, Cli], begins: list[str], argv: tuple[str, ...]
) -> None:
    modes["direct"].ok(*argv)
    assert begins, "the command read nothing: the spy is not watching the driver"
    assert "BEGIN IMMEDIATE" not in begins
    assert set(begins) == {"BEGIN"}


def test_the_spy_sees_the_write_transactions_of_a_command_that_writes(
    modes: dict[str, Cli], begins: list[str]
) -> None:
    modes["direct"].ok("update", "AAPL", "--profile", "aggressive")
    assert "BEGIN IMMEDIATE" in begins


def test_a_database_that_needs_migrating_is_migrated_by_a_reading_command(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    begins: list[str],
) -> None:
    with both_modes(tmp_path, monkeypatch, capsys, FakeClock(API_NOW)) as modes:
        modes["direct"].ok("list")  # a new file: created and migrated
        assert "BEGIN IMMEDIATE" in begins
        assert "default" in modes["direct"].ok("portfolio", "list")
