"""The Schwab provider number by number, status by status, on hand-built answers.

A real ``schwab.client.AsyncClient`` builds the requests; ``FakeSchwab`` (an
``httpx.MockTransport`` handler) answers them from a script. No network, no
clock but the fake one, no sleeping.

(Named apart from ``tests/contract/test_schwab_market_data.py``: the test
directories are not packages, so two modules may not share a basename.)
"""

import json
import logging
import random
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from authlib.integrations.base_client import OAuthError
from schwab.client import AsyncClient

from adapters.market_data.errors import (
    AuthenticationError,
    InvalidMarketDataError,
    ProviderUnavailableError,
    RateLimitedError,
    SymbolNotFoundError,
)
from adapters.market_data.resilient import ResilientMarketData
from adapters.market_data.schwab import SchwabMarketData
from adapters.market_data.schwab_payloads import session_from_market_hours
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import MarketDataError
from wheel_core.market import OptionQuote
from wheel_core.testing.fakes import FakeClock

FIXTURES = Path(__file__).parents[1] / "fixtures" / "schwab"
NOW = datetime(2026, 1, 5, 21, 0, tzinfo=UTC)
SECRET = "SECRET-ACCESS-TOKEN-abc123"

QUOTES = "/marketdata/v1/quotes"
CHAINS = "/marketdata/v1/chains"
HISTORY = "/marketdata/v1/pricehistory"
INSTRUMENTS = "/marketdata/v1/instruments"
MARKETS = "/marketdata/v1/markets"

Reply = httpx.Response | BaseException


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def ok(body: Any) -> httpx.Response:
    """A 200 whose body is ``json.dumps`` of ``body``: NaN floats stay bare ``NaN``."""
    return httpx.Response(200, content=json.dumps(body).encode())


class FakeSchwab:
    """Answers by path from a script (the last reply repeats); records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.default: Reply | None = None
        self.requests: list[httpx.Request] = []

    def on(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def params(self, index: int = -1) -> httpx.QueryParams:
        return self.requests[index].url.params

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        replies = self.routes.get(request.url.path)
        if replies:
            reply = replies.pop(0) if len(replies) > 1 else replies[0]
        else:
            assert self.default is not None, f"nothing scripted for {request.url.path}"
            reply = self.default
        if isinstance(reply, BaseException):
            raise reply
        return reply


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def schwab() -> FakeSchwab:
    fake = FakeSchwab()
    fake.on(QUOTES, ok(fixture("quotes_AAPL.json")))
    fake.on(CHAINS, ok(fixture("chain_AAPL.json")))
    fake.on(HISTORY, ok(fixture("pricehistory_AAPL.json")))
    fake.on(INSTRUMENTS, ok(fixture("instruments_AAPL.json")))
    fake.on(MARKETS, ok(fixture("markets_open.json")))
    return fake


@pytest.fixture
async def provider(schwab: FakeSchwab, clock: FakeClock) -> AsyncIterator[SchwabMarketData]:
    """The session carries a bearer token, as schwab-py's OAuth session would."""
    session = httpx.AsyncClient(
        transport=httpx.MockTransport(schwab), headers={"Authorization": f"Bearer {SECRET}"}
    )
    async with session:
        yield SchwabMarketData(AsyncClient("app-key", session), clock)


def contract(**changes: Any) -> dict[str, Any]:
    """One call of the chain fixture, changed."""
    base = fixture("chain_AAPL.json")["callExpDateMap"]["2026-01-16:11"]["240.0"][0]
    return {**base, **changes}


def one_contract_chain(*contracts: dict[str, Any]) -> dict[str, Any]:
    chain = fixture("chain_AAPL.json")
    chain["callExpDateMap"] = {"2026-01-16:11": {"240.0": list(contracts)}}
    chain["putExpDateMap"] = {}
    return chain


# -- quotes ---------------------------------------------------------------------------


