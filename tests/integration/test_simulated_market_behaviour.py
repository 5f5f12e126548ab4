"""How the simulated market behaves beyond the port's contract.

Named ``_behaviour`` because ``tests/contract/test_simulated_market.py`` holds
the contract run, and pytest needs distinct basenames in its import mode.
"""

import math
import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from adapters.market_data.errors import SymbolNotFoundError
from adapters.market_data.simulated import SimulatedMarket
from adapters.market_data.simulated_chain import strike_increment
from adapters.market_data.simulated_profiles import ANCHOR_DAY, PROFILES, derived_profile, is_listed
from wheel_core import pricing
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import MarketDataError
from wheel_core.market import OptionChain, OptionQuote
from wheel_core.testing.fakes import FakeClock, FakeMarketCalendar

# Tuesday 2026-01-06, 10:30 in New York.
TUESDAY_MORNING = datetime(2026, 1, 6, 15, 30, tzinfo=UTC)
HOLIDAYS = [date(2026, 1, 1), date(2026, 1, 19), date(2026, 4, 3)]


def market(
    at: datetime = TUESDAY_MORNING, seed: int = 0, **options: object
) -> tuple[SimulatedMarket, FakeClock]:
    clock = FakeClock(at)
    calendar = FakeMarketCalendar(holidays=HOLIDAYS)
    return SimulatedMarket(clock, calendar, seed, **options), clock  # type: ignore[arg-type]


def by_expiry(chain: OptionChain, kind: OptionType) -> dict[date, list[OptionQuote]]:
    found: dict[date, list[OptionQuote]] = defaultdict(list)
    for option in chain.options:
        if option.option_type is kind:
            found[option.expiration].append(option)
    return {day: sorted(options, key=lambda o: o.strike) for day, options in found.items()}


def years_between(at: datetime, expiration: date) -> float:
    close = datetime(expiration.year, expiration.month, expiration.day, 21, 0, tzinfo=UTC)
    return (close - at).total_seconds() / (365 * 24 * 3600)


# -- determinism ---------------------------------------------------------------------------


async def test_the_same_seed_symbol_and_time_give_the_same_market() -> None:
    first, _ = market(seed=7)
    second, _ = market(seed=7)
    await second.get_quote("MSFT")  # asking about other symbols first changes nothing
    await second.get_price_history("AAPL", date(2020, 1, 1), date(2020, 2, 1))
    assert await first.get_quote("AAPL") == await second.get_quote("AAPL")
    assert await first.get_chain("AAPL") == await second.get_chain("AAPL")
    history = (date(2025, 6, 1), date(2026, 1, 6))
    assert await first.get_price_history("AAPL", *history) == await second.get_price_history(
        "AAPL", *history
    )
    assert await first.get_events("AAPL") == await second.get_events("AAPL")


async def test_a_different_seed_gives_a_different_market() -> None:
    zero, _ = market(seed=0)
    one, _ = market(seed=1)
    assert (await zero.get_quote("AAPL")).price != (await one.get_quote("AAPL")).price


async def test_every_symbol_closes_at_its_profile_price_on_the_anchor_day() -> None:
    simulated, _ = market(seed=3)
    for symbol in ("AAPL", "KO", "XYZ"):
        (bar,) = await simulated.get_price_history(symbol, ANCHOR_DAY, ANCHOR_DAY)
        assert bar.close == simulated.profile(symbol).price


def test_derived_profiles_depend_on_the_symbol_alone() -> None:
    profile = derived_profile("XYZ")
    assert profile == derived_profile("XYZ")
    assert profile != derived_profile("XYZW")
    assert Decimal(8) <= profile.price <= Decimal(300)
    assert profile.price == profile.price.quantize(Decimal("0.01"))
    assert 0.2 <= profile.volatility <= 0.7
    assert market(seed=1)[0].profile("XYZ") == market(seed=2)[0].profile("XYZ")


# -- the clock drives it -------------------------------------------------------------------


async def test_prices_move_while_the_session_runs() -> None:
    simulated, clock = market()
    prices = []
    for _ in range(6):
        prices.append((await simulated.get_quote("AAPL")).price)
        clock.advance(timedelta(minutes=45))
    assert len(set(prices)) > 1


async def test_a_closed_market_shows_the_last_close() -> None:
    simulated, clock = market(datetime(2026, 1, 9, 22, 0, tzinfo=UTC))  # Friday evening
    friday = await simulated.get_quote("AAPL")
    clock.set(datetime(2026, 1, 11, 12, 0, tzinfo=UTC))  # Sunday
    sunday = await simulated.get_quote("AAPL")
    assert sunday == friday
    assert friday.as_of == datetime(2026, 1, 9, 21, 0, tzinfo=UTC)  # 16:00 New York
    (bar,) = await simulated.get_price_history("AAPL", date(2026, 1, 9), date(2026, 1, 9))
    assert friday.price == bar.close


