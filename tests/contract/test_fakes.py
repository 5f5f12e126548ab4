"""The in-memory fakes pass the same contract suites every real adapter must pass."""

from datetime import date
from decimal import Decimal

import pytest

from wheel_core.domain.entities import Alert
from wheel_core.domain.enums import OptionType
from wheel_core.market import CorporateEvents, OptionChain, OptionQuote, PriceBar, Quote
from wheel_core.testing.contracts.calendar import MarketCalendarContract
from wheel_core.testing.contracts.clock import ClockContract
from wheel_core.testing.contracts.market_data import MarketDataContract
from wheel_core.testing.contracts.notifier import NotifierContract
from wheel_core.testing.contracts.records import T0
from wheel_core.testing.contracts.unit_of_work import UnitOfWorkContract
from wheel_core.testing.fakes import (
    FakeClock,
    FakeMarketCalendar,
    FakeMarketData,
    InMemoryUnitOfWorkFactory,
    RecordingNotifier,
)


class TestInMemoryUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    def uow_factory(self) -> InMemoryUnitOfWorkFactory:
        return InMemoryUnitOfWorkFactory()


class TestFakeMarketData(MarketDataContract):
    @pytest.fixture
    def market_data(self) -> FakeMarketData:
        market = FakeMarketData()
        market.quotes["AAPL"] = Quote(symbol="AAPL", price=Decimal("190.12"), as_of=T0)
        market.chains["AAPL"] = OptionChain(
            symbol="AAPL",
            underlying_price=Decimal("190.12"),
            as_of=T0,
            options=tuple(
                OptionQuote(
                    option_type=t,
                    strike=Decimal(k),
                    expiration=e,
                    bid=Decimal("1.10"),
                    ask=Decimal("1.20"),
                    implied_volatility=0.25,
                    open_interest=900,
                )
                for e in (date(2026, 1, 9), date(2026, 1, 16))
                for k in (180, 185, 195, 200)
                for t in OptionType
            ),
        )
        market.history["AAPL"] = [
            PriceBar(day=date(2025, 12, d), close=Decimal(180 + d)) for d in range(1, 31)
        ]
        market.events["AAPL"] = CorporateEvents(symbol="AAPL", earnings=(date(2026, 1, 29),))
        return market


class TestFakeMarketCalendar(MarketCalendarContract):
    @pytest.fixture
    def calendar(self) -> FakeMarketCalendar:
        return FakeMarketCalendar(
            holidays=[date(2026, 1, 1), date(2026, 1, 19)], early_closes=[date(2026, 11, 27)]
        )

    @pytest.fixture
    def known_holidays(self) -> list[date]:
        return [date(2026, 1, 1), date(2026, 1, 19)]

    @pytest.fixture
    def known_early_closes(self) -> list[date]:
        return [date(2026, 11, 27)]


class TestFakeClock(ClockContract):
    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock()


class TestRecordingNotifier(NotifierContract):
    @pytest.fixture
    def notifier(self) -> RecordingNotifier:
        return RecordingNotifier()

    @pytest.fixture
    def delivered(self, notifier: RecordingNotifier):  # type: ignore[no-untyped-def]
        return lambda: notifier.sent


def test_fake_market_data_outage_raises_the_configured_error() -> None:
    import asyncio

    from wheel_core.domain.errors import MarketDataError

    market = FakeMarketData()
    market.fail_with = MarketDataError("provider down")
    with pytest.raises(MarketDataError, match="provider down"):
        asyncio.run(market.get_quote("AAPL"))
    assert market.calls == [("quote", "AAPL")]


def test_alert_struct_is_shared_by_fakes() -> None:
    alert = Alert(kind="k", key="k:1", message="m", level="low", created_at=T0)  # type: ignore[arg-type]
    assert alert.acknowledged_at is None
