"""Wheels by symbol in the current portfolio: init, import, list, status, update,
archive, history, sell-shares, refresh."""

from __future__ import annotations

from typing import Annotated

from cyclopts import Parameter

from adapters.cli.addressing import (
    current_portfolio,
    no_portfolio,
    portfolio_to_read,
    position_by_symbol,
    wheel_by_symbol,
)
from adapters.cli.arguments import Money, build
from adapters.cli.options import Globals
from adapters.cli.output import Output
from adapters.cli.runner import refuse_usage, run_with
from adapters.cli.tables.positions import position_view, positions_table, prices_table
from adapters.cli.tables.wheels import history_view, wheel_line, wheels_view
from wheel_core.app.commands import ImportShares, OpenWheel, SellShares, UpdateWheel
from wheel_core.app.facade import WheelFacade
from wheel_core.app.views import (
    Page,
    PositionsReport,
    PositionView,
    WheelFailure,
    WheelHistory,
    WheelView,
)
from wheel_core.domain.enums import RiskProfile
from wheel_core.domain.errors import DomainError, NotFoundError

Symbol = Annotated[str, Parameter(help="Ticker of the underlying, e.g. AAPL.")]


def init(
    symbol: Symbol,
    /,
    *,
    capital: Annotated[Money | None, Parameter(help="Capital allocated to this wheel.")] = None,
    shares: Annotated[
        int | None, Parameter(help="Shares already held (with --cost-basis).")
    ] = None,
    cost_basis: Annotated[Money | None, Parameter(help="Cost per share of --shares.")] = None,
    profile: Annotated[RiskProfile | None, Parameter(help="Strike distance profile.")] = None,
    options: Globals,
) -> None:
    """Start a wheel on SYMBOL in the current portfolio.

    Example: `wheel-strategy init AAPL --capital 10000 --profile conservative`
    """
    if (shares is None) != (cost_basis is None):
        refuse_usage("--shares and --cost-basis go together")

    async def work(facade: WheelFacade) -> WheelView:
        portfolio = await current_portfolio(facade, options)
        command = build(
            OpenWheel,
            symbol=symbol,
            portfolio_id=portfolio.id,
            capital=capital,
            shares=shares,
            cost_basis=cost_basis,
            profile=profile,
        )
        return await facade.open_wheel(command)

    Output(options).result(run_with(options, work), lambda w: f"Started {wheel_line(w)}")


def import_(
    symbol: Symbol,
    /,
    *,
    shares: Annotated[int, Parameter(help="Shares held.")],
    cost_basis: Annotated[Money, Parameter(help="Cost per share.")],
    capital: Annotated[Money | None, Parameter(help="Capital allocated to this wheel.")] = None,
    profile: Annotated[RiskProfile | None, Parameter(help="Strike distance profile.")] = None,
    options: Globals,
) -> None:
    """Bring shares you already hold into a wheel on SYMBOL (started if there is none).

    Example: `wheel-strategy import MSFT --shares 200 --cost-basis 410.50`
    """

    async def work(facade: WheelFacade) -> WheelView:
        try:
            wheel = await facade.wheel_by_symbol(symbol, portfolio=options.portfolio)
        except NotFoundError as error:
            if error.kind == "portfolio" and options.portfolio is not None:
                raise no_portfolio(options.portfolio) from None
            portfolio = await current_portfolio(facade, options)
            return await facade.open_wheel(
                build(
                    OpenWheel,
                    symbol=symbol,
                    portfolio_id=portfolio.id,
                    capital=capital,
                    shares=shares,
                    cost_basis=cost_basis,
                    profile=profile,
                )
            )
        if capital is not None or profile is not None:
            await facade.update_wheel(
                wheel.id, build(UpdateWheel, capital=capital, profile=profile)
            )
        return await facade.import_shares(
            wheel.id, build(ImportShares, shares=shares, cost_basis=cost_basis)
        )

    Output(options).result(run_with(options, work), lambda w: f"Imported into {wheel_line(w)}")


def list_(
    *,
    refresh: Annotated[bool, Parameter(help="Fetch prices and show risk too.")] = False,
    all_portfolios: Annotated[
        bool, Parameter(help="Every portfolio, not just the current one.")
    ] = False,
    options: Globals,
) -> None:
    """List the active wheels of the current portfolio (or of all of them).

    Example: `wheel-strategy list --all-portfolios --refresh`
    """

    async def work(
        facade: WheelFacade,
    ) -> tuple[Page[WheelView], dict[int, str] | None, dict[int, PositionView] | None]:
        portfolio_id = None
        if not all_portfolios:
            portfolio_id = (await portfolio_to_read(facade, options)).id
        wheels = await facade.list_wheels(portfolio_id=portfolio_id)
        page = Page(items=wheels, total=len(wheels))
        names = None
        if all_portfolios:
            names = {p.id: p.name for p in await facade.list_portfolios() if p.id is not None}
        prices = None
        if refresh and not options.json:
            report = await facade.positions(portfolio_id=portfolio_id)
            prices = {p.wheel_id: p for p in report.positions}
        return page, names, prices

    page, names, prices = run_with(options, work, reads_only=True)
    Output(options).result(page, lambda p: wheels_view(p, names, prices))


