"""Replayed histories are kept between calls and rebuilt only for wheels whose revision
changed — whoever changed them: this service, a second unit of work, another service."""

from datetime import date
from decimal import Decimal as D
from typing import Any, Self

import pytest

from wheel_core.app import CloseTrade, OpenWheel, RecordTrade, UpdateWheel
from wheel_core.app.histories import WheelHistories
from wheel_core.app.service import WheelService
from wheel_core.domain.entities import ShareMove, Trade
from wheel_core.domain.enums import OptionType, ShareMoveKind, WheelState
from wheel_core.ports import TradeQuery
from wheel_core.testing.fakes import FakeClock, InMemoryUnitOfWork, InMemoryUnitOfWorkFactory

JAN16 = date(2026, 1, 16)
SYMBOLS = ["AAPL", "KO", "MSFT", "PEP", "XOM", "JNJ"]


def put(strike: str = "100") -> RecordTrade:
    return RecordTrade(
        option_type=OptionType.PUT,
        strike=D(strike),
        expiration=JAN16,
        premium=D("2.00"),
        contracts=1,
    )


class CountingUnitOfWork(InMemoryUnitOfWork):
    """Counts the history reads (trades listed, wheels fetched) into ``reads``."""

    def __init__(self, factory: "CountingFactory") -> None:
        super().__init__(factory.store)
        self._factory = factory

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        for repository, method in (("trades", "list"), ("wheels", "get")):
            target = getattr(self, repository)
            original = getattr(target, method)

            async def counted(*args: Any, _original: Any = original, **kw: Any) -> Any:
                self._factory.reads += 1
                return await _original(*args, **kw)

            setattr(target, method, counted)
        return self


class CountingFactory(InMemoryUnitOfWorkFactory):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def __call__(self, **options: Any) -> CountingUnitOfWork:
        return CountingUnitOfWork(self)


@pytest.fixture
def counting() -> CountingFactory:
    return CountingFactory()


@pytest.fixture
def service(counting: CountingFactory, clock: FakeClock) -> WheelService:
    return WheelService(counting, clock)


async def open_wheels(service: WheelService, symbols: list[str]) -> list[int]:
    ids = []
    for symbol in symbols:
        wheel = await service.open_wheel(OpenWheel(symbol=symbol, capital=D(50_000)))
        ids.append(wheel.id)
    return ids


async def test_unchanged_wheels_are_not_loaded_again(
    service: WheelService, counting: CountingFactory
) -> None:
    await open_wheels(service, SYMBOLS)
    first = await service.list_wheels()
    counting.reads = 0
    again = await service.list_wheels()
    assert again == first
    assert all(a is b for a, b in zip(again, first, strict=True))  # views built once
    assert counting.reads == 0


async def test_a_trade_recorded_shows_at_once_and_only_its_wheel_is_rebuilt(
    service: WheelService, counting: CountingFactory
) -> None:
    ids = await open_wheels(service, SYMBOLS)
    await service.list_wheels()
    trade = await service.record_trade(ids[1], put())
    counting.reads = 0
    wheels = {w.id: w for w in await service.list_wheels()}
    assert wheels[ids[1]].state is WheelState.PUT_OPEN
    assert wheels[ids[0]].state is WheelState.IDLE
    assert counting.reads == 2  # one wheel fetched, its trades listed
    await service.close_trade(trade.id, CloseTrade(price=D("0.50")))
    assert {w.id: w for w in await service.list_wheels()}[ids[1]].state is WheelState.IDLE


async def test_a_change_made_by_a_second_unit_of_work_is_seen(
    service: WheelService, counting: CountingFactory, clock: FakeClock
) -> None:
    ids = await open_wheels(service, SYMBOLS[:2])
    before = await service.portfolio_summary(1)
    assert before.open_trades == 0
    async with counting() as uow:  # not through the service: as another program would
        await uow.trades.add(
            Trade(
                wheel_id=ids[0],
                symbol="AAPL",
                option_type=OptionType.PUT,
                strike=D(100),
                expiration=JAN16,
                premium=D("1.50"),
                contracts=2,
                opened_at=clock.now(),
            )
        )
        await uow.commit()
    after = await service.portfolio_summary(1)
    assert after.open_trades == 1
    assert after.total_premium == D("300.00")
    async with counting() as uow:
        await uow.share_moves.add(
            ShareMove(
                wheel_id=ids[1],
                kind=ShareMoveKind.IMPORTED,
                quantity=100,
                price=D(60),
                at=clock.now(),
            )
        )
        await uow.commit()
    ko = next(w for w in await service.list_wheels() if w.id == ids[1])
    assert ko.shares == 0  # the stored state, which this writer did not update...
    assert ko.adjusted_cost_basis == D("60.00")  # ...but the history has the shares


async def test_wheel_changes_and_filters_are_honoured(service: WheelService) -> None:
    ids = await open_wheels(service, SYMBOLS[:3])
    await service.list_wheels()
    await service.update_wheel(ids[2], UpdateWheel(capital=D(7_000)))
    await service.archive_wheel(ids[0])
    active = await service.list_wheels()
    assert [w.id for w in active] == ids[1:]
    assert active[-1].capital == D(7_000)
    assert [w.id for w in await service.list_wheels(active=False)] == ids[:1]
    assert [w.id for w in await service.list_wheels(symbol="ko")] == [ids[1]]
    await service.delete_wheel(ids[1])
    assert [w.id for w in await service.list_wheels(active=None)] == [ids[0], ids[2]]


async def test_past_its_bound_the_cache_starts_again(clock: FakeClock) -> None:
    factory = InMemoryUnitOfWorkFactory()
    service = WheelService(factory, clock)
    await open_wheels(service, SYMBOLS)
    histories = WheelHistories(max_wheels=4)
    async with factory() as uow:
        assert len(await histories.books(uow)) == 6
        assert len(histories) == 6  # one call's wheels are all kept
    await service.record_trade(1, put())
    async with factory() as uow:
        books = await histories.books(uow, portfolio_id=1)
    assert len(histories) == 1
    assert [book.wheel.id for book in books] == [1, 2, 3, 4, 5, 6]
    histories.clear()
    assert len(histories) == 0


async def test_many_changed_wheels_load_in_one_query(clock: FakeClock) -> None:
    factory = CountingFactory()
    service = WheelService(factory, clock)
    ids = await open_wheels(service, SYMBOLS)
    for wheel_id in ids:
        await service.record_trade(wheel_id, put())
    factory.reads = 0
    wheels = await service.list_wheels()
    assert factory.reads == 1  # every trade of the listing at once
    assert all(w.state is WheelState.PUT_OPEN for w in wheels)
    async with factory() as uow:
        assert len(await uow.trades.list(TradeQuery())) == len(ids)