async def test_quote_maps_exact_decimals_and_the_quote_time(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    quote = await provider.get_quote("AAPL")
    assert (str(quote.price), str(quote.bid), str(quote.ask)) == ("243.85", "243.84", "243.86")
    assert quote.as_of == datetime(2026, 1, 5, 20, 59, 59, 123000, tzinfo=UTC)
    assert quote.symbol == "AAPL" and not quote.simulated and not quote.stale
    assert schwab.params() == httpx.QueryParams({"symbols": "AAPL", "fields": "quote"})


async def test_quote_prices_from_mark_when_nothing_traded(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    body = fixture("quotes_AAPL.json")
    body["AAPL"]["quote"].update(lastPrice=0.0, mark=243.1, quoteTime=None, tradeTime=1767646799000)
    schwab.on(QUOTES, ok(body))
    quote = await provider.get_quote("AAPL")
    assert quote.price == Decimal("243.1")
    assert quote.as_of == datetime(2026, 1, 5, 20, 59, 59, tzinfo=UTC)


async def test_an_empty_book_gives_no_bid_and_ask(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    body = fixture("quotes_AAPL.json")
    body["AAPL"]["quote"].update(bidPrice=0.0, askPrice=0.0)
    schwab.on(QUOTES, ok(body))
    quote = await provider.get_quote("AAPL")
    assert (quote.bid, quote.ask) == (None, None)


@pytest.mark.parametrize(
    "body", [{"errors": {"invalidSymbols": ["ZZZZQ"]}}, {}], ids=["invalidSymbols", "empty"]
)
async def test_an_unknown_symbol_is_not_found(
    provider: SchwabMarketData, schwab: FakeSchwab, body: Any
) -> None:
    schwab.on(QUOTES, ok(body))
    with pytest.raises(SymbolNotFoundError, match="ZZZZQ"):
        await provider.get_quote("ZZZZQ")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"lastPrice": float("nan")}, "lastPrice is nan"),
        ({"lastPrice": "243.85"}, "lastPrice is not a number"),
        ({"lastPrice": None, "mark": None}, "no positive lastPrice or mark"),
        ({"quoteTime": None, "tradeTime": None}, "neither quoteTime nor tradeTime"),
        ({"bidPrice": float("inf")}, "bidPrice is inf"),
    ],
)
async def test_an_unusable_quote_is_invalid_with_a_logged_reason(
    provider: SchwabMarketData,
    schwab: FakeSchwab,
    caplog: pytest.LogCaptureFixture,
    change: dict[str, Any],
    reason: str,
) -> None:
    body = fixture("quotes_AAPL.json")
    body["AAPL"]["quote"].update(change)
    schwab.on(QUOTES, ok(body))
    with pytest.raises(InvalidMarketDataError, match=reason):
        await provider.get_quote("AAPL")
    assert reason in caplog.text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"AAPL": {"quote": ', "the body is not JSON"),
        (b"<html>gateway</html>", "the body is not JSON"),
        (b"[1, 2]", "quotes is missing or not an object"),
        (b'{"AAPL": {"symbol": "AAPL"}}', "quote is missing or not an object"),
        (b'{"MSFT": {"quote": {}}}', "no entry for AAPL"),
    ],
)
async def test_malformed_answers_are_invalid_with_a_logged_reason(
    provider: SchwabMarketData,
    schwab: FakeSchwab,
    caplog: pytest.LogCaptureFixture,
    content: bytes,
    reason: str,
) -> None:
    schwab.on(QUOTES, httpx.Response(200, content=content))
    with pytest.raises(InvalidMarketDataError, match=reason):
        await provider.get_quote("AAPL")
    assert reason in caplog.text


# -- option chains -----------------------------------------------------------------------


def _find(options: tuple[OptionQuote, ...], kind: OptionType, expiry: date, strike: str) -> Any:
    (found,) = [
        o
        for o in options
        if (o.option_type, o.expiration, o.strike) == (kind, expiry, Decimal(strike))
    ]
    return found


async def test_chain_maps_every_field(
    provider: SchwabMarketData, schwab: FakeSchwab, clock: FakeClock
) -> None:
    chain = await provider.get_chain("AAPL")
    assert chain.underlying_price == Decimal("243.85")
    assert chain.as_of == clock.now()
    assert chain.expirations == (date(2026, 1, 9), date(2026, 1, 16))
    assert len(chain.options) == 16
    put = _find(chain.options, OptionType.PUT, date(2026, 1, 9), "245")
    assert (str(put.strike), str(put.bid), str(put.ask)) == ("245.0", "2.5", "2.56")
    assert put.implied_volatility == 0.245  # Schwab's 24.5 percent
    assert (put.delta, put.volume, put.open_interest) == (-0.6, 858, 4294)
    call = _find(chain.options, OptionType.CALL, date(2026, 1, 16), "240")
    assert (str(call.bid), str(call.ask), call.implied_volatility) == ("5.81", "5.87", 0.2485)
    assert (call.delta, call.volume, call.open_interest) == (0.6, 1037, 5101)
    assert "fromDate" not in schwab.params()


