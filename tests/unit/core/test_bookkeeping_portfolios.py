"""WheelService of portfolios and wheels: what exists, what is unique, what may be deleted."""

import re
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from wheel_core.app import (
    CreatePortfolio,
    ExpireTrade,
    ImportShares,
    OpenWheel,
    RecordTrade,
    SellShares,
    UpdatePortfolio,
    UpdateWheel,
)
from wheel_core.app.service import WheelService
from wheel_core.domain.enums import OptionType, RiskProfile, WheelState
from wheel_core.domain.errors import (
    ConflictError,
    InvalidTransitionError,
    NotFoundError,
    ValidationError,
)
from wheel_core.testing.fakes import FakeClock, InMemoryUnitOfWorkFactory

Unchanged = Callable[[], AbstractContextManager[None]]

JAN16 = date(2026, 1, 16)
FEB20 = date(2026, 2, 20)


def put(strike: str, premium: str, contracts: int = 1, expiration: date = JAN16) -> RecordTrade:
    return RecordTrade(
        option_type=OptionType.PUT,
        strike=D(strike),
        expiration=expiration,
        premium=D(premium),
        contracts=contracts,
    )


def call(strike: str, premium: str, contracts: int = 1, expiration: date = FEB20) -> RecordTrade:
    return RecordTrade(
        option_type=OptionType.CALL,
        strike=D(strike),
        expiration=expiration,
        premium=D(premium),
        contracts=contracts,
    )


# ── portfolios ────────────────────────────────────────────────────────────


async def test_the_default_portfolio_is_created_on_demand_and_only_once(
    books: WheelService,
) -> None:
    assert await books.list_portfolios() == []

    first = await books.ensure_default_portfolio()
    again = await books.ensure_default_portfolio()
    wheel = await books.open_wheel(OpenWheel(symbol="AAPL"))

    assert first.name == "default"
    assert first.is_default
    assert again.id == first.id
    assert wheel.portfolio_id == first.id
    assert [p.name for p in await books.list_portfolios()] == ["default"]


async def test_opening_a_wheel_without_a_portfolio_creates_the_default_one(
    books: WheelService,
) -> None:
    wheel = await books.open_wheel(OpenWheel(symbol="AAPL"))

    (portfolio,) = await books.list_portfolios()
    assert portfolio.is_default
    assert wheel.portfolio_id == portfolio.id


async def test_a_portfolio_name_is_unique(books: WheelService, unchanged: Unchanged) -> None:
    await books.create_portfolio(CreatePortfolio(name="Income"))

    with unchanged(), pytest.raises(ConflictError, match="'Income' already exists"):
        await books.create_portfolio(CreatePortfolio(name="  Income "))


async def test_a_portfolio_is_created_with_its_description_and_capital(
    books: WheelService, clock: FakeClock
) -> None:
    created = await books.create_portfolio(
        CreatePortfolio(name=" Income ", description="Dividend names", capital=D("50000"))
    )

    fetched = await books.get_portfolio_by_name("Income")
    assert fetched == created
    assert (fetched.name, fetched.description, fetched.capital) == (
        "Income",
        "Dividend names",
        D("50000"),
    )
    assert not fetched.is_default
    assert fetched.created_at == clock.now()


def test_an_empty_portfolio_name_is_refused() -> None:
    with pytest.raises(ValidationError, match="name must not be empty"):
        CreatePortfolio(name="   ")


async def test_update_changes_name_description_and_capital(books: WheelService) -> None:
    created = await books.create_portfolio(CreatePortfolio(name="Income", capital=D("10000")))
    assert created.id is not None

    updated = await books.update_portfolio(
        created.id,
        UpdatePortfolio(name="Growth", description="Tech names", capital=D("25000.50")),
    )

    assert await books.get_portfolio(created.id) == updated
    assert (updated.name, updated.description, updated.capital) == (
        "Growth",
        "Tech names",
        D("25000.50"),
    )


async def test_update_leaves_fields_that_are_not_given(books: WheelService) -> None:
    created = await books.create_portfolio(
        CreatePortfolio(name="Income", description="Dividends", capital=D("10000"))
    )
    assert created.id is not None

    updated = await books.update_portfolio(created.id, UpdatePortfolio(capital=D("12000")))

    assert (updated.name, updated.description, updated.capital) == (
        "Income",
        "Dividends",
        D("12000"),
    )


