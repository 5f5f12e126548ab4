"""WheelService of a wheel's history: backfilling, correcting, deleting, listing and reading it.

A change to history is stored only if the wheel's whole history still
replays; a refused change writes nothing.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal as D

import pytest

from wheel_core.app import (
    CloseTrade,
    CorrectTrade,
    CreatePortfolio,
    ExpireTrade,
    OpenWheel,
    RecordTrade,
    RollTrade,
    SellShares,
)
from wheel_core.app.service import WheelService
from wheel_core.domain.enums import OptionType, Outcome, WheelState
from wheel_core.domain.errors import (
    ConflictError,
    NotFoundError,
    RuleViolationError,
    ValidationError,
)
from wheel_core.ports import TradeQuery
from wheel_core.testing.fakes import FakeClock

Unchanged = Callable[[], AbstractContextManager[None]]

NEW_YORK_WINTER = timezone(timedelta(hours=-5))
DEC01 = datetime(2025, 12, 1, 15, 0, tzinfo=UTC)  # a Monday, before the clock's 2026-01-05
DEC19 = date(2025, 12, 19)
DEC19_CLOSE = datetime(2025, 12, 19, 21, 0, tzinfo=UTC)
DEC22 = datetime(2025, 12, 22, 15, 0, tzinfo=UTC)
JAN16 = date(2026, 1, 16)
AFTER_JAN16 = datetime(2026, 1, 20, 15, 0, tzinfo=UTC)
FEB20 = date(2026, 2, 20)


def put(
    strike: str = "100",
    premium: str = "2.00",
    contracts: int = 3,
    expiration: date = JAN16,
    opened_at: datetime | None = None,
) -> RecordTrade:
    return RecordTrade(
        option_type=OptionType.PUT,
        strike=D(strike),
        expiration=expiration,
        premium=D(premium),
        contracts=contracts,
        opened_at=opened_at,
    )


def call(
    strike: str = "105",
    premium: str = "1.50",
    contracts: int = 3,
    expiration: date = FEB20,
    opened_at: datetime | None = None,
) -> RecordTrade:
    return RecordTrade(
        option_type=OptionType.CALL,
        strike=D(strike),
        expiration=expiration,
        premium=D(premium),
        contracts=contracts,
        opened_at=opened_at,
    )


async def new_wheel(
    books: WheelService, symbol: str = "AAPL", portfolio_id: int | None = None
) -> int:
    opened = OpenWheel(symbol=symbol, capital=D("30000"), portfolio_id=portfolio_id)
    return (await books.open_wheel(opened)).id


# ── backfill ─────────────────────────────────────────────────────────────


async def test_a_trade_is_backfilled_with_its_past_dates(books: WheelService) -> None:
    wheel_id = await new_wheel(books)

    sold = await books.record_trade(wheel_id, put(expiration=DEC19, opened_at=DEC01))
    expired = await books.expire_trade(sold.id, ExpireTrade(price_at_expiry=D("103")))
    again = await books.record_trade(wheel_id, put(opened_at=DEC22))

    assert sold.opened_at == DEC01
    assert expired.closed_at == DEC19_CLOSE  # its expiration's close, not today
    assert again.opened_at == DEC22
    wheel = await books.get_wheel(wheel_id)
    assert wheel.state is WheelState.PUT_OPEN
    assert wheel.realized_pnl == D("600.00")


async def test_times_given_in_another_zone_are_stored_as_the_same_instant_in_utc(
    books: WheelService,
) -> None:
    wheel_id = await new_wheel(books)
    ten_in_new_york = datetime(2025, 12, 1, 10, 0, tzinfo=NEW_YORK_WINTER)

    sold = await books.record_trade(wheel_id, put(expiration=DEC19, opened_at=ten_in_new_york))

    assert sold.opened_at == DEC01
    assert sold.opened_at.tzinfo is UTC


async def test_an_expiration_before_the_opening_date_is_refused(
    books: WheelService, unchanged: Unchanged
) -> None:
    wheel_id = await new_wheel(books)

    with (
        unchanged(),
        pytest.raises(
            ValidationError,
            match="expiration 2025-12-19 is before the trade opens \\(2025-12-22\\)",
        ),
    ):
        await books.record_trade(wheel_id, put(expiration=DEC19, opened_at=DEC22))


async def test_a_trade_expiring_the_day_it_opens_is_allowed(books: WheelService) -> None:
    wheel_id = await new_wheel(books)

    sold = await books.record_trade(wheel_id, put(expiration=date(2026, 1, 5)))

    assert sold.expiration == date(2026, 1, 5)


async def test_a_new_trade_dated_before_the_wheels_last_event_is_refused(
    books: WheelService, unchanged: Unchanged
) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put(expiration=DEC19, opened_at=DEC01))
    await books.expire_trade(sold.id, ExpireTrade(price_at_expiry=D("103")))

    with (
        unchanged(),
        pytest.raises(
            RuleViolationError,
            match="cannot open before the wheel's last recorded event \\(2025-12-19T21:00:00",
        ),
    ):
        await books.record_trade(wheel_id, put(opened_at=datetime(2025, 12, 19, 20, 0, tzinfo=UTC)))


async def test_a_new_trade_without_a_date_opens_now(books: WheelService, clock: FakeClock) -> None:
    wheel_id = await new_wheel(books)

    sold = await books.record_trade(wheel_id, put())

    assert sold.opened_at == clock.now()


async def test_a_new_trade_without_a_date_is_never_dated_before_the_last_event(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id = await new_wheel(books)
    ahead = clock.now() + timedelta(hours=2)
    sold = await books.record_trade(wheel_id, put(opened_at=ahead))

    closed = await books.close_trade(sold.id, CloseTrade(price=D("0.10")))

    assert closed.closed_at == ahead  # the clock is behind what was recorded


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda at: put(opened_at=at), id="RecordTrade.opened_at"),
        pytest.param(lambda at: OpenWheel(symbol="AAPL", opened_at=at), id="OpenWheel.opened_at"),
        pytest.param(lambda at: ExpireTrade(price_at_expiry=D("1"), at=at), id="ExpireTrade.at"),
        pytest.param(lambda at: CloseTrade(price=D("1"), at=at), id="CloseTrade.at"),
        pytest.param(lambda at: SellShares(price=D("1"), at=at), id="SellShares.at"),
        pytest.param(
            lambda at: RollTrade(
                close_price=D("1"), strike=D("1"), expiration=JAN16, premium=D("1"), at=at
            ),
            id="RollTrade.at",
        ),
        pytest.param(lambda at: CorrectTrade(closed_at=at), id="CorrectTrade.closed_at"),
    ],
)
def test_a_naive_datetime_is_refused(build: Callable[[datetime], object]) -> None:
    with pytest.raises(ValidationError, match="must include a timezone"):
        build(datetime(2025, 12, 1, 10, 0))


# ── correcting a trade ───────────────────────────────────────────────────


async def test_a_premium_correction_changes_the_pnl(books: WheelService, clock: FakeClock) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put(premium="2.00"))
    clock.set(AFTER_JAN16)
    await books.expire_trade(sold.id, ExpireTrade(price_at_expiry=D("101")))

    corrected = await books.correct_trade(sold.id, CorrectTrade(premium=D("2.10")))

    assert corrected.premium == D("2.10")
    assert corrected.pnl == D("630.00")  # 2.10 × 100 × 3
    assert corrected.outcome is Outcome.EXPIRED_WORTHLESS  # the rest is untouched
    assert await books.get_trade(sold.id) == corrected
    assert (await books.get_wheel(wheel_id)).realized_pnl == D("630.00")


async def test_a_strike_correction_changes_the_assigned_cost_basis(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put(strike="100"))
    clock.set(AFTER_JAN16)
    await books.expire_trade(sold.id, ExpireTrade(price_at_expiry=D("95")))

    await books.correct_trade(sold.id, CorrectTrade(strike=D("97.50")))

    wheel = await books.get_wheel(wheel_id)
    assert wheel.cost_basis == D("97.50")
    assert wheel.adjusted_cost_basis == D("95.50")  # 97.50 − 600 / 300


async def test_a_correction_closing_a_trade_before_it_opened_is_refused(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put())
    closed = await books.close_trade(
        sold.id, CloseTrade(price=D("0.50"), at=datetime(2026, 1, 9, 16, 0, tzinfo=UTC))
    )

    with unchanged(), pytest.raises(RuleViolationError, match="cannot close before it opens"):
        await books.correct_trade(
            closed.id, CorrectTrade(closed_at=datetime(2026, 1, 2, 16, 0, tzinfo=UTC))
        )
    with unchanged(), pytest.raises(RuleViolationError, match="cannot close before it opens"):
        await books.correct_trade(
            closed.id, CorrectTrade(opened_at=datetime(2026, 1, 12, 16, 0, tzinfo=UTC))
        )


async def test_an_open_trade_has_no_closing_time_to_correct(
    books: WheelService, unchanged: Unchanged
) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put())

    with unchanged(), pytest.raises(RuleViolationError, match="no closing time to correct"):
        await books.correct_trade(
            sold.id, CorrectTrade(closed_at=datetime(2026, 1, 9, 16, 0, tzinfo=UTC))
        )


async def test_a_correction_that_uncovers_the_open_call_is_refused(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put(contracts=3))
    clock.set(AFTER_JAN16)
    await books.expire_trade(sold.id, ExpireTrade(price_at_expiry=D("95")))
    await books.record_trade(wheel_id, call(contracts=3))

    with unchanged(), pytest.raises(RuleViolationError, match="3 contracts but only 200 shares"):
        await books.correct_trade(sold.id, CorrectTrade(contracts=2))


async def test_a_correction_expiring_the_trade_before_it_opened_is_refused(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put(expiration=JAN16))

    with unchanged(), pytest.raises(ValidationError, match="expiration 2026-01-02 is before"):
        await books.correct_trade(sold.id, CorrectTrade(expiration=date(2026, 1, 2)))
    with unchanged(), pytest.raises(ValidationError, match="expiration 2026-01-16 is before"):
        await books.correct_trade(
            sold.id, CorrectTrade(opened_at=datetime(2026, 1, 20, 15, 0, tzinfo=UTC))
        )


async def test_an_expiration_correction_is_kept(books: WheelService) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put(expiration=JAN16))

    corrected = await books.correct_trade(sold.id, CorrectTrade(expiration=date(2026, 1, 23)))

    assert corrected.expiration == date(2026, 1, 23)
    assert (await books.get_wheel(wheel_id)).open_trade == corrected


async def test_an_unknown_trade_is_not_found(books: WheelService) -> None:
    with pytest.raises(NotFoundError, match="trade 7 not found"):
        await books.correct_trade(7, CorrectTrade(premium=D("1")))
    with pytest.raises(NotFoundError, match="trade 7 not found"):
        await books.delete_trade(7)


# ── deleting a trade ─────────────────────────────────────────────────────


async def test_deleting_the_open_put_returns_the_wheel_to_idle(books: WheelService) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put())

    await books.delete_trade(sold.id)

    wheel = await books.get_wheel(wheel_id)
    assert (wheel.state, wheel.open_trade, wheel.total_premium) == (
        WheelState.IDLE,
        None,
        D("0.00"),
    )
    with pytest.raises(NotFoundError):
        await books.get_trade(sold.id)


async def test_deleting_the_open_call_returns_the_wheel_to_its_shares(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put())
    clock.set(AFTER_JAN16)
    await books.expire_trade(sold.id, ExpireTrade(price_at_expiry=D("95")))
    covered = await books.record_trade(wheel_id, call())

    await books.delete_trade(covered.id)

    wheel = await books.get_wheel(wheel_id)
    assert (wheel.state, wheel.shares, wheel.adjusted_cost_basis) == (
        WheelState.HOLDING_SHARES,
        300,
        D("98.00"),
    )


async def test_deleting_the_new_leg_of_a_roll_is_refused(
    books: WheelService, unchanged: Unchanged
) -> None:
    wheel_id = await new_wheel(books)
    first = await books.record_trade(wheel_id, put())
    second = await books.roll_trade(
        first.id,
        RollTrade(
            close_price=D("1.20"), strike=D("95"), expiration=date(2026, 1, 23), premium=D("1.50")
        ),
    )

    with unchanged(), pytest.raises(RuleViolationError, match="rolled trade has no new leg"):
        await books.delete_trade(second.id)


async def test_deleting_the_old_leg_of_a_roll_is_refused(
    books: WheelService, unchanged: Unchanged
) -> None:
    wheel_id = await new_wheel(books)
    first = await books.record_trade(wheel_id, put())
    second = await books.roll_trade(
        first.id,
        RollTrade(
            close_price=D("1.20"), strike=D("95"), expiration=date(2026, 1, 23), premium=D("1.50")
        ),
    )

    with (
        unchanged(),
        pytest.raises(
            ConflictError,
            match=f"trade {first.id} was rolled into trade {second.id}: a rolled leg cannot",
        ),
    ):
        await books.delete_trade(first.id)


async def test_deleting_an_assignment_the_shares_still_need_is_refused(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put())
    clock.set(AFTER_JAN16)
    await books.expire_trade(sold.id, ExpireTrade(price_at_expiry=D("95")))
    await books.record_trade(wheel_id, call())

    with (
        unchanged(),
        pytest.raises(ConflictError, match="cannot sell call while the wheel is idle"),
    ):
        await books.delete_trade(sold.id)


async def test_deleting_a_closed_trade_takes_its_pnl_away(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id = await new_wheel(books)
    first = await books.record_trade(wheel_id, put(premium="2.00"))
    clock.set(AFTER_JAN16)
    await books.expire_trade(first.id, ExpireTrade(price_at_expiry=D("101")))
    second = await books.record_trade(wheel_id, put(premium="1.00", expiration=FEB20))
    await books.close_trade(second.id, CloseTrade(price=D("0.25")))

    await books.delete_trade(first.id)

    wheel = await books.get_wheel(wheel_id)
    assert wheel.realized_pnl == D("225.00")  # only the second put: 300 − 75
    assert wheel.state is WheelState.IDLE


# ── listing trades ───────────────────────────────────────────────────────


async def _three_wheels(books: WheelService, clock: FakeClock) -> dict[str, int]:
    """Four trades, their ids by name.

    Default portfolio: AAPL's put (5 Jan) assigned, then its call (20 Jan) still
    open; MSFT's put (5 Jan) open. Portfolio "Income": KO's put (5 Jan) closed early.
    """
    income = await books.create_portfolio(CreatePortfolio(name="Income"))
    aapl = await new_wheel(books, "AAPL")
    msft = await new_wheel(books, "MSFT")
    ko = await new_wheel(books, "KO", income.id)
    ids = {}
    ids["aapl_put"] = (await books.record_trade(aapl, put())).id
    ids["msft_put"] = (await books.record_trade(msft, put("150", "1.10", 1, FEB20))).id
    ids["ko_put"] = (await books.record_trade(ko, put("60", "0.50", 2, FEB20))).id
    await books.close_trade(ids["ko_put"], CloseTrade(price=D("0.10")))
    clock.set(AFTER_JAN16)
    await books.expire_trade(ids["aapl_put"], ExpireTrade(price_at_expiry=D("95")))
    ids["aapl_call"] = (await books.record_trade(aapl, call())).id
    return ids


async def test_list_trades_returns_every_trade_in_opening_order(
    books: WheelService, clock: FakeClock
) -> None:
    ids = await _three_wheels(books, clock)

    page = await books.list_trades()

    assert [t.id for t in page.items] == [
        ids["aapl_put"],
        ids["msft_put"],
        ids["ko_put"],
        ids["aapl_call"],
    ]
    assert (page.total, page.offset, page.limit) == (4, 0, None)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param(TradeQuery(symbol="AAPL"), ["aapl_put", "aapl_call"], id="symbol"),
        pytest.param(TradeQuery(symbol="aapl"), ["aapl_put", "aapl_call"], id="symbol any case"),
        pytest.param(TradeQuery(option_type=OptionType.CALL), ["aapl_call"], id="calls"),
        pytest.param(TradeQuery(outcome="open"), ["msft_put", "aapl_call"], id="outcome open"),
        pytest.param(TradeQuery(outcome="assigned"), ["aapl_put"], id="outcome assigned"),
        pytest.param(TradeQuery(outcome="closed_early"), ["ko_put"], id="closed early"),
        pytest.param(TradeQuery(is_open=False), ["aapl_put", "ko_put"], id="closed"),
        pytest.param(TradeQuery(opened_from=date(2026, 1, 6)), ["aapl_call"], id="from"),
        pytest.param(
            TradeQuery(opened_to=date(2026, 1, 5)),
            ["aapl_put", "msft_put", "ko_put"],
            id="to",
        ),
    ],
)
async def test_list_trades_filters(
    books: WheelService, clock: FakeClock, query: TradeQuery, expected: list[str]
) -> None:
    ids = await _three_wheels(books, clock)

    page = await books.list_trades(query)

    assert [t.id for t in page.items] == [ids[name] for name in expected]
    assert page.total == len(expected)


async def test_list_trades_filters_by_wheel_and_portfolio(
    books: WheelService, clock: FakeClock
) -> None:
    ids = await _three_wheels(books, clock)
    msft = await books.find_wheel("MSFT")
    income = await books.get_portfolio_by_name("Income")

    by_wheel = await books.list_trades(TradeQuery(wheel_id=msft.id))
    by_portfolio = await books.list_trades(TradeQuery(portfolio_id=income.id))

    assert [t.id for t in by_wheel.items] == [ids["msft_put"]]
    assert [t.id for t in by_portfolio.items] == [ids["ko_put"]]


async def test_list_trades_pages_and_counts_every_match(
    books: WheelService, clock: FakeClock
) -> None:
    ids = await _three_wheels(books, clock)

    first = await books.list_trades(TradeQuery(limit=3))
    second = await books.list_trades(TradeQuery(offset=3, limit=3))

    assert [t.id for t in first.items] == [ids["aapl_put"], ids["msft_put"], ids["ko_put"]]
    assert [t.id for t in second.items] == [ids["aapl_call"]]
    assert (first.total, second.total) == (4, 4)
    assert (second.offset, second.limit) == (3, 3)


async def test_listed_trades_carry_their_pnl_once_closed(
    books: WheelService, clock: FakeClock
) -> None:
    ids = await _three_wheels(books, clock)

    page = await books.list_trades(TradeQuery(symbol="KO"))
    (ko_put,) = page.items
    msft_put = await books.get_trade(ids["msft_put"])

    assert ko_put.pnl == D("80.00")  # 0.50 × 200 − 0.10 × 200
    assert msft_put.pnl is None
    assert msft_put.total_premium == D("110.00")


# ── the wheel's history ──────────────────────────────────────────────────


async def test_wheel_history_lists_trades_lots_and_sales(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id = await new_wheel(books)
    sold_put = await books.record_trade(wheel_id, put())
    clock.set(AFTER_JAN16)
    await books.expire_trade(sold_put.id, ExpireTrade(price_at_expiry=D("95")))
    sold_call = await books.record_trade(wheel_id, call())

    holding = await books.wheel_history(wheel_id)

    assert [t.id for t in holding.trades] == [sold_put.id, sold_call.id]
    (lot,) = holding.lots
    assert (lot.quantity, lot.cost, lot.source, lot.trade_id) == (
        300,
        D("100"),
        "assigned",
        sold_put.id,
    )
    assert lot.acquired_at == datetime(2026, 1, 16, 21, 0, tzinfo=UTC)
    assert holding.sales == []
    assert holding.share_moves == []
    assert holding.wheel.state is WheelState.CALL_OPEN

    clock.set(datetime(2026, 2, 23, 15, 0, tzinfo=UTC))
    await books.expire_trade(sold_call.id, ExpireTrade(price_at_expiry=D("110")))
    done = await books.wheel_history(wheel_id)

    assert done.lots == []
    (sale,) = done.sales
    assert (sale.quantity, sale.price, sale.cost, sale.source, sale.trade_id) == (
        300,
        D("105"),
        D("30000"),
        "called_away",
        sold_call.id,
    )
    assert sale.gain == D("1500")
    assert done.wheel.realized_pnl == D("2550.00")


async def test_wheel_history_lists_imported_and_sold_share_moves(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id = (
        await books.open_wheel(OpenWheel(symbol="KO", shares=200, cost_basis=D("61.25")))
    ).id
    clock.set(datetime(2026, 1, 7, 15, 0, tzinfo=UTC))
    await books.sell_shares(wheel_id, SellShares(price=D("63.00"), fees=D("1.00")))

    history = await books.wheel_history(wheel_id)

    assert [(m.kind.value, m.quantity, m.price) for m in history.share_moves] == [
        ("imported", 200, D("61.25")),
        ("sold", 200, D("63.00")),
    ]
    (sale,) = history.sales
    assert (sale.source, sale.move_id) == ("sold", history.share_moves[1].id)
    assert sale.gain == D("349.00")  # (63.00 − 61.25) × 200 − 1.00