async def test_chain_asks_for_the_window_and_keeps_only_it(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    """The fake ignores the dates, as if Schwab's bounds were exclusive or loose."""
    chain = await provider.get_chain("AAPL", from_date=date(2026, 1, 10), to_date=date(2026, 1, 16))
    assert chain.expirations == (date(2026, 1, 16),)
    assert schwab.params()["fromDate"] == "2026-01-10"
    assert schwab.params()["toDate"] == "2026-01-16"


@pytest.mark.parametrize(
    ("volatility", "delta", "expected"),
    [
        (-999.0, -999.0, (None, None)),
        (float("nan"), float("nan"), (None, None)),
        ("NaN", "NaN", (None, None)),
        (0.0, 1.5, (None, None)),
        (None, None, (None, None)),
        (33.333, -0.25, (0.33333, -0.25)),
    ],
)
async def test_greeks_schwab_could_not_compute_become_none(
    provider: SchwabMarketData,
    schwab: FakeSchwab,
    volatility: Any,
    delta: Any,
    expected: tuple[float | None, float | None],
) -> None:
    schwab.on(CHAINS, ok(one_contract_chain(contract(volatility=volatility, delta=delta))))
    (option,) = (await provider.get_chain("AAPL")).options
    assert (option.implied_volatility, option.delta) == expected


async def test_an_unreadable_contract_is_dropped_and_logged(
    provider: SchwabMarketData, schwab: FakeSchwab, caplog: pytest.LogCaptureFixture
) -> None:
    broken = contract(bid=float("nan"), strikePrice=245.0)
    schwab.on(CHAINS, ok(one_contract_chain(contract(), broken, contract(ask=None))))
    (kept,) = (await provider.get_chain("AAPL")).options
    assert kept.strike == Decimal(240)
    assert "bid is nan" in caplog.text and "ask is missing" in caplog.text


async def test_counts_are_whole_numbers_and_missing_ones_are_zero(
    provider: SchwabMarketData, schwab: FakeSchwab, caplog: pytest.LogCaptureFixture
) -> None:
    counted = contract(totalVolume=None, openInterest=7.0)
    schwab.on(CHAINS, ok(one_contract_chain(counted, contract(totalVolume=1.5))))
    (option,) = (await provider.get_chain("AAPL")).options
    assert (option.volume, option.open_interest) == (0, 7)
    assert "totalVolume 1.5 is not a whole number" in caplog.text


async def test_a_chain_of_only_broken_contracts_is_invalid(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    schwab.on(CHAINS, ok(one_contract_chain(contract(bid=float("nan")), contract(ask="x"))))
    with pytest.raises(InvalidMarketDataError, match="none of the 2 contracts"):
        await provider.get_chain("AAPL")


async def test_a_bad_expiration_key_drops_its_contracts(
    provider: SchwabMarketData, schwab: FakeSchwab, caplog: pytest.LogCaptureFixture
) -> None:
    chain = fixture("chain_AAPL.json")
    chain["callExpDateMap"]["Jan-30"] = chain["callExpDateMap"]["2026-01-16:11"]
    schwab.on(CHAINS, ok(chain))
    assert len((await provider.get_chain("AAPL")).options) == 16
    assert "expiration key 'Jan-30'" in caplog.text


@pytest.mark.parametrize(
    ("change", "error", "reason"),
    [
        ({"underlyingPrice": float("nan")}, InvalidMarketDataError, "underlyingPrice is nan"),
        ({"underlyingPrice": None}, InvalidMarketDataError, "underlyingPrice is missing"),
        ({"callExpDateMap": []}, InvalidMarketDataError, "callExpDateMap is missing or not"),
        ({"putExpDateMap": {"2026-01-16:11": []}}, InvalidMarketDataError, "2026-01-16:11 is"),
        ({"putExpDateMap": {"2026-01-16:11": {"1.0": {}}}}, InvalidMarketDataError, "not a list"),
        ({"status": "FAILED"}, SymbolNotFoundError, "no option chain for AAPL"),
    ],
)
async def test_a_chain_spoiled_as_a_whole_is_an_error(
    provider: SchwabMarketData,
    schwab: FakeSchwab,
    change: dict[str, Any],
    error: type[Exception],
    reason: str,
) -> None:
    schwab.on(CHAINS, ok({**fixture("chain_AAPL.json"), **change}))
    with pytest.raises(error, match=reason):
        await provider.get_chain("AAPL")


async def test_an_empty_chain_is_an_empty_chain(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    schwab.on(CHAINS, ok(one_contract_chain()))
    chain = await provider.get_chain("AAPL", from_date=date(2027, 1, 1))
    assert chain.options == () and chain.underlying_price == Decimal("243.85")


# -- price history ------------------------------------------------------------------------


def candle(day: date, close: float, hour_utc: int = 6) -> dict[str, Any]:
    stamp = datetime(day.year, day.month, day.day, hour_utc, tzinfo=UTC)
    return {"open": close, "high": close, "low": close, "close": close, "volume": 10,
            "datetime": int(stamp.timestamp()) * 1000}  # fmt: skip


async def test_history_maps_candles_to_new_york_dates_and_exact_closes(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    bars = await provider.get_price_history("AAPL", date(2025, 10, 1), date(2026, 1, 5))
    assert len(bars) == 66
    first = bars[0]
    assert first.day == date(2025, 10, 1)  # 1759294800000 = 05:00Z, midnight in Chicago
    assert (str(first.open), str(first.high), str(first.low), str(first.close)) == (
        "226.82",
        "228.62",
        "225.61",
        "227.25",
    )
    assert first.volume == 40731911
    assert bars[-1].day == date(2026, 1, 5)
    assert date(2025, 11, 27) not in {b.day for b in bars}


async def test_history_asks_from_new_york_midnight_to_the_next_one(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    await provider.get_price_history("AAPL", date(2025, 11, 6), date(2026, 1, 5))
    params = schwab.params()
    assert params["frequencyType"] == "daily" and params["needExtendedHoursData"] == "false"
    assert int(params["startDate"]) == int(datetime(2025, 11, 6, 5, tzinfo=UTC).timestamp()) * 1000
    assert int(params["endDate"]) == int(datetime(2026, 1, 6, 5, tzinfo=UTC).timestamp()) * 1000


async def test_history_is_sorted_deduplicated_in_range_and_drops_bad_candles(
    provider: SchwabMarketData, schwab: FakeSchwab, caplog: pytest.LogCaptureFixture
) -> None:
    candles = [
        candle(date(2026, 1, 5), 3.0),
        candle(date(2026, 1, 2), 1.0),
        candle(date(2026, 1, 2), 2.0),  # a repeat: the later one wins
        candle(date(2025, 12, 31), 9.0),  # before the range
        candle(date(2026, 1, 6), 9.0),  # after it
        {**candle(date(2026, 1, 5), 3.0), "close": float("nan")},
        {"close": 4.0},
    ]
    schwab.on(HISTORY, ok({"candles": candles, "symbol": "AAPL", "empty": False}))
    bars = await provider.get_price_history("AAPL", date(2026, 1, 1), date(2026, 1, 5))
    assert [(b.day, b.close) for b in bars] == [
        (date(2026, 1, 2), Decimal("2.0")),
        (date(2026, 1, 5), Decimal("3.0")),
    ]
    assert "close is nan" in caplog.text and "without datetime" in caplog.text


async def test_empty_history_is_empty_and_all_broken_history_is_invalid(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    for empty in ({"candles": [], "symbol": "AAPL", "empty": True}, {"empty": True}):
        schwab.on(HISTORY, ok(empty))
        assert await provider.get_price_history("AAPL", date(2026, 1, 3), date(2026, 1, 4)) == []
    schwab.on(HISTORY, ok({"candles": [{"close": 1.0, "datetime": 10**20}]}))
    with pytest.raises(InvalidMarketDataError, match="none of the 1 candles"):
        await provider.get_price_history("AAPL", date(2026, 1, 3), date(2026, 1, 4))
    schwab.on(HISTORY, ok({"candles": [{"close": float("nan"), "datetime": 0}]}))
    with pytest.raises(InvalidMarketDataError, match="none of the 1 candles"):
        await provider.get_price_history("AAPL", date(2026, 1, 3), date(2026, 1, 4))
    schwab.on(HISTORY, ok({"symbol": "AAPL"}))
    with pytest.raises(InvalidMarketDataError, match="candles is missing"):
        await provider.get_price_history("AAPL", date(2026, 1, 3), date(2026, 1, 4))


# -- events --------------------------------------------------------------------------------


async def test_events_are_the_ex_dividend_dates_and_no_earnings(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    events = await provider.get_events("AAPL")
    assert events.ex_dividends == (date(2025, 11, 10), date(2026, 2, 9))
    assert events.earnings == () and events.symbol == "AAPL"
    assert schwab.params() == httpx.QueryParams({"symbol": "AAPL", "projection": "fundamental"})


async def test_events_without_dividends_or_with_odd_dates(
    provider: SchwabMarketData, schwab: FakeSchwab, caplog: pytest.LogCaptureFixture
) -> None:
    body = fixture("instruments_AAPL.json")
    body["instruments"][0]["fundamental"].update(dividendDate="", nextDividendDate="soon")
    schwab.on(INSTRUMENTS, ok(body))
    assert (await provider.get_events("AAPL")).ex_dividends == ()
    assert "ignored Schwab nextDividendDate 'soon'" in caplog.text
    del body["instruments"][0]["fundamental"]
    schwab.on(INSTRUMENTS, ok(body))
    assert (await provider.get_events("AAPL")).ex_dividends == ()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"instruments": {"AAPL": {}}}, "instruments is not a list"),
        ({"instruments": None}, "instruments is not a list"),
        (
            {"instruments": [{"symbol": "AAPL", "fundamental": []}]},
            "fundamental is missing or not an object",
        ),
        ({"instruments": ["AAPL"]}, "instrument is missing or not an object"),
    ],
)
async def test_malformed_fundamentals_are_invalid(
    provider: SchwabMarketData, schwab: FakeSchwab, body: Any, reason: str
) -> None:
    schwab.on(INSTRUMENTS, ok(body))
    with pytest.raises(InvalidMarketDataError, match=reason):
        await provider.get_events("AAPL")


async def test_events_of_an_unknown_symbol(provider: SchwabMarketData, schwab: FakeSchwab) -> None:
    schwab.on(INSTRUMENTS, ok({"instruments": []}))
    with pytest.raises(SymbolNotFoundError):
        await provider.get_events("ZZZZQ")


# -- market hours ------------------------------------------------------------------------


def test_an_open_day_is_the_regular_session_in_utc() -> None:
    session = session_from_market_hours(fixture("markets_open.json"), date(2026, 1, 5))
    assert session is not None
    assert session.open == datetime(2026, 1, 5, 14, 30, tzinfo=UTC)
    assert session.close == datetime(2026, 1, 5, 21, 0, tzinfo=UTC)
    assert not session.early_close


def test_an_early_close_ends_at_one() -> None:
    session = session_from_market_hours(fixture("markets_early_close.json"), date(2026, 11, 27))
    assert session is not None and session.early_close
    assert session.close == datetime(2026, 11, 27, 18, 0, tzinfo=UTC)


def test_a_closed_day_has_no_session() -> None:
    assert session_from_market_hours(fixture("markets_closed.json"), date(2026, 11, 26)) is None


def regular(start: str | None, end: str) -> dict[str, Any]:
    """An open day's answer with one regular session."""
    period = {"start": start, "end": end}
    return {"equity": {"EQ": {"isOpen": True, "sessionHours": {"regularMarket": [period]}}}}


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"option": {}}, "equity is missing"),
        ({"equity": {"EQ": {"date": "2026-01-06", "isOpen": False}}}, "not 2026-01-05"),
        ({"equity": {"EQ": {"isOpen": True, "sessionHours": {}}}}, "without regularMarket"),
        ({"equity": {"EQ": {"sessionHours": {}}}}, "isOpen is missing"),
        ({"equity": {"A": {}, "B": {}}}, "2 equity products"),
        (regular("2026-01-05T09:30:00", "2026-01-05T16:00:00"), "no UTC offset"),
        (regular("2026-01-05T16:00:00-05:00", "2026-01-05T09:30:00-05:00"), "opens at"),
        (regular("09:30", "16:00"), "start '09:30' is not a time"),
        (regular(None, "16:00"), "start is not a time"),
    ],
)
def test_doubtful_market_hours_are_refused(payload: Any, reason: str) -> None:
    with pytest.raises(InvalidMarketDataError, match=reason):
        session_from_market_hours(payload, date(2026, 1, 5))


