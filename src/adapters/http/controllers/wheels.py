"""Wheels: one symbol wheeled in one portfolio, its state, shares, history and roll chains."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import delete, get, patch, post
from litestar.params import Parameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import Facade
from adapters.http.pagination import DEFAULT_LIMIT, Limit, Offset, page_of
from adapters.http.params import (
    Id,
    IncludeArchived,
    PortfolioFilter,
    PortfolioName,
    SymbolFilter,
    TickerPath,
    ticker_of,
)
from adapters.wire import (
    PORTFOLIO_WHEELS,
    WHEEL,
    WHEEL_ARCHIVE,
    WHEEL_BY_SYMBOL,
    WHEEL_CHAINS,
    WHEEL_HISTORY,
    WHEEL_SHARES_IMPORT,
    WHEEL_SHARES_SELL,
    WHEEL_STATE,
    WHEELS,
)
from wheel_core.app.commands import ImportShares, OpenWheel, SellShares, UpdateWheel
from wheel_core.app.views import Page, TradeView, WheelHistory, WheelView
from wheel_core.domain.enums import WheelState
from wheel_core.domain.errors import ValidationError
from wheel_core.performance import ChainPnl

WheelStatus = Annotated[
    Literal["active", "archived", "all"],
    Parameter(description="Active wheels (default), archived ones, or all."),
]

_ACTIVE: dict[str, bool | None] = {"active": True, "archived": False, "all": None}


class WheelStateView(msgspec.Struct, frozen=True, kw_only=True):
    """Where a wheel is in its cycle and what may be done to it next."""

    wheel_id: int
    symbol: str
    state: WheelState
    active: bool
    allowed_actions: list[str]
    """Empty once the wheel is archived."""
    shares: int
    open_trade: TradeView | None

    @classmethod
    def of(cls, wheel: WheelView) -> WheelStateView:
        return cls(
            wheel_id=wheel.id,
            symbol=wheel.symbol,
            state=wheel.state,
            active=wheel.active,
            allowed_actions=wheel.allowed_actions,
            shares=wheel.shares,
            open_trade=wheel.open_trade,
        )


class WheelController(ApiController):
    path = "/"
    tags = ["wheels"]

    @get(WHEELS)
    async def list_wheels(
        self,
        service: Facade,
        portfolio_id: PortfolioFilter = None,
        symbol: SymbolFilter = None,
        status: WheelStatus = "active",
        cycle_state: Annotated[
            WheelState | None,
            QueryParameter(name="state", description="Only wheels in this state of the cycle."),
        ] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[WheelView]:
        """Wheels across all portfolios, filtered by portfolio, symbol, status and state."""
        wheels = await service.list_wheels(
            portfolio_id=portfolio_id, symbol=symbol, active=_ACTIVE[status]
        )
        if cycle_state is not None:
            wheels = [w for w in wheels if w.state is cycle_state]
        return page_of(wheels, offset, limit)

    @get(PORTFOLIO_WHEELS)
    async def list_portfolio_wheels(
        self,
        service: Facade,
        portfolio_id: Id,
        status: WheelStatus = "active",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[WheelView]:
        """The wheels of one portfolio (404 when the portfolio does not exist)."""
        await service.get_portfolio(portfolio_id)
        wheels = await service.list_wheels(portfolio_id=portfolio_id, active=_ACTIVE[status])
        return page_of(wheels, offset, limit)

    @post(PORTFOLIO_WHEELS)
    async def open_portfolio_wheel(
        self, service: Facade, portfolio_id: Id, data: OpenWheel
    ) -> WheelView:
        """A new wheel in this portfolio; one active wheel per symbol and portfolio (409)."""
        if data.portfolio_id is not None and data.portfolio_id != portfolio_id:
            raise ValidationError(
                f"the body names portfolio {data.portfolio_id} but the path names portfolio "
                f"{portfolio_id}; leave portfolio_id out of the body"
            )
        return await service.open_wheel(msgspec.structs.replace(data, portfolio_id=portfolio_id))

    @post(WHEELS)
    async def open_wheel(self, service: Facade, data: OpenWheel) -> WheelView:
        """A new wheel, in the default portfolio unless the body names one."""
        return await service.open_wheel(data)

    @get(WHEEL)
    async def get_wheel(self, service: Facade, wheel_id: Id) -> WheelView:
        """One wheel with its state, shares, cost basis, premium and realized P&L."""
        return await service.get_wheel(wheel_id)

    @get(WHEEL_BY_SYMBOL)
    async def wheel_by_symbol(
        self,
        service: Facade,
        symbol: TickerPath,
        portfolio: PortfolioName = None,
        include_archived: IncludeArchived = False,
    ) -> WheelView:
        """The active wheel on the symbol in the named portfolio (the default one when
        none is named), in one read; 404 when the portfolio or the wheel does not exist.
        This is how a client that addresses wheels by symbol (the CLI) finds one."""
        return await service.wheel_by_symbol(
            ticker_of(symbol), portfolio=portfolio, include_archived=include_archived
        )

    @patch(WHEEL)
    async def update_wheel(self, service: Facade, wheel_id: Id, data: UpdateWheel) -> WheelView:
        """Change the risk profile or the allocated capital; omitted fields stay."""
        return await service.update_wheel(wheel_id, data)

    @post(WHEEL_ARCHIVE, status_code=HTTP_200_OK)
    async def archive_wheel(self, service: Facade, wheel_id: Id) -> WheelView:
        """Stop wheeling the symbol and keep its history (409 while an option is open)."""
        return await service.archive_wheel(wheel_id)

    @delete(WHEEL, status_code=HTTP_204_NO_CONTENT)
    async def delete_wheel(self, service: Facade, wheel_id: Id) -> None:
        """Delete a wheel and its whole history; archive it instead to keep the history."""
        await service.delete_wheel(wheel_id)

    @get(WHEEL_STATE)
    async def wheel_state(self, service: Facade, wheel_id: Id) -> WheelStateView:
        """The wheel's state, the actions allowed now, its shares and its open option."""
        return WheelStateView.of(await service.get_wheel(wheel_id))

    @get(WHEEL_HISTORY)
    async def wheel_history(self, service: Facade, wheel_id: Id) -> WheelHistory:
        """Everything recorded on the wheel: trades, share moves, the lots and sales they imply."""
        return await service.wheel_history(wheel_id)

    @post(WHEEL_SHARES_IMPORT, status_code=HTTP_200_OK)
    async def import_shares(self, service: Facade, wheel_id: Id, data: ImportShares) -> WheelView:
        """Bring shares already owned into an idle wheel, at their purchase cost."""
        return await service.import_shares(wheel_id, data)

    @post(WHEEL_SHARES_SELL, status_code=HTTP_200_OK)
    async def sell_shares(self, service: Facade, wheel_id: Id, data: SellShares) -> WheelView:
        """Sell the whole share holding, realizing its gain and ending the cycle."""
        return await service.sell_shares(wheel_id, data)

    @get(WHEEL_CHAINS)
    async def roll_chains(self, service: Facade, wheel_id: Id) -> list[ChainPnl]:
        """P&L per roll chain, leg by leg: a roll is judged by its whole chain."""
        return await service.roll_chains(wheel_id)
