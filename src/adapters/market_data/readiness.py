"""Whether the configured provider can serve prices, judged without building it.

The container asks before it builds the Schwab provider, and the operations service
asks before it stores a change of provider or falls back from a stored one at start:
the simulated market always can; Schwab needs schwab-py, its app key and secret, and
a login younger than its refresh token. Nothing here opens a client or sends a
request, and no reason ever holds a secret.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from adapters.settings import SchwabSettings, Settings


def missing_keys(login_command: str) -> str:
    """Why Schwab cannot serve without its app key and secret, and what to run then."""
    return (
        "market_data.provider is schwab but schwab.api_key and schwab.app_secret are "
        f"not set; set them, then run `{login_command}`"
    )


def schwab_token_file(settings: SchwabSettings) -> Path:
    """Where the Schwab login is kept: ``schwab.token_path``, else the user data dir."""
    from adapters.market_data.schwab_auth import configured_token_path

    return configured_token_path(settings.token_path)


def provider_problem(settings: Settings, now: datetime) -> str | None:
    """Why ``market_data.provider`` cannot serve prices now (``None``: it can).

    Checked without building the provider (no client, no request): the simulated market
    always can; Schwab needs schwab-py, its app key and secret and a login younger than
    its refresh token. The reason says what is missing and never holds a secret.
    """
    if settings.market_data.provider != "schwab":
        return None
    try:
        from adapters.market_data.schwab import LOGIN_COMMAND
        from adapters.market_data.schwab_auth import login_problem
    except ImportError:
        return "market_data.provider is schwab but schwab-py is not installed (extra `schwab`)"
    if not settings.schwab.api_key or not settings.schwab.app_secret:
        return missing_keys(LOGIN_COMMAND)
    return login_problem(schwab_token_file(settings.schwab), now)
