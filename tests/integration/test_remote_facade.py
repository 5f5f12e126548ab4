"""The facade contract: ``WheelService`` (direct) and ``RemoteWheelService`` (over HTTP)
answer every use case with equal Structs and fail with the same domain error and message.

Direct mode runs on its own SQLite file; remote mode drives the real Litestar app
in-process (``AsyncTestClient`` is an ``httpx.AsyncClient``) on another. Both share one
fake clock and the deterministic simulated market, so the same steps give the same ids,
times and prices, and the CLI prints the same output in either mode. The unit tests at
the end feed ``RemoteWheelService`` canned answers through ``httpx.MockTransport`` for
what the real app does not produce: no server, a token refused, a crash, a proxy's page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.cli.remote import (
    RemoteAuthError,
    RemoteInvalidTransitionError,
    RemoteNotFoundError,
    RemoteServerError,
    RemoteValidationError,
    RemoteWheelService,
    ServerUnreachableError,
    connect,
)
from adapters.container import Container, build_container, start, stop
from adapters.settings import convert
from wheel_core.app.commands import (
    AddToWatchlist,
    AssignTrade,
    CloseTrade,
    CorrectTrade,
    CreatePortfolio,
    ExpireTrade,
    ImportShares,
    OpenWheel,
    RaiseAlert,
    RecordTrade,
    RollTrade,
    SellShares,
    UpdatePortfolio,
    UpdateWheel,
)
from wheel_core.app.facade import WheelFacade
from wheel_core.app.service import WheelService
from wheel_core.domain import errors as domain_errors
from wheel_core.domain.entities import Portfolio
from wheel_core.domain.enums import (
    OpportunitySource,
    OptionType,
    Outcome,
    RiskLevel,
    RiskProfile,
    WheelState,
)
from wheel_core.domain.errors import (
    ConflictError,
    DomainError,
    InvalidTransitionError,
    MarketDataError,
    NotFoundError,
    RuleViolationError,
    ValidationError,
)
from wheel_core.performance import Period
from wheel_core.ports import AlertQuery, OpportunityQuery, SnapshotQuery, TradeQuery
from wheel_core.testing.fakes import FakeClock

PUT_EXPIRY = date(2026, 12, 18)
CALL_EXPIRY = date(2027, 1, 15)
AFTER_PUT_EXPIRY = datetime(2026, 12, 18, 21, 30, tzinfo=UTC)
"""16:30 in New York on the put's expiration day: the option has stopped trading."""
AFTER_CALL_EXPIRY = datetime(2027, 1, 15, 21, 30, tzinfo=UTC)

EXACT = msgspec.json.Encoder(decimal_format="number")
"""The API's JSON: equal bytes mean equal values *and* equal Decimal digits."""

FACADE_METHODS = frozenset(
    name
    for name in dir(WheelFacade)
    if not name.startswith("_") and callable(getattr(WheelFacade, name))
)


# ── fixtures: one facade of each kind, on databases of their own ─────────────


@pytest.fixture
async def direct(tmp_path: Path, api_clock: FakeClock) -> AsyncIterator[WheelService]:
    container = build_container(convert({"database": {"url": str(tmp_path / "direct.db")}}))
    container.clock.override(providers.Object(api_clock))
    await start(container)
    await pin_default_portfolio(container, api_clock)
    try:
        service: WheelService = container.service()
        yield service
    finally:
        await stop(container)


@pytest.fixture
async def remote(
    api: AsyncTestClient[Any], api_container: Container, api_clock: FakeClock
) -> RemoteWheelService:
    await pin_default_portfolio(api_container, api_clock)
    return RemoteWheelService(api)


async def pin_default_portfolio(container: Container, clock: FakeClock) -> None:
    """Date the default portfolio by the fake clock in both databases: the initial
    migration creates it stamped with the real time, which would differ between them."""
    async with container.unit_of_work()() as uow:
        for portfolio in await uow.portfolios.list():
            portfolio.created_at = clock.now()
            await uow.portfolios.update(portfolio)
        await uow.commit()


