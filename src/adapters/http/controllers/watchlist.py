"""The watchlist: symbols the opportunity scan looks at besides the idle wheels."""

from __future__ import annotations

from litestar import delete, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import Facade
from adapters.http.pagination import DEFAULT_LIMIT, Limit, Offset, page_of
from adapters.http.params import TickerPath, ticker_of
from adapters.wire import WATCHLIST, WATCHLIST_SCAN, WATCHLIST_SYMBOL
from wheel_core.app.commands import AddToWatchlist
from wheel_core.app.views import OpportunityScan, Page
from wheel_core.domain.entities import WatchlistEntry


class WatchlistController(ApiController):
    path = "/"
    tags = ["watchlist"]

    @get(WATCHLIST)
    async def list_watchlist(
        self, service: Facade, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> Page[WatchlistEntry]:
        """The watched symbols, alphabetically."""
        return page_of(await service.watchlist(), offset, limit)

    @post(WATCHLIST, status_code=HTTP_201_CREATED)
    async def add_to_watchlist(self, service: Facade, data: AddToWatchlist) -> WatchlistEntry:
        """Watch a symbol (upper-cased); a symbol already watched is a 409."""
        return await service.add_to_watchlist(data)

    @delete(WATCHLIST_SYMBOL, status_code=HTTP_204_NO_CONTENT)
    async def remove_from_watchlist(self, service: Facade, symbol: TickerPath) -> None:
        """Stop watching a symbol (404 when it is not watched); its opportunities stay.
        A class-share ticker keeps its slash: ``DELETE /watchlist/BRK/B``."""
        await service.remove_from_watchlist(ticker_of(symbol))

    @post(WATCHLIST_SCAN, status_code=HTTP_200_OK)
    async def scan(self, service: Facade) -> OpportunityScan:
        """Run the opportunity scan now over the idle wheels and the watchlist: the
        contracts found for the first time, how many known ones were refreshed, and the
        symbols that failed."""
        return await service.scan_opportunities()
