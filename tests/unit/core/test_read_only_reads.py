"""The service's reads ask for read-only units of work (which never wait for a writer);
its writes do not."""

from decimal import Decimal as D
from typing import Any

from wheel_core.app import CreatePortfolio, OpenWheel, WheelService
from wheel_core.testing.fakes import FakeClock, InMemoryUnitOfWork, InMemoryUnitOfWorkFactory


class RecordingFactory(InMemoryUnitOfWorkFactory):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[bool] = []

    def __call__(self, *, read_only: bool = False) -> InMemoryUnitOfWork:
        self.asked.append(read_only)
        return super().__call__(read_only=read_only)


async def test_reads_are_read_only_and_writes_are_not(clock: FakeClock) -> None:
    factory = RecordingFactory()
    service = WheelService(factory, clock)
    portfolio = await service.create_portfolio(CreatePortfolio(name="p", capital=D(1)))
    wheel = await service.open_wheel(OpenWheel(symbol="KO", capital=D(6_000)))
    assert factory.asked == [False, False]
    assert portfolio.id is not None

    reads: list[Any] = [
        service.list_portfolios(),
        service.get_portfolio(portfolio.id),
        service.get_portfolio_by_name("p"),
        service.portfolio_summary(portfolio.id),
        service.get_wheel(wheel.id),
        service.find_wheel("KO"),
        service.list_wheels(),
        service.wheel_history(wheel.id),
        service.list_trades(),
        service.list_snapshots(),
        service.latest_snapshots(),
        service.performance(with_prices=False),
        service.pnl_history(),
        service.roll_chains(wheel.id),
        service.list_alerts(),
        service.watchlist(),
        service.list_opportunities(),
        service.unread_opportunities(),
    ]
    factory.asked.clear()
    for read in reads:
        await read
    assert factory.asked == [True] * len(reads)