async def test_renaming_onto_another_portfolios_name_is_refused(
    books: WheelService, unchanged: Unchanged
) -> None:
    await books.create_portfolio(CreatePortfolio(name="Income"))
    growth = await books.create_portfolio(CreatePortfolio(name="Growth"))
    assert growth.id is not None

    with unchanged(), pytest.raises(ConflictError, match="'Income' already exists"):
        await books.update_portfolio(growth.id, UpdatePortfolio(name="Income"))


async def test_setting_the_default_moves_the_flag(books: WheelService) -> None:
    default = await books.ensure_default_portfolio()
    income = await books.create_portfolio(CreatePortfolio(name="Income"))
    assert income.id is not None

    await books.set_default_portfolio(income.id)

    defaults = [p.name for p in await books.list_portfolios() if p.is_default]
    assert defaults == ["Income"]
    assert default.id is not None
    assert not (await books.get_portfolio(default.id)).is_default
    wheel = await books.open_wheel(OpenWheel(symbol="AAPL"))
    assert wheel.portfolio_id == income.id


async def test_creating_a_portfolio_as_default_takes_the_flag(books: WheelService) -> None:
    await books.ensure_default_portfolio()

    await books.create_portfolio(CreatePortfolio(name="Income", is_default=True))

    assert [p.name for p in await books.list_portfolios() if p.is_default] == ["Income"]


async def test_the_default_flag_cannot_just_be_removed(
    books: WheelService, unchanged: Unchanged
) -> None:
    default = await books.ensure_default_portfolio()
    assert default.id is not None

    with unchanged(), pytest.raises(ConflictError, match="make another one the default"):
        await books.update_portfolio(default.id, UpdatePortfolio(is_default=False))


async def test_the_default_portfolio_cannot_be_deleted(
    books: WheelService, unchanged: Unchanged
) -> None:
    default = await books.ensure_default_portfolio()
    assert default.id is not None

    with unchanged(), pytest.raises(ConflictError, match="default portfolio cannot be deleted"):
        await books.delete_portfolio(default.id)


async def test_an_empty_portfolio_is_deleted(books: WheelService) -> None:
    income = await books.create_portfolio(CreatePortfolio(name="Income"))
    assert income.id is not None

    await books.delete_portfolio(income.id)

    with pytest.raises(NotFoundError):
        await books.get_portfolio(income.id)


async def test_a_portfolio_with_wheels_is_deleted_only_with_cascade(
    books: WheelService, factory: InMemoryUnitOfWorkFactory, unchanged: Unchanged
) -> None:
    income = await books.create_portfolio(CreatePortfolio(name="Income"))
    assert income.id is not None
    aapl = await books.open_wheel(
        OpenWheel(symbol="AAPL", portfolio_id=income.id, capital=D("10000"))
    )
    await books.record_trade(aapl.id, put("100", "2.00"))
    await books.open_wheel(
        OpenWheel(symbol="KO", portfolio_id=income.id, shares=100, cost_basis=D("60"))
    )
    elsewhere = await books.open_wheel(OpenWheel(symbol="AAPL", capital=D("10000")))
    kept = await books.record_trade(elsewhere.id, put("100", "1.00"))

    with unchanged(), pytest.raises(ConflictError, match="still has 2 wheel"):
        await books.delete_portfolio(income.id)

    await books.delete_portfolio(income.id, cascade=True)

    with pytest.raises(NotFoundError):
        await books.get_portfolio(income.id)
    tables = factory.store.tables
    assert [w.id for w in tables["wheels"].rows.values()] == [elsewhere.id]  # type: ignore[attr-defined]
    assert list(tables["trades"].rows) == [kept.id]
    assert tables["share_moves"].rows == {}


async def test_an_unknown_portfolio_is_not_found(books: WheelService) -> None:
    with pytest.raises(NotFoundError, match="portfolio 99 not found"):
        await books.get_portfolio(99)
    with pytest.raises(NotFoundError, match="portfolio 'Nope' not found"):
        await books.get_portfolio_by_name("Nope")
    with pytest.raises(NotFoundError):
        await books.open_wheel(OpenWheel(symbol="AAPL", portfolio_id=99))


