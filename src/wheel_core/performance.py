"""Performance of wheels, portfolios and everything: the formulas in one place.

Every figure is computed from a :class:`PricedBook` — a wheel, its trades, the
:class:`~wheel_core.domain.lifecycle.Holdings` its history replays to, and the
current prices the caller fetched (the app layer's
:class:`~wheel_core.app.book.Book` with today's prices beside it) — in one pass
over the trades, so 100k trades cost linear time. Nothing here reads a clock, a database or a quote.

**Periods.** ``Period.DAYS_30`` covers the 30 calendar days ending today,
today included (start = today − 29 days); likewise 90 and 365; ``ALL`` has no
start. A day is the UTC date of the stored instant, which for anything done
during US market hours is also the New York date.

* A closed trade counts in a period when it *closed* on or after the start:
  its P&L, the win/assignment/call-away counts, days held and collateral.
* A share sale (call-away or manual sale) counts when it *happened* on or
  after the start.
* Premium counts when the option was *sold* (opened) on or after the start,
  open or closed: premium is cash received the day the option is sold.
* Unrealized P&L is always as of now, whatever the period.

**Metrics** (DESIGN §3 and §4):

* ``option_pnl`` = Σ closed trades' P&L (premium − buy-back − fees);
  ``share_gain`` = Σ (sale price × shares − purchase cost − fees) of share
  sales; ``realized_pnl`` = ``option_pnl`` + ``share_gain``.
* ``unrealized_pnl`` = for each open option with a mark: premium received −
  mark × 100 × contracts − fees; plus, when the underlying's price is known,
  (price − purchase cost) × shares for every lot held. Positions without a
  price are left out and counted in ``unpriced_positions``, so a reader knows
  the figure is partial.
* ``wins``: closed trades with P&L > 0 (an assignment is an outcome, not a
  loss); ``win_rate`` = wins / trades closed. Every leg of a roll is a
  closed trade of its own here.
* ``assignment_rate`` = assigned puts / puts that *ended* (expired, closed
  early or assigned) and ``call_away_rate`` = called-away calls / calls that
  ended. Rolled legs are left out of both: a roll continues the position in
  its next leg, so a put rolled twice and then assigned is one assignment in
  one, not in three.
* ``average_days_held`` = mean over closed trades of the calendar days from
  the open date to the close date, at least 1 (a same-day trade held capital
  for a day).
* ``annualized_return_on_collateral`` = realized P&L / Σ(collateral × days
  held) × 365, over the closed trades of the period. **Collateral** of a put
  is strike × 100 × contracts (the cash that secures it). Of a covered call
  it is the *purchase cost* of the shares it covers — what the trader paid
  for them, not their adjusted basis or market value — taken from the wheel's
  holdings at the time the call was open: a wheel holds shares from a single
  purchase (an assignment or an import) per holding cycle, so the cost per
  share is that of the sale that ended the cycle (the call's own call-away,
  or the first sale after the call opened), or of the lots still held when
  no sale has happened yet. For a cycle begun by assignment this is the
  assigning put's strike. The numerator is the realized P&L, share gains
  included: the shares are the covered call's collateral, and their gain is
  part of what that capital earned.

**Precision.** Money is summed exactly and quantized to cents (half up) once,
when reported — per wheel, per symbol and for the total alike, each from its
exact sums. Rates and the annualized return are fractions (0.25 = 25 %)
quantized to 4 places, i.e. to 0.01 %; average days held to 0.1 day. A rate
whose denominator is zero is ``None`` ("no data"), never 0.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

import msgspec

from wheel_core.domain.entities import Snapshot, Trade, Wheel
from wheel_core.domain.enums import OptionType, Outcome
from wheel_core.domain.errors import ValidationError
from wheel_core.domain.lifecycle import Holdings, ShareSale
from wheel_core.domain.money import ZERO, cents

DAYS_PER_YEAR = 365
RATE_STEP = Decimal("0.0001")
DAYS_STEP = Decimal("0.1")


class Period(StrEnum):
    """A look-back window ending today; the value is what users type (``--period 90``)."""

    DAYS_30 = "30"
    DAYS_90 = "90"
    DAYS_365 = "365"
    ALL = "all"

    @property
    def days(self) -> int | None:
        return None if self is Period.ALL else int(self.value)

    def start(self, today: date) -> date | None:
        """First day of the window: ``today`` is its last, so it spans exactly ``days`` days."""
        days = self.days
        return None if days is None else today - timedelta(days=days - 1)


class PricedBook(msgspec.Struct, frozen=True, kw_only=True):
    """Everything performance needs about one wheel, gathered by the caller: a wheel's
    book (``wheel_core.app.book.Book``: the wheel, its history and the holdings it
    replays to) with today's prices beside it. Frozen and priced, so it is a separate
    type; ``Book.priced`` makes one."""

    wheel: Wheel
    trades: tuple[Trade, ...]
    holdings: Holdings
    price: Decimal | None = None
    """Current price of the underlying; ``None`` leaves held shares unpriced."""
    option_marks: dict[int, Decimal] = msgspec.field(default_factory=dict)
    """Open trade id → current option price per share (the cost to buy it back)."""


class Performance(msgspec.Struct, frozen=True, kw_only=True):
    total_premium: Decimal
    realized_pnl: Decimal
    option_pnl: Decimal
    share_gain: Decimal
    unrealized_pnl: Decimal
    trades_closed: int
    wins: int
    win_rate: Decimal | None
    puts_ended: int
    assigned: int
    assignment_rate: Decimal | None
    calls_ended: int
    called_away: int
    call_away_rate: Decimal | None
    average_days_held: Decimal | None
    annualized_return_on_collateral: Decimal | None
    unpriced_positions: int


class SymbolPerformance(msgspec.Struct, frozen=True, kw_only=True):
    symbol: str
    wheels: int
    performance: Performance


class PerformanceReport(msgspec.Struct, frozen=True, kw_only=True):
    """Performance of a set of wheels (a portfolio, or all of them) over one period."""

    period: Period
    start: date | None
    as_of: date
    wheels: int
    total: Performance
    by_symbol: tuple[SymbolPerformance, ...]
    """One row per symbol, alphabetical; wheels of the same symbol in several
    portfolios (or archived and active) are one row."""
    best_symbol: str | None
    worst_symbol: str | None
    """Highest and lowest realized P&L among symbols with something realized in
    the period; ties go to the alphabetically first symbol. With one such
    symbol it is both best and worst."""


class LegPnl(msgspec.Struct, frozen=True, kw_only=True):
    trade_id: int
    option_type: OptionType
    strike: Decimal
    expiration: date
    opened_at: datetime
    closed_at: datetime | None
    outcome: Outcome | None
    total_premium: Decimal
    pnl: Decimal | None
    """``None`` while the leg is open: nothing is realized yet."""


class ChainPnl(msgspec.Struct, frozen=True, kw_only=True):
    """A position followed through its rolls: users judge a roll by the whole chain."""

    chain_id: int
    wheel_id: int
    symbol: str
    legs: tuple[LegPnl, ...]
    rolls: int
    total_premium: Decimal
    realized_pnl: Decimal
    """Σ P&L of the closed legs."""
    is_open: bool
    outcome: Outcome | None
    """How the last leg ended (``None`` while it is open)."""


class PnlPoint(msgspec.Struct, frozen=True, kw_only=True):
    day: date
    realized_pnl: Decimal
    unrealized_pnl: Decimal
    total_pnl: Decimal
    wheels: int


class _Tally:
    """Exact running sums, so a portfolio's figures come from sums, not from rounded rows."""

    __slots__ = (
        "assigned",
        "called_away",
        "calls_ended",
        "closed",
        "collateral_days",
        "days_held",
        "option_pnl",
        "premium",
        "puts_ended",
        "realized_events",
        "share_gain",
        "unpriced",
        "unrealized",
        "wins",
    )

    def __init__(self) -> None:
        self.premium = ZERO
        self.option_pnl = ZERO
        self.share_gain = ZERO
        self.unrealized = ZERO
        self.collateral_days = ZERO
        self.closed = 0
        self.wins = 0
        self.puts_ended = 0
        self.assigned = 0
        self.calls_ended = 0
        self.called_away = 0
        self.days_held = 0
        self.unpriced = 0
        self.realized_events = 0

    def add(self, other: _Tally) -> None:
        for name in _Tally.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def performance(self) -> Performance:
        realized = self.option_pnl + self.share_gain
        annualized = None
        if self.collateral_days:
            annualized = (realized * DAYS_PER_YEAR / self.collateral_days).quantize(
                RATE_STEP, rounding=ROUND_HALF_UP
            )
        return Performance(
            total_premium=cents(self.premium),
            realized_pnl=cents(realized),
            option_pnl=cents(self.option_pnl),
            share_gain=cents(self.share_gain),
            unrealized_pnl=cents(self.unrealized),
            trades_closed=self.closed,
            wins=self.wins,
            win_rate=_ratio(self.wins, self.closed, RATE_STEP),
            puts_ended=self.puts_ended,
            assigned=self.assigned,
            assignment_rate=_ratio(self.assigned, self.puts_ended, RATE_STEP),
            calls_ended=self.calls_ended,
            called_away=self.called_away,
            call_away_rate=_ratio(self.called_away, self.calls_ended, RATE_STEP),
            average_days_held=_ratio(self.days_held, self.closed, DAYS_STEP),
            annualized_return_on_collateral=annualized,
            unpriced_positions=self.unpriced,
        )


