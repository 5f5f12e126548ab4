"""Monitoring use cases with fakes: price refresh, risk alerts (one per condition), the
watchlist, and opportunity scans de-duplicated across runs."""

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal as D

import msgspec
import pytest
from weekly_puts import FRIDAY_16, MONDAY, chain

from wheel_core.app import (
    AddToWatchlist,
    CreatePortfolio,
    OpenWheel,
    OpportunityScan,
    RaiseAlert,
    RecordTrade,
    WheelService,
)
from wheel_core.domain.entities import Alert
from wheel_core.domain.enums import OpportunitySource, OptionType, RiskLevel
from wheel_core.domain.errors import ConflictError, NotFoundError, ValidationError
from wheel_core.ports import AlertQuery, OpportunityQuery
from wheel_core.testing.fakes import (
    FakeClock,
    FakeMarketCalendar,
    FakeMarketData,
    InMemoryUnitOfWorkFactory,
    RecordingNotifier,
)

MLK_DAY = date(2026, 1, 19)
WEDNESDAY_21 = date(2026, 1, 21)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
def market() -> FakeMarketData:
    market = FakeMarketData()
    for symbol in ("AAPL", "MSFT"):
        market.set_price(symbol, "100", MONDAY)
        market.chains[symbol] = chain(symbol)
    return market


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def service(clock: FakeClock, market: FakeMarketData, notifier: RecordingNotifier) -> WheelService:
    return WheelService(
        InMemoryUnitOfWorkFactory(),
        clock,
        market=market,
        calendar=FakeMarketCalendar(holidays=[MLK_DAY]),
        notifier=notifier,
    )


async def open_put(
    service: WheelService,
    symbol: str = "AAPL",
    strike: str = "95",
    expiration: date = FRIDAY_16,
) -> tuple[int, int]:
    """(wheel id, trade id) of a wheel with one open put."""
    wheel = await service.open_wheel(OpenWheel(symbol=symbol, capital=D(20000)))
    trade = await service.record_trade(
        wheel.id,
        RecordTrade(
            option_type=OptionType.PUT, strike=D(strike), expiration=expiration, premium=D(2)
        ),
    )
    return wheel.id, trade.id


# ── price refresh ─────────────────────────────────────────────────────────────


async def test_refresh_quotes_each_active_symbol_once_and_reports_failures(
    service: WheelService, market: FakeMarketData
) -> None:
    await service.open_wheel(OpenWheel(symbol="MSFT"))
    await service.open_wheel(OpenWheel(symbol="ZZZ"))
    await open_put(service, "AAPL")
    archived = await service.open_wheel(OpenWheel(symbol="KO"))
    await service.archive_wheel(archived.id)
    market.calls.clear()

    refresh = await service.refresh_prices()

    assert refresh.as_of == MONDAY
    assert refresh.symbols == ["AAPL", "MSFT", "ZZZ"]
    assert refresh.refreshed == 2
    assert [(f.symbol, f.error) for f in refresh.failures] == [("ZZZ", "no quote for symbol 'ZZZ'")]
    assert sorted(market.calls) == [("quote", "AAPL"), ("quote", "MSFT"), ("quote", "ZZZ")]


# ── risk alerts ───────────────────────────────────────────────────────────────


async def keys(service: WheelService) -> list[str]:
    return sorted(a.key for a in (await service.list_alerts()).items)


