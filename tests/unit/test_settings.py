"""Settings layers: defaults < file < stored < environment < flags, and errors that name the key."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from adapters.settings import (
    REDACTED,
    Settings,
    SettingsError,
    convert,
    env_layer,
    flags_layer,
    load_settings,
    redacted,
)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        "server:\n  port: 8100\n  host: 127.0.0.1\n"
        "market_data:\n  seed: 7\n"
        "calendar:\n  extra_closed_days: [2025-01-09]\n"
        "core:\n  risk:\n    medium_within_pct: 4\n"
    )
    return path


def test_defaults_are_the_embedded_product(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    settings = load_settings(environ={})
    assert settings == Settings()
    assert settings.market_data.provider == "simulated"
    assert settings.server.host == "127.0.0.1"
    assert settings.server.port == 8000
    assert settings.database.url is None


def test_each_layer_beats_the_one_below(config: Path) -> None:
    settings = load_settings(
        config=config,
        stored={"market_data": {"seed": 8}, "server": {"port": 8200}},
        environ={"WHEEL_STRATEGY_SERVER__PORT": "8300"},
        flags=flags_layer(server__port=8400, server__host=None),
    )
    assert settings.server.port == 8400  # flags over environment over stored over file
    assert settings.market_data.seed == 8  # stored over file
    assert settings.calendar.extra_closed_days == [date(2025, 1, 9)]  # file over defaults
    assert settings.core.risk.medium_within_pct == Decimal(4)
    assert settings.core.risk.expiry_warning_trading_days == 2  # sections merge key by key


def test_environment_values_read_as_yaml_scalars() -> None:
    layer = env_layer(
        {
            "WHEEL_STRATEGY_SERVER__SCHEDULER": "false",
            "WHEEL_STRATEGY_CALENDAR__EXTRA_EARLY_CLOSES": "[2026-12-24]",
            "WHEEL_STRATEGY_SERVER__API_TOKEN": "abc: def",
            "WHEEL_STRATEGY_API": "http://127.0.0.1:8000",  # the CLI's, not a setting
            "OTHER": "x",
        }
    )
    assert layer == {
        "server": {"scheduler": False, "api_token": "abc: def"},
        "calendar": {"extra_early_closes": [date(2026, 12, 24)]},
    }


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"WHEEL_STRATEGY_SERVER__PORT": "eighty"}, "server.port (from environment)"),
        ({"WHEEL_STRATEGY_SERVER__PORT": "70000"}, "server.port (from environment)"),
        ({"WHEEL_STRATEGY_SERVER__PROT": "1"}, "unknown setting server.prot in environment"),
        ({"WHEEL_STRATEGY_MARKET_DATA__PROVIDER": "ibkr"}, "market_data.provider"),
        ({"WHEEL_STRATEGY_CORE__RISK__MEDIUM_WITHIN_PCT": "-1"}, "core.risk"),
        ({"WHEEL_STRATEGY_CORE__RISK__MEDIUM": "1"}, "unknown setting core.risk.medium"),
    ],
)
def test_a_bad_value_names_its_key_and_source(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(environ=environ)


def test_a_bad_file_value_names_the_file(config: Path) -> None:
    config.write_text("server:\n  port: many\n")
    with pytest.raises(SettingsError, match=rf"server.port \(from config file {config}\)"):
        load_settings(config=config, environ={})


@pytest.mark.parametrize(
    ("text", "message"),
    [("server: [1, 2", "not valid YAML"), ("- a\n- b\n", "mapping of sections")],
)
def test_a_broken_file_is_refused(config: Path, text: str, message: str) -> None:
    config.write_text(text)
    with pytest.raises(SettingsError, match=message):
        load_settings(config=config, environ={})


def test_a_missing_named_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(config=tmp_path / "nope.yaml", environ={})


def test_the_working_directory_config_is_found(
    tmp_path: Path, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "server.yaml").write_text("server:\n  port: 8500\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings(environ={}).server.port == 8500


def test_secrets_are_redacted() -> None:
    settings = convert({"server": {"api_token": "t0k3n"}, "schwab": {"app_secret": "s3cr3t"}})
    shown = redacted(settings)
    assert shown.server.api_token == REDACTED
    assert shown.schwab.app_secret == REDACTED
    assert shown.schwab.api_key is None  # nothing to hide is shown as nothing
    assert "t0k3n" not in repr(shown) and "s3cr3t" not in repr(shown)


def test_the_example_config_is_valid_and_matches_the_defaults() -> None:
    example = Path(__file__).parents[2] / "config" / "server.example.yaml"
    assert load_settings(config=example, environ={}) == Settings()
