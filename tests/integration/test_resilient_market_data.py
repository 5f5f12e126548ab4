"""Faults around a provider: each gives its documented behaviour, and nothing crashes."""

import asyncio
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from adapters.market_data.errors import (
    AuthenticationError,
    InvalidMarketDataError,
    ProviderUnavailableError,
    RateLimitedError,
    SymbolNotFoundError,
)
from adapters.market_data.resilient import CachePolicy, ResilientMarketData, RetryPolicy
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import MarketDataError, ValidationError
from wheel_core.market import OptionChain, OptionQuote, PriceBar, Quote
from wheel_core.testing.contracts.market_data import MarketDataContract
from wheel_core.testing.fakes import FakeClock, FakeMarketData

NOW = datetime(2026, 1, 6, 15, 0, tzinfo=UTC)


class ScriptedMarket(FakeMarketData):
    """Fails with the scripted errors first, then answers like the fake."""

    def __init__(self) -> None:
        super().__init__()
        self.script: list[BaseException] = []
        self.gate: asyncio.Event | None = None

    async def get_quote(self, symbol: str) -> Quote:
        if self.gate is not None:
            await self.gate.wait()
        if self.script:
            self.calls.append(("quote", symbol))
            raise self.script.pop(0)
        return await super().get_quote(symbol)