def _ratio(numerator: int, denominator: int, step: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / denominator).quantize(step, rounding=ROUND_HALF_UP)


def _in_period(at: datetime, start: date | None) -> bool:
    return start is None or at.date() >= start


class _CallCost:
    """Purchase cost per share of the shares a covered call covered (see the module docstring)."""

    def __init__(self, holdings: Holdings) -> None:
        self._sales = holdings.sales
        self._times = [sale.sold_at for sale in holdings.sales]
        self._by_trade = {
            sale.trade_id: sale for sale in holdings.sales if sale.trade_id is not None
        }
        self._held = holdings.cost_basis

    def per_share(self, call: Trade) -> Decimal:
        sale: ShareSale | None = self._by_trade.get(call.id) if call.id is not None else None
        if sale is None:
            after = bisect_right(self._times, call.opened_at)
            if after < len(self._sales):
                sale = self._sales[after]
        if sale is not None:
            return sale.cost / sale.quantity
        # No sale since the call opened and no shares held would be a history
        # replay refuses; the strike keeps such a book computable.
        return self._held if self._held is not None else call.strike


def _wheel_tally(book: PricedBook, start: date | None) -> _Tally:
    tally = _Tally()
    holdings = book.holdings
    call_cost: _CallCost | None = None
    for trade in book.trades:
        if _in_period(trade.opened_at, start):
            tally.premium += trade.total_premium
        outcome = trade.outcome
        if outcome is None:
            mark = book.option_marks.get(trade.id) if trade.id is not None else None
            if mark is None:
                tally.unpriced += 1
            else:
                tally.unrealized += trade.total_premium - mark * trade.shares_covered - trade.fees
            continue
        closed_at = trade.closed_at
        if closed_at is None:
            raise ValidationError(f"trade {trade.id} has an outcome but no closing time")
        if not _in_period(closed_at, start):
            continue
        pnl = trade.pnl
        tally.option_pnl += pnl
        tally.closed += 1
        tally.realized_events += 1
        if pnl > 0:
            tally.wins += 1
        days = max((closed_at.date() - trade.opened_at.date()).days, 1)
        tally.days_held += days
        if trade.option_type is OptionType.PUT:
            collateral = trade.strike * trade.shares_covered
            if outcome is not Outcome.ROLLED:
                tally.puts_ended += 1
                if outcome is Outcome.ASSIGNED:
                    tally.assigned += 1
        else:
            if call_cost is None:
                call_cost = _CallCost(holdings)
            collateral = call_cost.per_share(trade) * trade.shares_covered
            if outcome is not Outcome.ROLLED:
                tally.calls_ended += 1
                if outcome is Outcome.CALLED_AWAY:
                    tally.called_away += 1
        tally.collateral_days += collateral * days
    for sale in holdings.sales:
        if _in_period(sale.sold_at, start):
            tally.share_gain += sale.gain
            tally.realized_events += 1
    if holdings.lots:
        if book.price is None:
            tally.unpriced += 1
        else:
            price = book.price
            tally.unrealized += sum(
                ((price - lot.cost) * lot.quantity for lot in holdings.lots), ZERO
            )
    return tally


