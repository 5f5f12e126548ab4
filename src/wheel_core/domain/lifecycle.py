"""The wheel's state machine and the replay that rebuilds a wheel from its history.

The history of a wheel is its option trades and its share moves. Each trade
contributes two events (opened, and — once it ended — closed with an
outcome); each share move contributes one. :func:`replay` folds those events
in time order through the transition table of DESIGN §3, so:

* the state, shares and cost basis stored on a wheel can always be rebuilt
  and checked;
* recording, correcting or deleting anything is validated the same way:
  build the would-be history, replay it, and write only if it replays.

Events at the same instant are common (a roll closes one leg and opens the
next at once; backfilled history is often dated to the day), so ties are
broken by what must come first: closes of trades opened earlier, then share
sales, then imports, then trades opened at that instant in the order they
were recorded (by id), each one's opening before its own close.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import msgspec

from wheel_core.domain.entities import ShareMove, Trade
from wheel_core.domain.enums import OptionType, Outcome, ShareMoveKind, WheelState
from wheel_core.domain.errors import InvalidTransitionError, RuleViolationError
from wheel_core.domain.money import ZERO


class Action(StrEnum):
    """What a user can do to a wheel; the allowed set depends only on its state."""

    SELL_PUT = "sell_put"
    SELL_CALL = "sell_call"
    IMPORT_SHARES = "import_shares"
    SELL_SHARES = "sell_shares"
    EXPIRE = "expire"
    CLOSE = "close"
    ROLL = "roll"
    ASSIGN = "assign"
    ARCHIVE = "archive"


_OPTION_OPEN = (Action.EXPIRE, Action.CLOSE, Action.ROLL, Action.ASSIGN)

ALLOWED_ACTIONS: dict[WheelState, tuple[Action, ...]] = {
    WheelState.IDLE: (Action.SELL_PUT, Action.IMPORT_SHARES, Action.ARCHIVE),
    WheelState.PUT_OPEN: _OPTION_OPEN,
    WheelState.HOLDING_SHARES: (Action.SELL_CALL, Action.SELL_SHARES, Action.ARCHIVE),
    WheelState.CALL_OPEN: _OPTION_OPEN,
}


def allowed_actions(state: WheelState) -> tuple[Action, ...]:
    return ALLOWED_ACTIONS[state]


def require(state: WheelState, action: Action) -> None:
    """Refuse ``action`` unless the transition table allows it from ``state``."""
    allowed = ALLOWED_ACTIONS[state]
    if action not in allowed:
        raise InvalidTransitionError(state.value, action.value, [a.value for a in allowed])


_CLOSE_ACTION = {
    Outcome.EXPIRED_WORTHLESS: Action.EXPIRE,
    Outcome.CLOSED_EARLY: Action.CLOSE,
    Outcome.ROLLED: Action.ROLL,
    Outcome.ASSIGNED: Action.ASSIGN,
    Outcome.CALLED_AWAY: Action.ASSIGN,
}


class ShareLot(msgspec.Struct, frozen=True, kw_only=True):
    """Shares bought together: by assignment of a put, or imported with a cost basis."""

    quantity: int
    cost: Decimal
    acquired_at: datetime
    source: str
    """``"assigned"`` (trade id in ``trade_id``) or ``"imported"`` (move id in ``move_id``)."""
    trade_id: int | None = None
    move_id: int | None = None


class ShareSale(msgspec.Struct, frozen=True, kw_only=True):
    """Shares that left the wheel, with the gain they realized against their purchase cost."""

    quantity: int
    price: Decimal
    cost: Decimal
    """Total purchase cost of the shares sold (FIFO over lots)."""
    fees: Decimal
    sold_at: datetime
    source: str
    """``"called_away"`` (trade id in ``trade_id``) or ``"sold"`` (move id in ``move_id``)."""
    trade_id: int | None = None
    move_id: int | None = None

    @property
    def gain(self) -> Decimal:
        return self.price * self.quantity - self.cost - self.fees


class Holdings(msgspec.Struct, frozen=True, kw_only=True):
    """What a wheel's history adds up to at its end."""

    state: WheelState = WheelState.IDLE
    lots: tuple[ShareLot, ...] = ()
    sales: tuple[ShareSale, ...] = ()
    open_trade: Trade | None = None
    cycle_option_pnl: Decimal = ZERO
    """Net option P&L of closed trades since the wheel last left IDLE."""
    last_event_at: datetime | None = None

    @property
    def shares(self) -> int:
        return sum(lot.quantity for lot in self.lots)

    @property
    def cost_basis(self) -> Decimal | None:
        """Average purchase cost per share of the shares held."""
        shares = self.shares
        if not shares:
            return None
        return sum((lot.cost * lot.quantity for lot in self.lots), ZERO) / shares

    @property
    def adjusted_cost_basis(self) -> Decimal | None:
        """Cost basis less the net premium collected this cycle, per share.

        It guides call strikes only; P&L sums never use it, so no premium is
        counted twice. The open option's premium (less its fees) counts: that
        cash has been received.
        """
        basis = self.cost_basis
        if basis is None:
            return None
        collected = self.cycle_option_pnl
        if self.open_trade is not None:
            collected += self.open_trade.total_premium - self.open_trade.fees
        return basis - collected / self.shares

    @property
    def realized_share_gain(self) -> Decimal:
        return sum((sale.gain for sale in self.sales), ZERO)