async def test_today_session_asks_for_the_new_york_date(
    provider: SchwabMarketData, schwab: FakeSchwab, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 11, 27, 3, 0, tzinfo=UTC))  # 22:00 on the 26th in New York
    schwab.on(MARKETS, ok(fixture("markets_closed.json")))
    assert await provider.today_session() is None
    assert schwab.params() == httpx.QueryParams({"markets": "equity", "date": "2026-11-26"})


async def test_unusable_market_hours_are_invalid_market_data(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    schwab.on(MARKETS, ok(fixture("markets_closed.json")))
    with pytest.raises(InvalidMarketDataError, match="hours are for 2026-11-26"):
        await provider.session_on(date(2026, 11, 27))


# -- HTTP statuses and transport failures ------------------------------------------------------

CALLS: dict[str, Callable[[SchwabMarketData], Awaitable[object]]] = {
    "quote": lambda p: p.get_quote("AAPL"),
    "chain": lambda p: p.get_chain("AAPL"),
    "history": lambda p: p.get_price_history("AAPL", date(2026, 1, 2), date(2026, 1, 5)),
    "events": lambda p: p.get_events("AAPL"),
    "hours": lambda p: p.today_session(),
}


@pytest.fixture(params=list(CALLS))
def call(request: pytest.FixtureRequest) -> Callable[[SchwabMarketData], Awaitable[object]]:
    return CALLS[request.param]


def only(schwab: FakeSchwab, reply: Reply) -> None:
    schwab.routes.clear()
    schwab.default = reply


@pytest.mark.parametrize("status", [401, 403])
async def test_refused_credentials_say_how_to_log_in_and_leak_nothing(
    provider: SchwabMarketData,
    schwab: FakeSchwab,
    call: Callable[[SchwabMarketData], Awaitable[object]],
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    body = {"error": "invalid_token", "error_description": f"token {SECRET} expired"}
    only(schwab, httpx.Response(status, json=body))
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthenticationError) as raised:
        await call(provider)
    message = raised.value.message
    assert "wheel-strategy schwab login" in message and f"HTTP {status}" in message
    ours = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("adapters"))
    assert SECRET not in message and SECRET not in ours
    assert raised.value.__cause__ is None and raised.value.__context__ is None


