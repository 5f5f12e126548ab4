"""Schwab's answers read into the core's market types: pure functions of decoded JSON.

Used by the provider in ``schwab.py``, which sends the requests. A part of an answer
that cannot be read raises :class:`UnusableError` inside; :func:`parsed` turns it
into a logged ``InvalidMarketDataError`` naming the request and the reason. A chain or
a history keeps its good rows and drops (and logs) a row it cannot read.

Fields relied on (Schwab Trader API, market data v1):

* quotes — ``{SYMBOL: {"quote": {lastPrice, mark, bidPrice, askPrice,
  quoteTime | tradeTime}}}``; an unknown symbol comes back as
  ``{"errors": {"invalidSymbols": [...]}}``.
* chains — ``status``, ``underlyingPrice``, ``callExpDateMap`` /
  ``putExpDateMap`` keyed ``"2026-01-16:10"`` (expiration:days) then by
  strike, each a list of contracts with ``strikePrice``, ``bid``, ``ask``,
  ``volatility``, ``delta``, ``totalVolume``, ``openInterest``.
* pricehistory — ``candles`` of ``{open, high, low, close, volume, datetime}``,
  ``datetime`` in epoch milliseconds (midnight Central for daily candles).
* instruments, ``projection=fundamental`` — ``instruments[].fundamental`` with
  ``dividendDate`` (the last ex-dividend date) and ``nextDividendDate`` (the
  next one), as ``"2025-11-10 00:00:00.0"``. Schwab publishes no earnings
  dates, so ``CorporateEvents.earnings`` is always empty from this provider.
* markets — ``{"equity": {"EQ": {date, isOpen, sessionHours: {regularMarket:
  [{start, end}]}}}}``; a closed day is ``{"equity": {"equity": {isOpen:
  false}}}``. See :func:`session_from_market_hours`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from adapters.market_data.errors import InvalidMarketDataError, SymbolNotFoundError
from wheel_core.domain.enums import OptionType
from wheel_core.market import (
    CorporateEvents,
    MarketSession,
    OptionChain,
    OptionQuote,
    PriceBar,
    Quote,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

NEW_YORK = ZoneInfo("America/New_York")
REGULAR_CLOSE = time(16, 0)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NOT_COMPUTED = -999.0
"""Schwab's placeholder for a volatility or greek it could not compute."""


