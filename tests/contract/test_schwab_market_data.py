"""The Schwab provider passes the MarketData contract on recorded-shape answers.

A real ``schwab.client.AsyncClient`` builds every request; its session is an
``httpx.AsyncClient`` on a ``MockTransport`` that plays Schwab: it answers
from ``tests/fixtures/schwab`` and applies the date filters of the query the
way Schwab does, so the provider's request parameters are exercised too.
"""

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from schwab.client import AsyncClient

from adapters.market_data.resilient import ResilientMarketData
from adapters.market_data.schwab import SchwabMarketData
from wheel_core.testing.contracts.market_data import MarketDataContract
from wheel_core.testing.fakes import FakeClock

FIXTURES = Path(__file__).parents[1] / "fixtures" / "schwab"
NOW = datetime(2026, 1, 5, 21, 0, tzinfo=UTC)


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _chain(params: httpx.QueryParams) -> Any:
    if params["symbol"] != "AAPL":
        return fixture("chain_failed.json")
    chain = fixture("chain_AAPL.json")
    start, end = _day(params.get("fromDate")), _day(params.get("toDate"))
    for key in ("callExpDateMap", "putExpDateMap"):
        chain[key] = {
            expiry: strikes
            for expiry, strikes in chain[key].items()
            if (start is None or start <= date.fromisoformat(expiry[:10]))
            and (end is None or date.fromisoformat(expiry[:10]) <= end)
        }
    return chain


def _history(params: httpx.QueryParams) -> Any:
    if params["symbol"] != "AAPL":
        return {"candles": [], "symbol": params["symbol"], "empty": True}
    history = fixture("pricehistory_AAPL.json")
    start, end = int(params["startDate"]), int(params["endDate"])
    history["candles"] = [c for c in history["candles"] if start <= c["datetime"] <= end]
    return history


def _answer(request: httpx.Request) -> Any:
    params = request.url.params
    match request.url.path:
        case "/marketdata/v1/quotes":
            known = params["symbols"] == "AAPL"
            return fixture("quotes_AAPL.json" if known else "quotes_invalid.json")
        case "/marketdata/v1/chains":
            return _chain(params)
        case "/marketdata/v1/pricehistory":
            return _history(params)
        case "/marketdata/v1/instruments":
            known = params["symbol"] == "AAPL"
            return fixture("instruments_AAPL.json") if known else {"instruments": []}
    return None


def schwab_like(request: httpx.Request) -> httpx.Response:
    body = _answer(request)
    if body is None:
        return httpx.Response(404, json={"errors": [{"status": "404", "title": "Not Found"}]})
    return httpx.Response(200, json=body)


class TestSchwabMarketData(MarketDataContract):
    @pytest.fixture
    async def market_data(self) -> AsyncIterator[SchwabMarketData]:
        session = httpx.AsyncClient(transport=httpx.MockTransport(schwab_like))
        async with session:
            yield SchwabMarketData(AsyncClient("app-key", session), FakeClock(NOW))


class TestResilientSchwabMarketData(MarketDataContract):
    """The cache-and-retry wrapper around it keeps the contract."""

    @pytest.fixture
    async def market_data(self) -> AsyncIterator[ResilientMarketData]:
        clock = FakeClock(NOW)
        session = httpx.AsyncClient(transport=httpx.MockTransport(schwab_like))
        async with session:
            yield ResilientMarketData(
                SchwabMarketData(AsyncClient("app-key", session), clock), clock
            )
