"""One wheel or symbol the core cannot evaluate never breaks a batch for everyone
(issue #14): it is reported beside the others' results, and the batch goes on.

The failures here are the unplanned kind: a provider bug raising something that is
no ``DomainError``, and arithmetic on a row stored before the input bounds existed.
"""

import logging
from decimal import Decimal as D

import msgspec
import pytest
from weekly_puts import FRIDAY_16, MONDAY, chain

from wheel_core.app import OpenWheel, RecordTrade, WheelService
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import ValidationError
from wheel_core.market import Quote
from wheel_core.testing.fakes import (
    FakeClock,
    FakeMarketCalendar,
    FakeMarketData,
    InMemoryUnitOfWorkFactory,
)


class BrokenForOneSymbol(FakeMarketData):
    """A provider with a bug for one symbol: it raises what no adapter should."""

    def __init__(self, broken: str) -> None:
        super().__init__()
        self.broken = broken

    async def get_quote(self, symbol: str) -> Quote:
        if symbol == self.broken:
            raise KeyError("lastPrice")  # a field missing from a provider's answer
        return await super().get_quote(symbol)


@pytest.fixture
def market() -> BrokenForOneSymbol:
    market = BrokenForOneSymbol("JNJ")
    for symbol in ("AAPL", "JNJ"):
        market.set_price(symbol, "100", MONDAY)
        market.chains[symbol] = chain(symbol)
    return market


@pytest.fixture
def uow() -> InMemoryUnitOfWorkFactory:
    return InMemoryUnitOfWorkFactory()


@pytest.fixture
def service(uow: InMemoryUnitOfWorkFactory, market: FakeMarketData) -> WheelService:
    return WheelService(uow, FakeClock(MONDAY), market=market, calendar=FakeMarketCalendar())


async def open_put(service: WheelService, symbol: str) -> tuple[int, int]:
    wheel = await service.open_wheel(OpenWheel(symbol=symbol, capital=D(20000)))
    trade = await service.record_trade(
        wheel.id,
        RecordTrade(option_type=OptionType.PUT, strike=D(95), expiration=FRIDAY_16, premium=D(2)),
    )
    return wheel.id, trade.id


async def test_a_provider_bug_for_one_symbol_is_reported_and_the_batches_go_on(
    service: WheelService, caplog: pytest.LogCaptureFixture
) -> None:
    healthy, _ = await open_put(service, "AAPL")
    broken, _ = await open_put(service, "JNJ")

    with caplog.at_level(logging.ERROR, logger="wheel_core.app.failures"):
        positions = await service.positions()
    assert [p.wheel_id for p in positions.positions] == [healthy]
    (failure,) = positions.failures
    assert (failure.wheel_id, failure.symbol) == (broken, "JNJ")
    assert failure.error.startswith("the JNJ wheel (id 2) could not be evaluated (KeyError)")
    assert "lastPrice" not in failure.error  # internals go to the log, not to the user
    assert "KeyError: 'lastPrice'" in caplog.text

    refresh = await service.refresh_prices()
    assert refresh.refreshed == 1
    assert [f.symbol for f in refresh.failures] == ["JNJ"]

    risk = await service.monitor_risk()
    assert risk.checked == 1
    assert [f.wheel_id for f in risk.failures] == [broken]

    run = await service.take_snapshot()
    assert [s.wheel_id for s in run.snapshots] == [healthy]
    assert [f.wheel_id for f in run.failures] == [broken]


async def test_the_scan_and_batch_recommendations_report_a_symbol_that_breaks(
    service: WheelService,
) -> None:
    await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(20000)))
    jnj = await service.open_wheel(OpenWheel(symbol="JNJ", capital=D(20000)))

    scan = await service.scan_opportunities()
    assert [f.symbol for f in scan.failures] == ["JNJ"]

    answers = {r.wheel_id: r for r in await service.recommend_batch()}
    assert "could not be evaluated (KeyError)" in (answers[jnj.id].error or "")
    assert all(r.error is None for wheel_id, r in answers.items() if wheel_id != jnj.id)


async def test_a_stored_strike_the_arithmetic_refuses_is_one_wheel_failing(
    service: WheelService, uow: InMemoryUnitOfWorkFactory, market: FakeMarketData
) -> None:
    healthy, _ = await open_put(service, "AAPL")
    other = await service.open_wheel(OpenWheel(symbol="MSFT", capital=D(20000)))
    market.set_price("MSFT", "100", MONDAY)
    trade = await service.record_trade(
        other.id,
        RecordTrade(option_type=OptionType.PUT, strike=D(95), expiration=FRIDAY_16, premium=D(2)),
    )
    # A database from before the bounds holds a strike of 1E-400.
    async with uow() as writing:
        stored = await writing.trades.get(trade.id)
        assert stored is not None
        await writing.trades.update(msgspec.structs.replace(stored, strike=D("1E-400")))
        await writing.commit()

    positions = await service.positions()
    assert [p.wheel_id for p in positions.positions] == [healthy]
    assert "could not be evaluated (InvalidOperation)" in positions.failures[0].error
    with pytest.raises(ValidationError, match="could not be evaluated"):
        await service.position_status(other.id)
