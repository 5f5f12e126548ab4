"""Bookkeeping use cases: portfolios, wheels, trades and shares.

This is the half of :class:`~wheel_core.app.service.WheelService` that needs
no market data. Each use case opens its own unit of work, so a refused
request writes nothing, and two callers never share a transaction.

Every change to a wheel's history goes the same way: build the would-be
history, :func:`~wheel_core.domain.lifecycle.replay` it, and only then write
the new facts and the wheel's rebuilt state. A history that does not replay
is never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

import msgspec

from wheel_core.app.commands import (
    AssignTrade,
    CloseTrade,
    CorrectTrade,
    CreatePortfolio,
    ExpireTrade,
    ImportShares,
    OpenWheel,
    RecordTrade,
    RollTrade,
    SellShares,
    UpdatePortfolio,
    UpdateWheel,
)
from wheel_core.app.histories import Ledger, WheelHistories
from wheel_core.app.views import Page, PortfolioSummary, TradeView, WheelHistory, WheelView
from wheel_core.domain.checks import as_utc, normalize_symbol
from wheel_core.domain.entities import DEFAULT_PORTFOLIO, Portfolio, ShareMove, Trade, Wheel
from wheel_core.domain.enums import OptionType, Outcome, ShareMoveKind
from wheel_core.domain.errors import ConflictError, NotFoundError, RuleViolationError
from wheel_core.domain.lifecycle import Action, Holdings, replay, require
from wheel_core.domain.money import cents
from wheel_core.domain.rules import (
    check_closing_time,
    check_expiration,
    check_expiration_horizon,
    check_expiry_date,
    check_new_trade,
    exchange_date,
    expiration_close,
    expiry_outcome,
)
from wheel_core.ports import Clock, SnapshotQuery, TradeQuery, UnitOfWork, UnitOfWorkFactory

Q = TypeVar("Q", TradeQuery, SnapshotQuery)


def ticker_query(query: Q) -> Q:
    """The query with its symbol as a ticker, as list_wheels and find_wheel take it:
    "aapl" finds AAPL's trades and snapshots; text that is no ticker is refused."""
    if query.symbol is None:
        return query
    return msgspec.structs.replace(query, symbol=normalize_symbol(query.symbol))


