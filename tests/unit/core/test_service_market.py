"""The facade's market-driven use cases: positions, snapshots, performance, recommendations."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from weekly_puts import FRIDAY_16, MONDAY, chain

from wheel_core.app import (
    CoreSettings,
    ExpireTrade,
    OpenWheel,
    RecordTrade,
    RollTrade,
    WheelService,
)
from wheel_core.domain.enums import OptionType, RiskLevel, WheelState
from wheel_core.domain.errors import ConflictError, MarketDataError, ValidationError
from wheel_core.market import PriceBar
from wheel_core.performance import Period
from wheel_core.ports import SnapshotQuery
from wheel_core.testing.fakes import (
    FakeClock,
    FakeMarketCalendar,
    FakeMarketData,
    InMemoryUnitOfWorkFactory,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
def market() -> FakeMarketData:
    market = FakeMarketData()
    market.set_price("AAPL", "100", MONDAY)
    market.chains["AAPL"] = chain()
    return market


@pytest.fixture
def service(clock: FakeClock, market: FakeMarketData) -> WheelService:
    return WheelService(
        InMemoryUnitOfWorkFactory(),
        clock,
        market=market,
        calendar=FakeMarketCalendar(holidays=[date(2026, 1, 19)]),
    )


async def open_put(service: WheelService, strike: str = "95", symbol: str = "AAPL") -> int:
    wheel = await service.open_wheel(OpenWheel(symbol=symbol, capital=D(20000)))
    await service.record_trade(
        wheel.id,
        RecordTrade(
            option_type=OptionType.PUT, strike=D(strike), expiration=FRIDAY_16, premium=D("2.00")
        ),
    )
    return wheel.id


async def test_a_put_more_than_five_percent_otm_is_low_risk_with_both_dtes(
    service: WheelService,
) -> None:
    position = await service.position_status(await open_put(service, "95"))
    assert position.option is not None
    assert position.option.moneyness_pct == D("5.26")  # (100 − 95) / 95
    assert position.risk_level is RiskLevel.LOW  # OTM by more than 5 %
    assert position.option.dte_calendar == 11
    assert position.option.dte_trading == 9  # Jan 6–9 and 12–16
    assert position.simulated is False


async def test_open_option_is_marked_at_mid(service: WheelService) -> None:
    position = await service.position_status(await open_put(service, "95"))
    assert position.option_mark == D("0.50")
    assert position.unrealized_option_pnl == D("150.00")  # 200 received − 50 to buy back


async def test_a_put_in_the_money_is_high_risk(
    service: WheelService, market: FakeMarketData
) -> None:
    wheel_id = await open_put(service, "95")
    market.set_price("AAPL", "94.10", MONDAY)
    position = await service.position_status(wheel_id)
    assert position.risk_level is RiskLevel.HIGH
    assert position.option is not None and position.option.is_itm


async def test_positions_filter_by_risk_and_report_failures_per_wheel(
    service: WheelService, market: FakeMarketData
) -> None:
    safe = await open_put(service, "90")
    risky = await open_put(service, "99", symbol="MSFT")
    market.set_price("MSFT", "98", MONDAY)
    broken = await open_put(service, "50", symbol="KO")  # no quote for KO
    report = await service.positions(min_risk=RiskLevel.HIGH)
    assert [p.wheel_id for p in report.positions] == [risky]
    assert [(f.wheel_id, f.symbol) for f in report.failures] == [(broken, "KO")]
    everything = await service.positions()
    assert {p.wheel_id for p in everything.positions} == {safe, risky}


async def test_snapshot_twice_a_day_updates_instead_of_duplicating(
    service: WheelService, market: FakeMarketData, clock: FakeClock
) -> None:
    wheel_id = await open_put(service, "95")
    first = await service.take_snapshot()
    market.set_price("AAPL", "96", MONDAY)
    clock.advance(timedelta(hours=6))
    second = await service.take_snapshot()
    page = await service.list_snapshots(SnapshotQuery(wheel_id=wheel_id))
    assert page.total == 1
    assert first.snapshots[0].id == second.snapshots[0].id
    assert page.items[0].current_price == D("96")
    assert page.items[0].day == date(2026, 1, 5)
    assert page.items[0].unrealized_pnl == D("150.00")
    assert page.items[0].risk_level is RiskLevel.MEDIUM  # 96 is 1.05 % above the 95 strike


async def test_snapshot_skips_wheels_without_prices_and_says_so(
    service: WheelService,
) -> None:
    await open_put(service, "95")
    await open_put(service, "40", symbol="KO")
    run = await service.take_snapshot()
    assert [s.symbol for s in run.snapshots] == ["AAPL"]
    assert [f.symbol for f in run.failures] == ["KO"]
    assert "KO" in run.failures[0].error


async def test_pnl_history_and_latest_snapshots(service: WheelService, clock: FakeClock) -> None:
    await open_put(service, "95")
    await service.take_snapshot()
    clock.advance(timedelta(days=1))
    await service.take_snapshot()
    history = await service.pnl_history()
    assert [p.day for p in history] == [date(2026, 1, 5), date(2026, 1, 6)]
    assert history[-1].unrealized_pnl == D("150.00")
    latest = await service.latest_snapshots()
    assert [s.day for s in latest] == [date(2026, 1, 6)]


async def test_snapshot_filters_take_the_symbol_as_a_ticker(
    service: WheelService, clock: FakeClock
) -> None:
    await open_put(service, "95")
    await service.take_snapshot()
    listed = await service.list_snapshots(SnapshotQuery(symbol=" aapl "))
    assert [s.symbol for s in listed.items] == ["AAPL"]
    assert len(await service.pnl_history(SnapshotQuery(symbol="aapl"))) == 1
    with pytest.raises(ValidationError, match="symbol must be a ticker"):
        await service.list_snapshots(SnapshotQuery(symbol="not a ticker"))


async def test_performance_of_the_worked_example(service: WheelService, clock: FakeClock) -> None:
    wheel = await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(30000)))
    put = await service.record_trade(
        wheel.id,
        RecordTrade(
            option_type=OptionType.PUT,
            strike=D(100),
            expiration=FRIDAY_16,
            premium=D("2.00"),
            contracts=3,
        ),
    )
    clock.set(datetime(2026, 1, 17, tzinfo=UTC))
    await service.expire_trade(put.id, ExpireTrade(price_at_expiry=D(95)))
    call = await service.record_trade(
        wheel.id,
        RecordTrade(
            option_type=OptionType.CALL,
            strike=D(105),
            expiration=date(2026, 1, 30),
            premium=D("1.50"),
            contracts=3,
        ),
    )
    clock.set(datetime(2026, 1, 31, tzinfo=UTC))
    await service.expire_trade(call.id, ExpireTrade(price_at_expiry=D(110)))
    report = await service.performance(Period.ALL)
    assert report.total.total_premium == D("1050.00")
    assert report.total.share_gain == D("1500.00")
    assert report.total.realized_pnl == D("2550.00")
    assert report.best_symbol == "AAPL"
    lines = list(await service.export_performance_csv())
    assert lines[-1].startswith("(total)")
    trade_lines = list(await service.export_trades_csv())
    assert len(trade_lines) == 3  # header + two trades


async def test_performance_marks_open_positions_or_counts_them_unpriced(
    service: WheelService, market: FakeMarketData
) -> None:
    await open_put(service, "95")
    priced = await service.performance()
    assert priced.total.unrealized_pnl == D("150.00")
    market.fail_with = MarketDataError("provider down")
    unpriced = await service.performance()
    assert unpriced.total.unpriced_positions == 1


async def test_recommend_a_put_for_an_idle_wheel(service: WheelService) -> None:
    wheel = await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(10000)))
    answer = await service.recommend(wheel.id)
    rec = answer.recommendation
    assert rec is not None
    assert rec.volatility_method == "chain implied volatility, median"  # no price history
    assert rec.best is not None
    assert rec.best.strike == D("93")  # nearest to 1.5 σ·√T below 100 (≈ 92.48)
    assert rec.best.contracts == 1  # 10,000 secures one 93 put
    assert rec.rejections["sigma_band"] == 4
    assert rec.simulated


async def test_recommend_uses_price_history_when_there_is_some(
    service: WheelService, market: FakeMarketData
) -> None:
    market.history["AAPL"] = [
        PriceBar(day=date(2025, 11, 1) + timedelta(days=i), close=D(100) + (i % 2))
        for i in range(60)
    ]
    wheel = await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(10000)))
    rec = (await service.recommend(wheel.id)).recommendation
    assert rec is not None
    assert rec.volatility_method == "historical close-to-close, 20 trading days"


async def test_recommend_refuses_a_wheel_with_an_open_option(service: WheelService) -> None:
    wheel_id = await open_put(service)
    with pytest.raises(ConflictError, match="already has an open put"):
        await service.recommend(wheel_id)


async def test_batch_recommendations_report_each_wheels_error(
    service: WheelService,
) -> None:
    good = await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(10000)))
    bad = await service.open_wheel(OpenWheel(symbol="KO", capital=D(10000)))
    results = await service.recommend_batch()
    by_id = {r.wheel_id: r for r in results}
    assert by_id[good.id].recommendation is not None
    assert by_id[bad.id].error is not None and "KO" in by_id[bad.id].error
    assert all(r.state is WheelState.IDLE for r in results)


async def test_a_named_batch_keeps_its_order_and_reports_missing_wheels(
    service: WheelService,
) -> None:
    wheel = await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(10000)))
    results = await service.recommend_batch([404, wheel.id, 405])
    assert [r.wheel_id for r in results] == [404, wheel.id, 405]
    assert results[1].recommendation is not None
    for missing in (results[0], results[2]):
        assert missing.symbol is None and missing.state is None
        assert missing.error == f"wheel {missing.wheel_id} not found"


async def test_market_use_cases_need_a_provider(clock: FakeClock) -> None:
    books_only = WheelService(InMemoryUnitOfWorkFactory(), clock)
    wheel = await books_only.open_wheel(OpenWheel(symbol="AAPL", capital=D(10000)))
    with pytest.raises(MarketDataError, match="no market data provider"):
        await books_only.position_status(wheel.id)


async def test_roll_chains_sum_every_leg(service: WheelService, clock: FakeClock) -> None:
    wheel_id = await open_put(service, "95")
    first = (await service.get_wheel(wheel_id)).open_trade
    assert first is not None
    clock.advance(timedelta(days=3))
    second = await service.roll_trade(
        first.id,
        RollTrade(
            close_price=D("3.00"), strike=D("92"), expiration=date(2026, 1, 30), premium=D("3.50")
        ),
    )
    chains = await service.roll_chains(wheel_id)
    assert len(chains) == 1
    assert chains[0].chain_id == first.id
    assert [leg.trade_id for leg in chains[0].legs] == [first.id, second.id]
    assert chains[0].rolls == 1


def test_settings_are_typed_structs() -> None:
    settings = CoreSettings()
    assert settings.risk.medium_within_pct == D(5)
    assert settings.recommendations.min_dte == 7
