"""Settings layers: defaults < file < stored < environment < flags, and errors that name the key."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import msgspec
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
    token = "t0k3n-of-16-chars"
    settings = convert({"server": {"api_token": token}, "schwab": {"app_secret": "s3cr3t"}})
    shown = redacted(settings)
    assert shown.server.api_token == REDACTED
    assert shown.schwab.app_secret == REDACTED
    assert shown.schwab.api_key is None  # nothing to hide is shown as nothing
    assert token not in repr(shown) and "s3cr3t" not in repr(shown)


WEBHOOK = "https://hooks.example/T0KEN-SECRET"


def test_a_redacted_webhook_url_is_never_validated_as_a_url() -> None:
    """Regression (#14): ``***`` is no URL; redacting, and decoding the redacted copy
    (what the remote CLI does with ``GET /system/config``), must not judge it."""
    settings = load_settings(
        environ={
            "WHEEL_STRATEGY_SCHEDULER__NOTIFIER": "webhook",
            "WHEEL_STRATEGY_SCHEDULER__WEBHOOK_URL": WEBHOOK,
            "WHEEL_STRATEGY_SERVER__API_TOKEN": "a-token-long-enough-1",
        }
    )
    shown = redacted(settings)
    assert (shown.scheduler.notifier, shown.scheduler.webhook_url) == ("webhook", REDACTED)
    assert shown.server.api_token == REDACTED
    decoded = msgspec.json.decode(msgspec.json.encode(shown), type=Settings)
    assert decoded == shown
    assert WEBHOOK not in repr(decoded)


def test_a_webhook_notifier_with_no_url_is_still_refused_naming_the_key() -> None:
    with pytest.raises(SettingsError, match=r"invalid setting scheduler\.webhook_url") as refused:
        load_settings(environ={"WHEEL_STRATEGY_SCHEDULER__NOTIFIER": "webhook"})
    assert "needs webhook_url" in str(refused.value)


VERBATIM = ["long passphrase #x", "12345678", "false", "null", "[a, b]", "a: b", "'quoted'"]
"""Secrets YAML would change or refuse: a comment, a number, a bool, nothing, a list…"""


@pytest.mark.parametrize("value", VERBATIM)
@pytest.mark.parametrize(
    "variable",
    ["WHEEL_STRATEGY_SCHWAB__API_KEY", "WHEEL_STRATEGY_SCHWAB__APP_SECRET"],
)
def test_secrets_from_the_environment_are_text_taken_verbatim(variable: str, value: str) -> None:
    """Regression (#14): read as YAML, ``#x`` was a comment dropped in silence and
    ``12345678`` or ``false`` were refused as no string."""
    name = variable.removeprefix("WHEEL_STRATEGY_SCHWAB__").lower()
    assert env_layer({variable: value}) == {"schwab": {name: value}}
    assert getattr(load_settings(environ={variable: value}).schwab, name) == value


@pytest.mark.parametrize("value", ["long passphrase #x", "1234567812345678", "false" * 4])
def test_an_api_token_from_the_environment_is_taken_verbatim(value: str) -> None:
    settings = load_settings(environ={"WHEEL_STRATEGY_SERVER__API_TOKEN": value})
    assert settings.server.api_token == value


def test_text_settings_from_the_environment_are_verbatim_and_the_rest_still_yaml() -> None:
    layer = env_layer(
        {
            "WHEEL_STRATEGY_SCHEDULER__WEBHOOK_URL": "https://h.example/x#frag",
            "WHEEL_STRATEGY_SCHEDULER__PLUGINS_DIR": "2026",
            "WHEEL_STRATEGY_SCHEDULER__JOBS__PRICE_REFRESH__CRON": "0 9 * * mon #open",
            "WHEEL_STRATEGY_SCHEDULER__JOBS__PRICE_REFRESH__ENABLED": "false",
            "WHEEL_STRATEGY_MARKET_DATA__SEED": "42",
            "WHEEL_STRATEGY_SERVER__API_TOKEN": "",
        }
    )
    assert layer == {
        "scheduler": {
            "webhook_url": "https://h.example/x#frag",
            "plugins_dir": "2026",
            "jobs": {"price_refresh": {"cron": "0 9 * * mon #open", "enabled": False}},
        },
        "market_data": {"seed": 42},
        "server": {"api_token": None},  # empty: unset
    }


@pytest.mark.parametrize("token", ["short", "fifteen-chars-x"])
def test_an_api_token_shorter_than_16_characters_is_refused_at_start(
    token: str, config: Path
) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(environ={"WHEEL_STRATEGY_SERVER__API_TOKEN": token})
    message = str(refused.value)
    assert message == (
        "invalid setting server.api_token (from environment): must be at least 16 characters"
    )
    assert token not in message
    config.write_text(f"server:\n  api_token: {token}\n")
    with pytest.raises(SettingsError, match=rf"server.api_token \(from config file {config}\)"):
        load_settings(config=config, environ={})
    sixteen = load_settings(environ={"WHEEL_STRATEGY_SERVER__API_TOKEN": "sixteen-chars-ok"})
    assert sixteen.server.api_token == "sixteen-chars-ok"


def test_the_example_config_is_valid_and_matches_the_defaults() -> None:
    example = Path(__file__).parents[3] / "config" / "server.example.yaml"
    assert load_settings(config=example, environ={}) == Settings()