async def test_portfolio_summary_adds_up_its_wheels(books: WheelService, clock: FakeClock) -> None:
    income = await books.create_portfolio(CreatePortfolio(name="Income", capital=D("60000")))
    assert income.id is not None
    aapl = await books.open_wheel(
        OpenWheel(symbol="AAPL", portfolio_id=income.id, capital=D("30000"))
    )
    msft = await books.open_wheel(
        OpenWheel(symbol="MSFT", portfolio_id=income.id, capital=D("20000"))
    )
    ko = await books.open_wheel(OpenWheel(symbol="KO", portfolio_id=income.id, capital=D("7000")))
    await books.archive_wheel(ko.id)
    # AAPL: 3 puts at 2.00 expire worthless (+600); MSFT: 1 put at 2.50 still open (250).
    aapl_put = await books.record_trade(aapl.id, put("100", "2.00", contracts=3))
    await books.record_trade(msft.id, put("200", "2.50"))
    clock.set(datetime(2026, 1, 20, 15, 0, tzinfo=UTC))
    await books.expire_trade(aapl_put.id, ExpireTrade(price_at_expiry=D("104")))

    summary = await books.portfolio_summary(income.id)

    assert summary.portfolio.name == "Income"
    assert summary.wheels == 3
    assert summary.active_wheels == 2
    assert summary.open_trades == 1
    assert summary.capital_allocated == D("50000")
    assert summary.total_premium == D("850.00")
    assert summary.realized_pnl == D("600.00")


# ── wheels ────────────────────────────────────────────────────────────────


async def test_a_wheel_opens_idle_in_the_default_portfolio(
    books: WheelService, clock: FakeClock
) -> None:
    wheel = await books.open_wheel(
        OpenWheel(symbol="AAPL", capital=D("30000"), profile=RiskProfile.CONSERVATIVE)
    )

    default = await books.ensure_default_portfolio()
    assert wheel.portfolio_id == default.id
    assert wheel.state is WheelState.IDLE
    assert (wheel.shares, wheel.cost_basis, wheel.adjusted_cost_basis) == (0, None, None)
    assert wheel.capital == D("30000")
    assert wheel.profile is RiskProfile.CONSERVATIVE
    assert wheel.active
    assert wheel.allowed_actions == ["sell_put", "import_shares", "archive"]
    assert wheel.open_trade is None
    assert wheel.created_at == wheel.updated_at == clock.now()
    assert await books.get_wheel(wheel.id) == wheel


async def test_the_symbol_is_normalized(books: WheelService) -> None:
    wheel = await books.open_wheel(OpenWheel(symbol=" aapl "))

    assert wheel.symbol == "AAPL"
    assert (await books.find_wheel("aapl")).id == wheel.id
    assert [w.id for w in await books.list_wheels(symbol=" Aapl")] == [wheel.id]


@pytest.mark.parametrize("symbol", ["", "   ", "AAPL!", "A APL", "TOOLONGSYMBOL1"])
def test_a_bad_symbol_is_refused(symbol: str) -> None:
    with pytest.raises(ValidationError, match="symbol must be a ticker"):
        OpenWheel(symbol=symbol)


async def test_a_bad_symbol_is_refused_by_lookups(books: WheelService) -> None:
    with pytest.raises(ValidationError, match="symbol must be a ticker"):
        await books.find_wheel("AAPL!")


async def test_only_one_active_wheel_per_symbol_in_a_portfolio(
    books: WheelService, unchanged: Unchanged
) -> None:
    await books.open_wheel(OpenWheel(symbol="AAPL"))

    with (
        unchanged(),
        pytest.raises(
            ConflictError, match="AAPL already has an active wheel in portfolio 'default'"
        ),
    ):
        await books.open_wheel(OpenWheel(symbol="aapl"))


async def test_the_same_symbol_may_wheel_in_another_portfolio(books: WheelService) -> None:
    income = await books.create_portfolio(CreatePortfolio(name="Income"))
    first = await books.open_wheel(OpenWheel(symbol="AAPL"))

    second = await books.open_wheel(OpenWheel(symbol="AAPL", portfolio_id=income.id))

    assert second.id != first.id
    assert second.portfolio_id == income.id
    assert (await books.find_wheel("AAPL", income.id)).id == second.id
    assert (await books.find_wheel("AAPL")).id == first.id