class UnusableError(Exception):
    """A part of an answer we cannot read; ``reason`` says which and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- mapping: pure functions of a decoded JSON answer; they raise UnusableError ----------


def quote_from(payload: Any, symbol: str) -> Quote:
    """The ``Quote`` for ``symbol`` in a ``/quotes`` answer: ``lastPrice``, or ``mark``
    when nothing traded; ``as_of`` from ``quoteTime`` (``tradeTime`` for an index)."""
    quote = _object(_quote_entry(payload, symbol).get("quote"), "quote")
    last = _optional_decimal(quote, "lastPrice")
    mark = _optional_decimal(quote, "mark")
    price = next((p for p in (last, mark) if p is not None and p > 0), None)
    if price is None:
        raise UnusableError(f"no positive lastPrice or mark (got {last} and {mark})")
    bid = _optional_decimal(quote, "bidPrice")
    ask = _optional_decimal(quote, "askPrice")
    if bid == 0 and ask == 0:  # an empty book is no market, not a free one
        bid = ask = None
    stamp = quote.get("quoteTime") or quote.get("tradeTime")
    if stamp is None:
        raise UnusableError("neither quoteTime nor tradeTime")
    return Quote(symbol=symbol, price=price, as_of=_millis(stamp, "quoteTime"), bid=bid, ask=ask)


def chain_from(
    payload: Any,
    symbol: str,
    as_of: datetime,
    *,
    from_date: date | None = None,
    to_date: date | None = None,
) -> OptionChain:
    """The ``OptionChain`` of a ``/chains`` answer, expirations kept within
    [``from_date``, ``to_date``] (Schwab's own filter is not documented as inclusive)."""
    body = _object(payload, "option chain")
    if body.get("status") == "FAILED":
        raise SymbolNotFoundError(f"Schwab has no option chain for {symbol}")
    underlying = _required_decimal(body, "underlyingPrice")
    options: list[OptionQuote] = []
    broken = 0
    for option_type, expiry_key, contract in _contracts(body):
        try:
            option = _option(option_type, expiry_key, contract)
        except UnusableError as problem:
            broken += 1
            log.warning("dropped Schwab %s contract %s: %s", symbol, expiry_key, problem.reason)
            continue
        if _within(option.expiration, from_date, to_date):
            options.append(option)
    if broken and not options:
        raise UnusableError(f"none of the {broken} contracts could be read")
    return OptionChain(
        symbol=symbol, underlying_price=underlying, as_of=as_of, options=tuple(options)
    )


def history_from(payload: Any, symbol: str, start: date, end: date) -> list[PriceBar]:
    """Daily bars of a ``/pricehistory`` answer within [``start``, ``end``], oldest first,
    one per New York date. ``{"candles": [], "empty": true}`` is an empty history."""
    body = _object(payload, "price history")
    candles = body.get("candles")
    if candles is None and body.get("empty") is True:
        return []
    if not isinstance(candles, list):
        raise UnusableError("candles is missing or not a list")
    by_day: dict[date, PriceBar] = {}
    broken = 0
    for candle in candles:
        try:
            bar = _bar(candle)
        except UnusableError as problem:
            broken += 1
            log.warning("dropped a Schwab %s candle: %s", symbol, problem.reason)
            continue
        if start <= bar.day <= end:
            by_day[bar.day] = bar
    if broken and not by_day:
        raise UnusableError(f"none of the {broken} candles could be read")
    return [by_day[day] for day in sorted(by_day)]


def events_from(payload: Any, symbol: str) -> CorporateEvents:
    """Ex-dividend dates from an ``/instruments?projection=fundamental`` answer.

    ``dividendDate`` is the last ex-dividend date and ``nextDividendDate`` the next
    one; both are kept (a past date does no harm). Schwab gives no earnings dates.
    An unreadable date is logged and skipped: these dates inform alerts and price
    nothing, so a bad one must not cost the rest.
    """
    body = _object(payload, "fundamentals")
    instruments = body.get("instruments", [])
    if not isinstance(instruments, list):
        raise UnusableError("instruments is not a list")
    found = _instrument_for(instruments, symbol).get("fundamental")
    fundamental = {} if found is None else _object(found, "fundamental")
    dates = {_event_day(fundamental, key) for key in ("dividendDate", "nextDividendDate")}
    return CorporateEvents(
        symbol=symbol, ex_dividends=tuple(sorted(d for d in dates if d is not None))
    )


def session_from_market_hours(payload: Any, day: date) -> MarketSession | None:
    """The regular equity session of ``day`` in a ``/markets?markets=equity`` answer,
    in UTC, or ``None`` when Schwab says the market is closed that day.

    ``early_close`` is set when the session ends before 16:00 New York. An answer for
    another date, or an open day without regular hours, is unusable: the calendar
    takes this as the truth for today, so a doubtful answer must not override it.
    """
    return parsed(None, "market hours", lambda: _session_from_market_hours(payload, day))


def _session_from_market_hours(payload: Any, day: date) -> MarketSession | None:
    markets = _object(_object(payload, "market hours").get("equity"), "equity")
    hours = _equity_hours(markets)
    answered_for = hours.get("date")
    if answered_for is not None and answered_for != day.isoformat():
        raise UnusableError(f"hours are for {answered_for}, not {day}")
    if hours.get("isOpen") is False:
        return None
    if hours.get("isOpen") is not True:
        raise UnusableError("isOpen is missing")
    periods = _object(hours.get("sessionHours"), "sessionHours").get("regularMarket")
    if not isinstance(periods, list) or not periods:
        raise UnusableError("an open day without regularMarket hours")
    opens = [_aware(_object(p, "regularMarket").get("start"), "start") for p in periods]
    closes = [_aware(_object(p, "regularMarket").get("end"), "end") for p in periods]
    open_, close = min(opens), max(closes)
    if not open_ < close:
        raise UnusableError(f"the session opens at {open_} and closes at {close}")
    return MarketSession(
        day=day,
        open=open_.astimezone(UTC),
        close=close.astimezone(UTC),
        early_close=close.astimezone(NEW_YORK).time() < REGULAR_CLOSE,
    )


# -- pieces ---------------------------------------------------------------------------


def parsed(subject: str | None, what: str, parse: Callable[[], T]) -> T:
    """Run a mapping function; an unreadable answer becomes a logged
    ``InvalidMarketDataError`` that names the request and the reason."""
    try:
        return parse()
    except UnusableError as problem:
        raise invalid(subject, what, problem.reason) from None


def invalid(subject: str | None, what: str, reason: str) -> InvalidMarketDataError:
    about = f" for {subject}" if subject else ""
    log.warning("unusable Schwab %s answer%s: %s", what, about, reason)
    return InvalidMarketDataError(f"Schwab's {what} answer{about} is unusable: {reason}")


def _quote_entry(payload: Any, symbol: str) -> dict[str, Any]:
    body = _object(payload, "quotes")
    for key in (symbol, symbol.upper()):
        if key in body:
            return _object(body[key], key)
    errors = body.get("errors")
    invalid = errors.get("invalidSymbols") if isinstance(errors, dict) else None
    if not body or (isinstance(invalid, list) and (symbol in invalid or symbol.upper() in invalid)):
        raise SymbolNotFoundError(f"Schwab does not list {symbol}")
    raise UnusableError(f"no entry for {symbol}")


def _contracts(body: dict[str, Any]) -> Iterator[tuple[OptionType, str, Any]]:
    """Every contract of both maps with its type and expiration key. A map that is
    not shaped as documented spoils the whole chain; a bad contract only itself."""
    for option_type, key in (
        (OptionType.CALL, "callExpDateMap"),
        (OptionType.PUT, "putExpDateMap"),
    ):
        found = body.get(key)
        expirations = {} if found is None else _object(found, key)
        for expiry_key, strikes in expirations.items():
            for strike_key, contracts in _object(strikes, expiry_key).items():
                if not isinstance(contracts, list):
                    raise UnusableError(f"{key} {expiry_key} {strike_key} is not a list")
                for contract in contracts:
                    yield option_type, expiry_key, contract


def _option(option_type: OptionType, expiry_key: str, contract: Any) -> OptionQuote:
    fields = _object(contract, "contract")
    return OptionQuote(
        option_type=option_type,
        strike=_required_decimal(fields, "strikePrice"),
        expiration=_expiration(expiry_key),
        bid=_required_decimal(fields, "bid"),
        ask=_required_decimal(fields, "ask"),
        implied_volatility=_volatility(fields.get("volatility")),
        delta=_delta(fields.get("delta")),
        volume=_count(fields.get("totalVolume"), "totalVolume"),
        open_interest=_count(fields.get("openInterest"), "openInterest"),
    )


def _expiration(key: str) -> date:
    """``"2026-01-16:10"`` (expiration date : days to it) → 2026-01-16."""
    try:
        return date.fromisoformat(key.split(":", 1)[0])
    except ValueError:
        raise UnusableError(f"expiration key {key[:40]!r}") from None


def _volatility(value: Any) -> float | None:
    """Schwab's percent (``25.3``) as a fraction (``0.253``), via Decimal so the
    division adds no binary noise; ``None`` when not computed."""
    number = _greek(value)
    if number is None or number <= 0:
        return None
    return float(Decimal(str(number)) / 100)


def _delta(value: Any) -> float | None:
    number = _greek(value)
    return number if number is not None and -1 <= number <= 1 else None


def _greek(value: Any) -> float | None:
    """A model output, optional by nature: anything but a finite number above the
    ``-999`` placeholder (missing, ``NaN``, a string) is "not computed"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value <= NOT_COMPUTED:
        return None
    return float(value)


def _bar(candle: Any) -> PriceBar:
    fields = _object(candle, "candle")
    stamp = fields.get("datetime")
    if stamp is None:
        raise UnusableError("a candle without datetime")
    volume = fields.get("volume")
    return PriceBar(
        day=_millis(stamp, "datetime").astimezone(NEW_YORK).date(),
        close=_required_decimal(fields, "close"),
        open=_optional_decimal(fields, "open"),
        high=_optional_decimal(fields, "high"),
        low=_optional_decimal(fields, "low"),
        volume=None if volume is None else _count(volume, "volume"),
    )


def _instrument_for(instruments: list[Any], symbol: str) -> dict[str, Any]:
    for item in instruments:
        instrument = _object(item, "instrument")
        if str(instrument.get("symbol", "")).upper() == symbol.upper():
            return instrument
    raise SymbolNotFoundError(f"Schwab has no fundamentals for {symbol}")


def _event_day(fields: dict[str, Any], key: str) -> date | None:
    """``"2025-11-10 00:00:00.0"`` (or an ISO date-time) → 2025-11-10."""
    value = fields.get(key)
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        log.warning("ignored Schwab %s %r: not a date", key, str(value)[:40])
        return None


def _equity_hours(markets: dict[str, Any]) -> dict[str, Any]:
    """The equity product's entry: keyed ``EQ`` on trading days and ``equity`` on
    closed ones, so take ``EQ`` when present and otherwise the only entry."""
    if "EQ" in markets:
        return _object(markets["EQ"], "EQ")
    if len(markets) != 1:
        raise UnusableError(f"{len(markets)} equity products and none is EQ")
    (only,) = markets.values()
    return _object(only, "equity")


def _aware(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise UnusableError(f"{where} is not a time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UnusableError(f"{where} {value[:40]!r} is not a time") from None
    if moment.utcoffset() is None:
        raise UnusableError(f"{where} {value[:40]!r} has no UTC offset")
    return moment


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UnusableError(f"{where} is missing or not an object")
    return value


def _number(value: Any, where: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UnusableError(f"{where} is not a number ({type(value).__name__})")
    if not math.isfinite(value):
        raise UnusableError(f"{where} is {value}")
    return value


def _required_decimal(fields: dict[str, Any], key: str) -> Decimal:
    if fields.get(key) is None:
        raise UnusableError(f"{key} is missing")
    return Decimal(str(_number(fields[key], key)))


def _optional_decimal(fields: dict[str, Any], key: str) -> Decimal | None:
    value = fields.get(key)
    return None if value is None else Decimal(str(_number(value, key)))


def _count(value: Any, where: str) -> int:
    """Volume and open interest: a missing count is zero, a fractional one is garbage."""
    if value is None:
        return 0
    number = _number(value, where)
    if number != int(number):
        raise UnusableError(f"{where} {number} is not a whole number")
    return int(number)


def _millis(value: Any, where: str) -> datetime:
    """Epoch milliseconds → aware UTC, by integer arithmetic (no float rounding)."""
    try:
        return EPOCH + timedelta(milliseconds=int(_number(value, where)))
    except OverflowError:
        raise UnusableError(f"{where} {value} is out of range") from None


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)
