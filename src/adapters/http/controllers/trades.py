"""Trades: the options sold on a wheel and how each one ended (expired, closed, rolled,
assigned)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from litestar import Controller, delete, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from adapters.http.pagination import DEFAULT_LIMIT, Limit, Offset
from adapters.http.params import MAX_ID, Id
from wheel_core.app.commands import (
    AssignTrade,
    CloseTrade,
    CorrectTrade,
    ExpireTrade,
    RecordTrade,
    RollTrade,
)
from wheel_core.app.service import WheelService
from wheel_core.app.views import Page, TradeView
from wheel_core.domain.checks import SYMBOL_PATTERN
from wheel_core.domain.enums import OptionType
from wheel_core.ports import TradeQuery

TradeOutcome = Literal[
    "open", "expired_worthless", "assigned", "called_away", "closed_early", "rolled"
]
"""An :class:`~wheel_core.domain.enums.Outcome` value, or ``open`` for trades still open."""


class TradeController(Controller):
    path = "/"
    tags = ["trades"]

    @post("/wheels/{wheel_id:int}/trades", status_code=HTTP_201_CREATED)
    async def record_trade(
        self, service: WheelService, wheel_id: Id, data: RecordTrade
    ) -> TradeView:
        """Sell a put on an idle wheel or a covered call on one holding shares (409 otherwise)."""
        return await service.record_trade(wheel_id, data)

    @get("/wheels/{wheel_id:int}/trades")
    async def list_wheel_trades(
        self,
        service: WheelService,
        wheel_id: Id,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[TradeView]:
        """The trades of one wheel, oldest first (404 when the wheel does not exist)."""
        await service.get_wheel(wheel_id)
        return await service.list_trades(TradeQuery(wheel_id=wheel_id, offset=offset, limit=limit))

    @get("/trades")
    async def list_trades(
        self,
        service: WheelService,
        wheel_id: Annotated[
            int | None, Parameter(ge=1, le=MAX_ID, description="Only this wheel's trades.")
        ] = None,
        portfolio_id: Annotated[
            int | None,
            Parameter(ge=1, le=MAX_ID, description="Only trades of this portfolio's wheels."),
        ] = None,
        symbol: Annotated[
            str | None,
            Parameter(pattern=SYMBOL_PATTERN, description="Only trades on this symbol."),
        ] = None,
        option_type: Annotated[
            OptionType | None, Parameter(description="Only puts or only calls.")
        ] = None,
        outcome: Annotated[
            TradeOutcome | None,
            Parameter(description="How the trade ended, or open for trades still open."),
        ] = None,
        is_open: Annotated[
            bool | None,
            Parameter(description="true: open trades only; false: ended trades only."),
        ] = None,
        opened_from: Annotated[
            date | None, Parameter(description="Opened on or after this day (UTC).")
        ] = None,
        opened_to: Annotated[
            date | None, Parameter(description="Opened on or before this day (UTC).")
        ] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[TradeView]:
        """Trades across all wheels and portfolios, oldest first; ``total`` counts every match."""
        return await service.list_trades(
            TradeQuery(
                wheel_id=wheel_id,
                portfolio_id=portfolio_id,
                symbol=symbol,
                option_type=option_type,
                outcome=outcome,
                is_open=is_open,
                opened_from=opened_from,
                opened_to=opened_to,
                offset=offset,
                limit=limit,
            )
        )

    @get("/trades/{trade_id:int}")
    async def get_trade(self, service: WheelService, trade_id: Id) -> TradeView:
        """One trade with its outcome, its P&L once closed and its roll chain."""
        return await service.get_trade(trade_id)

    @patch("/trades/{trade_id:int}")
    async def correct_trade(
        self, service: WheelService, trade_id: Id, data: CorrectTrade
    ) -> TradeView:
        """Fix what was typed; refused (409) if the wheel's corrected history would not replay."""
        return await service.correct_trade(trade_id, data)

    @delete("/trades/{trade_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def delete_trade(self, service: WheelService, trade_id: Id) -> None:
        """Remove a trade recorded by mistake; refused (409) where the history would break."""
        await service.delete_trade(trade_id)

    @post("/trades/{trade_id:int}/expire", status_code=HTTP_200_OK)
    async def expire_trade(
        self, service: WheelService, trade_id: Id, data: ExpireTrade
    ) -> TradeView:
        """Record the expiry: the price at expiry decides worthless, assigned or called away."""
        return await service.expire_trade(trade_id, data)

    @post("/trades/{trade_id:int}/close", status_code=HTTP_200_OK)
    async def close_trade(self, service: WheelService, trade_id: Id, data: CloseTrade) -> TradeView:
        """Buy the open option back before expiry; its P&L is premium − buy-back − fees."""
        return await service.close_trade(trade_id, data)

    @post("/trades/{trade_id:int}/roll", status_code=HTTP_201_CREATED)
    async def roll_trade(self, service: WheelService, trade_id: Id, data: RollTrade) -> TradeView:
        """Buy the open option back and sell its replacement in one step; returns the new leg."""
        return await service.roll_trade(trade_id, data)

    @post("/trades/{trade_id:int}/assign", status_code=HTTP_200_OK)
    async def assign_trade(
        self, service: WheelService, trade_id: Id, data: AssignTrade | None = None
    ) -> TradeView:
        """Record an early assignment (put) or early call-away (call); the body is optional."""
        return await service.assign_trade(trade_id, data or AssignTrade())