async def test_the_price_before_the_open_is_the_previous_close() -> None:
    simulated, _ = market(datetime(2026, 1, 6, 13, 0, tzinfo=UTC))  # 08:00 New York
    quote = await simulated.get_quote("SPY")
    (monday,) = await simulated.get_price_history("SPY", date(2026, 1, 5), date(2026, 1, 5))
    assert quote.price == monday.close


async def test_the_intraday_path_ends_at_the_close() -> None:
    simulated, clock = market(datetime(2026, 1, 6, 20, 59, 59, tzinfo=UTC))
    last_second = await simulated.get_quote("TSLA")
    clock.set(datetime(2026, 1, 7, 1, 0, tzinfo=UTC))
    (bar,) = await simulated.get_price_history("TSLA", date(2026, 1, 6), date(2026, 1, 6))
    assert abs(last_second.price - bar.close) <= bar.close * Decimal("0.002")
    assert bar.low is not None and bar.high is not None
    assert bar.low <= last_second.price <= bar.high


# -- symbols -------------------------------------------------------------------------------


@pytest.mark.parametrize("symbol", ["ZZZZQ", "ABCDQ", "", "TOOLONG", "AB1", "$SPX", "BRK-B"])
async def test_unlisted_symbols_raise_a_market_data_error(symbol: str) -> None:
    simulated, _ = market()
    with pytest.raises(MarketDataError):
        await simulated.get_quote(symbol)
    with pytest.raises(SymbolNotFoundError):
        await simulated.get_chain(symbol)
    with pytest.raises(MarketDataError):
        await simulated.get_price_history(symbol, date(2025, 12, 1), date(2026, 1, 5))
    with pytest.raises(MarketDataError):
        await simulated.get_events(symbol)


async def test_unlisted_can_be_configured_and_lists_accept_classes_and_case() -> None:
    simulated, _ = market(unlisted=["meta"])
    with pytest.raises(SymbolNotFoundError, match="META"):
        await simulated.get_quote("META")
    assert (await simulated.get_quote("brk.b")).symbol == "BRK.B"
    assert is_listed("Q") and is_listed("QQQ") and is_listed("AAPQ")
    assert not is_listed("ZZZZQ")


async def test_the_market_has_bounds_in_time() -> None:
    simulated, _ = market(datetime(1985, 3, 5, 15, 0, tzinfo=UTC))
    with pytest.raises(MarketDataError, match="1990"):
        await simulated.get_quote("AAPL")
    simulated, _ = market(datetime(2010, 3, 5, 15, 0, tzinfo=UTC))
    history = await simulated.get_price_history("AAPL", date(1900, 1, 1), date(1990, 1, 10))
    assert [bar.day for bar in history] == [date(1990, 1, d) for d in (2, 3, 4, 5, 8, 9, 10)]


async def test_a_calendar_closed_for_a_month_is_an_error() -> None:
    closed = [date(2026, 1, 1) + timedelta(days=n) for n in range(40)]
    clock = FakeClock(datetime(2026, 2, 2, 15, 0, tzinfo=UTC))
    simulated = SimulatedMarket(clock, FakeMarketCalendar(holidays=closed))
    with pytest.raises(MarketDataError, match="no trading session"):
        await simulated.get_quote("AAPL")


# -- chains --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "step"),
    [
        (3.0, 0.5),
        (24.99, 0.5),
        (25.0, 1.0),
        (150.0, 2.5),
        (450.0, 5.0),
        (999.0, 10.0),
        (4000, 25.0),
    ],
)
def test_strike_increments_widen_with_the_price(price: float, step: float) -> None:
    assert strike_increment(price) == step


async def test_expiration_lists_follow_the_clock_for_months() -> None:
    simulated, clock = market()
    first = (await simulated.get_chain("F")).expirations[0]
    for _ in range(100):  # more sessions than the per-day list keeps
        clock.advance(timedelta(days=1))
        assert await simulated.get_chain("F", from_date=date(2099, 1, 1)) is not None
    later = await simulated.get_chain("F")
    assert later.expirations[0] > first
    assert later.expirations[0] >= later.as_of.date()


