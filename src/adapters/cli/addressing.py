"""How the CLI finds what a command names: the current portfolio, a wheel by symbol,
the open option of a wheel.

The legacy tool addressed everything by symbol within one portfolio; so do we. The
current portfolio is ``--portfolio NAME`` or else the default one. A wheel named by
its symbol is found by the facade in one read (one request in remote mode):
``facade.wheel_by_symbol(symbol, portfolio=NAME)``. A miss is refused with the
command that would fix it.
"""

from __future__ import annotations

from adapters.cli.options import GlobalOptions
from adapters.cli.runner import CommandError
from wheel_core.app.facade import WheelFacade
from wheel_core.app.views import PositionView, TradeView, WheelView
from wheel_core.domain.entities import Portfolio
from wheel_core.domain.errors import NotFoundError

DEFAULT_PORTFOLIO = "default"
"""The default portfolio's name where the core found none to name (a database without one)."""


async def current_portfolio(facade: WheelFacade, options: GlobalOptions) -> Portfolio:
    """The portfolio a writing command works in; the default one is made if missing."""
    if options.portfolio is None:
        return await facade.ensure_default_portfolio()
    return await _named(facade, options.portfolio)


async def portfolio_to_read(facade: WheelFacade, options: GlobalOptions) -> Portfolio:
    """The portfolio a reading command looks at, found by reading only: the default one
    is looked up among the portfolios, and made only if there is none at all."""
    if options.portfolio is not None:
        return await _named(facade, options.portfolio)
    for portfolio in await facade.list_portfolios():
        if portfolio.is_default:
            return portfolio
    return await facade.ensure_default_portfolio()


async def _named(facade: WheelFacade, name: str) -> Portfolio:
    try:
        return await facade.get_portfolio_by_name(name)
    except NotFoundError:
        raise no_portfolio(name) from None


def no_portfolio(name: str) -> CommandError:
    return CommandError(
        f"no portfolio named {name!r}; "
        "see `wheel-strategy portfolio list` or create it with "
        f"`wheel-strategy portfolio create {name}`"
    )


async def portfolio_by_reference(facade: WheelFacade, reference: str) -> Portfolio:
    """A portfolio named by its id or its name (``portfolio show 2``, ``portfolio show ira``)."""
    if reference.strip().isdigit():
        return await facade.get_portfolio(int(reference))
    return await facade.get_portfolio_by_name(reference)


async def wheel_by_symbol(facade: WheelFacade, options: GlobalOptions, symbol: str) -> WheelView:
    """The active wheel on ``symbol`` in the current portfolio, in one read."""
    try:
        return await facade.wheel_by_symbol(symbol, portfolio=options.portfolio)
    except NotFoundError as error:
        raise _missing(error, options, symbol) from None


async def position_by_symbol(
    facade: WheelFacade, options: GlobalOptions, symbol: str
) -> PositionView:
    """The position of the active wheel on ``symbol`` in the current portfolio, in one
    read (`status AAPL`)."""
    try:
        return await facade.position_by_symbol(symbol, portfolio=options.portfolio)
    except NotFoundError as error:
        raise _missing(error, options, symbol) from None


def _missing(error: NotFoundError, options: GlobalOptions, symbol: str) -> CommandError:
    """The CLI's words for what the by-symbol read did not find: the named portfolio, or
    an active wheel in it. The core's key is ``"AAPL in <portfolio>"``, and names the
    default portfolio when ``--portfolio`` was not given."""
    if error.kind == "portfolio":
        return no_portfolio(options.portfolio or str(error.key))
    _, found, name = str(error.key).partition(" in ")
    portfolio = name if found else (options.portfolio or DEFAULT_PORTFOLIO)
    ticker = symbol.strip().upper()
    return CommandError(
        f"no active wheel on {ticker} in portfolio {portfolio}; "
        f"start one with `wheel-strategy init {ticker}`"
    )


def open_trade_of(wheel: WheelView) -> TradeView:
    if wheel.open_trade is None:
        raise CommandError(
            f"{wheel.symbol} has no open option (state {wheel.state.value}); record one with "
            f"`wheel-strategy record {wheel.symbol} put --strike X --expiration YYYY-MM-DD "
            "--premium X`"
        )
    return wheel.open_trade
