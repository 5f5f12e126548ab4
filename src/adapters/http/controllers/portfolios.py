"""Portfolios: the books wheels are kept in; one is the default."""

from __future__ import annotations

from litestar import delete, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import Facade
from adapters.http.pagination import DEFAULT_LIMIT, Limit, Offset, page_of
from adapters.http.params import Id
from adapters.wire import PORTFOLIO, PORTFOLIO_SUMMARY, PORTFOLIOS
from wheel_core.app.commands import CreatePortfolio, UpdatePortfolio
from wheel_core.app.views import Page, PortfolioSummary
from wheel_core.domain.entities import Portfolio


class PortfolioController(ApiController):
    path = "/"
    tags = ["portfolios"]

    @get(PORTFOLIOS)
    async def list_portfolios(
        self, service: Facade, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> Page[Portfolio]:
        """All portfolios, by name."""
        return page_of(await service.list_portfolios(), offset, limit)

    @post(PORTFOLIOS)
    async def create_portfolio(self, service: Facade, data: CreatePortfolio) -> Portfolio:
        """A new portfolio; names are unique (409 when taken)."""
        return await service.create_portfolio(data)

    @get(PORTFOLIO)
    async def get_portfolio(self, service: Facade, portfolio_id: Id) -> Portfolio:
        return await service.get_portfolio(portfolio_id)

    @patch(PORTFOLIO)
    async def update_portfolio(
        self, service: Facade, portfolio_id: Id, data: UpdatePortfolio
    ) -> Portfolio:
        """Change name, description, capital or the default flag; omitted fields stay."""
        return await service.update_portfolio(portfolio_id, data)

    @delete(PORTFOLIO, status_code=HTTP_204_NO_CONTENT)
    async def delete_portfolio(
        self,
        service: Facade,
        portfolio_id: Id,
        cascade: bool = Parameter(
            default=False, description="Also delete its wheels and their whole history."
        ),
    ) -> None:
        """Delete a portfolio; one with wheels needs ``cascade=true`` (409 otherwise)."""
        await service.delete_portfolio(portfolio_id, cascade=cascade)

    @get(PORTFOLIO_SUMMARY)
    async def portfolio_summary(self, service: Facade, portfolio_id: Id) -> PortfolioSummary:
        """Counts and money of one portfolio: wheels, open trades, capital, premium, P&L."""
        return await service.portfolio_summary(portfolio_id)
