"""Replayed wheel histories kept between calls, rebuilt only when a wheel changed.

Listing wheels, a portfolio's summary, positions and performance all need every
wheel's replayed history. Loading and replaying 30 wheels' trades on every call
made those the slowest reads of the API, although the histories rarely change.
:class:`WheelHistories` keeps each wheel's :class:`~wheel_core.app.book.Book`
with the wheel's *revision* (:meth:`~wheel_core.ports.WheelRepository.revisions`):
a number the store changes whenever the wheel, one of its trades or one of its share moves
changes — whoever made the change, in this process or another. A call asks for
the revisions (one query), reuses the books whose revision is unchanged and
loads and replays only the others, all inside the caller's unit of work, so what
it returns is one consistent snapshot of the store.

The books handed out are shared between callers: treat them as read-only. Use
cases that change a wheel load their own (:meth:`~wheel_core.app.book.Book.load`).
The one instance a service keeps lives in its
:class:`~wheel_core.app.context.AppContext`.

Revisions only grow while the store is the same store: a database file replaced
under a running process (an older backup copied back) can hand out revisions
already seen, so restart the server after restoring a file by hand.
"""

from __future__ import annotations

from wheel_core.app.book import Book
from wheel_core.app.views import WheelView
from wheel_core.domain.entities import ShareMove
from wheel_core.domain.lifecycle import replay
from wheel_core.ports import TradeQuery, UnitOfWork

FEW = 4
"""Up to this many changed wheels are loaded one by one (two small queries each);
more are loaded with one query over the listing's trades."""


class _Kept:
    """One wheel's book at one revision, and its view once asked for."""

    __slots__ = ("book", "revision", "view")

    def __init__(self, revision: int, book: Book) -> None:
        self.revision = revision
        self.book = book
        self.view: WheelView | None = None


class WheelHistories:
    """See the module docstring. ``max_wheels`` bounds the memory kept: past it, the
    kept books are dropped and rebuilt on demand."""

    def __init__(self, max_wheels: int = 10_000) -> None:
        self._kept: dict[int, _Kept] = {}
        self._max_wheels = max_wheels

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        self._kept.clear()

    async def books(
        self,
        uow: UnitOfWork,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = None,
    ) -> list[Book]:
        """The books of the wheels ``uow.wheels.list`` would return for these filters,
        in the same order (by id)."""
        kept = await self._entries(uow, portfolio_id, symbol, active)
        return [entry.book for entry in kept]

    async def views(
        self,
        uow: UnitOfWork,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = None,
    ) -> list[WheelView]:
        """:meth:`books` as :class:`~wheel_core.app.views.WheelView`\\ s, each built once
        per revision (a view sums the wheel's trades: for 30 wheels that was most of
        listing them)."""
        views = []
        for entry in await self._entries(uow, portfolio_id, symbol, active):
            if entry.view is None:
                entry.view = entry.book.view()
            views.append(entry.view)
        return views

    async def _entries(
        self,
        uow: UnitOfWork,
        portfolio_id: int | None,
        symbol: str | None,
        active: bool | None,
    ) -> list[_Kept]:
        revisions = await uow.wheels.revisions(
            portfolio_id=portfolio_id, symbol=symbol, active=active
        )
        found: dict[int, _Kept] = {}
        stale: list[int] = []
        for wheel_id, revision in revisions.items():
            kept = self._kept.get(wheel_id)
            if kept is not None and kept.revision == revision:
                found[wheel_id] = kept
            else:
                stale.append(wheel_id)
        if stale:
            loaded = await _load(uow, stale, portfolio_id=portfolio_id, symbol=symbol)
            if len(self._kept) + len(loaded) > self._max_wheels:
                self._kept.clear()
            for wheel_id, book in loaded.items():
                found[wheel_id] = self._kept[wheel_id] = _Kept(revisions[wheel_id], book)
        return [found[wheel_id] for wheel_id in revisions if wheel_id in found]


async def _load(
    uow: UnitOfWork, wheel_ids: list[int], *, portfolio_id: int | None, symbol: str | None
) -> dict[int, Book]:
    """The books of ``wheel_ids`` (wheels matching the filters), from ``uow``."""
    wanted = set(wheel_ids)
    if len(wheel_ids) <= FEW:
        wheels = [w for w in [await uow.wheels.get(i) for i in wheel_ids] if w is not None]
        trades = {i: await uow.trades.list(TradeQuery(wheel_id=i)) for i in wheel_ids}
    else:
        every = await uow.wheels.list(portfolio_id=portfolio_id, symbol=symbol)
        wheels = [w for w in every if w.id in wanted]
        trades = {}
        for trade in await uow.trades.list(TradeQuery(portfolio_id=portfolio_id, symbol=symbol)):
            if trade.wheel_id in wanted:
                trades.setdefault(trade.wheel_id, []).append(trade)
    moves: dict[int, list[ShareMove]] = {}
    for move in await uow.share_moves.list_for_wheels(wheel_ids):
        moves.setdefault(move.wheel_id, []).append(move)
    books = {}
    for wheel in wheels:
        assert wheel.id is not None
        own_trades, own_moves = trades.get(wheel.id, []), moves.get(wheel.id, [])
        books[wheel.id] = Book(
            wheel=wheel, trades=own_trades, moves=own_moves, holdings=replay(own_trades, own_moves)
        )
    return books