def wheel_performance(book: PricedBook, period: Period, today: date) -> Performance:
    return _wheel_tally(book, period.start(today)).performance()


def aggregate(books: Iterable[PricedBook], period: Period, today: date) -> PerformanceReport:
    """Totals and a per-symbol breakdown of any set of wheels: a portfolio, or all of them."""
    start = period.start(today)
    total = _Tally()
    by_symbol: dict[str, _Tally] = {}
    wheel_counts: dict[str, int] = {}
    for book in books:
        symbol = book.wheel.symbol
        tally = _wheel_tally(book, start)
        total.add(tally)
        if symbol not in by_symbol:
            by_symbol[symbol] = _Tally()
            wheel_counts[symbol] = 0
        by_symbol[symbol].add(tally)
        wheel_counts[symbol] += 1
    rows = tuple(
        SymbolPerformance(
            symbol=symbol, wheels=wheel_counts[symbol], performance=by_symbol[symbol].performance()
        )
        for symbol in sorted(by_symbol)
    )
    ranked = [row for row in rows if by_symbol[row.symbol].realized_events]
    best = min(ranked, key=lambda r: (-r.performance.realized_pnl, r.symbol), default=None)
    worst = min(ranked, key=lambda r: (r.performance.realized_pnl, r.symbol), default=None)
    return PerformanceReport(
        period=period,
        start=start,
        as_of=today,
        wheels=sum(wheel_counts.values()),
        total=total.performance(),
        by_symbol=rows,
        best_symbol=best.symbol if best else None,
        worst_symbol=worst.symbol if worst else None,
    )


