"""``wheel-strategy config show`` with secrets that only make sense unredacted, in both
modes, through the CLI harness (direct: its own settings; remote: a real server's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from api_moment import API_NOW
from cli_harness import Cli, isolate, on_clock, serving

from wheel_core.testing.fakes import FakeClock

WEBHOOK = "https://hooks.example/services/T0KEN-SECRET-5e1f"
WEBHOOK_SETTINGS = {"scheduler": {"notifier": "webhook", "webhook_url": WEBHOOK}}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(API_NOW)


def test_config_show_with_a_webhook_notifier_shows_the_url_redacted_in_direct_mode(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clock: FakeClock,
) -> None:
    """Regression (#14): redacting fed ``***`` back into the URL check, and the command
    failed instead of showing the settings."""
    isolate(tmp_path, monkeypatch)
    on_clock(monkeypatch, clock)
    monkeypatch.setenv("WHEEL_STRATEGY_SCHEDULER__NOTIFIER", "webhook")
    monkeypatch.setenv("WHEEL_STRATEGY_SCHEDULER__WEBHOOK_URL", WEBHOOK)
    cli = Cli(capsys, ["--db", str(tmp_path / "direct.db")], "direct")

    human = cli("config", "show")
    assert human.code == 0, human
    assert "  notifier: webhook" in human.out.splitlines()
    assert "  webhook_url: ***" in human.out.splitlines()
    as_json = cli("--json", "config", "show")
    assert as_json.code == 0, as_json
    assert json.loads(as_json.out)["scheduler"]["webhook_url"] == "***"
    assert "T0KEN" not in human.out + human.err + as_json.out + as_json.err


def test_config_show_with_a_webhook_notifier_shows_the_url_redacted_in_remote_mode(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clock: FakeClock,
) -> None:
    """Regression (#14): the server answered 500; now the CLI shows what it answered,
    the URL as ``***`` (decoding the redacted settings judges no value)."""
    isolate(tmp_path, monkeypatch)
    with serving(tmp_path / "server.db", clock, WEBHOOK_SETTINGS) as url:
        cli = Cli(capsys, ["--api-url", url], "remote")
        human = cli("config", "show")
        as_json = cli("--json", "config", "show")
    assert human.code == 0, human
    assert "  webhook_url: ***" in human.out.splitlines()
    assert as_json.code == 0, as_json
    shown = json.loads(as_json.out)["scheduler"]
    assert (shown["notifier"], shown["webhook_url"]) == ("webhook", "***")
    assert "T0KEN" not in human.out + human.err + as_json.out + as_json.err