class Sleeper:
    """Records waits and moves the fake clock instead of sleeping."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def upstream() -> ScriptedMarket:
    market = ScriptedMarket()
    market.set_price("AAPL", "190.10", NOW)
    market.chains["AAPL"] = OptionChain(
        symbol="AAPL",
        underlying_price=Decimal("190.10"),
        as_of=NOW,
        options=(
            OptionQuote(
                option_type=OptionType.PUT,
                strike=Decimal(180),
                expiration=date(2026, 1, 16),
                bid=Decimal("1.10"),
                ask=Decimal("1.20"),
                implied_volatility=0.3,
            ),
            OptionQuote(
                option_type=OptionType.PUT,
                strike=Decimal(175),
                expiration=date(2026, 1, 16),
                bid=Decimal("0.90"),
                ask=Decimal("0.80"),
            ),  # crossed
            OptionQuote(
                option_type=OptionType.PUT,
                strike=Decimal(170),
                expiration=date(2026, 1, 16),
                bid=Decimal("0.50"),
                ask=Decimal("0.60"),
                implied_volatility=float("nan"),
            ),
        ),
    )
    market.history["AAPL"] = [
        PriceBar(day=date(2025, 12, d), close=Decimal(180 + d)) for d in range(1, 31)
    ]
    return market


@pytest.fixture
def sleeper(clock: FakeClock) -> Sleeper:
    return Sleeper(clock)


@pytest.fixture
def market(upstream: ScriptedMarket, clock: FakeClock, sleeper: Sleeper) -> ResilientMarketData:
    return ResilientMarketData(upstream, clock, sleep=sleeper, rng=random.Random(7))


class TestResilientWrapperContract(MarketDataContract):
    @pytest.fixture
    def market_data(self, market: ResilientMarketData) -> ResilientMarketData:
        return market


async def test_fresh_answers_come_from_the_cache(
    market: ResilientMarketData, upstream: ScriptedMarket, clock: FakeClock
) -> None:
    first = await market.get_quote("AAPL")
    clock.advance(timedelta(minutes=4, seconds=59))
    assert await market.get_quote("AAPL") == first
    assert market.upstream_calls == 1
    clock.advance(timedelta(seconds=1))
    await market.get_quote("AAPL")
    assert market.upstream_calls == 2


async def test_an_answer_ages_from_its_request_so_a_five_minute_job_always_refreshes(
    upstream: ScriptedMarket, clock: FakeClock
) -> None:
    class SlowMarket(ScriptedMarket):
        async def get_quote(self, symbol: str) -> Quote:
            clock.advance(timedelta(seconds=3))  # the provider takes 3 s to answer
            return await super().get_quote(symbol)

    slow = SlowMarket()
    slow.set_price("AAPL", "190.10", NOW)
    market = ResilientMarketData(slow, clock, sleep=Sleeper(clock), rng=random.Random(7))
    await market.get_quote("AAPL")
    clock.set(NOW + timedelta(minutes=5))  # the next price refresh, 5 minutes after the first
    await market.get_quote("AAPL")
    assert market.upstream_calls == 2, "not served the 4 min 57 s old answer"


async def test_concurrent_requests_for_one_key_make_one_upstream_call(
    market: ResilientMarketData, upstream: ScriptedMarket
) -> None:
    upstream.gate = asyncio.Event()
    waiting = [asyncio.ensure_future(market.get_quote("AAPL")) for _ in range(10)]
    await asyncio.sleep(0)  # let all ten reach the gate (no time passes)
    upstream.gate.set()
    quotes = await asyncio.gather(*waiting)
    assert market.upstream_calls == 1
    assert {q.price for q in quotes} == {Decimal("190.10")}


async def test_transient_failures_are_retried_with_growing_jittered_waits(
    market: ResilientMarketData, upstream: ScriptedMarket, sleeper: Sleeper
) -> None:
    upstream.script = [
        ProviderUnavailableError("503"),
        TimeoutError(),
        ProviderUnavailableError("502"),
    ]
    quote = await market.get_quote("AAPL")
    assert quote.price == Decimal("190.10")
    assert market.upstream_calls == 4
    assert len(sleeper.waits) == 3
    for attempt, wait in enumerate(sleeper.waits, start=1):
        assert 0 <= wait <= 0.5 * 2 ** (attempt - 1)


async def test_a_429_waits_at_least_its_retry_after(
    market: ResilientMarketData, upstream: ScriptedMarket, sleeper: Sleeper
) -> None:
    upstream.script = [RateLimitedError("429", retry_after=7.0)]
    await market.get_quote("AAPL")
    assert sleeper.waits[0] >= 7.0


async def test_after_a_failure_the_last_good_value_is_served_stale(
    market: ResilientMarketData, upstream: ScriptedMarket, clock: FakeClock
) -> None:
    good = await market.get_quote("AAPL")
    clock.advance(timedelta(minutes=10))
    upstream.script = [ProviderUnavailableError("down")] * 4
    stale = await market.get_quote("AAPL")
    assert stale.stale is True
    assert stale.price == good.price and stale.as_of == good.as_of  # its age shows
    assert market.health().status == "degraded"


async def test_a_value_too_old_is_an_error_not_a_number(
    upstream: ScriptedMarket, clock: FakeClock, sleeper: Sleeper
) -> None:
    market = ResilientMarketData(
        upstream, clock, sleep=sleeper, cache=CachePolicy(max_stale=timedelta(hours=1))
    )
    await market.get_quote("AAPL")
    clock.advance(timedelta(hours=2))
    upstream.script = [ProviderUnavailableError("down")] * 4
    with pytest.raises(MarketDataError, match="too old to use"):
        await market.get_quote("AAPL")


async def test_repeated_failures_mark_the_provider_down_and_a_success_recovers_it(
    upstream: ScriptedMarket, clock: FakeClock, sleeper: Sleeper
) -> None:
    market = ResilientMarketData(upstream, clock, sleep=sleeper, retry=RetryPolicy(attempts=1))
    upstream.script = [ProviderUnavailableError("down")] * 3
    for _ in range(3):
        with pytest.raises(ProviderUnavailableError):
            await market.get_quote("AAPL")
    health = market.health()
    assert (health.status, health.consecutive_failures, health.last_error) == ("down", 3, "down")
    await market.get_quote("AAPL")
    assert market.health().status == "ok"
    assert market.health().last_success == clock.now()


async def test_errors_of_the_caller_leave_the_providers_health_alone(
    upstream: ScriptedMarket, clock: FakeClock, sleeper: Sleeper
) -> None:
    """An unlisted symbol (a provider's 404) or a request that cannot be valid says
    nothing about the provider: five of them must not mark it down, nor one of them
    hide a real failure in between."""
    market = ResilientMarketData(upstream, clock, sleep=sleeper, retry=RetryPolicy(attempts=1))
    upstream.script = [SymbolNotFoundError("Schwab does not list ZZZZQ")] * 4 + [
        ValidationError("symbol must be letters")
    ]
    for _ in range(5):
        with pytest.raises((SymbolNotFoundError, ValidationError)):
            await market.get_quote("ZZZZQ")
    health = market.health()
    assert (health.status, health.consecutive_failures, health.last_error) == ("ok", 0, None)

    upstream.script = [
        ProviderUnavailableError("down"),
        SymbolNotFoundError("Schwab does not list ZZZZQ"),
        ProviderUnavailableError("down"),
    ]
    for _ in range(3):
        with pytest.raises(MarketDataError):
            await market.get_quote("ZZZZQ")
    assert (market.health().status, market.health().consecutive_failures) == ("degraded", 2)


async def test_errors_the_user_must_fix_are_not_retried(
    market: ResilientMarketData, upstream: ScriptedMarket, sleeper: Sleeper
) -> None:
    upstream.script = [SymbolNotFoundError("ZZZZQ not found")]
    with pytest.raises(SymbolNotFoundError):
        await market.get_quote("AAPL")
    upstream.script = [AuthenticationError("token expired: run wheel-strategy schwab login")]
    with pytest.raises(AuthenticationError, match="schwab login"):
        await market.get_quote("AAPL")
    assert sleeper.waits == []
    assert market.upstream_calls == 2


async def test_an_unusable_quote_is_refused(
    market: ResilientMarketData, upstream: ScriptedMarket
) -> None:
    upstream.quotes["AAPL"] = Quote(symbol="AAPL", price=Decimal("NaN"), as_of=NOW)
    with pytest.raises(InvalidMarketDataError, match="unusable price"):
        await market.get_quote("AAPL")
    upstream.quotes["AAPL"] = Quote(
        symbol="AAPL", price=Decimal(1), as_of=NOW, bid=Decimal(2), ask=Decimal(1)
    )
    with pytest.raises(InvalidMarketDataError, match="crossed"):
        await market.get_quote("AAPL")


async def test_bad_options_are_dropped_from_a_chain_one_by_one(
    market: ResilientMarketData,
) -> None:
    chain = await market.get_chain("AAPL")
    assert [o.strike for o in chain.options] == [Decimal(180)]


async def test_an_empty_chain_passes_through_for_the_recommender_to_refuse(
    market: ResilientMarketData, upstream: ScriptedMarket
) -> None:
    upstream.chains["KO"] = OptionChain(symbol="KO", underlying_price=Decimal(60), as_of=NOW)
    assert (await market.get_chain("KO")).options == ()


async def test_the_rate_limit_spaces_requests_beyond_the_budget(
    upstream: ScriptedMarket, clock: FakeClock, sleeper: Sleeper
) -> None:
    market = ResilientMarketData(
        upstream,
        clock,
        sleep=sleeper,
        retry=RetryPolicy(requests_per_minute=60),
        cache=CachePolicy(quote_ttl=timedelta(0)),
    )
    for _ in range(60):
        await market.get_quote("AAPL")
    assert sleeper.waits == []
    await market.get_quote("AAPL")
    assert sleeper.waits == [pytest.approx(1.0)]


def test_policies_are_plain_settings() -> None:
    assert CachePolicy().chain_ttl == timedelta(minutes=15)
    assert RetryPolicy().requests_per_minute == 100