async def test_a_404_is_an_unknown_symbol(provider: SchwabMarketData, schwab: FakeSchwab) -> None:
    only(schwab, httpx.Response(404, json={"errors": [{"title": "Not Found"}]}))
    with pytest.raises(SymbolNotFoundError, match="does not list AAPL"):
        await provider.get_chain("AAPL")
    with pytest.raises(InvalidMarketDataError, match="HTTP 404"):  # no symbol to blame
        await provider.today_session()


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("Mon, 05 Jan 2026 21:00:30 GMT", 30.0),  # 30 s after the fake clock's now
        ("Mon, 05 Jan 2026 20:00:00 GMT", 0.0),
        ("Mon, 05 Jan 2026 21:01:00 -0000", 60.0),  # no zone: taken as UTC
        ("soon", None),
        ("nan", None),
        (None, None),
    ],
)
async def test_a_429_is_rate_limited_with_its_retry_after(
    provider: SchwabMarketData,
    schwab: FakeSchwab,
    call: Callable[[SchwabMarketData], Awaitable[object]],
    header: str | None,
    seconds: float | None,
) -> None:
    headers = {} if header is None else {"Retry-After": header}
    only(schwab, httpx.Response(429, headers=headers, json={"errors": []}))
    with pytest.raises(RateLimitedError, match="HTTP 429") as raised:
        await call(provider)
    assert raised.value.retry_after == seconds


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_a_5xx_is_the_provider_unavailable(
    provider: SchwabMarketData,
    schwab: FakeSchwab,
    call: Callable[[SchwabMarketData], Awaitable[object]],
    status: int,
) -> None:
    only(schwab, httpx.Response(status, text="upstream trouble"))
    with pytest.raises(ProviderUnavailableError, match=f"HTTP {status}") as raised:
        await call(provider)
    assert not isinstance(raised.value, RateLimitedError)


