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
import socket
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
    as `Authorization: Bearer <token>`. A name counts as loopback only if every
    address it resolves to is one; `::1` may also be written `[::1]`. Clients
    must use a host name the server serves (`server.allowed_hosts` adds names).
    Logs are JSON lines on stderr.

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
    port = settings.server.port
    try:
        host = bind_address(settings.server.host)
    except ValueError as error:
        _refuse(str(error))
    if not settings.server.api_token and not is_loopback(host):
        _refuse(_not_loopback(host))

    app = build_app(settings)
    if not run_server(app, host, port, settings.server.log_level):
        raise SystemExit(EXIT_STARTUP_FAILED)


def bind_address(host: str) -> str:
    """What to bind for ``server.host``: ``[::1]``, the form an IPv6 address takes in
    a URL, is the address ``::1`` (uvicorn would try to resolve the brackets and fail);
    brackets around anything else are refused rather than guessed at."""
    name = host.strip()
    if not name.startswith("[") and not name.endswith("]"):
        return name
    inner = name.removeprefix("[").removesuffix("]")
    try:
        address = ipaddress.IPv6Address(inner)
    except ValueError:
        address = None
    if address is None or not (name.startswith("[") and name.endswith("]")):
        raise ValueError(f"cannot bind {host!r}: brackets are only for an IPv6 address, e.g. [::1]")
    return inner


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine.

    An address is judged as written (127.0.0.0/8, ``::1``). A name is judged by what
    the system's resolver returns for it — the addresses uvicorn will bind — and
    counts only when every one of them is loopback; a name that does not resolve does
    not count. That holds for ``localhost`` and ``*.localhost`` alike: RFC 6761 asks
    resolvers to answer loopback for them, but only as a SHOULD, and a resolver that
    forwards ``foo.localhost`` to DNS (glibc without systemd-resolved does) may get
    any address back; trusting the name would then expose the server with no token.
    """
    name = host.strip()
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    addresses = {str(info[4][0]).partition("%")[0] for info in found}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


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


def _not_loopback(host: str) -> str:
    try:
        ipaddress.ip_address(host)
        why = ""
    except ValueError:
        why = " (a name counts as loopback only if every address it resolves to is one)"
    return f"refusing to bind {host} without an API token{why}: {TOKEN_FIX}"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _refuse(message: str) -> NoReturn:
    print(f"wheel-strategy serve: {message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)