async def test_a_position_moving_low_medium_high_raises_one_alert_per_condition(
    service: WheelService, market: FakeMarketData, clock: FakeClock
) -> None:
    wheel_id, trade = await open_put(service, strike="95")

    low = await service.monitor_risk()  # 5.26 % OTM: LOW, nine trading days left
    assert (low.checked, low.alerts, low.failures) == (1, [], [])

    market.set_price("AAPL", "99", MONDAY)  # 4.21 % OTM: MEDIUM
    medium = await service.monitor_risk()
    [alert] = medium.alerts
    assert alert.key == f"risk:medium:trade:{trade}"
    assert (alert.kind, alert.level, alert.wheel_id, alert.trade_id) == (
        "risk",
        RiskLevel.MEDIUM,
        wheel_id,
        trade,
    )
    assert alert.created_at == MONDAY
    assert alert.message == (
        "AAPL put 95 expiring 2026-01-16 is at MEDIUM risk: only 4.21 % out of the money "
        "(AAPL at 99)"
    )
    clock.advance(timedelta(minutes=15))
    assert (await service.monitor_risk()).alerts == []  # still MEDIUM: nothing new

    market.set_price("AAPL", "94.10", MONDAY)  # ITM: HIGH
    high = await service.monitor_risk()
    assert sorted(a.key for a in high.alerts) == [f"itm:trade:{trade}", f"risk:high:trade:{trade}"]
    itm = next(a for a in high.alerts if a.kind == "itm")
    assert itm.level is RiskLevel.HIGH
    assert itm.message == (
        "AAPL put 95 expiring 2026-01-16 is in the money: AAPL at 94.10 is below the strike"
    )
    assert (await service.monitor_risk()).alerts == []

    market.set_price("AAPL", "99", MONDAY)  # back to MEDIUM: nothing got worse
    assert (await service.monitor_risk()).alerts == []
    assert await keys(service) == [
        f"itm:trade:{trade}",
        f"risk:high:trade:{trade}",
        f"risk:medium:trade:{trade}",
    ]


async def test_a_jump_from_low_to_high_raises_no_medium_alert(
    service: WheelService, market: FakeMarketData
) -> None:
    _, trade = await open_put(service, strike="95")
    market.set_price("AAPL", "90", MONDAY)
    assert sorted(a.key for a in (await service.monitor_risk()).alerts) == [
        f"itm:trade:{trade}",
        f"risk:high:trade:{trade}",
    ]
    market.set_price("AAPL", "98", MONDAY)
    assert (await service.monitor_risk()).alerts == []


async def test_an_acknowledged_condition_is_not_raised_again(
    service: WheelService, market: FakeMarketData
) -> None:
    _, trade = await open_put(service, strike="95")
    market.set_price("AAPL", "99", MONDAY)
    [alert] = (await service.monitor_risk()).alerts
    assert alert.id is not None
    await service.acknowledge_alert(alert.id)
    assert (await service.monitor_risk()).alerts == []
    assert await keys(service) == [f"risk:medium:trade:{trade}"]


async def test_near_expiry_counts_trading_days_across_a_holiday(
    service: WheelService, clock: FakeClock
) -> None:
    """Expiring Wednesday the 21st after the MLK holiday: on Thursday the 15th three
    trading days are left (16, 20, 21), on Friday the 16th two (Monday is closed),
    which is within the default warning of two."""
    _, trade = await open_put(service, strike="80", expiration=WEDNESDAY_21)
    clock.set(at(date(2026, 1, 15)))
    assert (await service.monitor_risk()).alerts == []

    clock.set(at(date(2026, 1, 16)))
    [alert] = (await service.monitor_risk()).alerts
    assert alert.key == f"expiry:trade:{trade}"
    assert (alert.kind, alert.level) == ("expiry", RiskLevel.LOW)  # far OTM: good news
    assert alert.message == (
        "AAPL put 80 expires in 2 trading days (2026-01-21); 25.00 % out of the money"
    )
    clock.set(at(date(2026, 1, 20)))
    assert (await service.monitor_risk()).alerts == []


async def test_a_past_expiration_asks_for_the_outcome(
    service: WheelService, clock: FakeClock
) -> None:
    await open_put(service, strike="80")
    clock.set(at(date(2026, 1, 20)))
    [alert] = (await service.monitor_risk()).alerts
    assert alert.message == (
        "AAPL put 80 expired on 2026-01-16; record its outcome; 25.00 % out of the money"
    )