async def test_a_new_wheel_may_open_once_the_old_one_is_archived(books: WheelService) -> None:
    old = await books.open_wheel(OpenWheel(symbol="AAPL"))
    await books.archive_wheel(old.id)

    new = await books.open_wheel(OpenWheel(symbol="AAPL"))

    assert new.id != old.id
    assert (await books.find_wheel("AAPL")).id == new.id
    assert [w.id for w in await books.list_wheels()] == [new.id]
    assert [w.id for w in await books.list_wheels(active=False)] == [old.id]
    assert [w.id for w in await books.list_wheels(active=None)] == [old.id, new.id]


async def test_a_wheel_opened_with_shares_holds_them(books: WheelService, clock: FakeClock) -> None:
    wheel = await books.open_wheel(OpenWheel(symbol="KO", shares=200, cost_basis=D("61.25")))

    assert wheel.state is WheelState.HOLDING_SHARES
    assert wheel.shares == 200
    assert wheel.cost_basis == D("61.25")
    assert wheel.adjusted_cost_basis == D("61.25")
    assert wheel.allowed_actions == ["sell_call", "sell_shares", "archive"]
    history = await books.wheel_history(wheel.id)
    (lot,) = history.lots
    assert (lot.quantity, lot.cost, lot.source, lot.acquired_at) == (
        200,
        D("61.25"),
        "imported",
        clock.now(),
    )


def test_shares_need_a_cost_basis() -> None:
    with pytest.raises(ValidationError, match="cost_basis is required"):
        OpenWheel(symbol="KO", shares=200)


async def test_a_wheel_cannot_be_archived_while_an_option_is_open(
    books: WheelService, unchanged: Unchanged
) -> None:
    wheel = await books.open_wheel(OpenWheel(symbol="AAPL", capital=D("10000")))
    await books.record_trade(wheel.id, put("100", "2.00"))

    expected = (
        "cannot archive while the wheel is put_open; allowed actions: expire, close, roll, assign"
    )
    with unchanged(), pytest.raises(InvalidTransitionError, match=re.escape(expected)) as refused:
        await books.archive_wheel(wheel.id)
    assert refused.value.state == "put_open"
    assert refused.value.allowed == ("expire", "close", "roll", "assign")


async def test_an_archived_wheel_keeps_its_history_and_allows_nothing(
    books: WheelService, clock: FakeClock
) -> None:
    wheel = await books.open_wheel(OpenWheel(symbol="AAPL", capital=D("10000")))
    trade = await books.record_trade(wheel.id, put("100", "2.00"))
    clock.set(datetime(2026, 1, 20, 15, 0, tzinfo=UTC))
    await books.expire_trade(trade.id, ExpireTrade(price_at_expiry=D("101")))

    archived = await books.archive_wheel(wheel.id)

    assert not archived.active
    assert archived.allowed_actions == []
    assert archived.realized_pnl == D("200.00")
    assert [t.id for t in (await books.wheel_history(wheel.id)).trades] == [trade.id]


ARCHIVED_ACTIONS: list[tuple[str, Callable[[WheelService, int], Awaitable[object]]]] = [
    ("sell put", lambda books, wheel_id: books.record_trade(wheel_id, put("100", "2.00"))),
    ("sell call", lambda books, wheel_id: books.record_trade(wheel_id, call("65", "0.80"))),
    (
        "import shares",
        lambda books, wheel_id: books.import_shares(
            wheel_id, ImportShares(shares=100, cost_basis=D("60"))
        ),
    ),
    ("sell shares", lambda books, wheel_id: books.sell_shares(wheel_id, SellShares(price=D("64")))),
    ("archive", lambda books, wheel_id: books.archive_wheel(wheel_id)),
]


@pytest.mark.parametrize(
    "action", [pytest.param(action, id=name) for name, action in ARCHIVED_ACTIONS]
)
async def test_actions_on_an_archived_wheel_are_refused(
    books: WheelService,
    unchanged: Unchanged,
    action: Callable[[WheelService, int], Awaitable[object]],
) -> None:
    wheel = await books.open_wheel(OpenWheel(symbol="KO", shares=100, cost_basis=D("60")))
    await books.archive_wheel(wheel.id)

    with unchanged(), pytest.raises(ConflictError, match="KO wheel is archived; open a new wheel"):
        await action(books, wheel.id)