@pytest.fixture(params=["direct", "remote"])
def facade(
    request: pytest.FixtureRequest, direct: WheelService, remote: RemoteWheelService
) -> WheelFacade:
    """Each mode in turn, for tests that state the expected values outright."""
    chosen: WheelFacade = direct if request.param == "direct" else remote
    return chosen


@dataclass
class Pair:
    """Both modes, asked the same thing one after the other at the same fake time."""

    direct: WheelFacade
    remote: WheelFacade
    called: set[str] = field(default_factory=set)

    async def both(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """The answer of ``method``, after checking both modes gave the same one."""
        self.called.add(method)
        mine = _plain(await getattr(self.direct, method)(*args, **kwargs))
        theirs = _plain(await getattr(self.remote, method)(*args, **kwargs))
        assert theirs == mine, method
        assert EXACT.encode(theirs) == EXACT.encode(mine), method
        return mine

    async def fail(self, method: str, *args: Any, **kwargs: Any) -> tuple[DomainError, DomainError]:
        """The errors both modes raise for ``method``: the same domain kind and message."""
        mine, theirs = await self.errors(method, *args, **kwargs)
        assert domain_kind(theirs) is domain_kind(mine), method
        assert theirs.message == mine.message, method
        return mine, theirs

    async def errors(
        self, method: str, *args: Any, **kwargs: Any
    ) -> tuple[DomainError, DomainError]:
        """The errors both modes raise for ``method``, unchecked."""
        self.called.add(method)
        with pytest.raises(DomainError) as mine:
            await getattr(self.direct, method)(*args, **kwargs)
        with pytest.raises(DomainError) as theirs:
            await getattr(self.remote, method)(*args, **kwargs)
        return mine.value, theirs.value


@pytest.fixture
def pair(direct: WheelService, remote: RemoteWheelService) -> Pair:
    return Pair(direct, remote)


def _plain(answer: Any) -> Any:
    """CSV exports are iterators: compare the text they make."""
    return "".join(answer) if isinstance(answer, Iterator) else answer


def domain_kind(error: DomainError) -> type[DomainError]:
    """The core's error class behind ``error`` (``RemoteNotFoundError`` is a
    ``NotFoundError``; a provider's ``SymbolNotFoundError`` is a ``MarketDataError``)."""
    return next(
        kind
        for kind in type(error).__mro__
        if kind.__module__ == domain_errors.__name__ and issubclass(kind, DomainError)
    )


def put(contracts: int = 3, **fields: Any) -> RecordTrade:
    values: dict[str, Any] = {
        "option_type": OptionType.PUT,
        "strike": Decimal("100"),
        "expiration": PUT_EXPIRY,
        "premium": Decimal("2.00"),
        "contracts": contracts,
        **fields,
    }
    return RecordTrade(**values)


def call(**fields: Any) -> RecordTrade:
    values: dict[str, Any] = {
        "option_type": OptionType.CALL,
        "strike": Decimal("105"),
        "expiration": CALL_EXPIRY,
        "premium": Decimal("1.50"),
        "contracts": 3,
        **fields,
    }
    return RecordTrade(**values)


# ── the worked example, stated outright, in each mode ────────────────────────


async def test_the_worked_example_is_exact_in_both_modes(
    facade: WheelFacade, api_clock: FakeClock
) -> None:
    wheel = await facade.open_wheel(OpenWheel(symbol="AAPL", capital=Decimal("30000")))
    sold_put = await facade.record_trade(wheel.id, put())
    assert sold_put.total_premium == Decimal("600.00")

    api_clock.set(AFTER_PUT_EXPIRY)
    assigned = await facade.expire_trade(sold_put.id, ExpireTrade(price_at_expiry=Decimal(95)))
    assert assigned.outcome is Outcome.ASSIGNED
    holding = await facade.get_wheel(wheel.id)
    assert (holding.state, holding.shares, holding.cost_basis) == (
        WheelState.HOLDING_SHARES,
        300,
        Decimal(100),
    )
    assert str(holding.adjusted_cost_basis) == "98.00"

    sold_call = await facade.record_trade(wheel.id, call())
    api_clock.set(AFTER_CALL_EXPIRY)
    away = await facade.expire_trade(sold_call.id, ExpireTrade(price_at_expiry=Decimal(110)))
    assert away.outcome is Outcome.CALLED_AWAY

    done = await facade.get_wheel(wheel.id)
    assert done.state is WheelState.IDLE
    assert done.shares == 0
    # Exact Decimals with their digits, never floats.
    assert isinstance(done.total_premium, Decimal)
    assert str(done.total_premium) == "1050.00"
    assert str(done.realized_pnl) == "2550.00"
    [sale] = (await facade.wheel_history(wheel.id)).sales
    assert (sale.quantity, sale.price, sale.cost) == (300, Decimal(105), Decimal(30000))
    chains = await facade.roll_chains(wheel.id)
    assert [str(c.realized_pnl) for c in chains] == ["600.00", "450.00"]


# ── every use case, answered alike ────────────────────────────────────────────


async def test_every_use_case_answers_the_same_in_both_modes(
    pair: Pair, api_clock: FakeClock
) -> None:
    both = pair.both

    # Portfolios.
    default = await both("ensure_default_portfolio")
    assert default.is_default
    growth = await both(
        "create_portfolio",
        CreatePortfolio(name="growth", description="tech", capital=Decimal("50000.00")),
    )
    spare = await both("create_portfolio", CreatePortfolio(name="spare"))
    assert [p.name for p in await both("list_portfolios")] == ["default", "growth", "spare"]
    assert (await both("get_portfolio", growth.id)).capital == Decimal("50000.00")
    assert (await both("get_portfolio_by_name", " growth ")).id == growth.id
    await both("update_portfolio", growth.id, UpdatePortfolio(description="second book"))
    assert (await both("set_default_portfolio", growth.id)).is_default
    await both("set_default_portfolio", default.id)
    await both("delete_portfolio", spare.id)

    # The worked example's put on AAPL, with the market looking on.
    aapl = await both("open_wheel", OpenWheel(symbol="aapl", capital=Decimal("30000")))
    sold_put = await both("record_trade", aapl.id, put())
    await both("get_trade", sold_put.id)
    assert (await both("find_wheel", "aapl")).id == aapl.id
    assert (await both("wheel_by_symbol", "aapl")).id == aapl.id
    assert (await both("position_by_symbol", " aapl ", portfolio="default")).wheel_id == aapl.id
    await both("quote", "aapl")
    await both("chain", "AAPL", from_date=date(2026, 12, 1), to_date=PUT_EXPIRY)
    await both("position_status", aapl.id)
    assert (await both("wheel_by_symbol", " aapl", portfolio="default")).id == aapl.id
    assert (await both("position_by_symbol", "AAPL")).wheel_id == aapl.id
    await both("positions")
    await both("positions", portfolio_id=default.id, min_risk=RiskLevel.LOW)
    run = await both("take_snapshot")
    assert [s.symbol for s in run.snapshots] == ["AAPL"]
    await both("take_snapshot", portfolio_id=default.id)
    await both("list_snapshots", SnapshotQuery(symbol="aapl", day_from=date(2026, 11, 1)))
    await both("latest_snapshots", portfolio_id=default.id)
    await both("pnl_history", SnapshotQuery(portfolio_id=default.id))
    await both("performance", Period.DAYS_30, portfolio_id=default.id)
    await both("recommend_batch", max_dte=45)  # AAPL's put is open: only idle/holding wheels

    # Monitoring: prices, risk alerts, the watchlist and the opportunities found on it.
    refresh = await both("refresh_prices")
    assert (refresh.symbols, refresh.refreshed) == (["AAPL"], 1)
    assert (await both("monitor_risk")).checked == 1
    earnings = RaiseAlert(
        kind="earnings",
        key="earnings:aapl",
        message="AAPL reports before the put expires",
        level=RiskLevel.HIGH,
        trade_id=sold_put.id,
    )
    alert = await both("raise_alert", earnings)
    assert alert.wheel_id == aapl.id
    assert await both("raise_alert", earnings) is None
    await both("list_alerts")
    await both(
        "list_alerts",
        AlertQuery(
            acknowledged=False,
            kind="earnings",
            wheel_id=aapl.id,
            min_level=RiskLevel.MEDIUM,
            created_from=date(2026, 11, 24),
            created_to=date(2026, 11, 24),
            limit=1,
        ),
    )
    await both("get_alert", alert.id)
    assert (await both("acknowledge_alert", alert.id)).acknowledged_at is not None
    await both("add_to_watchlist", AddToWatchlist(symbol="ko", note="dividends"))
    await both("add_to_watchlist", AddToWatchlist(symbol="JNJ"))
    assert [e.symbol for e in await both("watchlist")] == ["JNJ", "KO"]
    await both("remove_from_watchlist", "jnj")
    scan = await both("scan_opportunities")
    assert scan.found
    assert (await both("scan_opportunities")).updated == len(scan.found)
    watched = await both(
        "list_opportunities",
        OpportunityQuery(
            symbol="ko", source=OpportunitySource.WATCHLIST, option_type=OptionType.PUT, limit=2
        ),
    )
    await both("mark_opportunity_read", watched.items[0].id)
    await both("list_opportunities", OpportunityQuery(unread_only=True, offset=1))
    assert await both("unread_opportunities") == len(scan.found) - 1
    assert await both("mark_all_opportunities_read") == len(scan.found) - 1

    # MSFT in the growth portfolio: shares in and out, a close, a roll, corrections.
    msft = await both(
        "open_wheel", OpenWheel(symbol="MSFT", portfolio_id=growth.id, capital=Decimal(50000))
    )
    assert (await both("find_wheel", "msft", growth.id)).id == msft.id
    assert (await both("wheel_by_symbol", "msft", portfolio=" growth ")).id == msft.id
    await both("update_wheel", msft.id, UpdateWheel(profile=RiskProfile.AGGRESSIVE))
    await both("recommend", msft.id, max_dte=30)
    await both("import_shares", msft.id, ImportShares(shares=100, cost_basis=Decimal("400.00")))
    await both("recommend", msft.id, allow_below_cost_basis=True)
    await both("sell_shares", msft.id, SellShares(price=Decimal("410.25"), fees=Decimal("1")))
    closing = await both("record_trade", msft.id, put(1, strike=Decimal(450)))
    await both("close_trade", closing.id, CloseTrade(price=Decimal("0.55")))
    rolling = await both("record_trade", msft.id, put(1, strike=Decimal(450)))
    rolled = await both(
        "roll_trade",
        rolling.id,
        RollTrade(
            close_price=Decimal("1.10"),
            strike=Decimal("440"),
            expiration=CALL_EXPIRY,
            premium=Decimal("3.35"),
        ),
    )
    assert rolled.rolled_from_id == rolling.id
    await both("correct_trade", rolled.id, CorrectTrade(fees=Decimal("1.30")))
    early = await both("assign_trade", rolled.id, AssignTrade(price=Decimal("431.5")))
    assert early.outcome is Outcome.ASSIGNED
    mistaken = await both("record_trade", msft.id, call(strike=Decimal(460), contracts=1))
    await both("delete_trade", mistaken.id)
    await both("roll_chains", msft.id)
    await both("wheel_history", msft.id)
    await both("recommend_batch", [msft.id, aapl.id])
    await both("portfolio_summary", growth.id)

    # The rest of the worked example: assigned, then called away.
    api_clock.set(AFTER_PUT_EXPIRY)
    await both("expire_trade", sold_put.id, ExpireTrade(price_at_expiry=Decimal(95)))
    await both("recommend", aapl.id)
    sold_call = await both("record_trade", aapl.id, call())
    api_clock.set(AFTER_CALL_EXPIRY)
    await both("expire_trade", sold_call.id, ExpireTrade(price_at_expiry=Decimal(110)))
    done = await both("get_wheel", aapl.id)
    assert (str(done.total_premium), str(done.realized_pnl)) == ("1050.00", "2550.00")

    # Lists, filters and paging of trades; exports.
    every = await both("list_trades")
    assert every.total == len(every.items) == 5
    assert every.limit is None
    await both("list_trades", TradeQuery(symbol="aapl", option_type=OptionType.PUT))
    await both("list_trades", TradeQuery(portfolio_id=growth.id, offset=1, limit=2))
    await both("list_trades", TradeQuery(wheel_id=msft.id, outcome="rolled"))
    await both("list_trades", TradeQuery(is_open=False, opened_from=date(2026, 11, 24)))
    await both("list_trades", TradeQuery(outcome="open", opened_to=date(2026, 11, 1)))
    await both("list_snapshots", SnapshotQuery(offset=0, limit=1, day_to=date(2026, 12, 31)))
    await both("list_snapshots", SnapshotQuery(wheel_id=aapl.id))
    await both("performance")
    await both("performance", wheel_id=aapl.id)
    await both("performance", Period.DAYS_365, portfolio_id=growth.id)
    trades_csv = await both("export_trades_csv")
    assert trades_csv.count("\n") == 6  # the header and five trades
    await both("export_trades_csv", TradeQuery(symbol="msft", offset=1, limit=2))
    await both("export_trades_csv", TradeQuery(portfolio_id=default.id, is_open=False))
    await both("export_performance_csv")
    await both("export_performance_csv", Period.DAYS_90, portfolio_id=growth.id)

    # Wheels listed, archived, deleted; a portfolio deleted with its wheels.
    await both("list_wheels")
    await both("archive_wheel", aapl.id)
    archived = await both("wheel_by_symbol", "AAPL", include_archived=True)
    assert (archived.id, archived.active) == (aapl.id, False)
    await both("list_wheels", active=None)
    await both("list_wheels", portfolio_id=default.id, symbol="aapl", active=False)
    await both("list_wheels", symbol="msft")
    await both("delete_wheel", aapl.id)
    old = await both("create_portfolio", CreatePortfolio(name="old"))
    await both("open_wheel", OpenWheel(symbol="SPY", portfolio_id=old.id))
    await both("delete_portfolio", old.id, cascade=True)
    assert [w.symbol for w in await both("list_wheels", active=None)] == ["MSFT"]

    assert pair.called == FACADE_METHODS


async def test_a_list_longer_than_a_page_is_fetched_whole(
    api_container: Container, api: AsyncTestClient[Any]
) -> None:
    """520 portfolios are two pages of the API (at most 500 each) but one list here."""
    async with api_container.unit_of_work()() as uow:
        for number in range(520):
            await uow.portfolios.add(
                Portfolio(name=f"book {number:03}", created_at=datetime(2026, 1, 1, tzinfo=UTC))
            )
        await uow.commit()
    requests: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        requests.append(request)

    api.event_hooks = {"request": [record], "response": []}
    service: WheelService = api_container.service()

    listed = await RemoteWheelService(api).list_portfolios()

    assert listed == await service.list_portfolios()
    assert len(listed) == 521  # and the default
    assert [dict(r.url.params) for r in requests] == [
        {"offset": "0", "limit": "500"},
        {"offset": "500", "limit": "500"},
    ]
    requests.clear()
    page = await RemoteWheelService(api).list_trades(TradeQuery(offset=3, limit=700))
    assert page == await service.list_trades(TradeQuery(offset=3, limit=700))
    assert [dict(r.url.params) for r in requests] == [{"offset": "3", "limit": "500"}]


# ── every kind of error, alike ───────────────────────────────────────────────


async def test_not_found_is_the_same_error_and_message(pair: Pair) -> None:
    _, error = await pair.fail("get_wheel", 999)
    assert error.message == "wheel 999 not found"
    assert isinstance(error, RemoteNotFoundError)
    assert (error.kind, error.key) == ("wheel", 999)
    await pair.fail("get_trade", 0)  # an id the API would refuse as malformed
    await pair.fail("expire_trade", 42, ExpireTrade(price_at_expiry=Decimal(1)))
    await pair.fail("performance", portfolio_id=77)
    await pair.fail("positions", portfolio_id=77)


async def test_monitoring_fails_alike_in_both_modes(pair: Pair) -> None:
    for method, key in [
        ("get_alert", 999),
        ("acknowledge_alert", 0),
        ("mark_opportunity_read", 999),
        ("mark_opportunity_read", 0),
    ]:
        mine, _ = await pair.fail(method, key)
        assert type(mine) is NotFoundError
    await pair.both("add_to_watchlist", AddToWatchlist(symbol="KO"))
    mine, _ = await pair.fail("add_to_watchlist", AddToWatchlist(symbol="ko"))
    assert mine.message == "KO is already on the watchlist"
    mine, _ = await pair.fail("remove_from_watchlist", "MSFT")
    assert mine.message == "watchlist symbol 'MSFT' not found"
    mine, _ = await pair.fail("remove_from_watchlist", "$$")
    assert type(mine) is ValidationError
    mine, _ = await pair.fail("list_opportunities", OpportunityQuery(symbol="a b"))
    assert type(mine) is ValidationError
    mine, _ = await pair.fail(
        "raise_alert", RaiseAlert(kind="x", key="x:1", message="m", wheel_id=404)
    )
    assert mine.message == "wheel 404 not found"
    aapl = await pair.both("open_wheel", OpenWheel(symbol="AAPL", capital=Decimal(30000)))
    ko = await pair.both("open_wheel", OpenWheel(symbol="KO"))
    sold = await pair.both("record_trade", aapl.id, put())
    mine, _ = await pair.fail(
        "raise_alert",
        RaiseAlert(kind="x", key="x:1", message="m", wheel_id=ko.id, trade_id=sold.id),
    )
    assert type(mine) is ValidationError


async def test_an_invalid_transition_carries_its_state_and_allowed_actions(pair: Pair) -> None:
    wheel = await pair.both("open_wheel", OpenWheel(symbol="AAPL", capital=Decimal(30000)))
    mine, theirs = await pair.fail("record_trade", wheel.id, call())
    assert isinstance(mine, InvalidTransitionError)
    assert isinstance(theirs, RemoteInvalidTransitionError)
    assert (theirs.state, theirs.action, theirs.allowed) == (mine.state, mine.action, mine.allowed)
    assert theirs.message == (
        "cannot sell call while the wheel is idle; allowed actions: sell_put, import_shares, "
        "archive"
    )


async def test_a_rule_violation_is_refused_with_the_same_message(pair: Pair) -> None:
    wheel = await pair.both("open_wheel", OpenWheel(symbol="AAPL", capital=Decimal(1000)))
    mine, theirs = await pair.errors("record_trade", wheel.id, put())
    assert isinstance(mine, RuleViolationError)
    assert type(theirs) is RuleViolationError
    assert theirs.message == mine.message
    assert "needs 30000 of collateral" in theirs.message


async def test_a_rule_violation_is_the_same_type_in_both_modes(pair: Pair) -> None:
    wheel = await pair.both("open_wheel", OpenWheel(symbol="AAPL", capital=Decimal(1000)))
    mine, theirs = await pair.errors("record_trade", wheel.id, put())
    assert type(mine) is RuleViolationError
    assert type(theirs) is type(mine)


async def test_conflicts_are_the_same_error_and_message(pair: Pair) -> None:
    default = await pair.both("ensure_default_portfolio")
    await pair.both("create_portfolio", CreatePortfolio(name="growth"))
    mine, _ = await pair.fail("create_portfolio", CreatePortfolio(name="growth"))
    assert type(mine) is ConflictError
    await pair.fail("delete_portfolio", default.id)
    await pair.fail("update_portfolio", default.id, UpdatePortfolio(is_default=False))


async def test_validation_errors_are_the_same_error_and_message(pair: Pair) -> None:
    # Refused by the service (a 422 over HTTP) ...
    mine, _ = await pair.fail("chain", "AAPL", from_date=date(2027, 1, 1), to_date=date(2026, 1, 1))
    assert type(mine) is ValidationError
    # ... and refused before any request, with the core's words rather than the API's 400.
    for method, args, kwargs in [
        ("quote", ("$$$",), {}),
        ("find_wheel", ("not a ticker",), {}),
        ("list_wheels", (), {"symbol": "no way!"}),
        ("list_trades", (TradeQuery(symbol="a b c"),), {}),
        ("list_snapshots", (SnapshotQuery(symbol="#"),), {}),
        ("export_trades_csv", (TradeQuery(symbol="?"),), {}),
    ]:
        mine, _ = await pair.fail(method, *args, **kwargs)
        assert type(mine) is ValidationError
        assert mine.message.startswith("symbol must be a ticker")


async def test_unknown_names_and_missing_wheels_are_the_same_not_found(pair: Pair) -> None:
    mine, theirs = await pair.fail("get_portfolio_by_name", "nope")
    assert type(theirs) is NotFoundError
    assert mine.message == "portfolio 'nope' not found"
    mine, theirs = await pair.fail("find_wheel", "zzz")
    assert type(theirs) is NotFoundError
    assert mine.message == "active wheel 'ZZZ in default' not found"
    growth = await pair.both("create_portfolio", CreatePortfolio(name="growth"))
    await pair.both("open_wheel", OpenWheel(symbol="AAPL"))  # in the default portfolio
    mine, _ = await pair.fail("find_wheel", "AAPL", growth.id)
    assert mine.message == "active wheel 'AAPL in growth' not found"
    await pair.fail("find_wheel", "AAPL", 404)
    mine, _ = await pair.fail("wheel_by_symbol", "AAPL", portfolio="growth")
    assert mine.message == "active wheel 'AAPL in growth' not found"
    mine, _ = await pair.fail("wheel_by_symbol", "AAPL", portfolio="nope")
    assert mine.message == "portfolio 'nope' not found"
    mine, _ = await pair.fail("position_by_symbol", "MSFT")
    assert mine.message == "active wheel 'MSFT in default' not found"
    mine, _ = await pair.fail("wheel_by_symbol", "MSFT", include_archived=True)
    assert mine.message == "wheel 'MSFT in default' not found"
    await pair.fail("wheel_by_symbol", "BRK/B", portfolio="growth")


async def test_a_symbol_the_market_does_not_list_is_a_market_data_error(pair: Pair) -> None:
    mine, theirs = await pair.fail("quote", "ZZZZQ")
    assert domain_kind(mine) is MarketDataError
    assert type(theirs) is MarketDataError
    await pair.fail("chain", "zzzzq")


async def test_a_class_share_ticker_keeps_its_slash_in_both_modes(pair: Pair) -> None:
    """``BRK/B`` travels as ``/market/quotes/BRK/B``: the symbol routes take the rest of
    the path, since the server decodes ``%2F`` before it routes."""
    await pair.fail("quote", "brk/b")  # not listed by the simulated market, alike
    await pair.fail("chain", "BRK/B")
    await pair.both("add_to_watchlist", AddToWatchlist(symbol="brk/b"))
    await pair.both("add_to_watchlist", AddToWatchlist(symbol="B"))
    await pair.both("remove_from_watchlist", "BRK/B")
    assert [e.symbol for e in await pair.both("watchlist")] == ["B"]


@pytest.mark.parametrize("odd", ["A/../B", "A/", "/B", "A//B", "../B", "A/B/C"])
async def test_a_ticker_a_url_would_rewrite_is_refused_alike(pair: Pair, odd: str) -> None:
    """Nothing that httpx or the router would resolve, trim or merge is a ticker, so
    no symbol can reach the server as another one (``A/../B`` as ``B``)."""
    await pair.both("add_to_watchlist", AddToWatchlist(symbol="B"))
    mine, _ = await pair.fail("remove_from_watchlist", odd)
    assert domain_kind(mine) is ValidationError
    assert [e.symbol for e in await pair.both("watchlist")] == ["B"]


# ── the link itself: canned answers through httpx.MockTransport ──────────────

SERVER = "http://127.0.0.1:8765"


def canned(
    handler: Callable[[httpx.Request], httpx.Response],
    **options: Any,
) -> RemoteWheelService:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url=SERVER, **options)
    return RemoteWheelService(client)