async def test_a_chain_lists_eight_weeklies_and_monthlies_for_a_year() -> None:
    simulated, _ = market()
    chain = await simulated.get_chain("AAPL")
    expirations = chain.expirations
    fridays = [d for d in expirations if d.weekday() == 4]
    assert fridays[:8] == [date(2026, 1, 9) + timedelta(weeks=n) for n in range(8)]
    monthlies = [d for d in expirations if d > date(2026, 3, 1)]
    assert all(15 <= d.day <= 21 for d in monthlies), monthlies  # third Fridays
    assert expirations[-1] <= date(2027, 1, 6)
    assert len(monthlies) >= 10


async def test_a_holiday_friday_expiry_moves_to_thursday() -> None:
    simulated, _ = market(datetime(2026, 3, 23, 15, 0, tzinfo=UTC))  # 2026-04-03 is closed
    expirations = (await simulated.get_chain("SPY")).expirations
    assert date(2026, 4, 2) in expirations
    assert date(2026, 4, 3) not in expirations
    assert date(2026, 4, 10) in expirations


async def test_the_expiration_window_filters_the_chain() -> None:
    simulated, _ = market()
    chain = await simulated.get_chain("KO", from_date=date(2026, 1, 13), to_date=date(2026, 2, 13))
    assert chain.expirations == tuple(date(2026, 1, 16) + timedelta(weeks=n) for n in range(5))
    empty = await simulated.get_chain("KO", from_date=date(2030, 1, 1))
    assert empty.options == () and empty.underlying_price > 0


async def test_an_expiry_that_closed_today_is_no_longer_listed() -> None:
    simulated, _ = market(datetime(2026, 1, 9, 21, 30, tzinfo=UTC))  # Friday after the close
    assert date(2026, 1, 9) not in (await simulated.get_chain("AAPL")).expirations
    simulated, _ = market(datetime(2026, 1, 9, 20, 0, tzinfo=UTC))  # Friday, 15:00 New York
    assert (await simulated.get_chain("AAPL")).expirations[0] == date(2026, 1, 9)


@pytest.mark.parametrize("symbol", ["AAPL", "SPY", "F", "TSLA", "KO", "XYZ"])
async def test_chains_are_sane(symbol: str) -> None:
    simulated, _ = market()
    chain = await simulated.get_chain(symbol)
    spot = chain.underlying_price
    step = Decimal(str(strike_increment(float(spot))))
    for option in chain.options:
        assert Decimal(0) <= option.bid < option.ask
        for price in (option.bid, option.ask):
            assert price == price.quantize(Decimal("0.01"))
            if price > 3:
                assert price % Decimal("0.05") == 0, option
        assert option.strike % step == 0
        assert spot * Decimal("0.65") <= option.strike <= spot * Decimal("1.35")
        assert option.delta is not None
        if option.option_type is OptionType.CALL:
            assert 0 <= option.delta <= 1
        else:
            assert -1 <= option.delta <= 0
    for kind, rising in ((OptionType.PUT, True), (OptionType.CALL, False)):
        for options in by_expiry(chain, kind).values():
            mids = [o.mid for o in options]
            assert mids == sorted(mids, reverse=not rising)


async def test_the_smile_makes_out_of_the_money_puts_richer() -> None:
    simulated, _ = market()
    chain = await simulated.get_chain("AAPL")
    spot = chain.underlying_price
    for options in by_expiry(chain, OptionType.PUT).values():
        atm = min(options, key=lambda o: abs(o.strike - spot))
        otm = options[0]  # the lowest strike
        assert otm.implied_volatility is not None and atm.implied_volatility is not None
        assert otm.implied_volatility > atm.implied_volatility


async def test_activity_is_highest_near_the_money() -> None:
    simulated, _ = market()
    chain = await simulated.get_chain("AAPL")
    spot = chain.underlying_price
    for day, options in by_expiry(chain, OptionType.PUT).items():
        if day > date(2026, 3, 1):
            continue  # far out, 25 % is no longer far in standard deviations
        near = [o.open_interest for o in options if abs(o.strike - spot) <= spot * Decimal("0.03")]
        far = [o.open_interest for o in options if o.strike <= spot * Decimal("0.75")]
        assert sum(near) / len(near) > sum(far) / len(far)