async def test_update_changes_a_wheels_profile_and_capital(
    books: WheelService, clock: FakeClock
) -> None:
    wheel = await books.open_wheel(OpenWheel(symbol="AAPL", capital=D("10000")))
    later = datetime(2026, 1, 6, 15, 0, tzinfo=UTC)
    clock.set(later)

    updated = await books.update_wheel(
        wheel.id, UpdateWheel(profile=RiskProfile.AGGRESSIVE, capital=D("15000"))
    )

    assert updated.profile is RiskProfile.AGGRESSIVE
    assert updated.capital == D("15000")
    assert updated.updated_at == later
    assert await books.get_wheel(wheel.id) == updated


async def test_update_leaves_what_is_not_given(books: WheelService) -> None:
    wheel = await books.open_wheel(
        OpenWheel(symbol="AAPL", capital=D("10000"), profile=RiskProfile.DEFENSIVE)
    )

    updated = await books.update_wheel(wheel.id, UpdateWheel(capital=D("12000")))

    assert (updated.profile, updated.capital) == (RiskProfile.DEFENSIVE, D("12000"))


async def test_raising_the_capital_lets_a_bigger_put_be_cash_secured(
    books: WheelService,
) -> None:
    wheel = await books.open_wheel(OpenWheel(symbol="AAPL", capital=D("10000")))
    await books.update_wheel(wheel.id, UpdateWheel(capital=D("20000")))

    trade = await books.record_trade(wheel.id, put("100", "2.00", contracts=2))

    assert trade.contracts == 2


async def test_deleting_a_wheel_removes_its_history(
    books: WheelService, factory: InMemoryUnitOfWorkFactory
) -> None:
    wheel = await books.open_wheel(OpenWheel(symbol="KO", shares=100, cost_basis=D("60")))
    await books.record_trade(wheel.id, call("65", "0.80"))

    await books.delete_wheel(wheel.id)

    with pytest.raises(NotFoundError, match="wheel"):
        await books.get_wheel(wheel.id)
    assert factory.store.tables["trades"].rows == {}
    assert factory.store.tables["share_moves"].rows == {}


async def test_an_unknown_wheel_is_not_found(books: WheelService) -> None:
    with pytest.raises(NotFoundError, match="wheel 42 not found"):
        await books.get_wheel(42)
    with pytest.raises(NotFoundError, match="active wheel 'TSLA in default' not found"):
        await books.find_wheel("tsla")


async def test_a_wheel_is_found_by_symbol_and_portfolio_name(books: WheelService) -> None:
    income = await books.create_portfolio(CreatePortfolio(name="Income"))
    first = await books.open_wheel(OpenWheel(symbol="AAPL"))
    second = await books.open_wheel(OpenWheel(symbol="AAPL", portfolio_id=income.id))

    assert (await books.wheel_by_symbol(" aapl")).id == first.id
    assert (await books.wheel_by_symbol("AAPL", portfolio="Income")).id == second.id
    with pytest.raises(NotFoundError, match="portfolio 'Nope' not found"):
        await books.wheel_by_symbol("AAPL", portfolio="Nope")
    with pytest.raises(NotFoundError, match="active wheel 'MSFT in default' not found"):
        await books.wheel_by_symbol("MSFT")


async def test_an_archived_wheel_is_found_by_symbol_only_when_asked(books: WheelService) -> None:
    wheel = await books.open_wheel(OpenWheel(symbol="MSFT"))
    await books.archive_wheel(wheel.id)

    with pytest.raises(NotFoundError, match="active wheel 'MSFT in default' not found"):
        await books.wheel_by_symbol("MSFT")
    archived = await books.wheel_by_symbol("MSFT", include_archived=True)
    assert (archived.id, archived.active) == (wheel.id, False)


async def test_finding_by_symbol_never_creates_the_default_portfolio(books: WheelService) -> None:
    with pytest.raises(NotFoundError, match="active wheel 'AAPL in default' not found"):
        await books.wheel_by_symbol("AAPL")

    assert await books.list_portfolios() == []