def status(
    symbol: Annotated[str | None, Parameter(help="One wheel; else the whole portfolio.")] = None,
    /,
    *,
    all_: Annotated[
        bool, Parameter(name="--all", help="Every wheel of the current portfolio (the default).")
    ] = False,
    all_portfolios: Annotated[bool, Parameter(help="Every wheel of every portfolio.")] = False,
    refresh: Annotated[
        bool, Parameter(help="Accepted for the legacy tool's scripts; prices are always fetched.")
    ] = False,
    options: Globals,
) -> None:
    """Where wheels stand now: price, the open option's moneyness, DTE and risk.

    Example: `wheel-strategy status AAPL` or `wheel-strategy status --all`
    """
    output = Output(options)
    if symbol is not None:
        if all_ or all_portfolios:
            refuse_usage("give a SYMBOL or --all/--all-portfolios, not both")

        async def one(facade: WheelFacade) -> PositionView:
            return await position_by_symbol(facade, options, symbol)

        output.result(run_with(options, one, reads_only=True), position_view)
        return

    async def every(facade: WheelFacade) -> PositionsReport:
        portfolio_id = None
        if not all_portfolios:
            portfolio_id = (await portfolio_to_read(facade, options)).id
        return await positions_with_progress(facade, output, portfolio_id)

    output.result(run_with(options, every, reads_only=True), positions_table)


def refresh(*, options: Globals) -> None:
    """Fetch the current price of every active wheel's symbol, in every portfolio.

    Example: `wheel-strategy refresh`
    """
    output = Output(options)

    async def work(facade: WheelFacade) -> PositionsReport:
        return await positions_with_progress(facade, output, None)

    output.result(run_with(options, work), prices_table)


async def positions_with_progress(
    facade: WheelFacade, output: Output, portfolio_id: int | None
) -> PositionsReport:
    """``facade.positions`` one wheel at a time, so a bar can follow it; the report is the
    same — same order, a failing wheel reported beside the others with its error."""
    wheels = await facade.list_wheels(portfolio_id=portfolio_id)
    positions: list[PositionView] = []
    failures: list[WheelFailure] = []
    with output.progress("Fetching prices", len(wheels)) as advance:
        for wheel in wheels:
            try:
                positions.append(await facade.position_status(wheel.id))
            except DomainError as error:
                failures.append(
                    WheelFailure(wheel_id=wheel.id, symbol=wheel.symbol, error=error.message)
                )
            advance()
    return PositionsReport(positions=positions, failures=failures)


def update(
    symbol: Symbol,
    /,
    *,
    profile: Annotated[RiskProfile | None, Parameter(help="New strike distance profile.")] = None,
    capital: Annotated[Money | None, Parameter(help="New capital allocation.")] = None,
    options: Globals,
) -> None:
    """Change a wheel's risk profile or capital.

    Example: `wheel-strategy update AAPL --profile aggressive`
    """
    if profile is None and capital is None:
        refuse_usage("say what to change: --profile and/or --capital")

    async def work(facade: WheelFacade) -> WheelView:
        wheel = await wheel_by_symbol(facade, options, symbol)
        return await facade.update_wheel(
            wheel.id, build(UpdateWheel, profile=profile, capital=capital)
        )

    Output(options).result(run_with(options, work), lambda w: f"Updated {wheel_line(w)}")


def archive(symbol: Symbol, /, *, options: Globals) -> None:
    """Archive a wheel: it leaves the lists, its history stays for performance.

    Example: `wheel-strategy archive AAPL`
    """

    async def work(facade: WheelFacade) -> WheelView:
        wheel = await wheel_by_symbol(facade, options, symbol)
        return await facade.archive_wheel(wheel.id)

    Output(options).result(run_with(options, work), lambda w: f"Archived {wheel_line(w)}")


def history(symbol: Symbol, /, *, options: Globals) -> None:
    """Every trade of a wheel, with its share lots and sales.

    Example: `wheel-strategy history AAPL`
    """

    async def work(facade: WheelFacade) -> WheelHistory:
        wheel = await wheel_by_symbol(facade, options, symbol)
        return await facade.wheel_history(wheel.id)

    Output(options).result(run_with(options, work, reads_only=True), history_view)


def sell_shares(
    symbol: Symbol,
    /,
    *,
    price: Annotated[Money, Parameter(help="Sale price per share.")],
    fees: Annotated[Money | None, Parameter(help="Commissions and fees.")] = None,
    options: Globals,
) -> None:
    """Sell a wheel's shares outright (the wheel goes back to idle).

    Example: `wheel-strategy sell-shares AAPL --price 187.25`
    """

    async def work(facade: WheelFacade) -> WheelView:
        wheel = await wheel_by_symbol(facade, options, symbol)
        return await facade.sell_shares(wheel.id, build(SellShares, price=price, fees=fees))

    Output(options).result(run_with(options, work), lambda w: f"Sold shares: {wheel_line(w)}")
