"""``wheel-strategy opportunities``: what the scans found, read and unread."""

from __future__ import annotations

from typing import Annotated

import msgspec
from cyclopts import App, Parameter

from adapters.cli.monitoring_tables import opportunities_table, opportunity_line
from adapters.cli.options import Globals
from adapters.cli.output import Output
from adapters.cli.runner import run_with
from wheel_core.app.facade import WheelFacade
from wheel_core.app.views import Page
from wheel_core.domain.entities import Opportunity
from wheel_core.domain.enums import OpportunitySource, OptionType
from wheel_core.ports import OpportunityQuery

app = App(
    name="opportunities",
    help=(
        "Options worth selling that the scans found: list, mark read, count unread.\n\n"
        "Example: `wheel-strategy opportunities --unread`"
    ),
)


class Unread(msgspec.Struct, frozen=True):
    """``GET /opportunities/unread-count``'s answer."""

    unread: int


class Marked(msgspec.Struct, frozen=True):
    """``POST /opportunities/read-all``'s answer."""

    marked: int


@app.default
@app.command(name="list")
def list_(
    *,
    unread: Annotated[bool, Parameter(help="Only those not yet read.")] = False,
    symbol: Annotated[str | None, Parameter(help="Only this symbol.")] = None,
    side: Annotated[OptionType | None, Parameter(help="Only puts or only calls.")] = None,
    source: Annotated[
        OpportunitySource | None, Parameter(help="Only from idle wheels or the watchlist.")
    ] = None,
    limit: Annotated[int, Parameter(help="At most this many, newest first.")] = 50,
    options: Globals,
) -> None:
    """Opportunities, newest first; unread ones in bold.

    Example: `wheel-strategy opportunities --unread --symbol NVDA`
    """

    async def work(facade: WheelFacade) -> Page[Opportunity]:
        query = OpportunityQuery(
            unread_only=unread, symbol=symbol, option_type=side, source=source, limit=limit
        )
        return await facade.list_opportunities(query)

    title = "Unread opportunities" if unread else "Opportunities"
    Output(options).result(run_with(options, work), lambda page: opportunities_table(page, title))


@app.command
def read(opportunity_id: Annotated[int, Parameter(help="The opportunity's ID.")], /, *,
         options: Globals) -> None:  # fmt: skip
    """Mark one opportunity read.

    Example: `wheel-strategy opportunities read 7`
    """

    async def work(facade: WheelFacade) -> Opportunity:
        return await facade.mark_opportunity_read(opportunity_id)

    Output(options).result(run_with(options, work), lambda o: f"Read {opportunity_line(o)}")


@app.command(name="read-all")
def read_all(*, options: Globals) -> None:
    """Mark every unread opportunity read.

    Example: `wheel-strategy opportunities read-all`
    """

    async def work(facade: WheelFacade) -> Marked:
        return Marked(await facade.mark_all_opportunities_read())

    Output(options).result(run_with(options, work), lambda m: f"Marked {m.marked} read.")


@app.command
def count(*, options: Globals) -> None:
    """How many opportunities are unread (for a prompt or a status bar: see --json).

    Example: `wheel-strategy --json opportunities count`
    """

    async def work(facade: WheelFacade) -> Unread:
        return Unread(await facade.unread_opportunities())

    Output(options).result(run_with(options, work), lambda u: f"{u.unread} unread.")