class _Event(msgspec.Struct, frozen=True):
    at: datetime
    order: tuple[int, int, int]
    trade: Trade | None = None
    move: ShareMove | None = None
    closing: bool = False


_EARLIER_CLOSE, _SALE, _IMPORT, _SAME_INSTANT_TRADE = range(4)


def _recorded(entity_id: int | None) -> int:
    """Recording order; an entity not yet stored was recorded last."""
    return sys.maxsize if entity_id is None else entity_id


def history_events(trades: Iterable[Trade], moves: Iterable[ShareMove]) -> list[_Event]:
    events: list[_Event] = []
    for trade in trades:
        seq = _recorded(trade.id)
        opened = effective_opened_at(trade)
        events.append(_Event(opened, (_SAME_INSTANT_TRADE, seq, 0), trade=trade))
        if trade.outcome is not None:
            if trade.closed_at is None:
                raise RuleViolationError(f"trade {trade.id} has an outcome but no closing time")
            group = _SAME_INSTANT_TRADE if trade.closed_at == opened else _EARLIER_CLOSE
            events.append(_Event(trade.closed_at, (group, seq, 1), trade=trade, closing=True))
    for move in moves:
        group = _SALE if move.kind is ShareMoveKind.SOLD else _IMPORT
        events.append(_Event(move.at, (group, _recorded(move.id), 0), move=move))
    events.sort(key=lambda e: (e.at, e.order))
    return events


def effective_opened_at(trade: Trade) -> datetime:
    """When the trade took its place in the history: its opening, or its closing if earlier.

    Imported legacy rows carry the moment they were *recorded* as their
    opening, so a trade backfilled after the fact can "open" after it closed.
    Such rows are kept as they are; for ordering they count as opened when
    they closed. New trades can never be recorded that way.
    """
    if trade.closed_at is not None and trade.closed_at < trade.opened_at:
        return trade.closed_at
    return trade.opened_at


def replay(trades: Iterable[Trade], moves: Iterable[ShareMove] = ()) -> Holdings:
    """Fold a wheel's history into its holdings, refusing any history the rules forbid."""
    holdings = Holdings()
    rolling: OptionType | None = None
    for event in history_events(trades, moves):
        if rolling is not None and not (
            event.trade is not None and not event.closing and event.trade.option_type is rolling
        ):
            raise RuleViolationError("a rolled trade must be followed at once by its new leg")
        if event.trade is not None and event.closing:
            holdings, rolling = _close(holdings, event.trade)
        elif event.trade is not None:
            holdings = _open(holdings, event.trade, rolling=rolling is not None)
            rolling = None
        elif event.move is not None:
            holdings = _share_move(holdings, event.move)
        holdings = msgspec.structs.replace(holdings, last_event_at=event.at)
    if rolling is not None:
        raise RuleViolationError("a rolled trade has no new leg")
    return holdings


def _open(holdings: Holdings, trade: Trade, *, rolling: bool) -> Holdings:
    if trade.option_type is OptionType.PUT:
        if not rolling:
            require(holdings.state, Action.SELL_PUT)
        return msgspec.structs.replace(
            holdings,
            state=WheelState.PUT_OPEN,
            open_trade=trade,
            cycle_option_pnl=holdings.cycle_option_pnl if rolling else ZERO,
        )
    if not rolling:
        require(holdings.state, Action.SELL_CALL)
    if trade.contracts > holdings.shares // 100:
        raise RuleViolationError(
            f"a covered call needs 100 shares per contract: {trade.contracts} contracts "
            f"but only {holdings.shares} shares held"
        )
    return msgspec.structs.replace(holdings, state=WheelState.CALL_OPEN, open_trade=trade)


