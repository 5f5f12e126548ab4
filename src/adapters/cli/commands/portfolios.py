"""``wheel-strategy portfolio ...``: the portfolios wheels live in; one is the default."""

from __future__ import annotations

from typing import Annotated

from cyclopts import App, Parameter

from adapters.cli.addressing import portfolio_by_reference
from adapters.cli.arguments import Money, build
from adapters.cli.options import Globals
from adapters.cli.output import Output
from adapters.cli.runner import run_with
from adapters.cli.tables.portfolios import portfolio_line, portfolios_table, summary_table
from wheel_core.app.commands import CreatePortfolio
from wheel_core.app.facade import WheelFacade
from wheel_core.app.views import Page, PortfolioSummary
from wheel_core.domain.entities import Portfolio

app = App(name="portfolio", help="Create, list, show, set the default of, and delete portfolios.")
Reference = Annotated[str, Parameter(help="The portfolio's id or name.")]


@app.command
def create(
    name: Annotated[str, Parameter(help="A unique name.")],
    /,
    *,
    description: Annotated[str | None, Parameter(help="What the portfolio is for.")] = None,
    capital: Annotated[Money | None, Parameter(help="Cash the portfolio holds.")] = None,
    default: Annotated[bool, Parameter(help="Make it the default portfolio.")] = False,
    options: Globals,
) -> None:
    """Create a portfolio.

    Example: `wheel-strategy portfolio create ira --capital 50000 --description "Roth IRA"`
    """

    async def work(facade: WheelFacade) -> Portfolio:
        command = build(
            CreatePortfolio,
            name=name,
            description=description,
            capital=capital,
            is_default=default or None,
        )
        return await facade.create_portfolio(command)

    Output(options).result(run_with(options, work), lambda p: f"Created {portfolio_line(p)}")


@app.command(name="list")
def list_(*, options: Globals) -> None:
    """List every portfolio.

    Example: `wheel-strategy portfolio list`
    """

    async def work(facade: WheelFacade) -> Page[Portfolio]:
        portfolios = await facade.list_portfolios()
        return Page(items=portfolios, total=len(portfolios))

    Output(options).result(
        run_with(options, work, reads_only=True), lambda page: portfolios_table(page.items)
    )


@app.command
def show(reference: Reference, /, *, options: Globals) -> None:
    """A portfolio's summary: wheels, open trades, capital, premium and realized P&L.

    Example: `wheel-strategy portfolio show ira`
    """

    async def work(facade: WheelFacade) -> PortfolioSummary:
        portfolio = await portfolio_by_reference(facade, reference)
        assert portfolio.id is not None
        return await facade.portfolio_summary(portfolio.id)

    Output(options).result(run_with(options, work, reads_only=True), summary_table)


@app.command
def set_default(reference: Reference, /, *, options: Globals) -> None:
    """Make a portfolio the default: commands without --portfolio work in it.

    Example: `wheel-strategy portfolio set-default ira`
    """

    async def work(facade: WheelFacade) -> Portfolio:
        portfolio = await portfolio_by_reference(facade, reference)
        assert portfolio.id is not None
        return await facade.set_default_portfolio(portfolio.id)

    Output(options).result(run_with(options, work), lambda p: f"Default: {portfolio_line(p)}")


@app.command
def delete(
    reference: Reference,
    /,
    *,
    cascade: Annotated[
        bool, Parameter(help="Also delete its wheels and their whole history.")
    ] = False,
    options: Globals,
) -> None:
    """Delete a portfolio; one with wheels needs --cascade, the default one cannot go.

    Example: `wheel-strategy portfolio delete scratch --cascade`
    """

    async def work(facade: WheelFacade) -> Portfolio:
        portfolio = await portfolio_by_reference(facade, reference)
        assert portfolio.id is not None
        await facade.delete_portfolio(portfolio.id, cascade=cascade)
        return portfolio

    deleted = run_with(options, work)
    Output(options).result(deleted, lambda p: f"Deleted portfolio {p.id} {p.name}")
