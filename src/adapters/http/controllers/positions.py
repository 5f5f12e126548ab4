"""Positions: every active wheel as the market sees it now, and the ones at risk."""

from __future__ import annotations

from typing import Annotated

from litestar import get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import Facade
from adapters.http.params import Id, PortfolioFilter, PortfolioName, TickerPath, ticker_of
from adapters.wire import (
    PORTFOLIO_POSITIONS,
    POSITION_BY_SYMBOL,
    POSITIONS,
    POSITIONS_AT_RISK,
    POSITIONS_REFRESH,
    WHEEL_POSITION,
)
from wheel_core.app.views import PositionsReport, PositionView, PriceRefresh
from wheel_core.domain.enums import RiskLevel


class PositionController(ApiController):
    path = "/"
    tags = ["positions"]

    @get(POSITIONS)
    async def list_positions(
        self,
        service: Facade,
        portfolio_id: PortfolioFilter = None,
    ) -> PositionsReport:
        """Every active wheel's live position; wheels whose market data failed are listed
        under ``failures``."""
        return await service.positions(portfolio_id=portfolio_id)

    @get(POSITIONS_AT_RISK)
    async def positions_at_risk(
        self,
        service: Facade,
        min_risk: Annotated[
            RiskLevel,
            Parameter(
                description="Lowest risk level shown: medium (OTM by 5 % or less, or ITM) or high "
                "(ITM)."
            ),
        ] = RiskLevel.MEDIUM,
        portfolio_id: PortfolioFilter = None,
    ) -> PositionsReport:
        """Open options at ``min_risk`` or above (default medium), with the wheels that failed."""
        return await service.positions(portfolio_id=portfolio_id, min_risk=min_risk)

    @post(POSITIONS_REFRESH, status_code=HTTP_200_OK)
    async def refresh_prices(self, service: Facade) -> PriceRefresh:
        """Quote every active wheel's symbol now (what the price-refresh job does), so the
        next reads are fresh; symbols whose quote failed are listed under ``failures``."""
        return await service.refresh_prices()

    @get(WHEEL_POSITION)
    async def wheel_position(self, service: Facade, wheel_id: Id) -> PositionView:
        """One wheel's price, shares, open option risk and unrealized P&L now."""
        return await service.position_status(wheel_id)

    @get(POSITION_BY_SYMBOL)
    async def position_by_symbol(
        self, service: Facade, symbol: TickerPath, portfolio: PortfolioName = None
    ) -> PositionView:
        """The position of the active wheel on the symbol in the named portfolio (the
        default one when none is named), in one request; 404 when the portfolio or the
        wheel does not exist. What the CLI's `status AAPL` shows."""
        return await service.position_by_symbol(ticker_of(symbol), portfolio=portfolio)

    @get(PORTFOLIO_POSITIONS)
    async def portfolio_positions(self, service: Facade, portfolio_id: Id) -> PositionsReport:
        """The live positions of one portfolio's active wheels (404 when it does not exist)."""
        return await service.positions(portfolio_id=portfolio_id)
