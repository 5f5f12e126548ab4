"""``wheel-strategy serve``: run the REST API with uvicorn, one worker.

The flags are the top settings layer (defaults < config file < stored < environment
< flags), so a flag that is not given leaves the configured value alone — that is
why every option defaults to ``None`` rather than to its documented default.

Refusing to start is part of the contract: a server bound beyond loopback without
an API token would expose every portfolio to the network, so that is exit code 2
and one line naming the fix, as is any invalid setting.

Litestar, SQLAlchemy and uvicorn are imported inside the command, not at module
level, so that the CLI's ``--help`` and other commands stay fast.
"""

from __future__ import annotations

import ipaddress
import logging
import sys
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

from cyclopts import Parameter

from adapters.cli.options import Globals

if TYPE_CHECKING:
    from adapters.settings import Settings

EXIT_USAGE = 2
"""A setting or flag that cannot be used (the convention of argparse and Cyclopts)."""
EXIT_STARTUP_FAILED = 3
"""The app did not start (e.g. a migration failed); uvicorn's own code for it."""

TOKEN_FIX = (
    "set server.api_token in the config file or WHEEL_STRATEGY_SERVER__API_TOKEN "
    "in the environment, or bind 127.0.0.1"
)

logger = logging.getLogger(__name__)


def serve(
    *,
    host: Annotated[str | None, Parameter(help="Address to bind. [default: 127.0.0.1]")] = None,
    port: Annotated[int | None, Parameter(help="TCP port. [default: 8000]")] = None,
    log_level: Annotated[
        str | None, Parameter(help="DEBUG, INFO, WARNING or ERROR. [default: INFO]")
    ] = None,
    options: Globals,
) -> None:
    """Run the REST API (OpenAPI docs at /docs); migrations run at start.

    Binds 127.0.0.1 unless told otherwise; any other address needs an API token
    (`server.api_token`), which every request but `/api/v1/health` must then send
    as `Authorization: Bearer <token>`. Logs are JSON lines on stderr.

    For example, on this machine only, then on every interface with a token:

    ```
    wheel-strategy serve --port 8000 --db ~/wheel.db
    WHEEL_STRATEGY_SERVER__API_TOKEN=s3cret wheel-strategy serve --host 0.0.0.0
    ```
    """
    from adapters.settings import SettingsError, flags_layer, load_settings

    try:
        settings = load_settings(
            config=options.config_file,
            flags=flags_layer(
                server__host=host,
                server__port=port,
                database__url=None if options.db is None else str(options.db.expanduser()),
                server__log_level=None if log_level is None else log_level.upper(),
            ),
        )
    except SettingsError as error:
        _refuse(str(error))
    host, port = settings.server.host, settings.server.port
    if not settings.server.api_token and not is_loopback(host):
        _refuse(f"refusing to bind {host} without an API token: {TOKEN_FIX}")

    app = build_app(settings)
    if not run_server(app, host, port, settings.server.log_level):
        raise SystemExit(EXIT_STARTUP_FAILED)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and any loopback address (127.0.0.0/8, ::1); names
    other than ``localhost`` are not resolved and count as not loopback."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def build_app(settings: Settings) -> Any:
    """Logging first, so building the container already logs as redacted JSON (the app
    leaves logging alone: ``create_app`` passes ``logging_config=None``)."""
    from adapters.container import build_container
    from adapters.http.app import create_app
    from adapters.logging_config import configure_logging, settings_secrets

    configure_logging(settings.server.log_level, settings_secrets(settings))
    return create_app(build_container(settings))


def run_server(app: Any, host: str, port: int, log_level: str) -> bool:
    """Serve ``app`` until SIGINT/SIGTERM (graceful shutdown); False if it never started.

    One process, one worker: the scheduler may run in only one process, and SQLite
    prefers one writer. ``log_config=None`` keeps uvicorn from installing its own
    handlers, so its error and access logs propagate to our JSON handler.
    """
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            if not self.should_exit:
                url = f"http://{_url_host(host)}:{port}"
                logger.info(
                    "wheel-strategy serving %s (open %s/docs for the API documentation)",
                    url,
                    url,
                    extra={"url": url},
                )

    server = Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            log_config=None,
            log_level=log_level.lower(),
            access_log=True,
            lifespan="on",
            server_header=False,
            timeout_graceful_shutdown=10,
        )
    )
    server.run()
    return server.started


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _refuse(message: str) -> NoReturn:
    print(f"wheel-strategy serve: {message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)