async def test_another_4xx_is_a_refused_request(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    only(schwab, httpx.Response(400, json={"errors": [{"title": "Bad Request"}]}))
    with pytest.raises(InvalidMarketDataError, match=r"refused the request \(HTTP 400\)"):
        await provider.get_quote("AAPL")


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (httpx.ReadTimeout("timed out"), "in time (ReadTimeout)"),
        (httpx.ConnectTimeout("timed out"), "in time (ConnectTimeout)"),
        (httpx.ConnectError("refused"), "could not reach Schwab"),
        (httpx.RemoteProtocolError("dropped"), "could not reach Schwab"),
    ],
)
async def test_transport_failures_are_the_provider_unavailable(
    provider: SchwabMarketData,
    schwab: FakeSchwab,
    call: Callable[[SchwabMarketData], Awaitable[object]],
    failure: Exception,
    words: str,
) -> None:
    only(schwab, failure)
    with pytest.raises(ProviderUnavailableError, match=re.escape(words)) as raised:
        await call(provider)
    assert raised.value.__suppress_context__, "the httpx error holds the request and its token"


async def test_a_failed_token_refresh_says_how_to_log_in(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    """authlib refreshes inside the session's ``get`` and raises its own errors."""
    only(schwab, OAuthError("invalid_grant", f"refresh token {SECRET} expired"))
    with pytest.raises(AuthenticationError, match="wheel-strategy schwab login") as raised:
        await provider.get_quote("AAPL")
    assert SECRET not in raised.value.message


async def test_a_token_endpoint_outage_is_the_provider_unavailable(
    provider: SchwabMarketData, schwab: FakeSchwab
) -> None:
    token_request = httpx.Request("POST", "https://api.schwabapi.com/v1/oauth/token")
    response = httpx.Response(503, request=token_request)
    only(schwab, httpx.HTTPStatusError("down", request=token_request, response=response))
    with pytest.raises(ProviderUnavailableError, match="HTTP 503"):
        await provider.get_quote("AAPL")


# -- inside ResilientMarketData -------------------------------------------------------------


class Sleeper:
    """Records waits and moves the fake clock instead of sleeping."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))


def resilient(
    provider: SchwabMarketData, clock: FakeClock, sleeper: Sleeper
) -> ResilientMarketData:
    return ResilientMarketData(provider, clock, sleep=sleeper, rng=random.Random(7))


async def test_the_wrapper_recovers_from_a_503(
    provider: SchwabMarketData, schwab: FakeSchwab, clock: FakeClock
) -> None:
    sleeper = Sleeper(clock)
    market = resilient(provider, clock, sleeper)
    schwab.on(QUOTES, httpx.Response(503), ok(fixture("quotes_AAPL.json")))
    quote = await market.get_quote("AAPL")
    assert quote.price == Decimal("243.85") and not quote.stale
    assert market.upstream_calls == 2 and len(sleeper.waits) == 1
    assert market.health().status == "ok"


async def test_the_wrapper_waits_out_a_429s_retry_after(
    provider: SchwabMarketData, schwab: FakeSchwab, clock: FakeClock
) -> None:
    sleeper = Sleeper(clock)
    market = resilient(provider, clock, sleeper)
    schwab.on(
        CHAINS,
        httpx.Response(429, headers={"Retry-After": "12"}),
        ok(fixture("chain_AAPL.json")),
    )
    chain = await market.get_chain("AAPL")
    assert len(chain.options) == 16
    assert sleeper.waits[0] >= 12


async def test_the_wrapper_does_not_retry_a_refused_login(
    provider: SchwabMarketData, schwab: FakeSchwab, clock: FakeClock
) -> None:
    market = resilient(provider, clock, Sleeper(clock))
    schwab.on(QUOTES, httpx.Response(401))
    with pytest.raises(AuthenticationError):
        await market.get_quote("AAPL")
    assert market.upstream_calls == 1


async def test_the_wrapper_serves_the_last_quote_stale_when_schwab_sends_garbage(
    provider: SchwabMarketData, schwab: FakeSchwab, clock: FakeClock
) -> None:
    market = resilient(provider, clock, Sleeper(clock))
    await market.get_quote("AAPL")
    clock.advance(timedelta(minutes=6))
    schwab.on(QUOTES, httpx.Response(200, content=b"{oops"))
    quote = await market.get_quote("AAPL")
    assert quote.stale and quote.price == Decimal("243.85")
    assert isinstance(market.health().last_error, str)


async def test_every_failure_is_a_market_data_error(
    provider: SchwabMarketData, schwab: FakeSchwab, call: Callable[..., Awaitable[object]]
) -> None:
    """Whatever Schwab does, callers catch one type."""
    for reply in (httpx.Response(418), httpx.Response(200, content=b"null"), httpx.ReadError("x")):
        only(schwab, reply)
        with pytest.raises(MarketDataError):
            await call(provider)
