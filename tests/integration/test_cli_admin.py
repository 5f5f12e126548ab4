"""The CLI's admin commands, in-process: ``db upgrade``, ``db import-legacy``, ``config show``,
``config validate`` and ``schwab login``.

Every database is a SQLite file in ``tmp_path``; the legacy file is built by the legacy
importer's own test builder (:func:`legacy_files.realistic_file`), whose hand-worked
figures the CLI's output is checked against. Nothing reaches the network: remote mode
is either refused before any request or served by an ``httpx.MockTransport``, and the
Schwab login function is replaced. Settings come only from what each test gives.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from legacy_files import Expected, realistic_file

from adapters.cli.commands import database
from adapters.cli.main import main
from adapters.persistence.migrate import head_revision

SECRET = "s3cret-app-secret-9f2c"
TOKEN = "api-token-for-tests-4b1e"
REFRESH = "refresh-token-never-shown-77d0"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No real config, database or token: no WHEEL_* variables, home and the platform
    directories inside ``tmp_path``, and the working directory there too."""
    for name in list(os.environ):
        if name.startswith("WHEEL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out, parse_float=Decimal)


Cli = Callable[..., Ran]
"""Runs ``wheel-strategy`` with the given arguments, in-process."""


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    def run(*argv: str) -> Ran:
        capsys.readouterr()
        try:
            main(list(argv))
        except SystemExit as exit_info:
            code = exit_info.code
        else:
            code = 0
        captured = capsys.readouterr()
        return Ran(0 if code is None else int(code), captured.out, captured.err)

    return run


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "wheel.db"


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    return tmp_path / "home" / ".wheel_strategy" / "trades.db"


@pytest.fixture
def expected(legacy: Path) -> Expected:
    return realistic_file(legacy)


def rows(text: str, title: str) -> list[list[str]]:
    """The body rows of the rich table titled ``title…`` in piped output, cells stripped."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    body = []
    for line in lines[start + 3 :]:
        if "│" not in line:
            break
        body.append([cell.strip() for cell in line.split("│")])
    return body


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: "untouched" means an equal dump."""
    with sqlite3.connect(path) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {name: connection.execute(f"SELECT * FROM {name}").fetchall() for name in names}


# ── db upgrade ────────────────────────────────────────────────────────────


def test_db_upgrade_prints_the_revision_before_and_after(cli: Cli, target: Path) -> None:
    head = head_revision()

    first = cli("--db", str(target), "db", "upgrade")
    assert first.code == 0, first.err
    assert first.out.strip() == f"{target}: revision empty → {head}"

    again = cli("db", "upgrade", "--db", str(target), "--json")
    assert again.code == 0, again.err
    assert again.json() == {"database": str(target), "before": head, "after": head}
    assert cli("--db", str(target), "db", "upgrade").out.strip() == (
        f"{target}: already at revision {head}"
    )


# ── db import-legacy ──────────────────────────────────────────────────────

WHEELS_AFTER_IMPORT = [
    # Symbol, Portfolio, State, Profile, Capital, Shares, Cost basis, Open option, Premium,
    # Realized P&L — the figures of legacy_files.realistic_file, worked out by hand there.
    ["AAPL", "default", "put_open", "conservative", "20,000.00", "0", "—",
     "1× put 185.00 exp 2024-06-21", "1,345.00", "1,350.00"],
    ["MSFT", "default", "call_open", "moderate", "0.00", "200", "410.00",
     "2× call 430.00 exp 2024-04-19", "2,510.00", "1,310.00"],
    ["TSLA", "default", "call_open", "aggressive", "25,000.00", "100", "190.00",
     "1× call 200.00 exp 2024-06-21", "1,540.00", "1,260.00"],
    ["AMD", "default", "idle", "conservative", "15,000.00", "0", "—", "—", "301.00", "286.00"],
]  # fmt: skip


def test_import_legacy_prints_the_validation_report_and_the_wheels_are_listed(
    cli: Cli, target: Path, legacy: Path, expected: Expected
) -> None:
    ran = cli("--db", str(target), "db", "import-legacy", str(legacy), "--timezone", "UTC")

    assert ran.code == 0, ran.err
    assert ran.err == ""
    assert f"Legacy file {legacy}" in ran.out
    assert "timestamps without a zone were read in UTC" in ran.out
    assert rows(ran.out, "Rows") == [
        ["wheels", "5", "0"],
        ["trades", "16", "0"],
        ["share moves", "2", "—"],
        ["snapshots", "7", "0"],
    ]
    assert rows(ran.out, "Premium per symbol") == [
        [symbol, f"{premium:,.2f}"]
        for symbol, premium in sorted(expected.premium_by_symbol.items())
    ]
    assert rows(ran.out, "Open positions (3)") == [
        ["AAPL", "1× put 185.00 exp 2024-06-21", "2024-05-20", "205.00"],
        ["MSFT", "2× call 430.00 exp 2024-04-19", "2024-03-04", "1,030.00"],
        ["TSLA", "1× call 200.00 exp 2024-06-21", "2024-06-01", "280.00"],
    ]
    roundings = rows(ran.out, "Amounts not in whole cents (5)")
    assert {(row[1], row[2], Decimal(row[3])) for row in roundings} == {
        (column, original, stored) for _, _, column, original, stored in expected.roundings
    }
    flagged = rows(ran.out, "Flagged rows (12)")
    kinds = {(row[0], row[1]) for row in flagged if row[0]}
    assert kinds == {(f"{table} {row}", kind) for table, row, kind in expected.findings}

    listed = cli("--db", str(target), "list", "--all-portfolios")
    assert listed.code == 0, listed.err
    assert rows(listed.out, "Wheels (4)") == WHEELS_AFTER_IMPORT


def test_import_legacy_json_is_the_report_and_a_second_run_imports_nothing(
    cli: Cli, target: Path, legacy: Path, expected: Expected
) -> None:
    argv = ["--db", str(target), "db", "import-legacy", str(legacy), "--timezone", "UTC"]
    first = cli(*argv, "--json")
    assert first.code == 0, first.err
    report = first.json()
    assert (report["wheels_imported"], report["trades_imported"]) == (5, expected.trades)
    assert report["snapshots_imported"] == expected.snapshots
    assert report["premium_by_symbol"] == expected.premium_by_symbol
    assert report["already_imported"] is False
    assert report["assumed_timezone"] == "UTC"
    assert Path(report["source_backup"]).parent == target.parent / "backups"
    assert Path(report["target_backup"]).is_file()
    listed_before = cli("--db", str(target), "list", "--all-portfolios").out
    database_before = dump(target)

    second = cli(*argv, "--json")
    assert second.code == 0, second.err
    again = second.json()
    assert again["already_imported"] is True
    assert (again["wheels_imported"], again["trades_imported"], again["snapshots_imported"]) == (
        0,
        0,
        0,
    )
    assert (again["wheels_skipped"], again["trades_skipped"]) == (5, expected.trades)
    assert again["findings"] == []
    assert again["target_backup"] is None
    assert dump(target) == database_before
    assert cli("--db", str(target), "list", "--all-portfolios").out == listed_before

    human = cli(*argv)
    assert human.code == 0, human.err
    assert "imported before: nothing new to import" in human.out


def test_naive_times_default_to_the_machines_zone(
    cli: Cli, target: Path, legacy: Path, expected: Expected, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    ran = cli("--db", str(target), "--json", "db", "import-legacy", str(legacy))
    assert ran.code == 0, ran.err
    assert ran.json()["assumed_timezone"] == "Asia/Tokyo"


def test_the_default_legacy_path_is_the_legacy_tools(
    cli: Cli, target: Path, expected: Expected
) -> None:
    ran = cli("--db", str(target), "--json", "db", "import-legacy", "--timezone", "UTC")
    assert ran.code == 0, ran.err
    assert ran.json()["wheels_imported"] == len(expected.wheels)


def test_a_corrupt_file_is_named_exits_1_and_leaves_the_target_untouched(
    cli: Cli, target: Path, tmp_path: Path
) -> None:
    assert cli("--db", str(target), "db", "upgrade").code == 0
    before = dump(target)
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database at all" * 10)

    ran = cli("--db", str(target), "db", "import-legacy", str(corrupt))

    assert ran.code == 1
    assert ran.out == ""
    assert ran.err.strip() == (
        f"error: {corrupt} is not a SQLite database (its header does not match)"
    )
    assert dump(target) == before


def test_a_missing_file_is_refused_before_the_target_is_created(
    cli: Cli, target: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "trades.db"
    ran = cli("--db", str(target), "db", "import-legacy", str(missing))
    assert ran.code == 1
    assert ran.err.strip() == f"error: {missing} does not exist"
    assert not target.exists()


def test_an_unknown_timezone_is_a_usage_error(cli: Cli, target: Path, legacy: Path) -> None:
    ran = cli("--db", str(target), "db", "import-legacy", str(legacy), "--timezone", "Mars/Base")
    assert ran.code == 2
    assert "--timezone 'Mars/Base' is not a known IANA time zone" in ran.err
    assert not target.exists()


def test_progress_follows_the_importers_reports() -> None:
    """The bar opens at the importer's first report (when the total is known) and advances
    once per processed row."""

    class Recorder:
        def __init__(self) -> None:
            self.opened: list[tuple[str, int]] = []
            self.advanced = 0
            self.closed = False

        def progress(self, description: str, total: int) -> Any:
            recorder = self
            recorder.opened.append((description, total))

            class Context:
                def __enter__(self) -> Any:
                    def advance() -> None:
                        recorder.advanced += 1

                    return advance

                def __exit__(self, *exc: object) -> None:
                    recorder.closed = True

            return Context()

    recorder = Recorder()
    with database._Bar(recorder) as bar:  # type: ignore[arg-type]
        for done in (0, 3, 3, 10, 28):
            bar(done, 28)
    assert recorder.opened == [("Importing legacy rows", 28)]
    assert recorder.advanced == 28
    assert recorder.closed


@pytest.mark.parametrize(
    "argv",
    [["db", "upgrade"], ["db", "import-legacy", "trades.db"]],
    ids=["upgrade", "import-legacy"],
)
def test_db_commands_refuse_remote_mode(cli: Cli, target: Path, argv: list[str]) -> None:
    ran = cli("--api-url", "http://127.0.0.1:9", "--db", str(target), *argv)
    assert ran.code == 2
    lines = ran.err.strip().splitlines()
    assert len(lines) == 1
    assert f"error: db {argv[1]} works on the database file, not on a server" in lines[0]
    assert not target.exists()


# ── config ────────────────────────────────────────────────────────────────


def test_config_show_redacts_a_secret_from_the_environment(
    cli: Cli, target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHEEL_STRATEGY_SCHWAB__APP_SECRET", SECRET)
    monkeypatch.setenv("WHEEL_STRATEGY_SERVER__PORT", "8123")

    human = cli("--db", str(target), "config", "show")
    assert human.code == 0, human.err
    assert SECRET not in human.out
    assert "  app_secret: ***" in human.out.splitlines()
    assert "  api_key: null" in human.out.splitlines()
    assert "  port: 8123" in human.out.splitlines()
    assert not target.exists()  # showing settings does not create a database

    ran = cli("--db", str(target), "config", "show", "--json")
    assert ran.code == 0, ran.err
    assert SECRET not in ran.out
    shown = ran.json()
    assert shown["schwab"]["app_secret"] == "***"
    assert shown["server"]["port"] == 8123
    assert shown["database"]["url"] == str(target)


def test_config_show_includes_run_time_changes_stored_in_the_database(
    cli: Cli, target: Path
) -> None:
    assert cli("--db", str(target), "db", "upgrade").code == 0
    with sqlite3.connect(target) as connection:
        connection.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)",
            ("app.config", json.dumps({"market_data": {"seed": 42}})),
        )
    ran = cli("--db", str(target), "--json", "config", "show")
    assert ran.code == 0, ran.err
    assert ran.json()["market_data"]["seed"] == 42


def test_config_show_in_remote_mode_asks_the_server_with_the_token(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adapters.cli import remote

    seen: list[httpx.Request] = []
    answer = {"schwab": {"app_secret": "***", "api_key": "***"}, "server": {"port": 9000}}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answer)

    def connect(url: str, token: str | None, timeout: float = 30.0) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(
            base_url=url, headers=headers, transport=httpx.MockTransport(handler)
        )

    monkeypatch.setattr(remote, "connect", connect)
    monkeypatch.setenv("WHEEL_API_TOKEN", TOKEN)

    ran = cli("--api-url", "http://wheel.test:8000/", "config", "show", "--json")

    assert ran.code == 0, ran.err
    [request] = seen
    assert (request.method, request.url.path) == ("GET", "/api/v1/system/config")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    shown = ran.json()
    assert shown["schwab"]["app_secret"] == "***"
    assert shown["server"]["port"] == 9000


def test_config_validate_names_the_bad_key_and_exits_2(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "server.yaml"
    bad.write_text("server:\n  port: lots\n", encoding="utf-8")

    ran = cli("config", "validate", str(bad))
    assert ran.code == 2
    assert ran.out == ""
    assert ran.err.strip().splitlines() == [
        f"error: invalid setting server.port (from config file {bad}): Expected `int`, got `str`"
    ]

    as_json = cli("--json", "config", "validate", str(bad))
    assert as_json.code == 2
    check = as_json.json()
    assert (check["valid"], check["file"]) == (False, str(bad))
    assert "server.port" in check["error"]


def test_config_validate_reads_the_environment_too(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "server.yaml"
    good.write_text("server:\n  port: 8001\n", encoding="utf-8")
    ran = cli("config", "validate", str(good))
    assert (ran.code, ran.out.strip()) == (0, f"valid: {good}")

    monkeypatch.setenv("WHEEL_STRATEGY_MARKET_DATA__PROVIDER", "carrier-pigeon")
    ran = cli("--config", str(good), "config", "validate")
    assert ran.code == 2
    assert "invalid setting market_data.provider (from environment)" in ran.err


def test_config_validate_with_no_file_checks_defaults_and_environment(cli: Cli) -> None:
    ran = cli("config", "validate")
    assert (ran.code, ran.out.strip()) == (0, "valid (no settings file: defaults and environment)")


def test_config_validate_of_a_missing_file_exits_2(cli: Cli, tmp_path: Path) -> None:
    ran = cli("config", "validate", str(tmp_path / "absent.yaml"))
    assert ran.code == 2
    assert ran.err.strip() == f"error: config file {tmp_path / 'absent.yaml'} does not exist"


# ── schwab login ──────────────────────────────────────────────────────────


class FakeLogin:
    """Stands in for ``schwab_auth.login``: records its arguments and writes a token."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str, Path]] = []

    def __call__(self, api_key: str, app_secret: str, callback_url: str, path: Path) -> None:
        self.calls.append((api_key, app_secret, callback_url, path))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"token": {"refresh_token": REFRESH}}), encoding="utf-8")


@pytest.fixture
def fake_login(monkeypatch: pytest.MonkeyPatch) -> FakeLogin:
    from adapters.market_data import schwab_auth

    recorder = FakeLogin()
    monkeypatch.setattr(schwab_auth, "login", recorder)
    return recorder


@pytest.mark.parametrize(
    ("environment", "missing"),
    [
        ({}, "schwab.api_key and schwab.app_secret are not set"),
        ({"WHEEL_STRATEGY_SCHWAB__API_KEY": "key"}, "schwab.app_secret is not set"),
        ({"WHEEL_STRATEGY_SCHWAB__APP_SECRET": SECRET}, "schwab.api_key is not set"),
    ],
)
def test_schwab_login_without_keys_names_them_and_exits_2(
    cli: Cli,
    fake_login: FakeLogin,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    missing: str,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    ran = cli("schwab", "login")
    assert ran.code == 2
    lines = ran.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {missing}")
    assert SECRET not in ran.err
    assert fake_login.calls == []


def test_schwab_login_without_the_extra_says_how_to_install_it(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHEEL_STRATEGY_SCHWAB__API_KEY", "key")
    monkeypatch.setenv("WHEEL_STRATEGY_SCHWAB__APP_SECRET", SECRET)
    monkeypatch.setitem(sys.modules, "schwab", None)  # what a missing package looks like
    monkeypatch.delitem(sys.modules, "schwab.auth", raising=False)
    monkeypatch.delitem(sys.modules, "adapters.market_data.schwab_auth", raising=False)

    ran = cli("schwab", "login")

    assert ran.code == 2
    lines = ran.err.strip().splitlines()
    assert len(lines) == 1
    assert "uv sync --extra schwab" in lines[0]
    assert "pip install wheel-strategy[schwab]" in lines[0]


def test_schwab_login_uses_the_settings_and_reports_only_the_token_path(
    cli: Cli, fake_login: FakeLogin, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "server.yaml"
    config.write_text("schwab:\n  callback_url: https://127.0.0.1:9443\n", encoding="utf-8")
    monkeypatch.setenv("WHEEL_STRATEGY_SCHWAB__API_KEY", "app-key")
    monkeypatch.setenv("WHEEL_STRATEGY_SCHWAB__APP_SECRET", SECRET)

    ran = cli("--config", str(config), "schwab", "login")

    assert ran.code == 0, ran.err
    default_path = tmp_path / "data" / "wheel-strategy" / "schwab_token.json"
    assert fake_login.calls == [("app-key", SECRET, "https://127.0.0.1:9443", default_path)]
    assert ran.out.strip() == f"Logged in to Schwab; token saved to {default_path}"
    assert REFRESH not in ran.out + ran.err
    assert SECRET not in ran.out + ran.err


def test_schwab_login_honours_the_token_path_setting_and_json(
    cli: Cli, fake_login: FakeLogin, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WHEEL_STRATEGY_SCHWAB__API_KEY", "app-key")
    monkeypatch.setenv("WHEEL_STRATEGY_SCHWAB__APP_SECRET", SECRET)
    monkeypatch.setenv("WHEEL_STRATEGY_SCHWAB__TOKEN_PATH", "~/tokens/schwab.json")

    ran = cli("--json", "schwab", "login")

    assert ran.code == 0, ran.err
    path = tmp_path / "home" / "tokens" / "schwab.json"
    assert [call[3] for call in fake_login.calls] == [path]
    assert ran.json() == {"token_path": str(path)}
    assert REFRESH not in ran.out


def test_a_failed_schwab_login_is_one_line_and_exit_1(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adapters.market_data import schwab_auth
    from adapters.market_data.errors import AuthenticationError

    def refused(*args: object) -> None:
        raise AuthenticationError("the Schwab login did not complete (OAuthError); check the key")

    monkeypatch.setattr(schwab_auth, "login", refused)
    monkeypatch.setenv("WHEEL_STRATEGY_SCHWAB__API_KEY", "app-key")
    monkeypatch.setenv("WHEEL_STRATEGY_SCHWAB__APP_SECRET", SECRET)

    ran = cli("schwab", "login")

    assert ran.code == 1
    assert ran.err.strip().splitlines() == [
        "error: the Schwab login did not complete (OAuthError); check the key"
    ]
    assert ran.out == ""