def problem(status: int, detail: str, code: str, **extra: Any) -> httpx.Response:
    return httpx.Response(
        status,
        json={"type": "about:blank", "status": status, "detail": detail, "code": code, **extra},
        headers={"content-type": "application/problem+json"},
    )


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.ConnectTimeout("timed out"),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
)
async def test_no_server_is_unreachable_naming_the_url(failure: httpx.TransportError) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise failure

    with pytest.raises(ServerUnreachableError) as caught:
        await canned(refuse).list_portfolios()

    assert caught.value.url == SERVER
    assert SERVER in str(caught.value)
    assert "wheel-strategy serve" in str(caught.value)
    assert "--direct-mode" in str(caught.value)
    assert not isinstance(caught.value, DomainError)


async def test_a_missing_or_wrong_token_is_an_auth_error() -> None:
    def unauthorized(request: httpx.Request) -> httpx.Response:
        return problem(401, "this server requires an API token", "unauthorized")

    with pytest.raises(RemoteAuthError) as missing:
        await canned(unauthorized).get_wheel(1)
    assert "requires an API token" in missing.value.message
    assert "WHEEL_API_TOKEN" in str(missing.value)
    assert not missing.value.token_sent

    with pytest.raises(RemoteAuthError) as wrong:
        await canned(unauthorized, headers={"Authorization": "Bearer nope"}).get_wheel(1)
    assert wrong.value.token_sent
    assert "refused the API token" in str(wrong.value)


