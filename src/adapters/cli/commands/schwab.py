"""``wheel-strategy schwab login``: the interactive Schwab login that the market data needs.

Schwab's refresh token dies about 7 days after a login and only a person can log in
again, so this command exists apart from ``serve``; the scheduler's alert points here.
The token file is a credential for the account: this command names its path and
never prints, logs or returns its content.

schwab-py is an optional extra, imported only inside the command: without it the
command says how to install it instead of failing with an import traceback.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import msgspec
from cyclopts import App

from adapters.cli.options import Globals
from adapters.cli.output import Output
from adapters.cli.runner import EXIT_REFUSED, refuse_usage

app = App(name="schwab", help="Log in to Schwab (the `schwab` market-data provider).")

AUTH_MODULE = "adapters.market_data.schwab_auth"
INSTALL_HINT = (
    "the Schwab support is not installed: run `uv sync --extra schwab` "
    "(or `pip install wheel-strategy[schwab]`)"
)
REQUIRED_KEYS = ("api_key", "app_secret")


class SchwabLogin(msgspec.Struct, frozen=True, kw_only=True):
    """Where the new token was saved; the token itself is never part of any output."""

    token_path: str


@app.command
def login(*, options: Globals) -> None:
    """Log in to Schwab in a browser and save the token (a 0600 file) for the market data.

    Prints a URL: open it, log in, and paste back the address Schwab redirects to. The
    app key, secret and callback URL come from the settings (`schwab.api_key`,
    `schwab.app_secret`, `schwab.callback_url`; e.g. `WHEEL_STRATEGY_SCHWAB__API_KEY`);
    the token goes to `schwab.token_path`, by default `schwab_token.json` in the user
    data directory. Run it on the machine the server runs on, about once a week.

    Example: `wheel-strategy schwab login`
    """
    from adapters.cli.session import local_settings
    from adapters.settings import SettingsError
    from wheel_core.domain.errors import MarketDataError

    try:
        settings = local_settings(options).schwab
    except SettingsError as error:
        refuse_usage(str(error))
    missing = [f"schwab.{key}" for key in REQUIRED_KEYS if not getattr(settings, key)]
    if missing:
        variables = " and ".join(f"WHEEL_STRATEGY_SCHWAB__{key.upper()}" for key in REQUIRED_KEYS)
        refuse_usage(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: "
            f"put your Schwab app's key and secret in the config file or in {variables}"
        )
    auth = _auth_module()
    assert settings.api_key is not None and settings.app_secret is not None
    api_key, app_secret = settings.api_key, settings.app_secret
    path = auth.token_path() if settings.token_path is None else _expanded(settings.token_path)

    try:
        # Called directly, not through ``run``: the flow is interactive and synchronous
        # (it reads the pasted URL from stdin), and Ctrl-C must simply stop it.
        auth.login(api_key, app_secret, settings.callback_url, path)
    except MarketDataError as error:  # the provider's AuthenticationError: what to do next
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None
    done = SchwabLogin(token_path=str(path))
    Output(options).result(done, lambda d: f"Logged in to Schwab; token saved to {d.token_path}")


def _auth_module() -> ModuleType:
    """``schwab_auth``, or the install hint when schwab-py (or one of its needs) is missing."""
    try:
        return importlib.import_module(AUTH_MODULE)
    except ImportError:
        refuse_usage(INSTALL_HINT)


def _expanded(path: str) -> Path:
    return Path(path).expanduser()
