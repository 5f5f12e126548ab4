"""Trades: the options sold on a wheel and how each one ended (expired, closed, rolled,
assigned)."""

from __future__ import annotations

import msgspec
from litestar import delete, get, patch, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import Facade
from adapters.http.filters import TRADE_FILTERS
from adapters.http.openapi_schema import OptionalBodyOperation
from adapters.http.pagination import DEFAULT_LIMIT, Limit, Offset
from adapters.http.params import Id
from adapters.wire import (
    TRADE,
    TRADE_ASSIGN,
    TRADE_CLOSE,
    TRADE_EXPIRE,
    TRADE_ROLL,
    TRADES,
    WHEEL_TRADES,
)
from wheel_core.app.commands import (
    AssignTrade,
    CloseTrade,
    CorrectTrade,
    ExpireTrade,
    RecordTrade,
    RollTrade,
)
from wheel_core.app.views import Page, TradeView
from wheel_core.ports import TradeQuery


class TradeController(ApiController):
    path = "/"
    tags = ["trades"]

    @post(WHEEL_TRADES, status_code=HTTP_201_CREATED)
    async def record_trade(self, service: Facade, wheel_id: Id, data: RecordTrade) -> TradeView:
        """Sell a put on an idle wheel or a covered call on one holding shares (409 otherwise)."""
        return await service.record_trade(wheel_id, data)

    @get(WHEEL_TRADES)
    async def list_wheel_trades(
        self,
        service: Facade,
        wheel_id: Id,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[TradeView]:
        """The trades of one wheel, oldest first (404 when the wheel does not exist)."""
        await service.get_wheel(wheel_id)
        return await service.list_trades(TradeQuery(wheel_id=wheel_id, offset=offset, limit=limit))

    @get(TRADES, dependencies=TRADE_FILTERS)
    async def list_trades(
        self,
        service: Facade,
        trade_filters: TradeQuery,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[TradeView]:
        """Trades across all wheels and portfolios, oldest first; ``total`` counts every match."""
        return await service.list_trades(
            msgspec.structs.replace(trade_filters, offset=offset, limit=limit)
        )

    @get(TRADE)
    async def get_trade(self, service: Facade, trade_id: Id) -> TradeView:
        """One trade with its outcome, its P&L once closed and its roll chain."""
        return await service.get_trade(trade_id)

    @patch(TRADE)
    async def correct_trade(self, service: Facade, trade_id: Id, data: CorrectTrade) -> TradeView:
        """Fix what was typed; refused (409) if the wheel's corrected history would not replay."""
        return await service.correct_trade(trade_id, data)

    @delete(TRADE, status_code=HTTP_204_NO_CONTENT)
    async def delete_trade(self, service: Facade, trade_id: Id) -> None:
        """Remove a trade recorded by mistake; refused (409) where the history would break."""
        await service.delete_trade(trade_id)

    @post(TRADE_EXPIRE, status_code=HTTP_200_OK)
    async def expire_trade(self, service: Facade, trade_id: Id, data: ExpireTrade) -> TradeView:
        """Record the expiry: the price at expiry decides worthless, assigned or called away."""
        return await service.expire_trade(trade_id, data)

    @post(TRADE_CLOSE, status_code=HTTP_200_OK)
    async def close_trade(self, service: Facade, trade_id: Id, data: CloseTrade) -> TradeView:
        """Buy the open option back before expiry; its P&L is premium − buy-back − fees."""
        return await service.close_trade(trade_id, data)

    @post(TRADE_ROLL, status_code=HTTP_201_CREATED)
    async def roll_trade(self, service: Facade, trade_id: Id, data: RollTrade) -> TradeView:
        """Buy the open option back and sell its replacement in one step; returns the new leg."""
        return await service.roll_trade(trade_id, data)

    @post(
        TRADE_ASSIGN,
        status_code=HTTP_200_OK,
        operation_class=OptionalBodyOperation,
    )
    async def assign_trade(
        self, service: Facade, trade_id: Id, data: AssignTrade | None = None
    ) -> TradeView:
        """Record an early assignment (put) or early call-away (call); the body is optional."""
        return await service.assign_trade(trade_id, data or AssignTrade())
