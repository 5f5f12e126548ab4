"""``RemoteWheelService``: the :class:`~wheel_core.app.facade.WheelFacade` over the HTTP API.

Each use case is one request to a route of the contract (:mod:`adapters.wire`), or a
few where the API has no endpoint of its own (a portfolio by name, the default
portfolio, a wheel by symbol and portfolio id); those are composed here and fail with
the same error and message as ``WheelService`` does. The CLI finds wheels with
:meth:`RemoteWheelService.wheel_by_symbol`, one request.
Symbols and query filters are checked here with the core's own checks before any
request, so a typo is refused with the same words in both modes rather than with
the API's generic 400.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

import httpx
import msgspec

from adapters import wire
from adapters.cli.remote.client import Api, Param
from adapters.cli.remote.routes import (
    alert_filters,
    alert_path,
    opportunity_filters,
    opportunity_path,
    portfolio_path,
    snapshot_filters,
    symbol_path,
    trade_filters,
    trade_path,
    wheel_path,
)
from wheel_core.app.commands import (
    AddToWatchlist,
    AssignTrade,
    CloseTrade,
    CorrectTrade,
    CreatePortfolio,
    ExpireTrade,
    ImportShares,
    OpenWheel,
    RaiseAlert,
    RecordTrade,
    RollTrade,
    SellShares,
    UpdatePortfolio,
    UpdateWheel,
)
from wheel_core.app.lookups import ticker_query
from wheel_core.app.views import (
    OpportunityScan,
    Page,
    PortfolioSummary,
    PositionsReport,
    PositionView,
    PriceRefresh,
    RiskScan,
    SnapshotRun,
    TradeView,
    WheelHistory,
    WheelRecommendation,
    WheelView,
)
from wheel_core.domain.checks import normalize_symbol
from wheel_core.domain.entities import Alert, Opportunity, Portfolio, Snapshot, WatchlistEntry
from wheel_core.domain.enums import RiskLevel
from wheel_core.domain.errors import NotFoundError
from wheel_core.market import OptionChain, Quote
from wheel_core.performance import ChainPnl, PerformanceReport, Period, PnlPoint
from wheel_core.ports import AlertQuery, OpportunityQuery, SnapshotQuery, TradeQuery

if TYPE_CHECKING:
    from wheel_core.app.facade import WheelFacade


class RemoteWheelService:
    """Every use case of wheel-strategy, asked of a server; see the module docstring.

    ``client`` is an ``httpx.AsyncClient`` whose ``base_url`` is the server's root;
    it carries the bearer token, if the server wants one (see
    :func:`~adapters.cli.remote.client.connect`).
    """

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._api = Api(client)

    # ── portfolios ────────────────────────────────────────────────────────

    async def ensure_default_portfolio(self) -> Portfolio:
        """The server makes sure a default portfolio exists when it starts, and refuses to
        delete or un-default it, so finding it is enough."""
        for portfolio in await self.list_portfolios():
            if portfolio.is_default:
                return portfolio
        raise NotFoundError("default portfolio", "default")

    async def create_portfolio(self, command: CreatePortfolio) -> Portfolio:
        return await self._api.call("POST", wire.PORTFOLIOS, Portfolio, body=command)

    async def list_portfolios(self) -> list[Portfolio]:
        return await self._api.every(wire.PORTFOLIOS, Page[Portfolio])

    async def get_portfolio(self, portfolio_id: int) -> Portfolio:
        return await self._api.call("GET", portfolio_path(portfolio_id), Portfolio)

    async def get_portfolio_by_name(self, name: str) -> Portfolio:
        wanted = name.strip()
        for portfolio in await self.list_portfolios():
            if portfolio.name == wanted:
                return portfolio
        raise NotFoundError("portfolio", name)

    async def update_portfolio(self, portfolio_id: int, command: UpdatePortfolio) -> Portfolio:
        return await self._api.call("PATCH", portfolio_path(portfolio_id), Portfolio, body=command)

    async def set_default_portfolio(self, portfolio_id: int) -> Portfolio:
        return await self.update_portfolio(portfolio_id, UpdatePortfolio(is_default=True))

    async def delete_portfolio(self, portfolio_id: int, *, cascade: bool = False) -> None:
        await self._api.send("DELETE", portfolio_path(portfolio_id), params={"cascade": cascade})

    async def portfolio_summary(self, portfolio_id: int) -> PortfolioSummary:
        path = portfolio_path(portfolio_id, wire.PORTFOLIO_SUMMARY)
        return await self._api.call("GET", path, PortfolioSummary)

    # ── wheels and shares ─────────────────────────────────────────────────

    async def open_wheel(self, command: OpenWheel) -> WheelView:
        return await self._api.call("POST", wire.WHEELS, WheelView, body=command)

    async def get_wheel(self, wheel_id: int) -> WheelView:
        return await self._api.call("GET", wheel_path(wheel_id), WheelView)

    async def find_wheel(self, symbol: str, portfolio_id: int | None = None) -> WheelView:
        """The active wheel on ``symbol`` in a portfolio (the default one if not given)."""
        ticker = normalize_symbol(symbol)
        if portfolio_id is None:
            portfolio = await self.ensure_default_portfolio()
        else:
            portfolio = await self.get_portfolio(portfolio_id)
        found = await self._api.call(
            "GET",
            wire.WHEELS,
            Page[WheelView],
            params={"portfolio_id": portfolio.id, "symbol": ticker, "status": "active", "limit": 1},
        )
        if not found.items:
            raise NotFoundError("active wheel", f"{ticker} in {portfolio.name}")
        return found.items[0]

    async def wheel_by_symbol(
        self, symbol: str, *, portfolio: str | None = None, include_archived: bool = False
    ) -> WheelView:
        """One request: the server finds the portfolio by name and the wheel in it."""
        return await self._api.call(
            "GET",
            symbol_path(wire.WHEEL_BY_SYMBOL, symbol),
            WheelView,
            params=_by_symbol(portfolio, include_archived=include_archived),
        )

    async def list_wheels(
        self,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = True,
    ) -> list[WheelView]:
        status = "all" if active is None else "active" if active else "archived"
        params: dict[str, Param] = {
            "portfolio_id": portfolio_id,
            "symbol": normalize_symbol(symbol) if symbol else None,
            "status": status,
        }
        return await self._api.every(wire.WHEELS, Page[WheelView], params=params)

    async def update_wheel(self, wheel_id: int, command: UpdateWheel) -> WheelView:
        return await self._api.call("PATCH", wheel_path(wheel_id), WheelView, body=command)

    async def archive_wheel(self, wheel_id: int) -> WheelView:
        return await self._api.call("POST", wheel_path(wheel_id, wire.WHEEL_ARCHIVE), WheelView)

    async def delete_wheel(self, wheel_id: int) -> None:
        await self._api.send("DELETE", wheel_path(wheel_id))

    async def wheel_history(self, wheel_id: int) -> WheelHistory:
        return await self._api.call("GET", wheel_path(wheel_id, wire.WHEEL_HISTORY), WheelHistory)

    async def import_shares(self, wheel_id: int, command: ImportShares) -> WheelView:
        return await self._api.call(
            "POST", wheel_path(wheel_id, wire.WHEEL_SHARES_IMPORT), WheelView, body=command
        )

    async def sell_shares(self, wheel_id: int, command: SellShares) -> WheelView:
        return await self._api.call(
            "POST", wheel_path(wheel_id, wire.WHEEL_SHARES_SELL), WheelView, body=command
        )

    # ── trades ────────────────────────────────────────────────────────────

    async def record_trade(self, wheel_id: int, command: RecordTrade) -> TradeView:
        return await self._api.call(
            "POST", wheel_path(wheel_id, wire.WHEEL_TRADES), TradeView, body=command
        )

    async def get_trade(self, trade_id: int) -> TradeView:
        return await self._api.call("GET", trade_path(trade_id), TradeView)

    async def list_trades(self, query: TradeQuery | None = None) -> Page[TradeView]:
        query = ticker_query(query or TradeQuery())
        return await self._api.page(
            wire.TRADES,
            Page[TradeView],
            params=trade_filters(query),
            offset=query.offset,
            limit=query.limit,
        )

    async def expire_trade(self, trade_id: int, command: ExpireTrade) -> TradeView:
        return await self._api.call(
            "POST", trade_path(trade_id, wire.TRADE_EXPIRE), TradeView, body=command
        )

    async def close_trade(self, trade_id: int, command: CloseTrade) -> TradeView:
        return await self._api.call(
            "POST", trade_path(trade_id, wire.TRADE_CLOSE), TradeView, body=command
        )

    async def assign_trade(self, trade_id: int, command: AssignTrade) -> TradeView:
        return await self._api.call(
            "POST", trade_path(trade_id, wire.TRADE_ASSIGN), TradeView, body=command
        )

    async def roll_trade(self, trade_id: int, command: RollTrade) -> TradeView:
        return await self._api.call(
            "POST", trade_path(trade_id, wire.TRADE_ROLL), TradeView, body=command
        )

    async def correct_trade(self, trade_id: int, command: CorrectTrade) -> TradeView:
        return await self._api.call("PATCH", trade_path(trade_id), TradeView, body=command)

    async def delete_trade(self, trade_id: int) -> None:
        await self._api.send("DELETE", trade_path(trade_id))

    # ── market, positions, snapshots ──────────────────────────────────────

    async def quote(self, symbol: str) -> Quote:
        return await self._api.call("GET", symbol_path(wire.QUOTE, symbol), Quote)

    async def chain(
        self, symbol: str, *, from_date: date | None = None, to_date: date | None = None
    ) -> OptionChain:
        return await self._api.call(
            "GET",
            symbol_path(wire.CHAIN, symbol),
            OptionChain,
            params={"from": from_date, "to": to_date},
        )

    async def position_status(self, wheel_id: int) -> PositionView:
        return await self._api.call("GET", wheel_path(wheel_id, wire.WHEEL_POSITION), PositionView)

    async def position_by_symbol(
        self, symbol: str, *, portfolio: str | None = None
    ) -> PositionView:
        """One request, for `status AAPL`: see :meth:`wheel_by_symbol`."""
        return await self._api.call(
            "GET",
            symbol_path(wire.POSITION_BY_SYMBOL, symbol),
            PositionView,
            params=_by_symbol(portfolio),
        )

    async def positions(
        self, *, portfolio_id: int | None = None, min_risk: RiskLevel | None = None
    ) -> PositionsReport:
        if min_risk is None:
            return await self._api.call(
                "GET", wire.POSITIONS, PositionsReport, params={"portfolio_id": portfolio_id}
            )
        return await self._api.call(
            "GET",
            wire.POSITIONS_AT_RISK,
            PositionsReport,
            params={"portfolio_id": portfolio_id, "min_risk": min_risk},
        )

    async def take_snapshot(self, *, portfolio_id: int | None = None) -> SnapshotRun:
        return await self._api.call(
            "POST", wire.SNAPSHOTS, SnapshotRun, params={"portfolio_id": portfolio_id}
        )

    async def list_snapshots(self, query: SnapshotQuery | None = None) -> Page[Snapshot]:
        query = ticker_query(query or SnapshotQuery())
        return await self._api.page(
            wire.SNAPSHOTS,
            Page[Snapshot],
            params=snapshot_filters(query),
            offset=query.offset,
            limit=query.limit,
        )

    async def latest_snapshots(self, *, portfolio_id: int | None = None) -> list[Snapshot]:
        return await self._api.call(
            "GET", wire.SNAPSHOTS_LATEST, list[Snapshot], params={"portfolio_id": portfolio_id}
        )

    # ── performance and exports ───────────────────────────────────────────

    async def performance(
        self,
        period: Period = Period.ALL,
        *,
        portfolio_id: int | None = None,
        wheel_id: int | None = None,
        with_prices: bool = True,
    ) -> PerformanceReport:
        """As the service: ``wheel_id`` wins over ``portfolio_id``. The API always marks
        open positions to market, so ``with_prices=False`` is not available remotely
        and is ignored (the report is priced)."""
        if wheel_id is not None:
            path = wheel_path(wheel_id, wire.WHEEL_PERFORMANCE)
        elif portfolio_id is not None:
            path = portfolio_path(portfolio_id, wire.PORTFOLIO_PERFORMANCE)
        else:
            path = wire.PERFORMANCE
        return await self._api.call("GET", path, PerformanceReport, params={"period": period})

    async def pnl_history(self, query: SnapshotQuery | None = None) -> list[PnlPoint]:
        query = ticker_query(query or SnapshotQuery())
        return await self._api.call(
            "GET", wire.PERFORMANCE_HISTORY, list[PnlPoint], params=snapshot_filters(query)
        )

    async def roll_chains(self, wheel_id: int) -> list[ChainPnl]:
        return await self._api.call("GET", wheel_path(wheel_id, wire.WHEEL_CHAINS), list[ChainPnl])

    async def export_trades_csv(self, query: TradeQuery | None = None) -> Iterator[str]:
        query = ticker_query(query or TradeQuery())
        response = await self._api.send("GET", wire.EXPORT_TRADES_CSV, params=trade_filters(query))
        lines = _lines(response.text)
        if query.offset or query.limit is not None:
            # The export endpoint takes filters but no paging: cut the rows here. A row is
            # one line (the trades CSV holds no free text that could break one).
            header, rows = lines[:1], lines[1:]
            end = None if query.limit is None else query.offset + query.limit
            lines = header + rows[query.offset : end]
        return iter(lines)

    async def export_performance_csv(
        self, period: Period = Period.ALL, *, portfolio_id: int | None = None
    ) -> Iterator[str]:
        response = await self._api.send(
            "GET",
            wire.EXPORT_PERFORMANCE_CSV,
            params={"period": period, "portfolio_id": portfolio_id},
        )
        return iter(_lines(response.text))

    # ── recommendations ───────────────────────────────────────────────────

    async def recommend(
        self,
        wheel_id: int,
        *,
        allow_below_cost_basis: bool = False,
        max_dte: int | None = None,
    ) -> WheelRecommendation:
        return await self._api.call(
            "GET",
            wheel_path(wheel_id, wire.WHEEL_RECOMMENDATIONS),
            WheelRecommendation,
            params={"max_dte": max_dte, "allow_below_cost_basis": allow_below_cost_basis},
        )

    async def recommend_batch(
        self, wheel_ids: Iterable[int] | None = None, *, max_dte: int | None = None
    ) -> list[WheelRecommendation]:
        body = {"wheel_ids": None if wheel_ids is None else list(wheel_ids), "max_dte": max_dte}
        return await self._api.call(
            "POST", wire.RECOMMENDATIONS_BATCH, list[WheelRecommendation], body=body
        )

    # ── monitoring: prices, alerts, watchlist, opportunities ──────────────

    async def refresh_prices(self) -> PriceRefresh:
        return await self._api.call("POST", wire.POSITIONS_REFRESH, PriceRefresh)

    async def monitor_risk(self) -> RiskScan:
        return await self._api.call("POST", wire.ALERTS_SCAN, RiskScan)

    async def raise_alert(self, command: RaiseAlert) -> Alert | None:
        """``null`` from the server: an alert with this key exists, nothing was raised."""
        answer: type[Alert | None] = Alert | None  # type: ignore[assignment]  # a union type
        return await self._api.call("POST", wire.ALERTS, answer, body=command)

    async def list_alerts(self, query: AlertQuery | None = None) -> Page[Alert]:
        query = query or AlertQuery()
        return await self._api.page(
            wire.ALERTS,
            Page[Alert],
            params=alert_filters(query),
            offset=query.offset,
            limit=query.limit,
        )

    async def get_alert(self, alert_id: int) -> Alert:
        return await self._api.call("GET", alert_path(alert_id), Alert)

    async def acknowledge_alert(self, alert_id: int) -> Alert:
        return await self._api.call("POST", alert_path(alert_id, wire.ALERT_ACKNOWLEDGE), Alert)

    async def watchlist(self) -> list[WatchlistEntry]:
        return await self._api.every(wire.WATCHLIST, Page[WatchlistEntry])

    async def add_to_watchlist(self, command: AddToWatchlist) -> WatchlistEntry:
        return await self._api.call("POST", wire.WATCHLIST, WatchlistEntry, body=command)

    async def remove_from_watchlist(self, symbol: str) -> None:
        await self._api.send("DELETE", symbol_path(wire.WATCHLIST_SYMBOL, symbol))

    async def scan_opportunities(self) -> OpportunityScan:
        return await self._api.call("POST", wire.WATCHLIST_SCAN, OpportunityScan)

    async def list_opportunities(self, query: OpportunityQuery | None = None) -> Page[Opportunity]:
        query = query or OpportunityQuery()
        if query.symbol is not None:
            query = msgspec.structs.replace(query, symbol=normalize_symbol(query.symbol))
        return await self._api.page(
            wire.OPPORTUNITIES,
            Page[Opportunity],
            params=opportunity_filters(query),
            offset=query.offset,
            limit=query.limit,
        )

    async def unread_opportunities(self) -> int:
        answer = await self._api.call("GET", wire.OPPORTUNITIES_UNREAD_COUNT, dict[str, int])
        return answer["unread"]

    async def mark_opportunity_read(self, opportunity_id: int) -> Opportunity:
        return await self._api.call("POST", opportunity_path(opportunity_id), Opportunity)

    async def mark_all_opportunities_read(self) -> int:
        answer = await self._api.call("POST", wire.OPPORTUNITIES_READ_ALL, dict[str, int])
        return answer["marked"]


def _by_symbol(portfolio: str | None, *, include_archived: bool = False) -> dict[str, Param]:
    """The by-symbol reads' query; an absent portfolio means the default one."""
    name, archived = wire.BY_SYMBOL
    return {name: portfolio, archived: include_archived or None}


def _lines(body: str) -> list[str]:
    """The body's lines, each with its ``\\n``, so that joining them gives the body back."""
    lines = body.split("\n")
    tail = lines.pop()
    return [line + "\n" for line in lines] + ([tail] if tail else [])


if TYPE_CHECKING:

    def _conforms(client: httpx.AsyncClient) -> WheelFacade:
        """mypy checks every signature of the Protocol against the class here."""
        return RemoteWheelService(client)


__all__ = ["RemoteWheelService"]
