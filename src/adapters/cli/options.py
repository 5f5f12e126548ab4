"""The options every command takes, before or after its name, as the legacy tool had them.

``wheel-strategy --db x.db list`` and ``wheel-strategy list --db x.db`` mean the same:
the launcher in :mod:`adapters.cli.main` parses these wherever they stand and hands
them to the command as one :class:`GlobalOptions`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

from cyclopts import Parameter

API_URL_VARIABLES = ("WHEEL_API_URL", "WHEEL_STRATEGY_API")
"""Where remote mode finds the server when ``--api-url`` is not given, first one set wins."""
API_TOKEN_VARIABLE = "WHEEL_API_TOKEN"
"""The bearer token for a server bound beyond loopback; never a flag, so it stays out of
shell history and process listings."""


class UsageError(Exception):
    """Options that cannot be used together or at all: exit code 2."""


@dataclass(frozen=True, kw_only=True)
class GlobalOptions:
    db: Path | None = None
    config_file: Path | None = None
    json: bool = False
    verbose: bool = False
    api_url: str | None = None
    api_mode: bool | None = None
    """True for ``--api-mode``, False for ``--direct-mode``, None to decide by the URL."""
    portfolio: str | None = None
    api_token: str | None = None

    def as_json(self) -> GlobalOptions:
        return replace(self, json=True)

    @property
    def remote(self) -> bool:
        """Remote when asked to, or when a server URL is configured and direct mode was not
        asked for. Asking for remote mode without a URL is refused rather than guessed."""
        if self.api_mode is False:
            return False
        if self.api_mode and not self.api_url:
            raise UsageError("--api-mode needs a server: pass --api-url URL or set WHEEL_API_URL")
        return self.api_url is not None

    @property
    def server(self) -> str:
        if self.api_url is None:
            raise UsageError("no server URL: pass --api-url URL or set WHEEL_API_URL")
        return self.api_url.rstrip("/")


def api_url_from(environ: Mapping[str, str] | None = None) -> str | None:
    environ = os.environ if environ is None else environ
    for name in API_URL_VARIABLES:
        if value := environ.get(name, "").strip():
            return value
    return None


def api_token_from(environ: Mapping[str, str] | None = None) -> str | None:
    environ = os.environ if environ is None else environ
    return environ.get(API_TOKEN_VARIABLE, "").strip() or None


Globals = Annotated[GlobalOptions, Parameter(parse=False)]
"""A command's view of the global options; the launcher fills it, the user never types it."""
