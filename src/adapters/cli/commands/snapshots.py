"""``wheel-strategy snapshot [list|take]``: the daily record of every position."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from cyclopts import App, Parameter

from adapters.cli.addressing import current_portfolio, portfolio_to_read
from adapters.cli.options import Globals
from adapters.cli.output import Output
from adapters.cli.runner import run_with
from adapters.cli.tables.snapshots import snapshot_run_view, snapshots_table
from wheel_core.app.facade import WheelFacade
from wheel_core.app.views import Page, SnapshotRun
from wheel_core.domain.entities import Snapshot
from wheel_core.ports import SnapshotQuery

app = App(
    name="snapshot",
    help=(
        "List the daily position snapshots, or take today's now.\n\n"
        "Example: `wheel-strategy snapshot list --symbol AAPL`"
    ),
)


@app.default
@app.command(name="list")
def list_(
    *,
    symbol: Annotated[str | None, Parameter(help="Only this symbol.")] = None,
    since: Annotated[date | None, Parameter(name="--from", help="First day, YYYY-MM-DD.")] = None,
    until: Annotated[date | None, Parameter(name="--to", help="Last day, YYYY-MM-DD.")] = None,
    limit: Annotated[int, Parameter(help="At most this many, newest first.")] = 100,
    options: Globals,
) -> None:
    """Snapshots of the current portfolio's wheels.

    Example: `wheel-strategy snapshot list --symbol AAPL --from 2026-11-01`
    """

    async def work(facade: WheelFacade) -> Page[Snapshot]:
        portfolio = await portfolio_to_read(facade, options)
        query = SnapshotQuery(
            portfolio_id=portfolio.id, symbol=symbol, day_from=since, day_to=until, limit=limit
        )
        return await facade.list_snapshots(query)

    Output(options).result(
        run_with(options, work, reads_only=True), lambda page: snapshots_table(page.items)
    )


@app.command
def take(*, options: Globals) -> None:
    """Snapshot every active wheel of the current portfolio now (today's replaces today's).

    Example: `wheel-strategy snapshot take`
    """

    async def work(facade: WheelFacade) -> SnapshotRun:
        portfolio = await current_portfolio(facade, options)
        return await facade.take_snapshot(portfolio_id=portfolio.id)

    Output(options).result(run_with(options, work), snapshot_run_view)