async def test_a_failing_symbol_is_reported_while_the_others_are_checked(
    service: WheelService, market: FakeMarketData
) -> None:
    await open_put(service, "AAPL", strike="95")
    bad_wheel, _ = await open_put(service, "ZZZ", strike="95")
    _, msft = await open_put(service, "MSFT", strike="95")
    await service.open_wheel(OpenWheel(symbol="KO"))  # idle: nothing to check, no quote
    market.set_price("MSFT", "99", MONDAY)
    market.calls.clear()

    scan = await service.monitor_risk()

    assert scan.checked == 2
    assert [a.key for a in scan.alerts] == [f"risk:medium:trade:{msft}"]
    assert [(f.wheel_id, f.symbol, f.error) for f in scan.failures] == [
        (bad_wheel, "ZZZ", "no quote for symbol 'ZZZ'")
    ]
    assert ("quote", "KO") not in market.calls


async def test_every_new_alert_is_delivered_once_wherever_it_was_raised(
    service: WheelService, market: FakeMarketData, notifier: RecordingNotifier
) -> None:
    await open_put(service, strike="95")
    market.set_price("AAPL", "94.10", MONDAY)  # ITM: HIGH
    scan = await service.monitor_risk()  # a manual scan, not only the job's
    assert notifier.sent == scan.alerts and len(scan.alerts) == 2
    await service.monitor_risk()
    raised = await service.raise_alert(RaiseAlert(kind="note", key="note:1", message="look"))
    assert await service.raise_alert(RaiseAlert(kind="note", key="note:1", message="look")) is None
    assert notifier.sent == [*scan.alerts, raised], "each alert once, repeats never"


async def test_a_failing_notifier_loses_no_alert_and_fails_no_scan(
    clock: FakeClock, market: FakeMarketData, caplog: pytest.LogCaptureFixture
) -> None:
    class Down:
        async def notify(self, alert: object) -> None:
            raise ConnectionError("webhook down")

    service = WheelService(
        InMemoryUnitOfWorkFactory(), clock, market=market,
        calendar=FakeMarketCalendar(holidays=[MLK_DAY]), notifier=Down(),
    )  # fmt: skip
    await open_put(service, strike="95")
    market.set_price("AAPL", "94.10", MONDAY)
    scan = await service.monitor_risk()
    assert len(scan.alerts) == 2
    assert (await service.list_alerts()).total == 2
    assert "was stored but not delivered" in caplog.text


async def test_alerts_are_delivered_at_once_not_one_after_another(
    clock: FakeClock, market: FakeMarketData
) -> None:
    class Slow:
        """Counts the deliveries under way; each yields to the loop before it ends."""

        def __init__(self) -> None:
            self.active = self.most = 0
            self.sent: list[Alert] = []

        async def notify(self, alert: Alert) -> None:
            self.active += 1
            self.most = max(self.most, self.active)
            await asyncio.sleep(0)  # a turn of the loop, no time: as a network wait would
            self.sent.append(alert)
            self.active -= 1

    slow = Slow()
    service = WheelService(
        InMemoryUnitOfWorkFactory(), clock, market=market,
        calendar=FakeMarketCalendar(holidays=[MLK_DAY]), notifier=slow,
    )  # fmt: skip
    await open_put(service, strike="95")
    market.set_price("AAPL", "94.10", MONDAY)
    scan = await service.monitor_risk()
    assert sorted(a.key for a in slow.sent) == sorted(a.key for a in scan.alerts)
    assert slow.most == len(scan.alerts) == 2, "both under way at once"


