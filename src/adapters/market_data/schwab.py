"""Schwab market data through schwab-py's async client, for the ``MarketData`` port.

schwab-py's ``AsyncClient`` builds the requests and refreshes the OAuth token,
but hands back raw ``httpx.Response`` objects without looking at them, so this
module does the checking itself:

=====================================  =========================================
what Schwab does                       what we raise
=====================================  =========================================
401 / 403, or the token refresh fails  :class:`AuthenticationError` (says to run
                                       ``wheel-strategy schwab login``)
404, an "invalid symbol" or FAILED     :class:`SymbolNotFoundError`
answer
429                                    :class:`RateLimitedError` with Retry-After
5xx, timeout, dropped connection       :class:`ProviderUnavailableError`
malformed JSON, a missing field, NaN   :class:`InvalidMarketDataError` (logged)
=====================================  =========================================

Retries, caching, rate limiting and the checks of ``validation.py`` are the
job of ``ResilientMarketData``, which wraps this provider; nothing here
retries or remembers. Error messages and logs name the request, the HTTP
status or the field refused: never a response body, a header or the token.

Numbers arrive as JSON floats and become ``Decimal(str(number))`` at once, so
``243.85`` is ``Decimal("243.85")`` and not the float's binary expansion.
Schwab writes implied volatility in percent (``25.3``) and ``-999`` for a
greek it could not compute; we store the fraction (``0.253``) and ``None``.
A chain or a history keeps its good rows and drops (and logs) a row it cannot
read, like ``validation.py`` does: one broken strike must not hide a whole
expiry. An answer whose every row is broken is an error.

The answers are read by the pure functions of ``schwab_payloads.py`` (which lists the
fields relied on); this module sends the requests and judges the HTTP answers.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import httpx
from authlib.common.errors import AuthlibBaseError  # type: ignore[import-untyped]
from schwab.client import AsyncClient  # type: ignore[import-untyped]

from adapters.market_data.errors import (
    AuthenticationError,
    ProviderUnavailableError,
    RateLimitedError,
    SymbolNotFoundError,
)
from adapters.market_data.schwab_payloads import (
    NEW_YORK,
    chain_from,
    events_from,
    history_from,
    invalid,
    parsed,
    quote_from,
    session_from_market_hours,
)
from wheel_core.domain.errors import MarketDataError
from wheel_core.market import CorporateEvents, MarketSession, OptionChain, PriceBar, Quote
from wheel_core.ports import Clock

LOGIN_COMMAND = "wheel-strategy schwab login"


class SchwabClient(Protocol):
    """The part of ``schwab.client.AsyncClient`` this provider calls.

    schwab-py ships no type hints; naming the methods here keeps the rest of the
    module typed and lets tests hand in anything with the same shape.
    """

    def get_quotes(
        self, symbols: Iterable[str], *, fields: Any = None, indicative: bool | None = None
    ) -> Awaitable[httpx.Response]: ...

    def get_option_chain(
        self, symbol: str, *, from_date: date | None = None, to_date: date | None = None
    ) -> Awaitable[httpx.Response]: ...

    def get_price_history_every_day(
        self,
        symbol: str,
        *,
        start_datetime: datetime | None = None,
        end_datetime: datetime | None = None,
        need_extended_hours_data: bool | None = None,
        need_previous_close: bool | None = None,
    ) -> Awaitable[httpx.Response]: ...

    def get_instruments(
        self, symbols: str | Iterable[str], projection: Any
    ) -> Awaitable[httpx.Response]: ...

    def get_market_hours(
        self, markets: Any, *, date: date | None = None
    ) -> Awaitable[httpx.Response]: ...


class SchwabMarketData:
    """See the module docstring. ``client`` is a ``schwab.client.AsyncClient``
    (``schwab_auth.load_client``); ``clock`` stamps chains, which carry no time of
    their own, and judges HTTP-date Retry-After headers."""

    def __init__(self, client: SchwabClient, clock: Clock) -> None:
        self._client = client
        self._clock = clock

    # -- the MarketData port ------------------------------------------------------------

    async def get_quote(self, symbol: str) -> Quote:
        response = await self._send(
            "quote",
            lambda: self._client.get_quotes([symbol], fields=[AsyncClient.Quote.Fields.QUOTE]),
        )
        payload = self._json(response, "quote", symbol)
        return parsed(symbol, "quote", lambda: quote_from(payload, symbol))

    async def get_chain(
        self, symbol: str, *, from_date: date | None = None, to_date: date | None = None
    ) -> OptionChain:
        response = await self._send(
            "option chain",
            lambda: self._client.get_option_chain(symbol, from_date=from_date, to_date=to_date),
        )
        payload = self._json(response, "option chain", symbol)
        now = self._clock.now()
        return parsed(
            symbol,
            "option chain",
            lambda: chain_from(payload, symbol, now, from_date=from_date, to_date=to_date),
        )

    async def get_price_history(self, symbol: str, start: date, end: date) -> list[PriceBar]:
        response = await self._send(
            "price history",
            lambda: self._client.get_price_history_every_day(
                symbol,
                start_datetime=_new_york_midnight(start),
                end_datetime=_new_york_midnight(end + timedelta(days=1)),
                need_extended_hours_data=False,
            ),
        )
        payload = self._json(response, "price history", symbol)
        return parsed(symbol, "price history", lambda: history_from(payload, symbol, start, end))

    async def get_events(self, symbol: str) -> CorporateEvents:
        response = await self._send(
            "fundamentals",
            lambda: self._client.get_instruments(
                symbol, AsyncClient.Instrument.Projection.FUNDAMENTAL
            ),
        )
        payload = self._json(response, "fundamentals", symbol)
        return parsed(symbol, "fundamentals", lambda: events_from(payload, symbol))

    # -- market hours, for the calendar's "Schwab is the truth for today" ---------------

    async def session_on(self, day: date) -> MarketSession | None:
        """Schwab's regular equity session on ``day`` (``None``: closed), to hand to
        ``NyseCalendar.set_today_session(day, …)``. Raises ``MarketDataError`` like the
        port's methods; the caller then keeps the library's answer."""
        response = await self._send(
            "market hours",
            lambda: self._client.get_market_hours(
                [AsyncClient.MarketHours.Market.EQUITY], date=day
            ),
        )
        return session_from_market_hours(self._json(response, "market hours", None), day)

    async def today_session(self) -> MarketSession | None:
        """:meth:`session_on` for today's New York date by the injected clock."""
        return await self.session_on(self._clock.now().astimezone(NEW_YORK).date())

    # -- HTTP ------------------------------------------------------------------------------

    async def _send(
        self, what: str, request: Callable[[], Awaitable[httpx.Response]]
    ) -> httpx.Response:
        """Make one request, turning transport and OAuth failures into our errors.

        ``from None`` everywhere: an httpx error holds the request, and the request
        holds the bearer token in its headers.
        """
        try:
            return await request()
        except httpx.HTTPStatusError as error:  # the OAuth refresh raises these
            raise self._status_error(error.response, what, None) from None
        except httpx.TimeoutException as error:
            raise ProviderUnavailableError(
                f"Schwab did not answer the {what} request in time ({type(error).__name__})"
            ) from None
        except httpx.TransportError as error:
            raise ProviderUnavailableError(
                f"could not reach Schwab for the {what} request ({type(error).__name__})"
            ) from None
        except AuthlibBaseError:
            raise AuthenticationError(
                f"Schwab did not renew our login; run `{LOGIN_COMMAND}`"
            ) from None

    def _json(self, response: httpx.Response, what: str, symbol: str | None) -> Any:
        if not 200 <= response.status_code < 300:
            raise self._status_error(response, what, symbol)
        try:
            return response.json()
        except ValueError:
            raise invalid(symbol, what, "the body is not JSON") from None

    def _status_error(
        self, response: httpx.Response, what: str, symbol: str | None
    ) -> MarketDataError:
        status = response.status_code
        if status in (401, 403):
            return AuthenticationError(
                f"Schwab refused our credentials (HTTP {status}); run `{LOGIN_COMMAND}`"
            )
        if status == 404 and symbol is not None:
            return SymbolNotFoundError(f"Schwab does not list {symbol}")
        retry_after = _retry_after(response.headers.get("Retry-After"), self._clock.now())
        if status == 429:
            return RateLimitedError(
                f"Schwab is rate limiting the {what} requests (HTTP 429)", retry_after=retry_after
            )
        if status >= 500:
            return ProviderUnavailableError(
                f"Schwab could not answer the {what} request (HTTP {status})",
                retry_after=retry_after,
            )
        return invalid(symbol, what, f"Schwab refused the request (HTTP {status})")


# -- requests ------------------------------------------------------------------------


def _new_york_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), NEW_YORK)


def _retry_after(value: str | None, now: datetime) -> float | None:
    """A Retry-After header in seconds: delta-seconds or an HTTP date; ``None`` when
    absent or unreadable (the wrapper then uses its own backoff)."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return _seconds_until(value, now)
    return max(seconds, 0.0) if math.isfinite(seconds) else None


def _seconds_until(http_date: str, now: datetime) -> float | None:
    try:
        when = parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)
