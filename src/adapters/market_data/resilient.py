"""The layer around any provider: cache, single flight, retries, a rate limit, stale-on-error.

:class:`ResilientMarketData` implements the core's ``MarketData`` port over
another one. For each request it

1. answers from a TTL cache when the entry is fresh (quotes 5 min, chains
   15 min, history and events 24 h by default);
2. otherwise joins the call already in flight for the same key, or makes it:
   through a token-bucket rate limit (100 requests a minute by default —
   Schwab publishes no limit), retried on :class:`ProviderUnavailableError`
   with exponential backoff and full jitter (a 429's Retry-After is honoured
   as the minimum wait), and validated (``validation.py``);
3. when the upstream still fails — down, refusing our token, or answering
   garbage — serves the last good value marked ``stale`` if it is younger
   than ``max_stale``, and otherwise raises the failure. Only transient
   failures are retried; an unknown symbol is never served from the past.

An unlisted symbol (a provider's 404) is the caller's error, not the provider's: it
neither counts towards the provider being ``down`` nor clears a failure count.

Time comes from the injected ``Clock`` and waiting from the injected
``sleep``, so tests drive every path with a fake clock and no real delay.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any, Literal, TypeVar

import msgspec
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from adapters.market_data.errors import ProviderUnavailableError, SymbolNotFoundError
from adapters.market_data.validation import checked_chain, checked_history, checked_quote
from wheel_core.domain.errors import MarketDataError
from wheel_core.market import CorporateEvents, OptionChain, PriceBar, Quote
from wheel_core.ports import Clock, MarketData

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


class CachePolicy(msgspec.Struct, frozen=True, kw_only=True):
    """How long answers stay fresh, and how old a value may be when served stale."""

    quote_ttl: timedelta = timedelta(minutes=5)
    chain_ttl: timedelta = timedelta(minutes=15)
    history_ttl: timedelta = timedelta(hours=24)
    events_ttl: timedelta = timedelta(hours=24)
    max_stale: timedelta = timedelta(hours=24)
    """Beyond this age a cached value is not served even after a failure: an error is."""


class RetryPolicy(msgspec.Struct, frozen=True, kw_only=True):
    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    requests_per_minute: int = 100


class ProviderHealth(msgspec.Struct, frozen=True, kw_only=True):
    """For the health endpoint: ``degraded`` while serving stale data or after a recent
    failure, ``down`` after ``DOWN_AFTER`` failures in a row."""

    status: Literal["ok", "degraded", "down"]
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int


DOWN_AFTER = 3


class _Entry(msgspec.Struct):
    value: Any
    stored_at: datetime


class TokenBucket:
    """At most ``per_minute`` requests a minute, with bursts up to that many."""

    def __init__(self, per_minute: int, clock: Clock, sleep: Sleep) -> None:
        if per_minute < 1:
            raise ValueError("the rate limit must allow at least one request a minute")
        self._rate = per_minute / 60.0
        self._capacity = float(per_minute)
        self._tokens = float(per_minute)
        self._clock = clock
        self._sleep = sleep
        self._updated = clock.now()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock.now()
        elapsed = max((now - self._updated).total_seconds(), 0.0)
        self._tokens = min(self._capacity, self._tokens + elapsed * self._rate)
        self._updated = now

    async def acquire(self) -> None:
        async with self._lock:
            self._refill()
            while self._tokens < 1:
                await self._sleep((1 - self._tokens) / self._rate)
                self._refill()
            self._tokens -= 1


class ResilientMarketData:
    """See the module docstring."""

    def __init__(
        self,
        upstream: MarketData,
        clock: Clock,
        *,
        cache: CachePolicy | None = None,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._upstream = upstream
        self._clock = clock
        self._cache_policy = cache or CachePolicy()
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._limit = TokenBucket(self._retry.requests_per_minute, clock, sleep)
        self._entries: dict[tuple[object, ...], _Entry] = {}
        self._in_flight: dict[tuple[object, ...], asyncio.Task[Any]] = {}
        self._last_success: datetime | None = None
        self._last_error: str | None = None
        self._last_error_at: datetime | None = None
        self._failures = 0
        self._serving_stale = False
        self.upstream_calls = 0

    # ── the MarketData port ───────────────────────────────────────────────

    async def get_quote(self, symbol: str) -> Quote:
        quote: Quote = await self._get(
            ("quote", symbol),
            lambda: self._upstream.get_quote(symbol),
            self._cache_policy.quote_ttl,
            checked_quote,
        )
        return quote

    async def get_chain(
        self, symbol: str, *, from_date: date | None = None, to_date: date | None = None
    ) -> OptionChain:
        chain: OptionChain = await self._get(
            ("chain", symbol, from_date, to_date),
            lambda: self._upstream.get_chain(symbol, from_date=from_date, to_date=to_date),
            self._cache_policy.chain_ttl,
            checked_chain,
        )
        return chain

    async def get_price_history(self, symbol: str, start: date, end: date) -> list[PriceBar]:
        bars: list[PriceBar] = await self._get(
            ("history", symbol, start, end),
            lambda: self._upstream.get_price_history(symbol, start, end),
            self._cache_policy.history_ttl,
            lambda got: checked_history(symbol, got),
        )
        return list(bars)

    async def get_events(self, symbol: str) -> CorporateEvents:
        events: CorporateEvents = await self._get(
            ("events", symbol),
            lambda: self._upstream.get_events(symbol),
            self._cache_policy.events_ttl,
            lambda got: got,
        )
        return events

    # ── health ────────────────────────────────────────────────────────────

    def health(self) -> ProviderHealth:
        if self._failures >= DOWN_AFTER:
            status: Literal["ok", "degraded", "down"] = "down"
        elif self._failures or self._serving_stale:
            status = "degraded"
        else:
            status = "ok"
        return ProviderHealth(
            status=status,
            last_success=self._last_success,
            last_error=self._last_error,
            last_error_at=self._last_error_at,
            consecutive_failures=self._failures,
        )

    # ── internals ─────────────────────────────────────────────────────────

    async def _get(
        self,
        key: tuple[object, ...],
        fetch: Callable[[], Awaitable[T]],
        ttl: timedelta,
        check: Callable[[T], T],
    ) -> T:
        entry = self._entries.get(key)
        now = self._clock.now()
        if entry is not None and now - entry.stored_at < ttl:
            return entry.value  # type: ignore[no-any-return]
        task = self._in_flight.get(key)
        if task is None:
            task = asyncio.ensure_future(self._refresh(key, fetch, check))
            self._in_flight[key] = task
            task.add_done_callback(lambda _: self._in_flight.pop(key, None))
        return await asyncio.shield(task)

    async def _refresh(
        self,
        key: tuple[object, ...],
        fetch: Callable[[], Awaitable[T]],
        check: Callable[[T], T],
    ) -> T:
        # An answer is as old as its request: a job asking every 5 minutes against a
        # 5-minute TTL must find the previous answer expired, however long the fetch took.
        requested = self._clock.now()
        try:
            value = check(await self._with_retries(fetch))
        except SymbolNotFoundError:
            # The caller's mistake, answered by a working provider: its health is unmoved.
            raise
        except MarketDataError as error:
            self._record_failure(error)
            stale: T = self._stale_or_raise(key, error)
            return stale
        self._entries[key] = _Entry(value=value, stored_at=requested)
        self._failures = 0
        self._serving_stale = False
        self._last_success = self._clock.now()
        return value

    async def _with_retries(self, fetch: Callable[[], Awaitable[T]]) -> T:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._retry.attempts),
            retry=retry_if_exception_type(ProviderUnavailableError),
            wait=self._backoff,
            sleep=self._sleep,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                await self._limit.acquire()
                self.upstream_calls += 1
                try:
                    return await fetch()
                except TimeoutError:
                    raise ProviderUnavailableError("the market data provider timed out") from None
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    def _backoff(self, state: RetryCallState) -> float:
        """Full jitter over an exponential ceiling; never less than a Retry-After."""
        ceiling = min(
            self._retry.max_delay, self._retry.base_delay * 2 ** (state.attempt_number - 1)
        )
        delay = self._rng.uniform(0, ceiling)
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, ProviderUnavailableError) and error.retry_after is not None:
            delay = max(delay, error.retry_after)
        log.info("market data retry %d in %.2fs: %s", state.attempt_number, delay, error)
        return delay

    def _record_failure(self, error: MarketDataError) -> None:
        self._failures += 1
        self._last_error = error.message
        self._last_error_at = self._clock.now()
        log.warning("market data failed: %s", error.message)

    def _stale_or_raise(self, key: tuple[object, ...], error: MarketDataError) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            raise error
        age = self._clock.now() - entry.stored_at
        if age > self._cache_policy.max_stale:
            raise MarketDataError(
                f"{error.message}; the last good value is {_hours(age)} old, too old to use"
            ) from error
        self._serving_stale = True
        value = entry.value
        if isinstance(value, Quote | OptionChain):
            return msgspec.structs.replace(value, stale=True)
        return value


def _hours(age: timedelta) -> str:
    return f"{age.total_seconds() / 3600:.1f} h"