def chain_pnl(trades: Iterable[Trade]) -> list[ChainPnl]:
    """P&L per roll chain, one entry per chain (a trade never rolled is a chain of one).

    Chains are ordered by the opening of their first leg, legs by opening time.
    Trades must be stored ones: the chain is known by trade ids.
    """
    chains: dict[int, list[Trade]] = {}
    for trade in trades:
        key = trade.chain_key
        if key is None:
            raise ValidationError("chain P&L needs stored trades; this trade has no id")
        chains.setdefault(key, []).append(trade)
    result = [_chain(key, legs) for key, legs in chains.items()]
    result.sort(key=lambda chain: (chain.legs[0].opened_at, chain.chain_id))
    return result


def _chain(chain_id: int, trades: list[Trade]) -> ChainPnl:
    if len(trades) > 1:
        trades.sort(key=lambda t: (t.opened_at, t.id or 0))
    premium = realized = ZERO
    legs: list[LegPnl] = []
    for trade in trades:
        assert trade.id is not None  # chain_pnl refused trades without a chain key
        leg_premium = trade.total_premium
        leg_pnl = None if trade.outcome is None else trade.pnl
        premium += leg_premium
        if leg_pnl is not None:
            realized += leg_pnl
        legs.append(
            LegPnl(
                trade_id=trade.id,
                option_type=trade.option_type,
                strike=trade.strike,
                expiration=trade.expiration,
                opened_at=trade.opened_at,
                closed_at=trade.closed_at,
                outcome=trade.outcome,
                total_premium=cents(leg_premium),
                pnl=None if leg_pnl is None else cents(leg_pnl),
            )
        )
    last = trades[-1]
    return ChainPnl(
        chain_id=chain_id,
        wheel_id=last.wheel_id,
        symbol=last.symbol,
        legs=tuple(legs),
        rolls=len(legs) - 1,
        total_premium=cents(premium),
        realized_pnl=cents(realized),
        is_open=last.outcome is None,
        outcome=last.outcome,
    )


def pnl_history(snapshots: Iterable[Snapshot]) -> list[PnlPoint]:
    """P&L over time: per day, realized + unrealized summed over the wheels snapshotted that day.

    When a wheel has several snapshots on one day (a re-run, a manual
    snapshot), the latest taken counts. A day sums only the wheels that have a
    snapshot on it: the history shows what was recorded, it does not invent
    figures for missing days.
    """
    latest: dict[tuple[int, date], Snapshot] = {}
    for snap in snapshots:
        key = (snap.wheel_id, snap.day)
        kept = latest.get(key)
        if kept is None or _taken(snap) >= _taken(kept):
            latest[key] = snap
    days: dict[date, list[Snapshot]] = {}
    for (_, day), snap in latest.items():
        days.setdefault(day, []).append(snap)
    return [_point(day, days[day]) for day in sorted(days)]


def _taken(snap: Snapshot) -> tuple[datetime, int]:
    return snap.created_at, snap.id if snap.id is not None else -1


def _point(day: date, snaps: Sequence[Snapshot]) -> PnlPoint:
    realized = sum((s.realized_pnl for s in snaps), ZERO)
    unrealized = sum((s.unrealized_pnl for s in snaps), ZERO)
    return PnlPoint(
        day=day,
        realized_pnl=cents(realized),
        unrealized_pnl=cents(unrealized),
        total_pnl=cents(realized + unrealized),
        wheels=len(snaps),
    )