class Bookkeeping:
    """Records what the trader did; see the module docstring."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock
        self._histories = WheelHistories()

    def _read(self) -> UnitOfWork:
        """A unit of work for a use case that only reads: it never waits for a writer."""
        return self._uow(read_only=True)

    def _now(self, given: datetime | None = None) -> datetime:
        return as_utc(given) if given is not None else as_utc(self._clock.now())

    def _check_horizon(self, expiration: date) -> None:
        """A new or corrected expiration is at most a few years ahead of today."""
        check_expiration_horizon(expiration, exchange_date(self._now()))

    def _event_time(self, given: datetime | None, holdings: Holdings) -> datetime:
        """When a new event happened: as given, or now — never before the wheel's last event
        when defaulted, so a clock a moment behind a recorded time cannot refuse it."""
        if given is not None:
            return as_utc(given)
        now = self._now()
        last = holdings.last_event_at
        return now if last is None else max(now, last)

    # ── portfolios ────────────────────────────────────────────────────────

    async def ensure_default_portfolio(self) -> Portfolio:
        """The default portfolio always exists; legacy data and symbol-only commands land there."""
        async with self._uow() as uow:
            portfolio = await self._default_portfolio(uow)
            await uow.commit()
            return portfolio

    async def create_portfolio(self, command: CreatePortfolio) -> Portfolio:
        async with self._uow() as uow:
            name = command.name.strip()
            if await uow.portfolios.get_by_name(name) is not None:
                raise ConflictError(f"a portfolio named {name!r} already exists")
            if command.is_default:
                await self._clear_default(uow)
            portfolio = await uow.portfolios.add(
                Portfolio(
                    name=name,
                    description=command.description,
                    capital=command.capital,
                    is_default=command.is_default,
                    created_at=self._now(),
                )
            )
            await uow.commit()
            return portfolio

    async def list_portfolios(self) -> list[Portfolio]:
        async with self._read() as uow:
            return await uow.portfolios.list()

    async def get_portfolio(self, portfolio_id: int) -> Portfolio:
        async with self._read() as uow:
            return await self._portfolio(uow, portfolio_id)

    async def get_portfolio_by_name(self, name: str) -> Portfolio:
        async with self._read() as uow:
            portfolio = await uow.portfolios.get_by_name(name.strip())
            if portfolio is None:
                raise NotFoundError("portfolio", name)
            return portfolio

    async def update_portfolio(self, portfolio_id: int, command: UpdatePortfolio) -> Portfolio:
        async with self._uow() as uow:
            portfolio = await self._portfolio(uow, portfolio_id)
            if command.name is not None and command.name.strip() != portfolio.name:
                name = command.name.strip()
                if await uow.portfolios.get_by_name(name) is not None:
                    raise ConflictError(f"a portfolio named {name!r} already exists")
                portfolio.name = name
            if command.description is not None:
                portfolio.description = command.description
            if command.capital is not None:
                portfolio.capital = command.capital
            if command.is_default is True and not portfolio.is_default:
                await self._clear_default(uow)
                portfolio.is_default = True
            elif command.is_default is False and portfolio.is_default:
                raise ConflictError(
                    "one portfolio is always the default: make another one the default instead"
                )
            await uow.portfolios.update(portfolio)
            await uow.commit()
            return portfolio

    async def set_default_portfolio(self, portfolio_id: int) -> Portfolio:
        return await self.update_portfolio(portfolio_id, UpdatePortfolio(is_default=True))

    async def delete_portfolio(self, portfolio_id: int, *, cascade: bool = False) -> None:
        """Delete a portfolio; one that still has wheels is refused unless ``cascade``."""
        async with self._uow() as uow:
            portfolio = await self._portfolio(uow, portfolio_id)
            if portfolio.is_default:
                raise ConflictError("the default portfolio cannot be deleted")
            wheels = await uow.wheels.list(portfolio_id=portfolio_id)
            if wheels and not cascade:
                raise ConflictError(
                    f"portfolio {portfolio.name!r} still has {len(wheels)} wheel(s); "
                    "archive or delete them first, or delete with cascade"
                )
            for wheel in wheels:
                await self._delete_wheel_rows(uow, wheel)
            await uow.portfolios.delete(portfolio_id)
            await uow.commit()

    async def portfolio_summary(self, portfolio_id: int) -> PortfolioSummary:
        async with self._read() as uow:
            portfolio = await self._portfolio(uow, portfolio_id)
            ledgers = await self._histories.ledgers(uow, portfolio_id=portfolio_id)
            wheels = [ledger.wheel for ledger in ledgers]
            trades = [trade for ledger in ledgers for trade in ledger.trades]
            share_gain = sum(
                (ledger.holdings.realized_share_gain for ledger in ledgers), Decimal(0)
            )
            closed = [t for t in trades if not t.is_open]
            return PortfolioSummary(
                portfolio=portfolio,
                wheels=len(wheels),
                active_wheels=sum(1 for w in wheels if w.active),
                open_trades=len(trades) - len(closed),
                capital_allocated=sum((w.capital for w in wheels if w.active), Decimal(0)),
                total_premium=cents(sum((t.total_premium for t in trades), Decimal(0))),
                realized_pnl=cents(sum((t.pnl for t in closed), Decimal(0)) + share_gain),
            )

    # ── wheels ────────────────────────────────────────────────────────────

    async def open_wheel(self, command: OpenWheel) -> WheelView:
        """Start a wheel on a symbol, optionally from shares already owned."""
        symbol = normalize_symbol(command.symbol)
        now = self._now(command.opened_at)
        async with self._uow() as uow:
            if command.portfolio_id is None:
                portfolio = await self._default_portfolio(uow)
            else:
                portfolio = await self._portfolio(uow, command.portfolio_id)
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
            moves: list[ShareMove] = []
            if command.shares:
                assert command.cost_basis is not None
                moves.append(
                    await uow.share_moves.add(
                        ShareMove(
                            wheel_id=wheel.id,
                            kind=ShareMoveKind.IMPORTED,
                            quantity=command.shares,
                            price=command.cost_basis,
                            at=now,
                        )
                    )
                )
            holdings = replay([], moves)
            await self._store_state(uow, wheel, holdings, now)
            await uow.commit()
            return WheelView.of(wheel, holdings, [])

    async def get_wheel(self, wheel_id: int) -> WheelView:
        async with self._read() as uow:
            return self._view(await self._ledger(uow, wheel_id))

    async def find_wheel(self, symbol: str, portfolio_id: int | None = None) -> WheelView:
        """The active wheel on ``symbol`` in a portfolio (the default one if not given)."""
        symbol = normalize_symbol(symbol)
        async with self._read() as uow:
            if portfolio_id is None:
                portfolio = await self._default_portfolio(uow)
            else:
                portfolio = await self._portfolio(uow, portfolio_id)
            assert portfolio.id is not None
            wheel = await uow.wheels.find_active(portfolio.id, symbol)
            if wheel is None or wheel.id is None:
                raise NotFoundError("active wheel", f"{symbol} in {portfolio.name}")
            return self._view(await self._ledger(uow, wheel.id))

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
        async with self._read() as uow:
            wheel = await self._wheel_by_symbol(uow, symbol, portfolio, include_archived)
            assert wheel.id is not None
            return self._view(await self._ledger(uow, wheel.id))

    async def _wheel_by_symbol(
        self, uow: UnitOfWork, symbol: str, portfolio: str | None, include_archived: bool
    ) -> Wheel:
        found = await self._portfolio_named(uow, portfolio)
        kind = "wheel" if include_archived else "active wheel"
        where = f"{symbol} in {found.name if found is not None else DEFAULT_PORTFOLIO}"
        if found is None or found.id is None:
            raise NotFoundError(kind, where)
        wheel = await uow.wheels.find_active(found.id, symbol)
        if wheel is None and include_archived:
            archived = await uow.wheels.list(portfolio_id=found.id, symbol=symbol)
            wheel = archived[-1] if archived else None
        if wheel is None or wheel.id is None:
            raise NotFoundError(kind, where)
        return wheel

    async def _portfolio_named(self, uow: UnitOfWork, name: str | None) -> Portfolio | None:
        """The portfolio a symbol-addressed command means, read only: ``name`` (a missing
        one is ``NotFoundError``), else the default one if it exists yet."""
        if name is not None:
            portfolio = await uow.portfolios.get_by_name(name.strip())
            if portfolio is None:
                raise NotFoundError("portfolio", name.strip())
            return portfolio
        portfolios = await uow.portfolios.list()
        marked = [p for p in portfolios if p.is_default]
        named = [p for p in portfolios if p.name == DEFAULT_PORTFOLIO]
        return next(iter(marked or named), None)

    async def list_wheels(
        self,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = True,
    ) -> list[WheelView]:
        async with self._read() as uow:
            ticker = normalize_symbol(symbol) if symbol else None
            return await self._histories.views(
                uow, portfolio_id=portfolio_id, symbol=ticker, active=active
            )

    async def update_wheel(self, wheel_id: int, command: UpdateWheel) -> WheelView:
        async with self._uow() as uow:
            ledger = await self._ledger(uow, wheel_id)
            if command.profile is not None:
                ledger.wheel.profile = command.profile
            if command.capital is not None:
                ledger.wheel.capital = command.capital
            ledger.wheel.updated_at = self._now()
            await uow.wheels.update(ledger.wheel)
            await uow.commit()
            return self._view(ledger)

    async def archive_wheel(self, wheel_id: int) -> WheelView:
        """Stop wheeling a symbol; its history stays. Refused while an option is open."""
        async with self._uow() as uow:
            ledger = await self._ledger(uow, wheel_id)
            self._require_active(ledger.wheel)
            require(ledger.wheel.state, Action.ARCHIVE)
            ledger.wheel.active = False
            ledger.wheel.updated_at = self._now()
            await uow.wheels.update(ledger.wheel)
            await uow.commit()
            return self._view(ledger)

    async def delete_wheel(self, wheel_id: int) -> None:
        """Remove a wheel and its whole history (archive it to keep the history)."""
        async with self._uow() as uow:
            ledger = await self._ledger(uow, wheel_id)
            await self._delete_wheel_rows(uow, ledger.wheel)
            await uow.commit()

    async def wheel_history(self, wheel_id: int) -> WheelHistory:
        async with self._read() as uow:
            ledger = await self._ledger(uow, wheel_id)
            return WheelHistory(
                wheel=self._view(ledger),
                trades=[TradeView.of(t) for t in ledger.trades],
                share_moves=ledger.moves,
                lots=list(ledger.holdings.lots),
                sales=list(ledger.holdings.sales),
            )

    async def import_shares(self, wheel_id: int, command: ImportShares) -> WheelView:
        return await self._add_share_move(
            wheel_id, ShareMoveKind.IMPORTED, command.shares, command.cost_basis, command.at
        )

    async def sell_shares(self, wheel_id: int, command: SellShares) -> WheelView:
        async with self._read() as uow:
            shares = (await self._ledger(uow, wheel_id)).holdings.shares
        return await self._add_share_move(
            wheel_id, ShareMoveKind.SOLD, shares, command.price, command.at, fees=command.fees
        )

    # ── trades ────────────────────────────────────────────────────────────

    async def record_trade(self, wheel_id: int, command: RecordTrade) -> TradeView:
        """Sell a cash-secured put or a covered call on a wheel."""
        async with self._uow() as uow:
            ledger = await self._ledger(uow, wheel_id)
            self._require_active(ledger.wheel)
            action = Action.SELL_PUT if command.option_type is OptionType.PUT else Action.SELL_CALL
            require(ledger.wheel.state, action)
            self._check_horizon(command.expiration)
            trade = Trade(
                wheel_id=wheel_id,
                symbol=ledger.wheel.symbol,
                option_type=command.option_type,
                strike=command.strike,
                expiration=command.expiration,
                premium=command.premium,
                contracts=command.contracts,
                fees=command.fees,
                opened_at=self._event_time(command.opened_at, ledger.holdings),
            )
            check_new_trade(
                ledger.wheel,
                ledger.holdings,
                trade,
                allow_exceeding_capital=command.allow_exceeding_capital,
            )
            holdings = replay([*ledger.trades, trade], ledger.moves)
            trade = await uow.trades.add(trade)
            await self._store_state(uow, ledger.wheel, holdings, trade.opened_at)
            await uow.commit()
            return TradeView.of(trade)

    async def get_trade(self, trade_id: int) -> TradeView:
        async with self._read() as uow:
            return TradeView.of(await self._trade(uow, trade_id))

    async def list_trades(self, query: TradeQuery | None = None) -> Page[TradeView]:
        query = ticker_query(query or TradeQuery())
        async with self._read() as uow:
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
                self._now(command.at)
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
            trade.closed_at = self._now(command.at) if command.at else now

        return await self._end_trade(trade_id, Action.CLOSE, end)

    async def assign_trade(self, trade_id: int, command: AssignTrade) -> TradeView:
        """Early assignment of a put, or early call-away of a call."""

        def end(trade: Trade, now: datetime) -> None:
            trade.outcome = (
                Outcome.ASSIGNED if trade.option_type is OptionType.PUT else Outcome.CALLED_AWAY
            )
            trade.price_at_expiry = command.price
            trade.closed_at = self._now(command.at) if command.at else now

        return await self._end_trade(trade_id, Action.ASSIGN, end)

    async def roll_trade(self, trade_id: int, command: RollTrade) -> TradeView:
        """Close the open option and open its replacement as one step; returns the new leg."""
        async with self._uow() as uow:
            old = await self._trade(uow, trade_id)
            ledger = await self._ledger(uow, old.wheel_id)
            self._require_open(ledger, old, Action.ROLL)
            self._check_horizon(command.expiration)
            at = self._event_time(command.at, ledger.holdings)
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
                ledger.wheel,
                _before(ledger.holdings, at),
                new,
                allow_exceeding_capital=command.allow_exceeding_capital,
            )
            others = [t for t in ledger.trades if t.id != old.id]
            holdings = replay([*others, closed, new], ledger.moves)
            await uow.trades.update(closed)
            new = await uow.trades.add(new)
            await self._store_state(uow, ledger.wheel, holdings, at)
            await uow.commit()
            return TradeView.of(new)

    async def correct_trade(self, trade_id: int, command: CorrectTrade) -> TradeView:
        """Fix what was typed; refused if the wheel's corrected history would not replay."""
        async with self._uow() as uow:
            trade = await self._trade(uow, trade_id)
            ledger = await self._ledger(uow, trade.wheel_id)
            changes = {
                field: (as_utc(value) if isinstance(value, datetime) else value)
                for field in command.__struct_fields__
                if (value := getattr(command, field)) is not None
            }
            if command.expiration is not None:
                self._check_horizon(command.expiration)
            if "closed_at" in changes and trade.is_open:
                raise RuleViolationError("an open trade has no closing time to correct")
            corrected = msgspec.structs.replace(trade, **changes)
            if corrected.closed_at is not None and corrected.closed_at < corrected.opened_at:
                raise RuleViolationError("a trade cannot close before it opens")
            if "expiration" in changes or "opened_at" in changes:
                check_expiration(corrected)
            trades = [corrected if t.id == trade.id else t for t in ledger.trades]
            holdings = replay(trades, ledger.moves)
            await uow.trades.update(corrected)
            await self._store_state(uow, ledger.wheel, holdings, self._now())
            await uow.commit()
            return TradeView.of(corrected)

    async def delete_trade(self, trade_id: int) -> None:
        """Remove a trade recorded by mistake, if the wheel's history still replays without it."""
        async with self._uow() as uow:
            trade = await self._trade(uow, trade_id)
            ledger = await self._ledger(uow, trade.wheel_id)
            rolled_into = next((t for t in ledger.trades if t.rolled_from_id == trade_id), None)
            if rolled_into is not None:
                # Without it, the next leg's roll would point at a trade that no longer exists.
                raise ConflictError(
                    f"trade {trade_id} was rolled into trade {rolled_into.id}: a rolled leg "
                    "cannot be deleted; correct it instead"
                )
            holdings = replay([t for t in ledger.trades if t.id != trade_id], ledger.moves)
            await uow.trades.delete(trade_id)
            await self._store_state(uow, ledger.wheel, holdings, self._now())
            await uow.commit()

    # ── internals ─────────────────────────────────────────────────────────

    async def _end_trade(
        self, trade_id: int, action: Action, end: Callable[[Trade, datetime], None]
    ) -> TradeView:
        async with self._uow() as uow:
            trade = await self._trade(uow, trade_id)
            ledger = await self._ledger(uow, trade.wheel_id)
            self._require_open(ledger, trade, action)
            ended = msgspec.structs.replace(trade)
            end(ended, self._event_time(None, ledger.holdings))
            assert ended.closed_at is not None
            check_closing_time(ended, ended.closed_at)
            trades = [ended if t.id == trade.id else t for t in ledger.trades]
            holdings = replay(trades, ledger.moves)
            await uow.trades.update(ended)
            await self._store_state(uow, ledger.wheel, holdings, ended.closed_at)
            await uow.commit()
            return TradeView.of(ended)

    async def _add_share_move(
        self,
        wheel_id: int,
        kind: ShareMoveKind,
        quantity: int,
        price: Decimal,
        at: datetime | None,
        *,
        fees: Decimal = Decimal(0),
    ) -> WheelView:
        async with self._uow() as uow:
            ledger = await self._ledger(uow, wheel_id)
            self._require_active(ledger.wheel)
            require(
                ledger.wheel.state,
                Action.IMPORT_SHARES if kind is ShareMoveKind.IMPORTED else Action.SELL_SHARES,
            )
            when = self._event_time(at, ledger.holdings)
            last = ledger.holdings.last_event_at
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
            move = ShareMove(
                wheel_id=wheel_id, kind=kind, quantity=quantity, price=price, at=when, fees=fees
            )
            holdings = replay(ledger.trades, [*ledger.moves, move])
            move = await uow.share_moves.add(move)
            ledger.moves.append(move)
            await self._store_state(uow, ledger.wheel, holdings, when)
            await uow.commit()
            ledger.holdings = holdings
            return self._view(ledger)

    async def _ledger(self, uow: UnitOfWork, wheel_id: int) -> Ledger:
        wheel = await uow.wheels.get(wheel_id)
        if wheel is None:
            raise NotFoundError("wheel", wheel_id)
        trades = await uow.trades.list(TradeQuery(wheel_id=wheel_id))
        moves = await uow.share_moves.list_for_wheel(wheel_id)
        return Ledger(wheel=wheel, trades=trades, moves=moves, holdings=replay(trades, moves))

    async def _store_state(
        self, uow: UnitOfWork, wheel: Wheel, holdings: Holdings, now: datetime
    ) -> None:
        wheel.state = holdings.state
        wheel.shares = holdings.shares
        wheel.cost_basis = holdings.cost_basis
        wheel.updated_at = max(wheel.updated_at, now)
        await uow.wheels.update(wheel)

    async def _delete_wheel_rows(self, uow: UnitOfWork, wheel: Wheel) -> None:
        """Newest trade first: a roll's new leg refers to the leg it replaced, so the
        older row can go only once nothing refers to it."""
        assert wheel.id is not None
        trades = await uow.trades.list(TradeQuery(wheel_id=wheel.id))
        for trade in sorted(trades, key=lambda t: t.id or 0, reverse=True):
            assert trade.id is not None
            await uow.trades.delete(trade.id)
        for move in await uow.share_moves.list_for_wheel(wheel.id):
            assert move.id is not None
            await uow.share_moves.delete(move.id)
        await uow.wheels.delete(wheel.id)

    async def _default_portfolio(self, uow: UnitOfWork) -> Portfolio:
        portfolios = await uow.portfolios.list()
        for portfolio in portfolios:
            if portfolio.is_default:
                return portfolio
        existing = await uow.portfolios.get_by_name(DEFAULT_PORTFOLIO)
        if existing is not None:
            existing.is_default = True
            await uow.portfolios.update(existing)
            return existing
        return await uow.portfolios.add(
            Portfolio(name=DEFAULT_PORTFOLIO, is_default=True, created_at=self._now())
        )

    async def _clear_default(self, uow: UnitOfWork) -> None:
        for portfolio in await uow.portfolios.list():
            if portfolio.is_default:
                portfolio.is_default = False
                await uow.portfolios.update(portfolio)

    @staticmethod
    async def _portfolio(uow: UnitOfWork, portfolio_id: int) -> Portfolio:
        portfolio = await uow.portfolios.get(portfolio_id)
        if portfolio is None:
            raise NotFoundError("portfolio", portfolio_id)
        return portfolio

    @staticmethod
    async def _trade(uow: UnitOfWork, trade_id: int) -> Trade:
        trade = await uow.trades.get(trade_id)
        if trade is None:
            raise NotFoundError("trade", trade_id)
        return trade

    @staticmethod
    def _require_active(wheel: Wheel) -> None:
        if not wheel.active:
            raise ConflictError(f"the {wheel.symbol} wheel is archived; open a new wheel instead")

    @staticmethod
    def _require_open(ledger: Ledger, trade: Trade, action: Action) -> None:
        require(ledger.wheel.state, action)
        if not trade.is_open:
            raise ConflictError(
                f"trade {trade.id} already ended ({trade.outcome}); only the open trade can "
                f"be {'rolled' if action is Action.ROLL else 'ended'}"
            )

    @staticmethod
    def _view(ledger: Ledger) -> WheelView:
        return WheelView.of(ledger.wheel, ledger.holdings, ledger.trades)


def _before(holdings: Holdings, at: datetime) -> Holdings:
    """Holdings as a new leg sees them: the closed leg's event is at ``at`` itself."""
    return msgspec.structs.replace(holdings, last_event_at=min(holdings.last_event_at or at, at))
