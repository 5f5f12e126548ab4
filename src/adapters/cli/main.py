"""The ``wheel-strategy`` Cyclopts app: global options, and every command registered by name.

The launcher (``app.meta``) reads the global options wherever they stand — before
the command, as the legacy tool had them (``wheel-strategy --db x.db list``), or
after it (``wheel-strategy list --db x.db``) — and hands them to the command as one
:class:`~adapters.cli.options.GlobalOptions`. Command modules import only the core
and the CLI's own modules at load; each defers the database, the server and the HTTP
client to its body, so ``--help`` imports no web framework, ORM or server.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from cyclopts import App, Group, Parameter

from adapters.cli.commands import (
    alerts,
    analysis,
    config,
    database,
    jobs,
    opportunities,
    plugins,
    portfolios,
    scheduler,
    schwab,
    snapshots,
    trades,
    watchlist,
    wheels,
)
from adapters.cli.options import GlobalOptions, api_token_from, api_url_from
from adapters.cli.serve import serve
from adapters.version import VERSION

GLOBAL = Group("Global options (before or after the command)", sort_key=100)

app = App(
    name="wheel-strategy",
    help=(
        "Track, recommend and monitor the options wheel: cash-secured puts, "
        "assignment, covered calls.\n\n"
        "Works on the database directly, or on a server with `--api-url` "
        "(or `WHEEL_API_URL`); the output is the same.\n\n"
        "Example: `wheel-strategy init AAPL --capital 10000`, then "
        "`wheel-strategy recommend AAPL`"
    ),
    version=VERSION,
    help_format="markdown",
    default_parameter=Parameter(negative=()),
)

app.command(wheels.init, name="init")
app.command(wheels.import_, name="import")
app.command(wheels.list_, name="list")
app.command(wheels.status, name="status")
app.command(trades.record, name="record")
app.command(trades.expire, name="expire")
app.command(trades.close, name="close")
app.command(trades.roll, name="roll")
app.command(wheels.archive, name="archive")
app.command(wheels.update, name="update")
app.command(wheels.sell_shares, name="sell-shares")
app.command(wheels.history, name="history")
app.command(wheels.refresh, name="refresh")
app.command(analysis.recommend, name="recommend")
app.command(analysis.performance, name="performance")
app.command(portfolios.app, name="portfolio")
app.command(snapshots.app, name="snapshot")
app.command(alerts.alerts, name="alerts")
app.command(watchlist.app, name="watchlist")
app.command(opportunities.app, name="opportunities")
app.command(jobs.app, name="jobs")
app.command(plugins.app, name="plugins")
app.command(serve, name="serve")
app.command(scheduler.app, name="scheduler")
app.command(database.app, name="db")
app.command(config.app, name="config")
app.command(schwab.app, name="schwab")
app.register_install_completion_command(name="--install-completion")


@app.meta.default
def launcher(
    *tokens: Annotated[str, Parameter(show=False, allow_leading_hyphen=True)],
    db: Annotated[
        Path | None,
        Parameter(
            env_var="WHEEL_DB_PATH", group=GLOBAL, help="SQLite database file (direct mode)."
        ),
    ] = None,
    config_file: Annotated[
        Path | None,
        Parameter(
            name=["--config-file", "--config"],
            group=GLOBAL,
            help="Settings file (YAML). [default: ./config/server.yaml, else the user config dir]",
        ),
    ] = None,
    json: Annotated[bool, Parameter(group=GLOBAL, help="Print the API's JSON.")] = False,
    verbose: Annotated[
        bool, Parameter(name=["--verbose", "-v"], group=GLOBAL, help="Tracebacks on errors.")
    ] = False,
    api_url: Annotated[
        str | None,
        Parameter(
            group=GLOBAL,
            help="Server to use (remote mode). [env: WHEEL_API_URL or WHEEL_STRATEGY_API]",
        ),
    ] = None,
    api_mode: Annotated[
        bool | None,
        Parameter(
            negative="--direct-mode",
            group=GLOBAL,
            help="Force remote (needs a URL) or direct mode. [default: remote iff a URL is set]",
        ),
    ] = None,
    portfolio: Annotated[
        str | None, Parameter(group=GLOBAL, help="Portfolio to work in. [default: the default]")
    ] = None,
) -> Any:
    options = GlobalOptions(
        db=db,
        config_file=config_file,
        json=json,
        verbose=verbose,
        api_url=api_url or api_url_from(),
        api_mode=api_mode,
        portfolio=portfolio,
        api_token=api_token_from(),
    )
    command, bound, ignored = app.parse_args(tokens)
    extra = {"options": options} if "options" in ignored else {}
    return command(*bound.args, **bound.kwargs, **extra)


def main(argv: Sequence[str] | None = None) -> None:
    """The console script's entry point; ``argv`` (without the program name) is for tests."""
    app.meta(list(argv) if argv is not None else None)


if __name__ == "__main__":
    main()
