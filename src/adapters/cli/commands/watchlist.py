"""``wheel-strategy watchlist``: symbols not (yet) wheeled that the opportunity scan
looks at too."""

from __future__ import annotations

from typing import Annotated

from cyclopts import App, Parameter

from adapters.cli.monitoring_tables import opportunity_scan_view, watch_line, watchlist_table
from adapters.cli.options import Globals
from adapters.cli.output import Output
from adapters.cli.runner import run_with
from wheel_core.app.commands import AddToWatchlist
from wheel_core.app.facade import WheelFacade
from wheel_core.app.views import OpportunityScan
from wheel_core.domain.checks import normalize_symbol
from wheel_core.domain.entities import WatchlistEntry
from wheel_core.domain.errors import NotFoundError

app = App(
    name="watchlist",
    help=(
        "Symbols to look for opportunities on: list, add, remove, scan now.\n\n"
        "Example: `wheel-strategy watchlist add NVDA`"
    ),
)

Symbol = Annotated[str, Parameter(help="Ticker, e.g. AAPL.")]


@app.default
@app.command(name="list")
def list_(*, options: Globals) -> None:
    """The watched symbols, alphabetically.

    Example: `wheel-strategy watchlist`
    """

    async def work(facade: WheelFacade) -> list[WatchlistEntry]:
        return await facade.watchlist()

    Output(options).result(run_with(options, work), watchlist_table)


@app.command
def add(
    symbol: Symbol,
    /,
    *,
    note: Annotated[str, Parameter(help="Why you watch it (up to 500 characters).")] = "",
    options: Globals,
) -> None:
    """Watch SYMBOL: the opportunity scan recommends puts on it.

    Example: `wheel-strategy watchlist add NVDA --note "after earnings"`
    """

    async def work(facade: WheelFacade) -> WatchlistEntry:
        return await facade.add_to_watchlist(AddToWatchlist(symbol=symbol, note=note))

    Output(options).result(run_with(options, work), watch_line)


@app.command
def remove(symbol: Symbol, /, *, options: Globals) -> None:
    """Stop watching SYMBOL (the opportunities found on it stay until they expire).

    Example: `wheel-strategy watchlist remove NVDA`
    """

    async def work(facade: WheelFacade) -> WatchlistEntry:
        ticker = normalize_symbol(symbol)
        entry = next((e for e in await facade.watchlist() if e.symbol == ticker), None)
        if entry is None:
            raise NotFoundError("watchlist symbol", ticker)
        await facade.remove_from_watchlist(ticker)
        return entry

    Output(options).result(run_with(options, work), lambda e: f"Stopped watching {e.symbol}")


@app.command
def scan(*, options: Globals) -> None:
    """Scan now: recommendations for idle wheels and every watched symbol, stored as
    opportunities (a contract found before is updated, not repeated).

    Example: `wheel-strategy watchlist scan`
    """

    async def work(facade: WheelFacade) -> OpportunityScan:
        return await facade.scan_opportunities()

    Output(options).result(run_with(options, work), opportunity_scan_view)
