"""How the CLI finds what a command names: the current portfolio, a wheel by symbol,
the open option of a wheel.

The legacy tool addressed everything by symbol within one portfolio; so do we. The
current portfolio is ``--portfolio NAME`` or else the default one. A miss is refused
with the command that would fix it.
"""

from __future__ import annotations

from adapters.cli.options import GlobalOptions
from adapters.cli.runner import CommandError
from wheel_core.app.facade import WheelFacade
from wheel_core.app.views import TradeView, WheelView
from wheel_core.domain.entities import Portfolio
from wheel_core.domain.errors import NotFoundError


async def current_portfolio(facade: WheelFacade, options: GlobalOptions) -> Portfolio:
    if options.portfolio is None:
        return await facade.ensure_default_portfolio()
    try:
        return await facade.get_portfolio_by_name(options.portfolio)
    except NotFoundError:
        raise CommandError(
            f"no portfolio named {options.portfolio!r}; "
            "see `wheel-strategy portfolio list` or create it with "
            f"`wheel-strategy portfolio create {options.portfolio}`"
        ) from None


async def portfolio_by_reference(facade: WheelFacade, reference: str) -> Portfolio:
    """A portfolio named by its id or its name (``portfolio show 2``, ``portfolio show ira``)."""
    if reference.strip().isdigit():
        return await facade.get_portfolio(int(reference))
    return await facade.get_portfolio_by_name(reference)


async def wheel_by_symbol(facade: WheelFacade, options: GlobalOptions, symbol: str) -> WheelView:
    portfolio = await current_portfolio(facade, options)
    assert portfolio.id is not None
    try:
        return await facade.find_wheel(symbol, portfolio.id)
    except NotFoundError:
        raise CommandError(
            f"no active wheel on {symbol.strip().upper()} in portfolio {portfolio.name}; "
            f"start one with `wheel-strategy init {symbol.strip().upper()}`"
        ) from None


def open_trade_of(wheel: WheelView) -> TradeView:
    if wheel.open_trade is None:
        raise CommandError(
            f"{wheel.symbol} has no open option (state {wheel.state.value}); record one with "
            f"`wheel-strategy record {wheel.symbol} put --strike X --expiration YYYY-MM-DD "
            "--premium X`"
        )
    return wheel.open_trade
