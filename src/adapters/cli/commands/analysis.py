"""What the numbers say: recommend strikes, measure performance (and export it)."""

from __future__ import annotations

from typing import Annotated, Literal

from cyclopts import Parameter

from adapters.cli.addressing import portfolio_to_read, wheel_by_symbol
from adapters.cli.options import Globals
from adapters.cli.output import Output
from adapters.cli.runner import refuse_usage, run_with
from adapters.cli.tables.performance import performance_view
from adapters.cli.tables.recommendations import recommendation_view, recommendations_view
from wheel_core.app.facade import WheelFacade
from wheel_core.app.views import WheelRecommendation
from wheel_core.domain.enums import WheelState
from wheel_core.performance import PerformanceReport, Period

Symbol = Annotated[str | None, Parameter(help="One wheel; else the current portfolio's wheels.")]
AllWheels = Annotated[
    bool, Parameter(name="--all", help="Every wheel of the current portfolio (the default).")
]
AllPortfolios = Annotated[bool, Parameter(help="Every wheel of every portfolio.")]
PeriodText = Literal["30", "90", "365", "all"]

RECOMMENDABLE = (WheelState.IDLE, WheelState.HOLDING_SHARES)
"""States in which a wheel has an option to sell next (a put, or a covered call)."""


def recommend(
    symbol: Symbol = None,
    /,
    *,
    all_: AllWheels = False,
    all_portfolios: AllPortfolios = False,
    max_dte: Annotated[
        int | None, Parameter(help="Latest expiration considered, in days. [default: 45]")
    ] = None,
    allow_below_cost_basis: Annotated[
        bool, Parameter(help="Consider calls struck below the shares' cost basis.")
    ] = False,
    options: Globals,
) -> None:
    """Recommend the next option to sell: strikes, premiums, P(ITM), yield and warnings.

    Wheels with an open option are skipped; a wheel that cannot be priced is
    reported with its reason while the others go on.

    Example: `wheel-strategy recommend AAPL --max-dte 30` or `wheel-strategy recommend --all`
    """
    output = Output(options)
    if symbol is not None:
        if all_ or all_portfolios:
            refuse_usage("give a SYMBOL or --all/--all-portfolios, not both")

        async def one(facade: WheelFacade) -> WheelRecommendation:
            wheel = await wheel_by_symbol(facade, options, symbol)
            return await facade.recommend(
                wheel.id, allow_below_cost_basis=allow_below_cost_basis, max_dte=max_dte
            )

        output.result(run_with(options, one), recommendation_view)
        return

    async def every(facade: WheelFacade) -> list[WheelRecommendation]:
        portfolio_id = None
        if not all_portfolios:
            portfolio_id = (await portfolio_to_read(facade, options)).id
        wheels = [
            w
            for w in await facade.list_wheels(portfolio_id=portfolio_id)
            if w.state in RECOMMENDABLE
        ]
        results: list[WheelRecommendation] = []
        with output.progress("Recommending", len(wheels)) as advance:
            for wheel in wheels:
                results += await facade.recommend_batch([wheel.id], max_dte=max_dte)
                advance()
        return results

    output.result(run_with(options, every), recommendations_view)


def performance(
    symbol: Symbol = None,
    /,
    *,
    all_: AllWheels = False,
    all_portfolios: AllPortfolios = False,
    period: Annotated[PeriodText, Parameter(help="Look-back window in days, or all.")] = "all",
    export: Annotated[
        Literal["csv", "json"] | None,
        Parameter(help="Print as CSV (one row per symbol and a total) or as JSON."),
    ] = None,
    options: Globals,
) -> None:
    """Premium, realized and unrealized P&L, win, assignment and call-away rates, and
    annualized return on collateral — for one wheel, a portfolio, or everything.

    Example: `wheel-strategy performance --period 90` or `wheel-strategy performance --export csv`
    """
    window = Period(period)
    if symbol is not None and (all_ or all_portfolios):
        refuse_usage("give a SYMBOL or --all/--all-portfolios, not both")
    if export == "csv":
        if symbol is not None:
            refuse_usage("--export csv covers a portfolio or --all-portfolios; leave out SYMBOL")

        async def rows(facade: WheelFacade) -> list[str]:
            portfolio_id = None
            if not all_portfolios:
                portfolio_id = (await portfolio_to_read(facade, options)).id
            return list(await facade.export_performance_csv(window, portfolio_id=portfolio_id))

        Output(options).text(run_with(options, rows, reads_only=True))
        return

    async def report(facade: WheelFacade) -> tuple[PerformanceReport, str]:
        if symbol is not None:
            wheel = await wheel_by_symbol(facade, options, symbol)
            return await facade.performance(window, wheel_id=wheel.id), wheel.symbol
        if all_portfolios:
            return await facade.performance(window), "all portfolios"
        portfolio = await portfolio_to_read(facade, options)
        return (
            await facade.performance(window, portfolio_id=portfolio.id),
            f"portfolio {portfolio.name}",
        )

    found, title = run_with(options, report, reads_only=True)
    if export == "json":
        options = options.as_json()
    Output(options).result(found, lambda r: performance_view(r, title))