def test_connect_sends_the_token_to_the_server_root() -> None:
    client = connect("http://127.0.0.1:8000", "s3cret", timeout=5.0)
    assert client.headers["authorization"] == "Bearer s3cret"
    assert str(client.base_url) == "http://127.0.0.1:8000"
    assert client.timeout.read == 5.0
    assert "authorization" not in connect("http://127.0.0.1:8000", None).headers


async def test_a_server_crash_carries_its_status_and_error_id() -> None:
    def crash(request: httpx.Request) -> httpx.Response:
        return problem(
            500,
            "an unexpected error occurred; it was logged with id 0123abcd",
            "internal_error",
            error_id="0123abcd",
        )

    with pytest.raises(RemoteServerError) as caught:
        await canned(crash).performance()

    assert (caught.value.status, caught.value.error_id) == (500, "0123abcd")
    assert "0123abcd" in caught.value.message
    assert "500" in str(caught.value)


@pytest.mark.parametrize(
    ("status", "body"),
    [(502, b"<html><body>Bad Gateway</body></html>"), (500, b""), (200, b"<html>hi</html>")],
)
async def test_a_body_that_is_not_json_is_a_server_error(status: int, body: bytes) -> None:
    def proxy(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": "text/html"})

    with pytest.raises(RemoteServerError) as caught:
        await canned(proxy).get_portfolio(1)

    assert caught.value.status == status
    assert caught.value.error_id is None


async def test_a_400_names_the_fields_it_refused() -> None:
    def invalid(request: httpx.Request) -> httpx.Response:
        return problem(
            400,
            "max_dte: Expected `int` <= 730",
            "invalid_request",
            errors=[{"field": "max_dte", "source": "query", "message": "Expected `int` <= 730"}],
        )

    with pytest.raises(RemoteValidationError) as caught:
        await canned(invalid).recommend(1, max_dte=1000)

    assert isinstance(caught.value, ValidationError)
    assert caught.value.fields == ("max_dte",)
    assert caught.value.message == "max_dte: Expected `int` <= 730"


@pytest.mark.parametrize(
    ("response", "kind"),
    [
        (problem(503, "the provider timed out", "market_data_unavailable"), MarketDataError),
        (problem(422, "strike must be greater than 0, got 0", "invalid"), ValidationError),
        (problem(409, "the AAPL wheel is archived", "conflict"), ConflictError),
        (problem(422, "no", "refused"), DomainError),
    ],
)
async def test_problems_become_the_core_errors_they_report(
    response: httpx.Response, kind: type[DomainError]
) -> None:
    with pytest.raises(DomainError) as caught:
        await canned(lambda request: response).get_wheel(1)
    assert type(caught.value) is kind
    assert caught.value.message == response.json()["detail"]


async def test_csv_lines_join_back_to_the_body_the_server_sent() -> None:
    text = 'id,symbol\r\n1,AAPL\n2,MSFT\n3,"a,b"'

    def export(request: httpx.Request) -> httpx.Response:
        assert request.url.params["symbol"] == "AAPL"
        return httpx.Response(200, text=text, headers={"content-type": "text/csv"})

    lines = list(await canned(export).export_trades_csv(TradeQuery(symbol="aapl")))
    assert "".join(lines) == text
    assert lines == ["id,symbol\r\n", "1,AAPL\n", "2,MSFT\n", '3,"a,b"']