async def test_raise_alert_stores_once_per_key(service: WheelService) -> None:
    wheel_id, trade = await open_put(service)
    command = RaiseAlert(
        kind="earnings",
        key=f"earnings:trade:{trade}",
        message="earnings on 2026-01-14",
        trade_id=trade,
    )
    alert = await service.raise_alert(command)
    assert alert is not None and alert.id is not None
    assert (alert.wheel_id, alert.level) == (wheel_id, RiskLevel.MEDIUM)  # from the trade
    assert await service.raise_alert(command) is None
    assert await service.get_alert(alert.id) == alert

    with pytest.raises(NotFoundError, match="wheel 99 not found"):
        await service.raise_alert(RaiseAlert(kind="x", key="x:1", message="m", wheel_id=99))
    with pytest.raises(NotFoundError, match="trade 99 not found"):
        await service.raise_alert(RaiseAlert(kind="x", key="x:1", message="m", trade_id=99))
    other = await service.open_wheel(OpenWheel(symbol="MSFT"))
    with pytest.raises(ValidationError, match=f"belongs to wheel {wheel_id}"):
        await service.raise_alert(
            RaiseAlert(kind="x", key="x:1", message="m", wheel_id=other.id, trade_id=trade)
        )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"kind": " "}, "kind must be"),
        ({"kind": "k" * 41}, "kind must be"),
        ({"key": "  "}, "key must be"),
        ({"message": ""}, "message must be"),
        ({"key": "k" * 201}, "key must be"),
        ({"wheel_id": 0}, "wheel_id must be"),
    ],
)
def test_raise_alert_refuses_what_cannot_be_stored(fields: dict[str, object], error: str) -> None:
    values: dict[str, object] = {"kind": "earnings", "key": "k", "message": "m", **fields}
    with pytest.raises(ValidationError, match=error):
        RaiseAlert(**values)  # type: ignore[arg-type]
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(msgspec.json.encode(values), type=RaiseAlert)


async def test_alerts_are_listed_filtered_and_acknowledged_once(
    service: WheelService, clock: FakeClock
) -> None:
    wheel = await service.open_wheel(OpenWheel(symbol="AAPL"))
    low = await service.raise_alert(
        RaiseAlert(kind="note", key="n:1", message="m", level=RiskLevel.LOW)
    )
    clock.advance(timedelta(days=1))
    high = await service.raise_alert(
        RaiseAlert(kind="spike", key="s:1", message="m", level=RiskLevel.HIGH, wheel_id=wheel.id)
    )
    assert low is not None and high is not None and high.id is not None
    page = await service.list_alerts()
    assert (page.items, page.total, page.offset, page.limit) == ([high, low], 2, 0, None)
    assert (await service.list_alerts(AlertQuery(min_level=RiskLevel.MEDIUM))).items == [high]
    assert (await service.list_alerts(AlertQuery(kind="note"))).items == [low]
    assert (await service.list_alerts(AlertQuery(wheel_id=wheel.id))).items == [high]
    since = AlertQuery(created_from=date(2026, 1, 6))
    assert (await service.list_alerts(since)).items == [high]
    assert (await service.list_alerts(AlertQuery(limit=1, offset=1))).total == 2

    acknowledged = await service.acknowledge_alert(high.id)
    assert acknowledged.acknowledged_at == clock.now()
    clock.advance(timedelta(hours=1))
    assert await service.acknowledge_alert(high.id) == acknowledged  # first time kept
    assert (await service.list_alerts(AlertQuery(acknowledged=False))).items == [low]
    with pytest.raises(NotFoundError, match="alert 404 not found"):
        await service.acknowledge_alert(404)
    with pytest.raises(NotFoundError, match="alert 404 not found"):
        await service.get_alert(404)


# ── watchlist ─────────────────────────────────────────────────────────────────


async def test_watchlist_add_list_remove(service: WheelService) -> None:
    msft = await service.add_to_watchlist(AddToWatchlist(symbol=" msft ", note=" cheap? "))
    assert (msft.symbol, msft.note, msft.added_at) == ("MSFT", "cheap?", MONDAY)
    aapl = await service.add_to_watchlist(AddToWatchlist(symbol="AAPL"))
    assert await service.watchlist() == [aapl, msft]

    with pytest.raises(ConflictError, match=r"^MSFT is already on the watchlist$"):
        await service.add_to_watchlist(AddToWatchlist(symbol="Msft"))
    with pytest.raises(ValidationError, match="symbol must be a ticker"):
        await service.add_to_watchlist(AddToWatchlist(symbol="not a ticker"))

    await service.remove_from_watchlist("aapl")
    assert await service.watchlist() == [msft]
    with pytest.raises(NotFoundError, match="watchlist symbol 'AAPL' not found"):
        await service.remove_from_watchlist("AAPL")
    with pytest.raises(ValidationError, match="symbol must be a ticker"):
        await service.remove_from_watchlist("$$")


