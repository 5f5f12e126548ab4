"""Option trades on a wheel, addressed by its symbol: record, expire, close, roll."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from typing import Annotated

from cyclopts import Parameter

from adapters.cli.addressing import open_trade_of, wheel_by_symbol
from adapters.cli.arguments import Money, build
from adapters.cli.options import Globals
from adapters.cli.output import Output
from adapters.cli.runner import refuse_usage, run_with
from adapters.cli.tables.wheels import trade_line
from wheel_core.app.commands import CloseTrade, ExpireTrade, RecordTrade, RollTrade
from wheel_core.app.facade import WheelFacade
from wheel_core.app.views import TradeView
from wheel_core.domain.enums import OptionType

Symbol = Annotated[str, Parameter(help="Ticker of the wheel's underlying.")]
Strike = Annotated[Money, Parameter(help="Strike price.")]
Expiration = Annotated[date, Parameter(help="Expiration date, YYYY-MM-DD.")]
Premium = Annotated[Money, Parameter(help="Premium per share received.")]
Fees = Annotated[Money | None, Parameter(help="Commissions and fees.")]


def record(
    symbol: Symbol,
    option_type: Annotated[OptionType, Parameter(help="put or call")],
    /,
    *,
    strike: Strike,
    expiration: Expiration,
    premium: Premium,
    contracts: Annotated[int, Parameter(help="Number of contracts (100 shares each).")] = 1,
    fees: Fees = None,
    allow_exceeding_capital: Annotated[
        bool, Parameter(help="Record a put whose collateral exceeds the wheel's capital.")
    ] = False,
    options: Globals,
) -> None:
    """Record an option sold on a wheel: a cash-secured put, or a covered call.

    Example, three puts at 100 for 2.00 each:

    ```
    wheel-strategy record AAPL put --strike 100 --expiration 2026-12-18 \\
        --premium 2.00 --contracts 3
    ```
    """

    async def work(facade: WheelFacade) -> TradeView:
        wheel = await wheel_by_symbol(facade, options, symbol)
        command = build(
            RecordTrade,
            option_type=option_type,
            strike=strike,
            expiration=expiration,
            premium=premium,
            contracts=contracts,
            fees=fees,
            allow_exceeding_capital=allow_exceeding_capital or None,
        )
        return await facade.record_trade(wheel.id, command)

    Output(options).result(run_with(options, work), lambda t: f"Recorded {trade_line(t)}")


def expire(
    symbol: Symbol,
    /,
    *,
    price: Annotated[Money, Parameter(help="The underlying's price at expiration.")],
    assigned: Annotated[
        bool | None,
        Parameter(
            negative="--not-assigned",
            help="Whether the option was exercised; needed only when the price equals the strike.",
        ),
    ] = None,
    options: Globals,
) -> None:
    """Expire a wheel's open option at the underlying's closing price.

    Out of the money it expires worthless; in the money a put is assigned and a call
    called away. Exactly at the strike the outcome is yours to state (asked on a
    terminal, else `--assigned` or `--not-assigned`).

    Example: `wheel-strategy expire AAPL --price 95.00`
    """

    async def work(facade: WheelFacade) -> TradeView:
        wheel = await wheel_by_symbol(facade, options, symbol)
        trade = open_trade_of(wheel)
        said = assigned
        if said is None and price == trade.strike:
            said = _ask_assigned(trade)
        command = build(
            ExpireTrade, flags={"price_at_expiry": "--price"}, price_at_expiry=price, assigned=said
        )
        return await facade.expire_trade(trade.id, command)

    Output(options).result(run_with(options, work), lambda t: f"Expired {trade_line(t)}")


def _ask_assigned(trade: TradeView) -> bool | None:
    """On a terminal, ask; piped, leave it to the core, which refuses and says which flag."""
    if not sys.stdin.isatty():
        return None
    from rich.prompt import Confirm

    return Confirm.ask(
        f"{trade.symbol} closed exactly at the strike {trade.strike}: "
        f"was the {trade.option_type.value} exercised?"
    )


def close(
    symbol: Symbol,
    /,
    *,
    price: Annotated[Money, Parameter(help="Price per share paid to buy the option back.")],
    fees: Fees = None,
    options: Globals,
) -> None:
    """Buy a wheel's open option back before expiration.

    Example: `wheel-strategy close AAPL --price 0.35`
    """

    async def work(facade: WheelFacade) -> TradeView:
        wheel = await wheel_by_symbol(facade, options, symbol)
        trade = open_trade_of(wheel)
        return await facade.close_trade(trade.id, build(CloseTrade, price=price, fees=fees))

    Output(options).result(run_with(options, work), lambda t: f"Closed {trade_line(t)}")


def roll(
    symbol: Symbol,
    /,
    *,
    close_price: Annotated[Money, Parameter(help="Price per share paid to close the open option.")],
    strike: Strike,
    expiration: Expiration,
    premium: Premium,
    contracts: Annotated[
        int | None, Parameter(help="Contracts of the new option. [default: as the old one]")
    ] = None,
    fees: Fees = None,
    options: Globals,
) -> None:
    """Roll a wheel's open option: buy it back and sell a new one, in one step.

    Example: `wheel-strategy roll AAPL --close-price 1.20 --strike 95
    --expiration 2027-01-15 --premium 2.10`
    """
    if premium < Decimal(0):
        refuse_usage("invalid --premium: must be 0 or more")

    async def work(facade: WheelFacade) -> TradeView:
        wheel = await wheel_by_symbol(facade, options, symbol)
        trade = open_trade_of(wheel)
        command = build(
            RollTrade,
            close_price=close_price,
            strike=strike,
            expiration=expiration,
            premium=premium,
            contracts=contracts,
            fees=fees,
        )
        return await facade.roll_trade(trade.id, command)

    Output(options).result(run_with(options, work), lambda t: f"Rolled into {trade_line(t)}")