@pytest.mark.parametrize("symbol", ["AAPL", "KO", "SPY"])
async def test_put_call_parity_holds_on_mids(symbol: str) -> None:
    simulated, _ = market()
    chain = await simulated.get_chain(symbol)
    spot = float(chain.underlying_price)
    rate, dividend = simulated.rate, simulated.profile(symbol).dividend_yield
    puts = {(o.expiration, o.strike): o for o in chain.options if o.option_type is OptionType.PUT}
    for call in (o for o in chain.options if o.option_type is OptionType.CALL):
        put = puts[call.expiration, call.strike]
        years = years_between(chain.as_of, call.expiration)
        forward_gap = spot * math.exp(-dividend * years) - float(call.strike) * math.exp(
            -rate * years
        )
        tolerance = float(call.ask - call.bid + put.ask - put.bid) / 2
        assert abs(float(call.mid - put.mid) - forward_gap) <= tolerance


async def test_an_expiry_spanning_earnings_is_priced_richer() -> None:
    simulated, _ = market(datetime(2026, 2, 2, 15, 0, tzinfo=UTC))
    events = await simulated.get_events("AAPL")
    report = next(d for d in events.earnings if d > date(2026, 2, 2))
    chain = await simulated.get_chain("AAPL")
    spot = chain.underlying_price
    atm: dict[date, float] = {}
    for day, options in by_expiry(chain, OptionType.CALL).items():
        volatility = min(options, key=lambda o: abs(o.strike - spot)).implied_volatility
        assert volatility is not None
        atm[day] = volatility
    before = [v for day, v in atm.items() if day < report]
    after = [v for day, v in atm.items() if day >= report]
    assert before and after
    assert max(after) > max(before)


# -- history -------------------------------------------------------------------------------


async def test_history_has_sessions_only_and_nothing_from_the_future() -> None:
    simulated, _ = market()
    bars = await simulated.get_price_history("AAPL", date(2025, 11, 1), date(2026, 3, 1))
    days = [bar.day for bar in bars]
    assert days[-1] == date(2026, 1, 5)  # today's session is still running
    assert all(day.weekday() < 5 for day in days)
    assert date(2026, 1, 1) not in days
    for bar in bars:
        assert bar.open is not None and bar.high is not None and bar.low is not None
        assert bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high
        assert bar.volume is not None and bar.volume > 0


async def test_history_of_an_empty_or_inverted_range_is_empty() -> None:
    simulated, _ = market()
    assert await simulated.get_price_history("AAPL", date(2026, 1, 5), date(2026, 1, 1)) == []
    assert await simulated.get_price_history("AAPL", date(2026, 1, 3), date(2026, 1, 4)) == []


async def test_volatility_from_sixty_days_is_near_the_profile() -> None:
    """Sixty days hold about forty returns, so one estimate may miss by a third (more with an
    earnings jump inside); across the table the typical estimate must sit on the profile."""
    simulated, _ = market()
    today = TUESDAY_MORNING.date()
    ratios = []
    for symbol, profile in PROFILES.items():
        bars = await simulated.get_price_history(symbol, today - timedelta(days=60), today)
        closes = [bar.close for bar in bars]
        estimate = pricing.historical_volatility(closes, window=len(closes) - 1)
        ratios.append(estimate / profile.volatility)
    assert all(0.5 <= ratio <= 2.0 for ratio in ratios), ratios
    assert 0.9 <= statistics.median(ratios) <= 1.1


# -- events --------------------------------------------------------------------------------


async def test_events_are_quarterly_sessions_and_follow_the_profile() -> None:
    simulated, _ = market()
    weekdays = FakeMarketCalendar(holidays=HOLIDAYS)
    aapl = await simulated.get_events("AAPL")
    assert aapl.simulated
    assert 7 <= len(aapl.earnings) <= 9  # two years around today
    gaps = [(b - a).days for a, b in zip(aapl.earnings, aapl.earnings[1:], strict=False)]
    assert all(70 <= gap <= 110 for gap in gaps)
    assert list(aapl.ex_dividends) == sorted(aapl.ex_dividends) and aapl.ex_dividends
    for day in aapl.earnings + aapl.ex_dividends:
        assert weekdays.sessions(day, day), day
    assert (await simulated.get_events("TSLA")).ex_dividends == ()  # pays no dividend
    assert (await simulated.get_events("SPY")).earnings == ()  # a fund reports no earnings


# -- marks and money -----------------------------------------------------------------------


async def test_everything_is_marked_simulated_and_in_cents() -> None:
    simulated, _ = market()
    quote = await simulated.get_quote("KO")
    chain = await simulated.get_chain("KO")
    assert quote.simulated and chain.simulated and not quote.stale and not chain.stale
    assert quote.bid is not None and quote.ask is not None
    assert quote.bid < quote.price < quote.ask
    for amount in (quote.price, quote.bid, quote.ask, chain.underlying_price):
        assert amount.as_tuple().exponent == -2
    assert all(o.strike.as_tuple().exponent == -2 for o in chain.options)