# ── opportunities ─────────────────────────────────────────────────────────────


async def test_a_scan_stores_candidates_for_idle_wheels_and_the_watchlist(
    service: WheelService, market: FakeMarketData
) -> None:
    idle = await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(10000)))
    await open_put(service, "KO")  # a put is open: not scanned
    await service.add_to_watchlist(AddToWatchlist(symbol="MSFT"))
    await service.add_to_watchlist(AddToWatchlist(symbol="AAPL"))  # the idle wheel covers it
    await service.add_to_watchlist(AddToWatchlist(symbol="ZZZ"))
    market.calls.clear()

    scan = await service.scan_opportunities()

    assert [(o.symbol, o.strike, o.source, o.wheel_id) for o in scan.found] == [
        ("AAPL", D(93), OpportunitySource.WHEEL, idle.id),
        ("AAPL", D(94), OpportunitySource.WHEEL, idle.id),
        ("MSFT", D(93), OpportunitySource.WATCHLIST, None),
        ("MSFT", D(94), OpportunitySource.WATCHLIST, None),
    ]
    first = scan.found[0]
    assert (first.option_type, first.expiration, first.premium) == (
        OptionType.PUT,
        FRIDAY_16,
        D("0.25"),
    )
    assert first.annualized_yield == D("0.0892")  # 0.25 / 93 × 365 / 11
    assert 0 < first.probability_itm < 0.3
    assert first.found_at == first.last_seen_at == MONDAY
    assert first.read_at is None
    assert scan.updated == 0
    assert [(f.symbol, f.error) for f in scan.failures] == [("ZZZ", "no quote for symbol 'ZZZ'")]
    assert ("quote", "KO") not in market.calls
    assert await service.unread_opportunities() == 4


async def test_scans_update_known_contracts_instead_of_duplicating_them(
    service: WheelService, market: FakeMarketData, clock: FakeClock
) -> None:
    await service.add_to_watchlist(AddToWatchlist(symbol="MSFT"))
    first = await service.scan_opportunities()
    read = first.found[0]
    assert read.id is not None
    await service.mark_opportunity_read(read.id)

    clock.advance(timedelta(hours=2))
    market.chains["MSFT"] = chain("MSFT", bump="0.05")
    second = await service.scan_opportunities()

    assert (second.found, second.updated, second.failures) == ([], 2, [])
    stored = (await service.list_opportunities()).items
    assert len(stored) == 2
    assert [o.premium for o in stored] == [D("0.30"), D("0.45")]
    assert all(o.found_at == MONDAY and o.last_seen_at == clock.now() for o in stored)
    assert [o.read_at for o in stored] == [MONDAY, None]  # reading survives the update
    assert stored[0].annualized_yield > read.annualized_yield


async def test_two_idle_wheels_on_one_symbol_make_one_row_per_contract(
    service: WheelService,
) -> None:
    growth = await service.create_portfolio(CreatePortfolio(name="growth"))
    await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(10000)))
    await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(10000), portfolio_id=growth.id))
    scan = await service.scan_opportunities()
    assert [o.strike for o in scan.found] == [D(93), D(94)]
    assert scan.updated == 0


async def test_a_wheel_without_capital_finds_nothing_and_fails_nothing(
    service: WheelService,
) -> None:
    await service.open_wheel(OpenWheel(symbol="AAPL"))  # no capital: no put is sizable
    assert await service.scan_opportunities() == OpportunityScan(found=[], updated=0, failures=[])


