"""The wheel's life cycle through the bookkeeping facade, with numbers a trader checks by hand.

DESIGN §3: sell a cash-secured put → assigned → sell a covered call → called
away. Every transition of its table is recorded here, every other event is
refused with a message that names the state and the allowed actions, and a
refusal writes nothing.
"""

import re
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from decimal import Decimal as D

import msgspec
import pytest

from wheel_core.app import (
    AssignTrade,
    CloseTrade,
    ExpireTrade,
    ImportShares,
    OpenWheel,
    RecordTrade,
    RollTrade,
    SellShares,
)
from wheel_core.app.service import WheelService
from wheel_core.domain.enums import OptionType, Outcome, WheelState
from wheel_core.domain.errors import (
    ConflictError,
    InvalidTransitionError,
    RuleViolationError,
    ValidationError,
)
from wheel_core.testing.fakes import FakeClock

Unchanged = Callable[[], AbstractContextManager[None]]

MONDAY = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)  # 10:00 in New York; the clock's start
JAN16 = date(2026, 1, 16)  # the put's expiration, a Friday
JAN16_CLOSE = datetime(2026, 1, 16, 21, 0, tzinfo=UTC)  # 16:00 in New York
AFTER_JAN16 = datetime(2026, 1, 20, 15, 0, tzinfo=UTC)  # Tuesday after (Monday is a holiday)
FEB20 = date(2026, 2, 20)  # the call's expiration
FEB20_CLOSE = datetime(2026, 2, 20, 21, 0, tzinfo=UTC)
AFTER_FEB20 = datetime(2026, 2, 23, 15, 0, tzinfo=UTC)


def put(
    strike: str = "100",
    premium: str = "2.00",
    contracts: int = 3,
    expiration: date = JAN16,
    *,
    fees: str = "0",
    allow_exceeding_capital: bool = False,
) -> RecordTrade:
    return RecordTrade(
        option_type=OptionType.PUT,
        strike=D(strike),
        expiration=expiration,
        premium=D(premium),
        contracts=contracts,
        fees=D(fees),
        allow_exceeding_capital=allow_exceeding_capital,
    )


def call(
    strike: str = "105", premium: str = "1.50", contracts: int = 3, expiration: date = FEB20
) -> RecordTrade:
    return RecordTrade(
        option_type=OptionType.CALL,
        strike=D(strike),
        expiration=expiration,
        premium=D(premium),
        contracts=contracts,
    )


async def new_wheel(books: WheelService, capital: str = "30000") -> int:
    return (await books.open_wheel(OpenWheel(symbol="AAPL", capital=D(capital)))).id


async def reach(books: WheelService, clock: FakeClock, state: WheelState) -> tuple[int, int]:
    """A wheel in ``state``, and its latest trade (open in an option state, ended otherwise).

    The path is the worked example's: 3 puts at strike 100 for 2.00, assigned at
    95 on 16 January, then 3 calls at strike 105 for 1.50 expiring 20 February.
    An idle wheel got there by its put expiring worthless.
    """
    wheel_id = await new_wheel(books)
    sold_put = await books.record_trade(wheel_id, put())
    if state is WheelState.PUT_OPEN:
        return wheel_id, sold_put.id
    clock.set(AFTER_JAN16)
    price = "104" if state is WheelState.IDLE else "95"
    await books.expire_trade(sold_put.id, ExpireTrade(price_at_expiry=D(price)))
    if state is not WheelState.CALL_OPEN:
        return wheel_id, sold_put.id
    sold_call = await books.record_trade(wheel_id, call())
    return wheel_id, sold_call.id


# ── the worked example of DESIGN §3 ──────────────────────────────────────


async def test_the_worked_example_realizes_2550(books: WheelService, clock: FakeClock) -> None:
    wheel_id = await new_wheel(books)

    sold_put = await books.record_trade(wheel_id, put("100", "2.00", contracts=3))
    clock.set(AFTER_JAN16)
    assigned = await books.expire_trade(sold_put.id, ExpireTrade(price_at_expiry=D("95")))
    sold_call = await books.record_trade(wheel_id, call("105", "1.50", contracts=3))
    clock.set(AFTER_FEB20)
    called = await books.expire_trade(sold_call.id, ExpireTrade(price_at_expiry=D("110")))

    assert sold_put.total_premium == D("600.00")
    assert sold_call.total_premium == D("450.00")
    assert (assigned.outcome, assigned.pnl) == (Outcome.ASSIGNED, D("600.00"))
    assert (called.outcome, called.pnl) == (Outcome.CALLED_AWAY, D("450.00"))
    wheel = await books.get_wheel(wheel_id)
    assert wheel.total_premium == D("1050.00")
    assert wheel.realized_pnl == D("2550.00")
    (sale,) = (await books.wheel_history(wheel_id)).sales
    assert sale.gain == D("1500")  # (105 − 100) × 300
    assert wheel.state is WheelState.IDLE
    assert (wheel.shares, wheel.cost_basis, wheel.open_trade) == (0, None, None)


async def test_adjusted_cost_basis_subtracts_this_cycles_premium(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, _ = await reach(books, clock, WheelState.HOLDING_SHARES)

    holding = await books.get_wheel(wheel_id)
    assert (holding.shares, holding.cost_basis) == (300, D("100"))
    assert holding.adjusted_cost_basis == D("98.00")  # 100 − 600 / 300

    await books.record_trade(wheel_id, call("105", "1.50", contracts=3))

    covered = await books.get_wheel(wheel_id)
    assert covered.cost_basis == D("100")  # the purchase cost never moves
    assert covered.adjusted_cost_basis == D("96.50")  # 100 − (600 + 450) / 300
    assert covered.realized_pnl == D("600.00")  # the open call is not realized


# ── DESIGN's transition table ────────────────────────────────────────────

Event = Callable[[WheelService, FakeClock, int, int], Awaitable[object]]


async def sell_put(books: WheelService, clock: FakeClock, wheel_id: int, trade_id: int) -> object:
    return await books.record_trade(wheel_id, put(expiration=FEB20))


async def sell_call(books: WheelService, clock: FakeClock, wheel_id: int, trade_id: int) -> object:
    return await books.record_trade(wheel_id, call())


async def import_shares(
    books: WheelService, clock: FakeClock, wheel_id: int, trade_id: int
) -> object:
    return await books.import_shares(wheel_id, ImportShares(shares=300, cost_basis=D("90")))


async def sell_shares(
    books: WheelService, clock: FakeClock, wheel_id: int, trade_id: int
) -> object:
    return await books.sell_shares(wheel_id, SellShares(price=D("101")))


def expire_at(price: str) -> Event:
    async def expire(books: WheelService, clock: FakeClock, wheel_id: int, trade_id: int) -> object:
        clock.set(AFTER_FEB20)
        return await books.expire_trade(trade_id, ExpireTrade(price_at_expiry=D(price)))

    return expire


async def buy_to_close(
    books: WheelService, clock: FakeClock, wheel_id: int, trade_id: int
) -> object:
    return await books.close_trade(trade_id, CloseTrade(price=D("0.50")))


async def assign_early(
    books: WheelService, clock: FakeClock, wheel_id: int, trade_id: int
) -> object:
    return await books.assign_trade(trade_id, AssignTrade(price=D("100")))


async def roll(books: WheelService, clock: FakeClock, wheel_id: int, trade_id: int) -> object:
    trade = await books.get_trade(trade_id)
    return await books.roll_trade(
        trade_id,
        RollTrade(
            close_price=D("0.50"),
            strike=trade.strike,
            expiration=date(2026, 3, 20),
            premium=D("1.00"),
        ),
    )


async def archive(books: WheelService, clock: FakeClock, wheel_id: int, trade_id: int) -> object:
    return await books.archive_wheel(wheel_id)


@pytest.mark.parametrize(
    ("start", "event", "end"),
    [
        pytest.param(WheelState.IDLE, sell_put, WheelState.PUT_OPEN, id="idle: sell put"),
        pytest.param(
            WheelState.IDLE, import_shares, WheelState.HOLDING_SHARES, id="idle: import shares"
        ),
        pytest.param(WheelState.PUT_OPEN, expire_at("101"), WheelState.IDLE, id="put: expires OTM"),
        pytest.param(WheelState.PUT_OPEN, buy_to_close, WheelState.IDLE, id="put: buy to close"),
        pytest.param(
            WheelState.PUT_OPEN,
            expire_at("95"),
            WheelState.HOLDING_SHARES,
            id="put: assigned at expiry",
        ),
        pytest.param(
            WheelState.PUT_OPEN,
            assign_early,
            WheelState.HOLDING_SHARES,
            id="put: assigned early",
        ),
        pytest.param(
            WheelState.HOLDING_SHARES, sell_call, WheelState.CALL_OPEN, id="shares: sell call"
        ),
        pytest.param(
            WheelState.HOLDING_SHARES, sell_shares, WheelState.IDLE, id="shares: sell shares"
        ),
        pytest.param(
            WheelState.CALL_OPEN,
            expire_at("104"),
            WheelState.HOLDING_SHARES,
            id="call: expires OTM",
        ),
        pytest.param(
            WheelState.CALL_OPEN,
            buy_to_close,
            WheelState.HOLDING_SHARES,
            id="call: buy to close",
        ),
        pytest.param(
            WheelState.CALL_OPEN,
            expire_at("110"),
            WheelState.IDLE,
            id="call: called away at expiry",
        ),
        pytest.param(WheelState.CALL_OPEN, assign_early, WheelState.IDLE, id="call: called early"),
        pytest.param(WheelState.PUT_OPEN, roll, WheelState.PUT_OPEN, id="put: roll"),
        pytest.param(WheelState.CALL_OPEN, roll, WheelState.CALL_OPEN, id="call: roll"),
    ],
)
async def test_every_transition_of_the_table(
    books: WheelService, clock: FakeClock, start: WheelState, event: Event, end: WheelState
) -> None:
    wheel_id, trade_id = await reach(books, clock, start)
    assert (await books.get_wheel(wheel_id)).state is start

    await event(books, clock, wheel_id, trade_id)

    wheel = await books.get_wheel(wheel_id)
    assert wheel.state is end
    assert (wheel.open_trade is not None) == (end in (WheelState.PUT_OPEN, WheelState.CALL_OPEN))
    assert (wheel.shares > 0) == (end in (WheelState.HOLDING_SHARES, WheelState.CALL_OPEN))


ALLOWED = {
    WheelState.IDLE: "sell_put, import_shares, archive",
    WheelState.PUT_OPEN: "expire, close, roll, assign",
    WheelState.HOLDING_SHARES: "sell_call, sell_shares, archive",
    WheelState.CALL_OPEN: "expire, close, roll, assign",
}

REFUSED = [
    (WheelState.IDLE, "sell call", sell_call),
    (WheelState.IDLE, "sell shares", sell_shares),
    (WheelState.IDLE, "expire", expire_at("90")),
    (WheelState.IDLE, "close", buy_to_close),
    (WheelState.IDLE, "roll", roll),
    (WheelState.IDLE, "assign", assign_early),
    (WheelState.PUT_OPEN, "sell put", sell_put),
    (WheelState.PUT_OPEN, "sell call", sell_call),
    (WheelState.PUT_OPEN, "import shares", import_shares),
    (WheelState.PUT_OPEN, "sell shares", sell_shares),
    (WheelState.PUT_OPEN, "archive", archive),
    (WheelState.HOLDING_SHARES, "sell put", sell_put),
    (WheelState.HOLDING_SHARES, "import shares", import_shares),
    (WheelState.HOLDING_SHARES, "expire", expire_at("90")),
    (WheelState.HOLDING_SHARES, "close", buy_to_close),
    (WheelState.HOLDING_SHARES, "roll", roll),
    (WheelState.HOLDING_SHARES, "assign", assign_early),
    (WheelState.CALL_OPEN, "sell put", sell_put),
    (WheelState.CALL_OPEN, "sell call", sell_call),
    (WheelState.CALL_OPEN, "import shares", import_shares),
    (WheelState.CALL_OPEN, "sell shares", sell_shares),
    (WheelState.CALL_OPEN, "archive", archive),
]


@pytest.mark.parametrize(
    ("state", "verb", "event"),
    [pytest.param(s, v, e, id=f"{s.value}: {v}") for s, v, e in REFUSED],
)
async def test_any_other_event_is_refused_naming_state_and_allowed_actions(
    books: WheelService,
    clock: FakeClock,
    unchanged: Unchanged,
    state: WheelState,
    verb: str,
    event: Event,
) -> None:
    wheel_id, trade_id = await reach(books, clock, state)
    expected = f"cannot {verb} while the wheel is {state.value}; allowed actions: {ALLOWED[state]}"

    with unchanged(), pytest.raises(InvalidTransitionError, match=re.escape(expected)) as refused:
        await event(books, clock, wheel_id, trade_id)

    assert refused.value.state == state.value
    assert ", ".join(refused.value.allowed) == ALLOWED[state]
    assert (await books.get_wheel(wheel_id)).allowed_actions == ALLOWED[state].split(", ")


async def test_a_trade_that_already_ended_cannot_end_again(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    wheel_id, expired_id = await reach(books, clock, WheelState.IDLE)
    await books.record_trade(wheel_id, put(expiration=date(2026, 1, 23)))

    with unchanged(), pytest.raises(ConflictError, match="already ended \\(expired_worthless\\)"):
        await books.close_trade(expired_id, CloseTrade(price=D("0.10")))
    with unchanged(), pytest.raises(ConflictError, match="only the open trade can be rolled"):
        await roll(books, clock, wheel_id, expired_id)


# ── cash-secured puts and covered calls ──────────────────────────────────


async def test_a_put_whose_collateral_exceeds_the_capital_is_refused(
    books: WheelService, unchanged: Unchanged
) -> None:
    wheel_id = await new_wheel(books, capital="30000")

    with (
        unchanged(),
        pytest.raises(
            RuleViolationError,
            match="needs 40000 of collateral but the wheel has 30000 of capital",
        ),
    ):
        await books.record_trade(wheel_id, put("100", "2.00", contracts=4))


async def test_collateral_equal_to_the_capital_is_cash_secured(books: WheelService) -> None:
    wheel_id = await new_wheel(books, capital="30000")

    trade = await books.record_trade(wheel_id, put("100", "2.00", contracts=3))

    assert trade.is_open


async def test_a_put_may_exceed_the_capital_when_the_user_says_so(books: WheelService) -> None:
    wheel_id = await new_wheel(books, capital="30000")

    trade = await books.record_trade(
        wheel_id, put("100", "2.00", contracts=4, allow_exceeding_capital=True)
    )

    assert trade.contracts == 4
    assert (await books.get_wheel(wheel_id)).state is WheelState.PUT_OPEN


async def test_a_call_needs_100_shares_per_contract(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    wheel_id, _ = await reach(books, clock, WheelState.HOLDING_SHARES)

    with (
        unchanged(),
        pytest.raises(RuleViolationError, match="4 contracts but only 300 shares held"),
    ):
        await books.record_trade(wheel_id, call(contracts=4))


async def test_a_call_on_fewer_contracts_than_the_shares_cover_is_allowed(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, _ = await reach(books, clock, WheelState.HOLDING_SHARES)
    sold = await books.record_trade(wheel_id, call(contracts=2))
    clock.set(AFTER_FEB20)

    await books.expire_trade(sold.id, ExpireTrade(price_at_expiry=D("110")))

    wheel = await books.get_wheel(wheel_id)
    assert (wheel.state, wheel.shares, wheel.cost_basis) == (
        WheelState.HOLDING_SHARES,
        100,
        D("100"),
    )


# ── expiry ───────────────────────────────────────────────────────────────


async def test_expiry_before_the_expiration_date_is_refused(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    _, trade_id = await reach(books, clock, WheelState.PUT_OPEN)
    clock.set(datetime(2026, 1, 15, 20, 0, tzinfo=UTC))  # Thursday, the day before

    with (
        unchanged(),
        pytest.raises(
            RuleViolationError,
            match="expires on 2026-01-16; before then, close it or record an early assignment",
        ),
    ):
        await books.expire_trade(trade_id, ExpireTrade(price_at_expiry=D("101")))


async def test_expiry_dated_before_the_expiration_date_is_refused(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    _, trade_id = await reach(books, clock, WheelState.PUT_OPEN)
    clock.set(AFTER_JAN16)

    with unchanged(), pytest.raises(RuleViolationError, match="expires on 2026-01-16"):
        await books.expire_trade(
            trade_id,
            ExpireTrade(price_at_expiry=D("101"), at=datetime(2026, 1, 14, 20, 0, tzinfo=UTC)),
        )


async def test_a_put_above_its_strike_expires_worthless(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, trade_id = await reach(books, clock, WheelState.PUT_OPEN)
    clock.set(AFTER_JAN16)

    expired = await books.expire_trade(trade_id, ExpireTrade(price_at_expiry=D("100.01")))

    assert expired.outcome is Outcome.EXPIRED_WORTHLESS
    assert expired.price_at_expiry == D("100.01")
    assert expired.pnl == D("600.00")  # the whole premium is kept
    wheel = await books.get_wheel(wheel_id)
    assert (wheel.state, wheel.shares, wheel.realized_pnl) == (WheelState.IDLE, 0, D("600.00"))


async def test_a_put_below_its_strike_is_assigned_at_the_strike(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, trade_id = await reach(books, clock, WheelState.PUT_OPEN)
    clock.set(AFTER_JAN16)

    assigned = await books.expire_trade(trade_id, ExpireTrade(price_at_expiry=D("99.99")))

    assert assigned.outcome is Outcome.ASSIGNED
    assert assigned.pnl == D("600.00")  # assignment does not change the option's P&L
    wheel = await books.get_wheel(wheel_id)
    assert (wheel.state, wheel.shares, wheel.cost_basis) == (
        WheelState.HOLDING_SHARES,
        300,
        D("100"),
    )


async def test_a_call_above_its_strike_is_called_away_at_the_strike(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, trade_id = await reach(books, clock, WheelState.CALL_OPEN)
    clock.set(AFTER_FEB20)

    called = await books.expire_trade(trade_id, ExpireTrade(price_at_expiry=D("105.01")))

    assert called.outcome is Outcome.CALLED_AWAY
    (sale,) = (await books.wheel_history(wheel_id)).sales
    assert (sale.quantity, sale.price, sale.source) == (300, D("105"), "called_away")
    assert (await books.get_wheel(wheel_id)).state is WheelState.IDLE


async def test_a_call_below_its_strike_expires_worthless_and_the_shares_stay(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, trade_id = await reach(books, clock, WheelState.CALL_OPEN)
    clock.set(AFTER_FEB20)

    expired = await books.expire_trade(trade_id, ExpireTrade(price_at_expiry=D("104.99")))

    assert expired.outcome is Outcome.EXPIRED_WORTHLESS
    wheel = await books.get_wheel(wheel_id)
    assert (wheel.state, wheel.shares) == (WheelState.HOLDING_SHARES, 300)
    assert wheel.adjusted_cost_basis == D("96.50")  # both premiums belong to this cycle
    assert wheel.realized_pnl == D("1050.00")


async def test_a_price_exactly_at_the_strike_needs_the_user_to_say(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    _, trade_id = await reach(books, clock, WheelState.PUT_OPEN)
    clock.set(AFTER_JAN16)

    with unchanged(), pytest.raises(ValidationError, match="equals the strike: say whether"):
        await books.expire_trade(trade_id, ExpireTrade(price_at_expiry=D("100")))


@pytest.mark.parametrize(
    ("assigned", "outcome", "state"),
    [
        (True, Outcome.ASSIGNED, WheelState.HOLDING_SHARES),
        (False, Outcome.EXPIRED_WORTHLESS, WheelState.IDLE),
    ],
)
async def test_at_the_strike_the_users_word_decides(
    books: WheelService,
    clock: FakeClock,
    assigned: bool,
    outcome: Outcome,
    state: WheelState,
) -> None:
    wheel_id, trade_id = await reach(books, clock, WheelState.PUT_OPEN)
    clock.set(AFTER_JAN16)

    expired = await books.expire_trade(
        trade_id, ExpireTrade(price_at_expiry=D("100"), assigned=assigned)
    )

    assert expired.outcome is outcome
    assert (await books.get_wheel(wheel_id)).state is state


async def test_at_the_strike_a_call_may_be_called_away(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, trade_id = await reach(books, clock, WheelState.CALL_OPEN)
    clock.set(AFTER_FEB20)

    called = await books.expire_trade(
        trade_id, ExpireTrade(price_at_expiry=D("105"), assigned=True)
    )

    assert called.outcome is Outcome.CALLED_AWAY
    assert (await books.get_wheel(wheel_id)).state is WheelState.IDLE


async def test_an_expiry_recorded_later_is_dated_at_the_new_york_close(
    books: WheelService, clock: FakeClock
) -> None:
    _, trade_id = await reach(books, clock, WheelState.PUT_OPEN)
    clock.set(AFTER_JAN16)

    expired = await books.expire_trade(trade_id, ExpireTrade(price_at_expiry=D("101")))

    assert expired.closed_at == JAN16_CLOSE  # 16:00 in New York is 21:00 UTC in January


async def test_an_expiry_recorded_on_the_day_is_dated_now(
    books: WheelService, clock: FakeClock
) -> None:
    _, trade_id = await reach(books, clock, WheelState.PUT_OPEN)
    morning = datetime(2026, 1, 16, 15, 0, tzinfo=UTC)  # 10:00 in New York, expiration day
    clock.set(morning)

    expired = await books.expire_trade(trade_id, ExpireTrade(price_at_expiry=D("101")))

    assert expired.closed_at == morning


async def test_an_expiry_keeps_the_time_it_is_given(books: WheelService, clock: FakeClock) -> None:
    _, trade_id = await reach(books, clock, WheelState.PUT_OPEN)
    clock.set(AFTER_JAN16)
    at = datetime(2026, 1, 16, 17, 30, tzinfo=UTC)

    expired = await books.expire_trade(trade_id, ExpireTrade(price_at_expiry=D("101"), at=at))

    assert expired.closed_at == at


# ── buy to close ─────────────────────────────────────────────────────────


async def test_buy_to_close_pnl_is_premium_less_buyback_less_fees(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put("100", "2.00", contracts=2, fees="0.65"))
    clock.set(datetime(2026, 1, 9, 16, 0, tzinfo=UTC))

    closed = await books.close_trade(sold.id, CloseTrade(price=D("0.50"), fees=D("0.65")))

    assert closed.total_premium == D("400.00")  # 2.00 × 100 × 2
    assert closed.fees == D("1.30")  # 0.65 to sell + 0.65 to buy back
    assert closed.pnl == D("298.70")  # 400 − 0.50 × 100 × 2 − 1.30
    assert (closed.outcome, closed.close_price) == (Outcome.CLOSED_EARLY, D("0.50"))
    assert closed.closed_at == clock.now()
    wheel = await books.get_wheel(wheel_id)
    assert (wheel.state, wheel.realized_pnl) == (WheelState.IDLE, D("298.70"))


async def test_a_buy_back_above_the_premium_is_a_loss(books: WheelService) -> None:
    wheel_id = await new_wheel(books)
    sold = await books.record_trade(wheel_id, put("100", "2.00", contracts=1))

    closed = await books.close_trade(sold.id, CloseTrade(price=D("3.25")))

    assert closed.pnl == D("-125.00")


async def test_a_close_dated_before_the_opening_is_refused(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    _, trade_id = await reach(books, clock, WheelState.PUT_OPEN)

    with unchanged(), pytest.raises(ValidationError, match="cannot end before it opened"):
        await books.close_trade(
            trade_id, CloseTrade(price=D("0.50"), at=datetime(2026, 1, 2, 15, 0, tzinfo=UTC))
        )


# ── early assignment ─────────────────────────────────────────────────────


async def test_an_early_assigned_put_buys_the_shares_at_the_strike(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, trade_id = await reach(books, clock, WheelState.PUT_OPEN)
    at = datetime(2026, 1, 12, 14, 30, tzinfo=UTC)

    assigned = await books.assign_trade(trade_id, AssignTrade(price=D("93.40"), at=at))

    assert (assigned.outcome, assigned.closed_at) == (Outcome.ASSIGNED, at)
    assert assigned.price_at_expiry == D("93.40")
    assert assigned.pnl == D("600.00")
    wheel = await books.get_wheel(wheel_id)
    assert (wheel.state, wheel.shares, wheel.cost_basis, wheel.adjusted_cost_basis) == (
        WheelState.HOLDING_SHARES,
        300,
        D("100"),
        D("98.00"),
    )
    (lot,) = (await books.wheel_history(wheel_id)).lots
    assert (lot.acquired_at, lot.source, lot.trade_id) == (at, "assigned", trade_id)


async def test_an_early_called_away_call_sells_the_shares_at_the_strike(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, trade_id = await reach(books, clock, WheelState.CALL_OPEN)
    clock.set(datetime(2026, 2, 10, 15, 0, tzinfo=UTC))

    called = await books.assign_trade(trade_id, AssignTrade())

    assert (called.outcome, called.closed_at) == (Outcome.CALLED_AWAY, clock.now())
    wheel = await books.get_wheel(wheel_id)
    assert (wheel.state, wheel.shares) == (WheelState.IDLE, 0)
    assert wheel.realized_pnl == D("2550.00")  # 600 + 450 + (105 − 100) × 300


# ── rolls ────────────────────────────────────────────────────────────────


async def test_a_roll_closes_the_old_leg_and_opens_the_new_one(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, first_id = await reach(books, clock, WheelState.PUT_OPEN)
    at = datetime(2026, 1, 14, 18, 0, tzinfo=UTC)
    clock.set(at)

    second = await books.roll_trade(
        first_id,
        RollTrade(
            close_price=D("1.20"),
            close_fees=D("1.95"),
            strike=D("95"),
            expiration=date(2026, 1, 23),
            premium=D("1.50"),
            fees=D("1.95"),
        ),
    )

    first = await books.get_trade(first_id)
    assert (first.outcome, first.close_price, first.closed_at) == (Outcome.ROLLED, D("1.20"), at)
    assert first.pnl == D("238.05")  # 600 − 1.20 × 300 − 1.95
    assert second.is_open
    assert (second.rolled_from_id, second.chain_id) == (first_id, first_id)
    assert (second.strike, second.contracts, second.opened_at) == (D("95"), 3, at)
    assert second.total_premium == D("450.00")
    wheel = await books.get_wheel(wheel_id)
    assert wheel.state is WheelState.PUT_OPEN
    assert wheel.open_trade == second
    assert wheel.realized_pnl == D("238.05")
    assert wheel.total_premium == D("1050.00")


async def test_a_second_roll_stays_in_the_first_legs_chain(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, first_id = await reach(books, clock, WheelState.PUT_OPEN)
    clock.set(datetime(2026, 1, 14, 18, 0, tzinfo=UTC))
    second = await books.roll_trade(
        first_id,
        RollTrade(
            close_price=D("1.20"), strike=D("95"), expiration=date(2026, 1, 23), premium=D("1.50")
        ),
    )
    clock.set(datetime(2026, 1, 21, 18, 0, tzinfo=UTC))

    third = await books.roll_trade(
        second.id,
        RollTrade(
            close_price=D("0.40"),
            strike=D("95"),
            expiration=date(2026, 1, 30),
            premium=D("1.00"),
            contracts=2,
        ),
    )

    assert (third.rolled_from_id, third.chain_id) == (second.id, first_id)
    assert third.contracts == 2
    assert (await books.get_trade(second.id)).pnl == D("330.00")  # 450 − 0.40 × 300
    assert (await books.get_trade(first_id)).pnl == D("240.00")  # 600 − 1.20 × 300
    wheel = await books.get_wheel(wheel_id)
    assert wheel.state is WheelState.PUT_OPEN
    assert wheel.realized_pnl == D("570.00")
    clock.set(datetime(2026, 2, 2, 15, 0, tzinfo=UTC))
    last = await books.expire_trade(third.id, ExpireTrade(price_at_expiry=D("97")))
    assert last.pnl == D("200.00")
    assert (await books.get_wheel(wheel_id)).realized_pnl == D("770.00")  # the whole chain


async def test_rolling_a_call_keeps_it_covered(books: WheelService, clock: FakeClock) -> None:
    wheel_id, call_id = await reach(books, clock, WheelState.CALL_OPEN)

    rolled = await books.roll_trade(
        call_id,
        RollTrade(
            close_price=D("2.10"), strike=D("110"), expiration=date(2026, 3, 20), premium=D("2.60")
        ),
    )

    assert (await books.get_trade(call_id)).pnl == D("-180.00")  # 450 − 2.10 × 300
    assert rolled.option_type is OptionType.CALL
    wheel = await books.get_wheel(wheel_id)
    assert (wheel.state, wheel.shares) == (WheelState.CALL_OPEN, 300)
    # 100 − (600 − 180 + 780) / 300
    assert wheel.adjusted_cost_basis == D("96.00")


async def test_a_roll_into_more_calls_than_the_shares_cover_is_refused(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    _, call_id = await reach(books, clock, WheelState.CALL_OPEN)

    with unchanged(), pytest.raises(RuleViolationError, match="4 contracts but only 300 shares"):
        await books.roll_trade(
            call_id,
            RollTrade(
                close_price=D("2.10"),
                strike=D("110"),
                expiration=date(2026, 3, 20),
                premium=D("2.60"),
                contracts=4,
            ),
        )


async def test_a_roll_into_a_put_the_capital_does_not_secure_is_refused(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    _, put_id = await reach(books, clock, WheelState.PUT_OPEN)
    roll_up = RollTrade(
        close_price=D("1.20"), strike=D("105"), expiration=date(2026, 1, 23), premium=D("3.00")
    )

    with unchanged(), pytest.raises(RuleViolationError, match="needs 31500 of collateral"):
        await books.roll_trade(put_id, roll_up)

    allowed = msgspec.structs.replace(roll_up, allow_exceeding_capital=True)
    assert (await books.roll_trade(put_id, allowed)).strike == D("105")


async def test_a_roll_into_an_expiration_before_the_roll_is_refused(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    _, put_id = await reach(books, clock, WheelState.PUT_OPEN)
    clock.set(datetime(2026, 1, 14, 18, 0, tzinfo=UTC))

    with unchanged(), pytest.raises(ValidationError, match="expiration 2026-01-13 is before"):
        await books.roll_trade(
            put_id,
            RollTrade(
                close_price=D("1"), strike=D("95"), expiration=date(2026, 1, 13), premium=D("1")
            ),
        )


# ── shares ───────────────────────────────────────────────────────────────


async def test_selling_shares_realizes_price_less_cost_less_fees(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, _ = await reach(books, clock, WheelState.HOLDING_SHARES)
    clock.set(datetime(2026, 1, 22, 15, 0, tzinfo=UTC))

    sold = await books.sell_shares(wheel_id, SellShares(price=D("103.25"), fees=D("4.95")))

    assert (sold.state, sold.shares, sold.cost_basis) == (WheelState.IDLE, 0, None)
    (sale,) = (await books.wheel_history(wheel_id)).sales
    assert (sale.quantity, sale.price, sale.cost, sale.fees, sale.source) == (
        300,
        D("103.25"),
        D("30000"),
        D("4.95"),
        "sold",
    )
    assert sale.gain == D("970.05")  # (103.25 − 100) × 300 − 4.95
    assert sold.realized_pnl == D("1570.05")  # the put's 600 + the shares' 970.05


async def test_selling_shares_below_cost_realizes_a_loss(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id = (
        await books.open_wheel(OpenWheel(symbol="KO", shares=200, cost_basis=D("61.25")))
    ).id

    sold = await books.sell_shares(wheel_id, SellShares(price=D("58.10")))

    assert sold.realized_pnl == D("-630.00")  # (58.10 − 61.25) × 200


async def test_shares_are_imported_into_an_idle_wheel(
    books: WheelService, clock: FakeClock
) -> None:
    wheel_id, _ = await reach(books, clock, WheelState.IDLE)

    imported = await books.import_shares(wheel_id, ImportShares(shares=200, cost_basis=D("88.50")))

    assert (imported.state, imported.shares, imported.cost_basis) == (
        WheelState.HOLDING_SHARES,
        200,
        D("88.50"),
    )
    # the put that expired belonged to the last cycle: it does not lower this cost basis
    assert imported.adjusted_cost_basis == D("88.50")
    assert imported.realized_pnl == D("600.00")


async def test_shares_are_not_imported_onto_shares_already_held(
    books: WheelService, unchanged: Unchanged
) -> None:
    wheel_id = (
        await books.open_wheel(OpenWheel(symbol="KO", shares=200, cost_basis=D("61.25")))
    ).id

    with (
        unchanged(),
        pytest.raises(
            InvalidTransitionError,
            match="cannot import shares while the wheel is holding_shares",
        ),
    ):
        await books.import_shares(wheel_id, ImportShares(shares=100, cost_basis=D("60")))


async def test_a_share_move_dated_before_the_last_event_is_refused(
    books: WheelService, clock: FakeClock, unchanged: Unchanged
) -> None:
    wheel_id, _ = await reach(books, clock, WheelState.HOLDING_SHARES)  # assigned 16 Jan 21:00

    with unchanged(), pytest.raises(RuleViolationError, match="before the wheel's last recorded"):
        await books.sell_shares(
            wheel_id, SellShares(price=D("101"), at=datetime(2026, 1, 15, 15, 0, tzinfo=UTC))
        )
