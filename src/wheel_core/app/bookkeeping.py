"""Bookkeeping: wheels, shares and trades — what the trader did.

The writing room of the app layer (see :mod:`wheel_core.app.context` for the
layout; portfolios are in :mod:`wheel_core.app.portfolios`). It needs no market
data. Each use case opens its own unit of work, so a refused request writes
nothing, and two callers never share a transaction.

Every change to a wheel's history reads the same way (:meth:`Bookkeeping._change`)::

    load the Book → book.apply(action, build) → store → commit

``build`` makes the new facts and runs the checks only it can make; ``apply``
checks the state rule first and replays the would-be history after, so a
history that does not replay is never stored (see :mod:`wheel_core.app.book`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import msgspec

from wheel_core.app import lookups
from wheel_core.app.book import Applied, Book, Change, erase
from wheel_core.app.commands import (
    AssignTrade,
    CloseTrade,
    CorrectTrade,
    ExpireTrade,
    ImportShares,
    OpenWheel,
    RecordTrade,
    RollTrade,
    SellShares,
    UpdateWheel,
)
from wheel_core.app.context import AppContext
from wheel_core.app.lookups import ticker_query
from wheel_core.app.views import Page, TradeView, WheelHistory, WheelView
from wheel_core.domain.checks import as_utc, normalize_symbol
from wheel_core.domain.entities import ShareMove, Trade, Wheel
from wheel_core.domain.enums import OptionType, Outcome, ShareMoveKind
from wheel_core.domain.errors import ConflictError, NotFoundError, RuleViolationError
from wheel_core.domain.lifecycle import Action, Holdings, replay
from wheel_core.domain.rules import (
    check_closing_time,
    check_expiration,
    check_expiry_date,
    check_new_trade,
    expiration_close,
    expiry_outcome,
)
from wheel_core.ports import TradeQuery

Build = Callable[[Book], Change]
"""Makes a change's new facts from the wheel's book, running the checks only it can make."""


class Bookkeeping:
    """Records what the trader did; see the module docstring."""

    def __init__(self, context: AppContext) -> None:
        self._context = context

    # ── wheels ────────────────────────────────────────────────────────────

    async def open_wheel(self, command: OpenWheel) -> WheelView:
        """Start a wheel on a symbol, optionally from shares already owned."""
        context = self._context
        symbol = normalize_symbol(command.symbol)
        now = context.now(command.opened_at)
        async with context.write() as uow:
            if command.portfolio_id is None:
                portfolio = await lookups.default_portfolio(uow, context.now())
            else:
                portfolio = await lookups.portfolio(uow, command.portfolio_id)
            assert portfolio.id is not None
            if await uow.wheels.find_active(portfolio.id, symbol) is not None:
                raise ConflictError(
                    f"{symbol} already has an active wheel in portfolio {portfolio.name!r}"
                )
            wheel = await uow.wheels.add(
                Wheel(
                    portfolio_id=portfolio.id,
                    symbol=symbol,
                    profile=command.profile,
                    capital=command.capital,
                    created_at=now,
                    updated_at=now,
                )
            )
            assert wheel.id is not None
            empty = Book(wheel=wheel, trades=[], moves=[], holdings=replay([]))
            moves: list[ShareMove] = []
            if command.shares:
                assert command.cost_basis is not None
                imported = ShareMove(
                    wheel_id=wheel.id,
                    kind=ShareMoveKind.IMPORTED,
                    quantity=command.shares,
                    price=command.cost_basis,
                    at=now,
                )
                moves.append(imported)
            applied = await empty.apply(None, lambda _: Change(at=now, moves=moves)).store(uow)
            await uow.commit()
            return applied.book.view()

    async def get_wheel(self, wheel_id: int) -> WheelView:
        async with self._context.read() as uow:
            return (await Book.load(uow, wheel_id)).view()

    async def find_wheel(self, symbol: str, portfolio_id: int | None = None) -> WheelView:
        """The active wheel on ``symbol`` in a portfolio (the default one if not given)."""
        symbol = normalize_symbol(symbol)
        async with self._context.read() as uow:
            if portfolio_id is None:
                portfolio = await lookups.default_portfolio(uow, self._context.now())
            else:
                portfolio = await lookups.portfolio(uow, portfolio_id)
            assert portfolio.id is not None
            wheel = await uow.wheels.find_active(portfolio.id, symbol)
            if wheel is None or wheel.id is None:
                raise NotFoundError("active wheel", f"{symbol} in {portfolio.name}")
            return (await Book.load(uow, wheel.id)).view()

    async def wheel_by_symbol(
        self, symbol: str, *, portfolio: str | None = None, include_archived: bool = False
    ) -> WheelView:
        """The wheel on ``symbol`` in the portfolio named ``portfolio`` (the default one
        when ``None``): the active one, else with ``include_archived`` the latest archived.

        One read, never a write: this is how every symbol-addressed front-end command
        finds its wheel, so a read-only command leaves the database untouched. A missing
        portfolio is ``NotFoundError("portfolio", …)``, a missing wheel
        ``NotFoundError("active wheel", …)`` (``"wheel"`` with archived ones included).
        """
        symbol = normalize_symbol(symbol)
        async with self._context.read() as uow:
            wheel = await lookups.wheel_by_symbol(uow, symbol, portfolio, include_archived)
            assert wheel.id is not None
            return (await Book.load(uow, wheel.id)).view()

    async def list_wheels(
        self,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = True,
    ) -> list[WheelView]:
        async with self._context.read() as uow:
            ticker = normalize_symbol(symbol) if symbol else None
            return await self._context.histories.views(
                uow, portfolio_id=portfolio_id, symbol=ticker, active=active
            )

    async def update_wheel(self, wheel_id: int, command: UpdateWheel) -> WheelView:
        async with self._context.write() as uow:
            book = await Book.load(uow, wheel_id)
            if command.profile is not None:
                book.wheel.profile = command.profile
            if command.capital is not None:
                book.wheel.capital = command.capital
            book.wheel.updated_at = self._context.now()
            await uow.wheels.update(book.wheel)
            await uow.commit()
            return book.view()

    async def archive_wheel(self, wheel_id: int) -> WheelView:
        """Stop wheeling a symbol; its history stays. Refused while an option is open."""
        async with self._context.write() as uow:
            book = await Book.load(uow, wheel_id)
            book.require(Action.ARCHIVE, active=True)
            book.wheel.active = False
            book.wheel.updated_at = self._context.now()
            await uow.wheels.update(book.wheel)
            await uow.commit()
            return book.view()

    async def delete_wheel(self, wheel_id: int) -> None:
        """Remove a wheel and its whole history (archive it to keep the history)."""
        async with self._context.write() as uow:
            book = await Book.load(uow, wheel_id)
            await erase(uow, book.wheel)
            await uow.commit()

    async def wheel_history(self, wheel_id: int) -> WheelHistory:
        async with self._context.read() as uow:
            book = await Book.load(uow, wheel_id)
            return WheelHistory(
                wheel=book.view(),
                trades=[TradeView.of(t) for t in book.trades],
                share_moves=book.moves,
                lots=list(book.holdings.lots),
                sales=list(book.holdings.sales),
            )

    # ── shares ────────────────────────────────────────────────────────────

    async def import_shares(self, wheel_id: int, command: ImportShares) -> WheelView:
        build = self._share_move(
            ShareMoveKind.IMPORTED, lambda _: command.shares, command.cost_basis, command.at
        )
        applied = await self._change(wheel_id, Action.IMPORT_SHARES, build, active=True)
        return applied.book.view()

    async def sell_shares(self, wheel_id: int, command: SellShares) -> WheelView:
        """Sell every share held (the quantity is the book's, read in the same unit of work)."""
        build = self._share_move(
            ShareMoveKind.SOLD,
            lambda book: book.holdings.shares,
            command.price,
            command.at,
            fees=command.fees,
        )
        applied = await self._change(wheel_id, Action.SELL_SHARES, build, active=True)
        return applied.book.view()

    def _share_move(
        self,
        kind: ShareMoveKind,
        quantity: Callable[[Book], int],
        price: Decimal,
        at: datetime | None,
        *,
        fees: Decimal = Decimal(0),
    ) -> Build:
        def build(book: Book) -> Change:
            when = self._context.event_time(at, book.holdings)
            last = book.holdings.last_event_at
            if last is not None and when < last:
                raise RuleViolationError(
                    "shares cannot move before the wheel's last recorded event "
                    f"({last.isoformat()})"
                )
            if when == last:
                # Same-instant events are ordered by kind, which cannot tell whether these
                # shares moved before or after a trade opened and closed at that instant;
                # a microsecond later states the order the user recorded.
                when += timedelta(microseconds=1)
            assert book.wheel.id is not None
            move = ShareMove(
                wheel_id=book.wheel.id,
                kind=kind,
                quantity=quantity(book),
                price=price,
                at=when,
                fees=fees,
            )
            return Change(at=when, moves=[move])

        return build

    # ── trades ────────────────────────────────────────────────────────────

    async def record_trade(self, wheel_id: int, command: RecordTrade) -> TradeView:
        """Sell a cash-secured put or a covered call on a wheel."""

        def sell(book: Book) -> Change:
            self._context.check_horizon(command.expiration)
            trade = Trade(
                wheel_id=wheel_id,
                symbol=book.wheel.symbol,
                option_type=command.option_type,
                strike=command.strike,
                expiration=command.expiration,
                premium=command.premium,
                contracts=command.contracts,
                fees=command.fees,
                opened_at=self._context.event_time(command.opened_at, book.holdings),
            )
            check_new_trade(
                book.wheel,
                book.holdings,
                trade,
                allow_exceeding_capital=command.allow_exceeding_capital,
            )
            return Change(at=trade.opened_at, add=[trade])

        action = Action.SELL_PUT if command.option_type is OptionType.PUT else Action.SELL_CALL
        applied = await self._change(wheel_id, action, sell, active=True)
        return TradeView.of(applied.change.add[0])

    async def get_trade(self, trade_id: int) -> TradeView:
        async with self._context.read() as uow:
            return TradeView.of(await lookups.trade(uow, trade_id))

    async def list_trades(self, query: TradeQuery | None = None) -> Page[TradeView]:
        query = ticker_query(query or TradeQuery())
        async with self._context.read() as uow:
            trades = await uow.trades.list(query)
            total = await uow.trades.count(query)
            return Page(
                items=[TradeView.of(t) for t in trades],
                total=total,
                offset=query.offset,
                limit=query.limit,
            )

    async def expire_trade(self, trade_id: int, command: ExpireTrade) -> TradeView:
        """Record an expiry: worthless, assigned or called away, decided by the price."""

        def end(trade: Trade, now: datetime) -> None:
            # Recorded late (the usual case), an expiry is dated at the expiration's close,
            # so days held and the next trade's opening stay true to what happened.
            at = (
                self._context.now(command.at)
                if command.at
                else max(trade.opened_at, min(now, expiration_close(trade.expiration)))
            )
            check_expiry_date(trade, at)
            trade.outcome = expiry_outcome(trade, command.price_at_expiry, command.assigned)
            trade.price_at_expiry = command.price_at_expiry
            trade.closed_at = as_utc(at)

        return await self._end_trade(trade_id, Action.EXPIRE, end)

    async def close_trade(self, trade_id: int, command: CloseTrade) -> TradeView:
        """Buy the option back before expiry."""

        def end(trade: Trade, now: datetime) -> None:
            trade.outcome = Outcome.CLOSED_EARLY
            trade.close_price = command.price
            trade.fees += command.fees
            trade.closed_at = self._context.now(command.at) if command.at else now

        return await self._end_trade(trade_id, Action.CLOSE, end)

    async def assign_trade(self, trade_id: int, command: AssignTrade) -> TradeView:
        """Early assignment of a put, or early call-away of a call."""

        def end(trade: Trade, now: datetime) -> None:
            trade.outcome = (
                Outcome.ASSIGNED if trade.option_type is OptionType.PUT else Outcome.CALLED_AWAY
            )
            trade.price_at_expiry = command.price
            trade.closed_at = self._context.now(command.at) if command.at else now

        return await self._end_trade(trade_id, Action.ASSIGN, end)

    async def roll_trade(self, trade_id: int, command: RollTrade) -> TradeView:
        """Close the open option and open its replacement as one step; returns the new leg."""

        def roll(old: Trade) -> Build:
            def build(book: Book) -> Change:
                self._context.check_horizon(command.expiration)
                at = self._context.event_time(command.at, book.holdings)
                check_closing_time(old, at)
                closed = msgspec.structs.replace(
                    old,
                    outcome=Outcome.ROLLED,
                    close_price=command.close_price,
                    fees=old.fees + command.close_fees,
                    closed_at=at,
                )
                new = Trade(
                    wheel_id=old.wheel_id,
                    symbol=old.symbol,
                    option_type=old.option_type,
                    strike=command.strike,
                    expiration=command.expiration,
                    premium=command.premium,
                    contracts=command.contracts or old.contracts,
                    fees=command.fees,
                    opened_at=at,
                    rolled_from_id=old.id,
                    chain_id=old.chain_key,
                )
                check_new_trade(
                    book.wheel,
                    _before(book.holdings, at),
                    new,
                    allow_exceeding_capital=command.allow_exceeding_capital,
                )
                return Change(at=at, replace=[closed], add=[new])

            return build

        applied = await self._change_trade(trade_id, Action.ROLL, roll, open_trade=True)
        return TradeView.of(applied.change.add[0])

    async def correct_trade(self, trade_id: int, command: CorrectTrade) -> TradeView:
        """Fix what was typed; refused if the wheel's corrected history would not replay."""

        def correct(trade: Trade) -> Build:
            def build(book: Book) -> Change:
                changes = {
                    field: (as_utc(value) if isinstance(value, datetime) else value)
                    for field in command.__struct_fields__
                    if (value := getattr(command, field)) is not None
                }
                if command.expiration is not None:
                    self._context.check_horizon(command.expiration)
                if "closed_at" in changes and trade.is_open:
                    raise RuleViolationError("an open trade has no closing time to correct")
                corrected = msgspec.structs.replace(trade, **changes)
                if corrected.closed_at is not None and corrected.closed_at < corrected.opened_at:
                    raise RuleViolationError("a trade cannot close before it opens")
                if "expiration" in changes or "opened_at" in changes:
                    check_expiration(corrected)
                return Change(at=self._context.now(), replace=[corrected])

            return build

        applied = await self._change_trade(trade_id, None, correct)
        return TradeView.of(applied.change.replace[0])

    async def delete_trade(self, trade_id: int) -> None:
        """Remove a trade recorded by mistake, if the wheel's history still replays without it."""

        def delete(trade: Trade) -> Build:
            def build(book: Book) -> Change:
                rolled_into = next((t for t in book.trades if t.rolled_from_id == trade_id), None)
                if rolled_into is not None:
                    # Without it, the next leg's roll would point at a trade that no longer
                    # exists.
                    raise ConflictError(
                        f"trade {trade_id} was rolled into trade {rolled_into.id}: a rolled leg "
                        "cannot be deleted; correct it instead"
                    )
                return Change(at=self._context.now(), remove=[trade_id])

            return build

        await self._change_trade(trade_id, None, delete)

    # ── the one way a wheel's history changes ─────────────────────────────

    async def _end_trade(
        self, trade_id: int, action: Action, end: Callable[[Trade, datetime], None]
    ) -> TradeView:
        def ending(trade: Trade) -> Build:
            def build(book: Book) -> Change:
                ended = msgspec.structs.replace(trade)
                end(ended, self._context.event_time(None, book.holdings))
                assert ended.closed_at is not None
                check_closing_time(ended, ended.closed_at)
                return Change(at=ended.closed_at, replace=[ended])

            return build

        applied = await self._change_trade(trade_id, action, ending, open_trade=True)
        return TradeView.of(applied.change.replace[0])

    async def _change(
        self, wheel_id: int, action: Action | None, build: Build, *, active: bool = False
    ) -> Applied:
        """Load the wheel's book, apply the change, store it and commit: see the module
        docstring. The stored change in the answer."""
        async with self._context.write() as uow:
            book = await Book.load(uow, wheel_id)
            applied = await book.apply(action, build, active=active).store(uow)
            await uow.commit()
            return applied

    async def _change_trade(
        self,
        trade_id: int,
        action: Action | None,
        build: Callable[[Trade], Build],
        *,
        open_trade: bool = False,
    ) -> Applied:
        """:meth:`_change` for a change addressed by a trade: ``build`` is given the stored
        trade; with ``open_trade`` the trade must still be open."""
        async with self._context.write() as uow:
            trade = await lookups.trade(uow, trade_id)
            book = await Book.load(uow, trade.wheel_id)
            applied = book.apply(action, build(trade), trade=trade if open_trade else None)
            stored = await applied.store(uow)
            await uow.commit()
            return stored


def _before(holdings: Holdings, at: datetime) -> Holdings:
    """Holdings as a new leg sees them: the closed leg's event is at ``at`` itself."""
    return msgspec.structs.replace(holdings, last_event_at=min(holdings.last_event_at or at, at))


__all__ = ["Bookkeeping"]