async def test_opportunities_are_filtered_and_read(service: WheelService, clock: FakeClock) -> None:
    await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(10000)))
    clock.advance(timedelta(minutes=1))
    await service.add_to_watchlist(AddToWatchlist(symbol="MSFT"))
    await service.scan_opportunities()

    every = await service.list_opportunities()
    assert [(o.symbol, o.strike) for o in every.items] == [
        ("AAPL", D(93)),
        ("AAPL", D(94)),
        ("MSFT", D(93)),
        ("MSFT", D(94)),
    ]
    watch = OpportunityQuery(source=OpportunitySource.WATCHLIST)
    assert [o.symbol for o in (await service.list_opportunities(watch)).items] == ["MSFT"] * 2
    by_symbol = await service.list_opportunities(OpportunityQuery(symbol="msft", limit=1))
    assert (len(by_symbol.items), by_symbol.total) == (1, 2)
    calls = OpportunityQuery(option_type=OptionType.CALL)
    assert (await service.list_opportunities(calls)).total == 0

    target = every.items[2]
    assert target.id is not None
    marked = await service.mark_opportunity_read(target.id)
    assert marked.read_at == clock.now()
    clock.advance(timedelta(minutes=1))
    assert await service.mark_opportunity_read(target.id) == marked
    assert await service.unread_opportunities() == 3
    unread = (await service.list_opportunities(OpportunityQuery(unread_only=True))).items
    assert target not in unread and len(unread) == 3
    assert await service.mark_all_opportunities_read() == 3
    assert await service.mark_all_opportunities_read() == 0
    assert await service.unread_opportunities() == 0
    with pytest.raises(NotFoundError, match="opportunity 77 not found"):
        await service.mark_opportunity_read(77)
    with pytest.raises(ValidationError):
        await service.list_opportunities(OpportunityQuery(symbol="$"))


async def test_a_stale_chain_is_a_failure_that_says_why(
    service: WheelService, market: FakeMarketData
) -> None:
    await service.add_to_watchlist(AddToWatchlist(symbol="MSFT"))
    market.chains["MSFT"] = msgspec.structs.replace(chain("MSFT"), stale=True)
    scan = await service.scan_opportunities()
    assert scan.found == []
    [failure] = scan.failures
    assert failure.symbol == "MSFT"
    assert "stale" in failure.error


async def test_an_option_expiring_today_expires_at_the_close(
    service: WheelService, clock: FakeClock
) -> None:
    await open_put(service, strike="80")
    clock.set(at(FRIDAY_16))
    [alert] = (await service.monitor_risk()).alerts
    assert alert.message == "AAPL put 80 expires at today's close; 25.00 % out of the money"


async def test_monitoring_needs_a_market(clock: FakeClock) -> None:
    from wheel_core.domain.errors import MarketDataError

    books_only = WheelService(InMemoryUnitOfWorkFactory(), clock)
    await books_only.open_wheel(OpenWheel(symbol="AAPL"))
    with pytest.raises(MarketDataError, match="no market data provider"):
        await books_only.refresh_prices()
    await books_only.add_to_watchlist(AddToWatchlist(symbol="MSFT"))
    scan = await books_only.scan_opportunities()
    assert [(f.symbol, f.error) for f in scan.failures] == [
        ("AAPL", "no market data provider is configured"),
        ("MSFT", "no market data provider is configured"),
    ]


async def test_a_scan_drops_contracts_that_have_expired(
    service: WheelService, clock: FakeClock
) -> None:
    await service.add_to_watchlist(AddToWatchlist(symbol="MSFT"))
    first = await service.scan_opportunities()
    assert (len(first.found), first.expired) == (2, 0)
    assert {o.expiration for o in first.found} == {FRIDAY_16}

    clock.set(datetime.combine(FRIDAY_16, time(20, 30), UTC))  # expiration day, after the close
    assert (await service.scan_opportunities()).expired == 0, "still today's contracts"

    clock.set(datetime.combine(FRIDAY_16 + timedelta(days=3), time(14, 45), UTC))
    later = await service.scan_opportunities()
    assert later.expired == 2
    assert later.found == [], "the fake chain lists only the expired date"
    assert (await service.list_opportunities()).total == 0
    assert await service.unread_opportunities() == 0
