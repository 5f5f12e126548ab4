"""Drive a :class:`~wheel_core.app.WheelService` with the events of
:mod:`wheel_core.testing.strategies`.

The driver turns an abstract event into the use-case call a user would make,
moving a fake clock where the event needs time to pass (an expiry happens
after the expiration date). A refused event raises the core's
:class:`~wheel_core.domain.errors.DomainError`, exactly as the facade does.
"""

from __future__ import annotations

from datetime import timedelta

from wheel_core.app.commands import (
    AssignTrade,
    CloseTrade,
    ExpireTrade,
    RecordTrade,
    RollTrade,
    SellShares,
)
from wheel_core.app.commands import ImportShares as ImportSharesCommand
from wheel_core.app.service import WheelService
from wheel_core.app.views import TradeView
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import ConflictError
from wheel_core.domain.rules import exchange_date, expiration_close
from wheel_core.ports import TradeQuery
from wheel_core.testing.fakes.clock import FakeClock
from wheel_core.testing.strategies import (
    Assign,
    Close,
    Expire,
    ImportShares,
    Roll,
    SellCall,
    SellPut,
    Wait,
    WheelEvent,
)
from wheel_core.testing.strategies import (
    SellShares as SellSharesEvent,
)


async def apply_event(
    service: WheelService, clock: FakeClock, wheel_id: int, event: WheelEvent
) -> None:
    today = exchange_date(clock.now())
    match event:
        case Wait():
            clock.advance(timedelta(days=event.days))
        case SellPut() | SellCall():
            option_type = OptionType.PUT if isinstance(event, SellPut) else OptionType.CALL
            await service.record_trade(
                wheel_id,
                RecordTrade(
                    option_type=option_type,
                    strike=event.strike,
                    expiration=today + timedelta(days=event.days_to_expiry),
                    premium=event.premium,
                    contracts=event.contracts,
                ),
            )
        case ImportShares():
            await service.import_shares(
                wheel_id, ImportSharesCommand(shares=event.shares, cost_basis=event.cost_basis)
            )
        case SellSharesEvent():
            await service.sell_shares(wheel_id, SellShares(price=event.price))
        case Expire():
            trade = await _open_trade(service, wheel_id)
            close = expiration_close(trade.expiration)
            if clock.now() < close:
                clock.set(close + timedelta(minutes=1))
            at_strike = event.price == trade.strike
            await service.expire_trade(
                trade.id,
                ExpireTrade(
                    price_at_expiry=event.price, assigned=event.assigned if at_strike else None
                ),
            )
        case Close():
            trade = await _open_trade(service, wheel_id)
            await service.close_trade(trade.id, CloseTrade(price=event.price))
        case Assign():
            trade = await _open_trade(service, wheel_id)
            await service.assign_trade(trade.id, AssignTrade())
        case Roll():
            trade = await _open_trade(service, wheel_id)
            await service.roll_trade(
                trade.id,
                RollTrade(
                    close_price=event.close_price,
                    strike=event.strike,
                    premium=event.premium,
                    expiration=today + timedelta(days=event.days_to_expiry),
                ),
            )


async def _open_trade(service: WheelService, wheel_id: int) -> TradeView:
    """The wheel's open trade, or else its latest one, so the facade itself refuses."""
    wheel = await service.get_wheel(wheel_id)
    if wheel.open_trade is not None:
        return wheel.open_trade
    trades = (await service.list_trades(TradeQuery(wheel_id=wheel_id))).items
    if not trades:
        raise ConflictError(
            f"the wheel has no trade (it is {wheel.state.value}); "
            f"allowed actions: {', '.join(wheel.allowed_actions)}"
        )
    return trades[-1]
