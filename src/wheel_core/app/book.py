"""One wheel's loaded history — its :class:`Book` — and how a change applies to it.

Every change to a wheel's history goes the same way::

    book = await Book.load(uow, wheel_id)          # the wheel, its trades and share moves
    applied = book.apply(action, build)            # state rule, domain checks, replay
    stored = await applied.store(uow)              # the new facts, then the wheel's state

:meth:`Book.apply` checks the state rule (the wheel may take ``action``), lets
``build`` make the new facts (and run the checks only it can make, such as
"cash-secured"), and replays the would-be history: a history that does not
replay is refused before anything is written. :meth:`Applied.store` then writes
the facts and the wheel's rebuilt state (state, shares, cost basis), so a
:class:`Book` in the store always matches what its history replays to.

Books handed out by :class:`~wheel_core.app.histories.WheelHistories` are shared
between callers and read-only; a use case that changes a wheel loads its own.
Performance works on a :class:`~wheel_core.performance.PricedBook`: a Book's wheel,
trades and holdings with today's prices beside them (:meth:`Book.priced`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import msgspec

from wheel_core.app.views import WheelView
from wheel_core.domain.entities import ShareMove, Trade, Wheel
from wheel_core.domain.errors import ConflictError, NotFoundError
from wheel_core.domain.lifecycle import Action, Holdings, replay, require
from wheel_core.performance import PricedBook
from wheel_core.ports import TradeQuery, UnitOfWork


class Change(msgspec.Struct, kw_only=True):
    """The new facts of one change to a wheel's history."""

    at: datetime
    """When it happened: the wheel's ``updated_at`` moves to at least this."""
    add: list[Trade] = msgspec.field(default_factory=list)
    """New trades (without ids: the store gives them theirs)."""
    replace: list[Trade] = msgspec.field(default_factory=list)
    """Stored trades as they are now (matched by id): ended, rolled or corrected."""
    remove: list[int] = msgspec.field(default_factory=list)
    """Ids of the stored trades that go."""
    moves: list[ShareMove] = msgspec.field(default_factory=list)
    """New share moves."""


class Book(msgspec.Struct):
    """A wheel loaded with its full history, and the history replayed."""

    wheel: Wheel
    trades: list[Trade]
    moves: list[ShareMove]
    holdings: Holdings

    @classmethod
    async def load(cls, uow: UnitOfWork, wheel_id: int) -> Book:
        """The wheel's book from ``uow``; ``NotFoundError`` for an unknown wheel."""
        wheel = await uow.wheels.get(wheel_id)
        if wheel is None:
            raise NotFoundError("wheel", wheel_id)
        trades = await uow.trades.list(TradeQuery(wheel_id=wheel_id))
        moves = await uow.share_moves.list_for_wheel(wheel_id)
        return cls(wheel=wheel, trades=trades, moves=moves, holdings=replay(trades, moves))

    def view(self) -> WheelView:
        return WheelView.of(self.wheel, self.holdings, self.trades)

    def priced(
        self, *, price: Decimal | None = None, marks: dict[int, Decimal] | None = None
    ) -> PricedBook:
        """This book with today's prices, as performance reads it."""
        return PricedBook(
            wheel=self.wheel,
            trades=tuple(self.trades),
            holdings=self.holdings,
            price=price,
            option_marks=marks or {},
        )

    def require(self, action: Action, *, active: bool = False, trade: Trade | None = None) -> None:
        """The state rule: the wheel may take ``action`` now; with ``active`` it is not
        archived, and with ``trade`` that trade is still open (the one an end or a roll
        acts on). ``ConflictError`` otherwise (``InvalidTransitionError`` for the state)."""
        if active and not self.wheel.active:
            raise ConflictError(
                f"the {self.wheel.symbol} wheel is archived; open a new wheel instead"
            )
        require(self.wheel.state, action)
        if trade is not None and not trade.is_open:
            raise ConflictError(
                f"trade {trade.id} already ended ({trade.outcome}); only the open trade can "
                f"be {'rolled' if action is Action.ROLL else 'ended'}"
            )

    def apply(
        self,
        action: Action | None,
        build: Callable[[Book], Change],
        *,
        active: bool = False,
        trade: Trade | None = None,
    ) -> Applied:
        """The book after a change, replayed, nothing written yet.

        First the state rule (:meth:`require`; ``None`` for a correction, which no state
        forbids), then ``build`` makes the new facts and runs the domain checks only it
        can make (cash-secured, covered, dates), then the would-be history is replayed:
        a history that does not replay is refused here, before anything is written.
        """
        if action is not None:
            self.require(action, active=active, trade=trade)
        change = build(self)
        replaced = {t.id: t for t in change.replace}
        kept = [t for t in self.trades if t.id not in change.remove]
        trades = [*(replaced.get(t.id, t) for t in kept), *change.add]
        moves = [*self.moves, *change.moves]
        after = Book(wheel=self.wheel, trades=trades, moves=moves, holdings=replay(trades, moves))
        return Applied(book=after, change=change)


class Applied(msgspec.Struct):
    """A change that replays, not yet stored."""

    book: Book
    change: Change

    async def store(self, uow: UnitOfWork) -> Applied:
        """Write the change's facts and the wheel's rebuilt state; the stored facts (with
        their ids) in the answer. The caller commits."""
        change, book = self.change, self.book
        for trade_id in change.remove:
            await uow.trades.delete(trade_id)
        for trade in change.replace:
            await uow.trades.update(trade)
        added = [await uow.trades.add(trade) for trade in change.add]
        moves = [await uow.share_moves.add(move) for move in change.moves]
        wheel = book.wheel
        wheel.state = book.holdings.state
        wheel.shares = book.holdings.shares
        wheel.cost_basis = book.holdings.cost_basis
        wheel.updated_at = max(wheel.updated_at, change.at)
        await uow.wheels.update(wheel)
        stored = msgspec.structs.replace(change, add=added, moves=moves)
        return Applied(book=book, change=stored)


async def erase(uow: UnitOfWork, wheel: Wheel) -> None:
    """Delete a wheel with its whole history. Newest trade first: a roll's new leg refers
    to the leg it replaced, so the older row can go only once nothing refers to it."""
    assert wheel.id is not None
    trades = await uow.trades.list(TradeQuery(wheel_id=wheel.id))
    for trade in sorted(trades, key=lambda t: t.id or 0, reverse=True):
        assert trade.id is not None
        await uow.trades.delete(trade.id)
    for move in await uow.share_moves.list_for_wheel(wheel.id):
        assert move.id is not None
        await uow.share_moves.delete(move.id)
    await uow.wheels.delete(wheel.id)


__all__ = ["Applied", "Book", "Change", "erase"]
