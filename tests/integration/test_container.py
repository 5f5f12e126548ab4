"""The composition root builds the embedded product from settings, and yields to fakes."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.container import apply_settings, build_container, start, stop
from adapters.market_data import AuthenticationError, ResilientMarketData, adopt_live_session
from adapters.market_data.calendar import NyseCalendar
from adapters.market_data.simulated import SimulatedMarket
from adapters.settings import convert
from wheel_core.domain.errors import MarketDataError
from wheel_core.market import MarketSession
from wheel_core.testing.fakes import FakeClock, FakeMarketData

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


async def test_the_defaults_build_sqlite_and_the_simulated_market(tmp_path: Path) -> None:
    container = build_container(convert({"database": {"url": str(tmp_path / "w.db")}}))
    container.clock.override(providers.Object(FakeClock(NOW)))
    await start(container)
    try:
        service = container.service()
        portfolios = await service.list_portfolios()
        assert [p.name for p in portfolios] == ["default"]
        quote = await service.quote("AAPL")
        assert quote.simulated
        market = container.market_data()
        assert isinstance(market, ResilientMarketData)
        assert isinstance(container.market_provider(), SimulatedMarket)
        assert (tmp_path / "w.db").exists()
    finally:
        await stop(container)


async def test_one_line_puts_a_fake_in(tmp_path: Path) -> None:
    container = build_container(convert({"database": {"url": str(tmp_path / "w.db")}}))
    fake = FakeMarketData()
    container.market_data.override(providers.Object(fake))
    assert container.service().context.market is fake


async def test_new_settings_rebuild_the_market_but_keep_the_engine(tmp_path: Path) -> None:
    container = build_container(convert({"database": {"url": str(tmp_path / "w.db")}}))
    container.clock.override(providers.Object(FakeClock(NOW)))
    engine, market = container.engine(), container.market_provider()
    before = await container.service().quote("AAPL")
    apply_settings(
        container,
        convert({"database": {"url": str(tmp_path / "w.db")}, "market_data": {"seed": 9}}),
    )
    after = await container.service().quote("AAPL")
    assert container.engine() is engine
    assert container.market_provider() is not market
    assert after.price != before.price  # another seed, another market
    await stop(container)


def test_schwab_without_keys_says_what_to_set(tmp_path: Path) -> None:
    container = build_container(convert({"market_data": {"provider": "schwab"}}))
    with pytest.raises(AuthenticationError, match=r"schwab.api_key and schwab.app_secret"):
        container.market_provider()


def test_schwab_without_a_login_says_to_log_in(tmp_path: Path) -> None:
    settings = convert(
        {
            "market_data": {"provider": "schwab"},
            "schwab": {"api_key": "k", "app_secret": "s", "token_path": str(tmp_path / "t.json")},
        }
    )
    with pytest.raises(AuthenticationError, match="schwab login"):
        build_container(settings).market_provider()


class LiveHours:
    def __init__(self, answer: MarketSession | Exception | None) -> None:
        self.answer = answer
        self.asked: list[date] = []

    async def session_on(self, day: date) -> MarketSession | None:
        self.asked.append(day)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


async def test_a_live_closure_becomes_the_calendar_truth_for_today() -> None:
    calendar = NyseCalendar()
    clock = FakeClock(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))  # a Tuesday, a normal session
    assert calendar.session(date(2026, 11, 24)) is not None
    source = LiveHours(None)  # e.g. a national day of mourning announced overnight
    assert await adopt_live_session(source, calendar, clock)
    assert source.asked == [date(2026, 11, 24)]
    assert calendar.session(date(2026, 11, 24)) is None
    assert not calendar.is_open(clock.now())


async def test_a_failing_live_source_keeps_the_library_answer() -> None:
    calendar = NyseCalendar()
    clock = FakeClock(datetime(2026, 11, 24, 15, 0, tzinfo=UTC))
    assert not await adopt_live_session(LiveHours(MarketDataError("down")), calendar, clock)
    assert calendar.is_open(clock.now())