def _close(holdings: Holdings, trade: Trade) -> tuple[Holdings, OptionType | None]:
    assert trade.outcome is not None and trade.closed_at is not None
    require(holdings.state, _CLOSE_ACTION[trade.outcome])
    if holdings.open_trade is None or holdings.open_trade.id != trade.id:
        raise RuleViolationError(f"trade {trade.id} is not the wheel's open option")
    pnl = holdings.cycle_option_pnl + trade.pnl
    base = msgspec.structs.replace(holdings, open_trade=None, cycle_option_pnl=pnl)
    outcome = trade.outcome
    if outcome is Outcome.ROLLED:
        return base, trade.option_type
    if trade.option_type is OptionType.PUT:
        if outcome is Outcome.CALLED_AWAY:
            raise RuleViolationError("a put is assigned, not called away")
        if outcome is Outcome.ASSIGNED:
            lot = ShareLot(
                quantity=trade.shares_covered,
                cost=trade.strike,
                acquired_at=trade.closed_at,
                source="assigned",
                trade_id=trade.id,
            )
            return msgspec.structs.replace(
                base, state=WheelState.HOLDING_SHARES, lots=(*holdings.lots, lot)
            ), None
        return _to_idle(base), None
    if outcome is Outcome.ASSIGNED:
        raise RuleViolationError("a call is called away, not assigned")
    if outcome is Outcome.CALLED_AWAY:
        lots, cost = _take_fifo(holdings.lots, trade.shares_covered)
        sale = ShareSale(
            quantity=trade.shares_covered,
            price=trade.strike,
            cost=cost,
            fees=ZERO,
            sold_at=trade.closed_at,
            source="called_away",
            trade_id=trade.id,
        )
        after = msgspec.structs.replace(
            base, lots=lots, sales=(*holdings.sales, sale), state=WheelState.HOLDING_SHARES
        )
        return (_to_idle(after) if not lots else after), None
    return msgspec.structs.replace(base, state=WheelState.HOLDING_SHARES), None


def _share_move(holdings: Holdings, move: ShareMove) -> Holdings:
    if move.quantity <= 0:
        raise RuleViolationError("a share move needs a positive number of shares")
    if move.kind is ShareMoveKind.IMPORTED:
        require(holdings.state, Action.IMPORT_SHARES)
        lot = ShareLot(
            quantity=move.quantity,
            cost=move.price,
            acquired_at=move.at,
            source="imported",
            move_id=move.id,
        )
        return msgspec.structs.replace(
            holdings, state=WheelState.HOLDING_SHARES, lots=(lot,), cycle_option_pnl=ZERO
        )
    require(holdings.state, Action.SELL_SHARES)
    if move.quantity != holdings.shares:
        raise RuleViolationError(
            f"selling shares sells the whole holding of {holdings.shares} shares, "
            f"not {move.quantity}"
        )
    lots, cost = _take_fifo(holdings.lots, move.quantity)
    sale = ShareSale(
        quantity=move.quantity,
        price=move.price,
        cost=cost,
        fees=move.fees,
        sold_at=move.at,
        source="sold",
        move_id=move.id,
    )
    return _to_idle(msgspec.structs.replace(holdings, lots=lots, sales=(*holdings.sales, sale)))


def _to_idle(holdings: Holdings) -> Holdings:
    return msgspec.structs.replace(holdings, state=WheelState.IDLE, cycle_option_pnl=ZERO)


def _take_fifo(lots: Sequence[ShareLot], quantity: int) -> tuple[tuple[ShareLot, ...], Decimal]:
    """Remove ``quantity`` shares oldest-first; return the remaining lots and their cost."""
    remaining = list(lots)
    cost = ZERO
    while quantity:
        if not remaining:
            raise RuleViolationError("not enough shares held for this sale")
        lot = remaining[0]
        taken = min(lot.quantity, quantity)
        cost += lot.cost * taken
        quantity -= taken
        if taken == lot.quantity:
            remaining.pop(0)
        else:
            remaining[0] = msgspec.structs.replace(lot, quantity=lot.quantity - taken)
    return tuple(remaining), cost
