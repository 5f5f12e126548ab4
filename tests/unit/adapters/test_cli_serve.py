"""``wheel-strategy serve``: what it refuses, what it would start, and how fast its help is.

No server is started here: ``run_server`` (the one function that runs uvicorn) is
replaced by a recorder. Settings come only from what each test gives — the
environment is cleared of ``WHEEL_*`` variables and the config directories point
into ``tmp_path``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.cli import serve as serve_module
from adapters.cli.main import app, main
from adapters.cli.serve import is_loopback

TOKEN = "cli-test-token-6f1d9a"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No real config, no WHEEL_* variables, and the logging setup put back afterwards."""
    for name in list(os.environ):
        if name.startswith("WHEEL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    names = ["", "litestar", "uvicorn", "uvicorn.error", "uvicorn.access"]
    saved = {
        name: (logging.getLogger(name).handlers[:], logging.getLogger(name).level) for name in names
    }
    propagate = {name: logging.getLogger(name).propagate for name in names}
    yield
    for name, (handlers, level) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate[name]


class Started:
    """Stands in for ``run_server``: records what would have been served."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, str, int, str]] = []

    def __call__(self, app: Any, host: str, port: int, log_level: str) -> bool:
        self.calls.append((app, host, port, log_level))
        return True


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Started:
    recorder = Started()
    monkeypatch.setattr(serve_module, "run_server", recorder)
    return recorder


def run(*argv: str) -> int:
    """Run the CLI in-process; the exit code it ends with."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    code = exit_info.value.code
    return 0 if code is None else int(code)


def test_refuses_a_public_address_without_a_token(
    started: Started, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("serve", "--host", "0.0.0.0") == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "refusing to bind 0.0.0.0 without an API token" in err
    assert "server.api_token" in err
    assert "WHEEL_STRATEGY_SERVER__API_TOKEN" in err
    assert started.calls == []


def test_a_token_from_the_environment_allows_a_public_address(
    started: Started, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WHEEL_STRATEGY_SERVER__API_TOKEN", TOKEN)
    assert run("serve", "--host", "0.0.0.0", "--port", "8123", "--db", str(tmp_path / "w.db")) == 0
    [(asgi_app, host, port, level)] = started.calls
    assert (host, port, level) == ("0.0.0.0", 8123, "INFO")
    assert asgi_app.state.container.settings().database.url == str(tmp_path / "w.db")


def test_a_token_from_the_config_file_allows_a_public_address(
    started: Started, tmp_path: Path
) -> None:
    config = tmp_path / "server.yaml"
    config.write_text(f"server:\n  api_token: {TOKEN}\n  port: 9001\n", encoding="utf-8")
    assert run("serve", "--host", "::", "--config", str(config)) == 0
    [(_, host, port, _)] = started.calls
    assert (host, port) == ("::", 9001)


def test_defaults_bind_loopback_on_8000(started: Started) -> None:
    assert run("serve") == 0
    [(_, host, port, level)] = started.calls
    assert (host, port, level) == ("127.0.0.1", 8000, "INFO")


def test_flags_win_over_the_environment(
    started: Started, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WHEEL_STRATEGY_SERVER__PORT", "8001")
    monkeypatch.setenv("WHEEL_DB_PATH", str(tmp_path / "env.db"))
    assert run("serve", "--port", "8002", "--log-level", "warning") == 0
    [(asgi_app, _, port, level)] = started.calls
    assert (port, level) == (8002, "WARNING")
    assert asgi_app.state.container.settings().database.url == str(tmp_path / "env.db")


@pytest.mark.parametrize(
    ("argv", "key"),
    [
        (["--port", "70000"], "server.port"),
        (["--log-level", "loud"], "server.log_level"),
    ],
)
def test_a_bad_flag_is_one_line_naming_the_key(
    argv: list[str], key: str, started: Started, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("serve", *argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"invalid setting {key} (from flags)" in err
    assert "Traceback" not in err
    assert started.calls == []


def test_a_bad_environment_value_names_the_key_and_hides_nothing_secret(
    started: Started, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WHEEL_STRATEGY_SERVER__API_TOKEN", TOKEN)
    monkeypatch.setenv("WHEEL_STRATEGY_SERVER__MAX_BODY_BYTES", "12")
    assert run("serve") == 2
    err = capsys.readouterr().err
    assert "server.max_body_bytes (from environment)" in err
    assert TOKEN not in err


def test_an_unknown_setting_in_the_config_file_names_the_key(
    started: Started, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "server.yaml"
    config.write_text("server:\n  prot: 8000\n", encoding="utf-8")
    assert run("serve", "--config", str(config)) == 2
    assert "unknown setting server.prot" in capsys.readouterr().err


def test_a_missing_config_file_is_one_line(
    started: Started, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("serve", "--config", str(tmp_path / "nope.yaml")) == 2
    assert "nope.yaml does not exist" in capsys.readouterr().err


def test_a_failed_start_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve_module, "run_server", lambda *_: False)
    assert run("serve") == 3


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def resolving(table: dict[str, list[str]]) -> Any:
    """A stand-in for ``socket.getaddrinfo`` answering from ``table`` (no DNS in tests);
    a name missing from it does not resolve."""

    def getaddrinfo(name: str, *_: Any, **__: Any) -> list[tuple[Any, ...]]:
        if name not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(None, None, None, "", (address, 0)) for address in table[name]]

    return getaddrinfo


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),  # every address it resolves to is loopback
        ("LOCALHOST", True),
        ("app.localhost", True),  # a resolver that follows RFC 6761
        ("rebound.localhost", False),  # one that forwarded the name to DNS
        ("half.localhost", False),  # loopback and something else
        ("unresolved.localhost", False),  # the resolver knows nothing of it
        ("example.com", False),
    ],
)
def test_a_name_is_loopback_only_if_all_it_resolves_to_is(
    host: str, loopback: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = {
        "localhost": ["127.0.0.1", "::1"],
        "LOCALHOST": ["127.0.0.1"],
        "app.localhost": ["127.0.0.1", "::1"],
        "rebound.localhost": ["203.0.113.7"],
        "half.localhost": ["127.0.0.1", "fe80::1%eth0"],
        "example.com": ["93.184.216.34"],
    }
    monkeypatch.setattr(socket, "getaddrinfo", resolving(table))
    assert is_loopback(host) is loopback


def test_a_localhost_name_that_does_not_resolve_needs_a_token(
    started: Started, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", resolving({}))
    assert run("serve", "--host", "nowhere.localhost") == 2
    err = capsys.readouterr().err
    assert "refusing to bind nowhere.localhost without an API token" in err
    assert "every address it resolves to" in err
    assert started.calls == []


def test_bracketed_ipv6_loopback_binds_the_address(started: Started) -> None:
    assert run("serve", "--host", "[::1]") == 0
    [(_, host, _, _)] = started.calls
    assert host == "::1"


@pytest.mark.parametrize("host", ["[localhost]", "[127.0.0.1]", "[::1", "::1]"])
def test_brackets_around_anything_but_an_ipv6_address_are_refused(
    host: str, started: Started, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("serve", "--host", host) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "brackets are only for an IPv6 address, e.g. [::1]" in err
    assert started.calls == []


def test_help_shows_every_option_and_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    app.meta(["serve", "--help"], result_action="return_value")
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--db", "--config", "--log-level", "WHEEL_DB_PATH"):
        assert option in out
    assert "wheel-strategy serve --port 8000" in out
    app.meta(["--help"], result_action="return_value")
    top = capsys.readouterr().out
    assert "serve" in top
    assert "Example" in top


def test_the_cli_imports_no_web_framework_orm_or_server() -> None:
    """``--help`` must stay fast: the heavy libraries load only inside commands."""
    heavy = (
        "litestar",
        "sqlalchemy",
        "uvicorn",
        "alembic",
        "aiosqlite",
        "httpx",
        "pandas",
        "apscheduler",
    )
    script = (
        "import json, sys; import adapters.cli.main; "
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == []
