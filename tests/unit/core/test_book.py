"""A wheel's Book and the one way its history changes: the state rule before the change
is built, the replay before anything is written, and the store writing the facts and
the wheel's rebuilt state together."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal as D

import msgspec
import pytest

from wheel_core.app import OpenWheel, RecordTrade
from wheel_core.app.book import Book, Change
from wheel_core.app.service import WheelService
from wheel_core.domain.enums import OptionType, Outcome, WheelState
from wheel_core.domain.errors import InvalidTransitionError, RuleViolationError
from wheel_core.domain.lifecycle import Action
from wheel_core.testing.fakes import FakeClock, InMemoryUnitOfWorkFactory

Unchanged = Callable[[], AbstractContextManager[None]]


async def put_open(books: WheelService) -> tuple[int, int]:
    wheel = await books.open_wheel(OpenWheel(symbol="AAPL", capital=D("30000")))
    trade = await books.record_trade(
        wheel.id,
        RecordTrade(
            option_type=OptionType.PUT,
            strike=D("100"),
            expiration=date(2026, 1, 16),
            premium=D("2.00"),
            contracts=1,
        ),
    )
    return wheel.id, trade.id


async def test_the_state_rule_refuses_before_the_change_is_built(
    books: WheelService, factory: InMemoryUnitOfWorkFactory
) -> None:
    wheel_id, _ = await put_open(books)
    built: list[Book] = []

    def build(book: Book) -> Change:
        built.append(book)
        return Change(at=book.wheel.updated_at)

    async with factory(read_only=True) as uow:
        book = await Book.load(uow, wheel_id)
    with pytest.raises(InvalidTransitionError):
        book.apply(Action.SELL_PUT, build)
    assert built == []


async def test_a_change_that_does_not_replay_is_refused_before_anything_is_written(
    books: WheelService, factory: InMemoryUnitOfWorkFactory, unchanged: Unchanged
) -> None:
    wheel_id, trade_id = await put_open(books)
    async with factory(read_only=True) as uow:
        book = await Book.load(uow, wheel_id)
    rolled = msgspec.structs.replace(
        book.trades[0], outcome=Outcome.ROLLED, closed_at=book.wheel.updated_at
    )
    with unchanged(), pytest.raises(RuleViolationError, match="no new leg"):
        book.apply(None, lambda b: Change(at=b.wheel.updated_at, replace=[rolled]))
    assert [t.id for t in book.trades] == [trade_id]  # the loaded book is left as it was


async def test_store_writes_the_facts_and_the_replayed_state(
    books: WheelService, factory: InMemoryUnitOfWorkFactory, clock: FakeClock
) -> None:
    wheel_id, trade_id = await put_open(books)
    async with factory() as uow:
        book = await Book.load(uow, wheel_id)
        applied = book.apply(None, lambda b: Change(at=clock.now(), remove=[trade_id]))
        assert applied.book.holdings.state is WheelState.IDLE
        await applied.store(uow)
        await uow.commit()
    wheel = await books.get_wheel(wheel_id)
    assert (wheel.state, wheel.open_trade) == (WheelState.IDLE, None)
    assert (await books.list_trades()).total == 0
