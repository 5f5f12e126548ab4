"""The things a trader keeps: portfolios, wheels, option trades, share moves, snapshots,
alerts, the watchlist and the opportunities found on it.

Entities are plain msgspec Structs with no persistence or framework in them;
repositories translate them to and from storage. Ids are assigned by the
repository when an entity is first added (``id is None`` until then).

A wheel's ``state``, ``shares`` and ``cost_basis`` are a cache of what its
history says: the source of truth is the wheel's trades and share moves, and
:func:`wheel_core.domain.lifecycle.replay` rebuilds those fields from them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import msgspec

from wheel_core.domain.enums import (
    OpportunitySource,
    OptionType,
    Outcome,
    RiskLevel,
    RiskProfile,
    ShareMoveKind,
    WheelState,
)
from wheel_core.domain.money import CONTRACT_MULTIPLIER, ZERO

DEFAULT_PORTFOLIO = "default"


class Portfolio(msgspec.Struct, kw_only=True):
    name: str
    created_at: datetime
    description: str = ""
    capital: Decimal = ZERO
    is_default: bool = False
    id: int | None = None


class Wheel(msgspec.Struct, kw_only=True):
    portfolio_id: int
    symbol: str
    created_at: datetime
    updated_at: datetime
    profile: RiskProfile = RiskProfile.MODERATE
    capital: Decimal = ZERO
    state: WheelState = WheelState.IDLE
    shares: int = 0
    cost_basis: Decimal | None = None
    """Purchase cost per share of the shares held (average over open lots)."""
    active: bool = True
    id: int | None = None


class Trade(msgspec.Struct, kw_only=True):
    """One short option position, from sale to its end.

    ``premium`` and ``close_price`` are per share; ``fees`` is the total paid on
    both legs. ``chain_id`` is the id of the first trade of a roll chain and
    ``rolled_from_id`` the leg this one replaced; both are ``None`` for a trade
    that was never rolled into.
    """

    wheel_id: int
    symbol: str
    option_type: OptionType
    strike: Decimal
    expiration: date
    premium: Decimal
    contracts: int
    opened_at: datetime
    fees: Decimal = ZERO
    closed_at: datetime | None = None
    outcome: Outcome | None = None
    price_at_expiry: Decimal | None = None
    close_price: Decimal | None = None
    rolled_from_id: int | None = None
    chain_id: int | None = None
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.outcome is None

    @property
    def shares_covered(self) -> int:
        return self.contracts * CONTRACT_MULTIPLIER

    @property
    def total_premium(self) -> Decimal:
        """Premium received: premium per share × 100 × contracts."""
        return self.premium * self.shares_covered

    @property
    def buyback_cost(self) -> Decimal:
        return (self.close_price or ZERO) * self.shares_covered

    @property
    def pnl(self) -> Decimal:
        """Option P&L: premium received − buy-back cost − fees.

        Assignment and call-away do not change it: the share side of those
        events is accounted for in the share lots, so no premium is counted twice.
        """
        return self.total_premium - self.buyback_cost - self.fees

    @property
    def chain_key(self) -> int | None:
        """The id shared by every leg of this trade's roll chain."""
        return self.chain_id if self.chain_id is not None else self.id


class ShareMove(msgspec.Struct, kw_only=True):
    """Shares that entered or left a wheel outside an option trade (import, sale).

    Shares bought by assignment and sold by call-away are implied by their
    trades and are not stored twice.
    """

    wheel_id: int
    kind: ShareMoveKind
    quantity: int
    price: Decimal
    at: datetime
    fees: Decimal = ZERO
    id: int | None = None


class Snapshot(msgspec.Struct, kw_only=True):
    """A wheel's position as it stood at one day's close."""

    wheel_id: int
    symbol: str
    day: date
    current_price: Decimal
    state: WheelState
    created_at: datetime
    trade_id: int | None = None
    dte_calendar: int | None = None
    dte_trading: int | None = None
    moneyness_pct: Decimal | None = None
    is_itm: bool | None = None
    risk_level: RiskLevel | None = None
    realized_pnl: Decimal = ZERO
    unrealized_pnl: Decimal = ZERO
    id: int | None = None


class Alert(msgspec.Struct, kw_only=True):
    """Something a trader should look at. ``key`` de-duplicates repeated conditions."""

    kind: str
    key: str
    message: str
    level: RiskLevel
    created_at: datetime
    wheel_id: int | None = None
    trade_id: int | None = None
    acknowledged_at: datetime | None = None
    id: int | None = None


class JobRun(msgspec.Struct, kw_only=True):
    """One run of a background job or plugin, kept for the history the user inspects."""

    job: str
    trigger: str
    started_at: datetime
    status: str
    finished_at: datetime | None = None
    error: str | None = None
    summary: str | None = None
    owner: str | None = None
    """The process that ran it (``host:pid``): a later process closes a run left
    ``running`` only once it can tell its process is gone. ``None`` on older runs."""
    id: int | None = None


class WatchlistEntry(msgspec.Struct, kw_only=True):
    """A symbol the trader may wheel one day: the opportunity scan looks at it too."""

    symbol: str
    added_at: datetime
    note: str = ""
    id: int | None = None


class Opportunity(msgspec.Struct, kw_only=True):
    """A put (or call) worth selling that a scan found, kept until the trader has read it.

    One row per contract — (symbol, option_type, strike, expiration) — however many
    scans find it: a later scan updates ``premium``, ``probability_itm``,
    ``annualized_yield`` and ``last_seen_at`` in place, and keeps ``found_at`` (when it
    first appeared) and ``read_at`` (a trader who read it is not told again).
    ``premium`` is the bid per share; ``annualized_yield`` is a fraction (0.0749 =
    7.49 % a year), as in :class:`~wheel_core.recommend.Candidate`.
    """

    symbol: str
    option_type: OptionType
    strike: Decimal
    expiration: date
    premium: Decimal
    probability_itm: float
    annualized_yield: Decimal
    found_at: datetime
    last_seen_at: datetime
    source: OpportunitySource
    wheel_id: int | None = None
    """The idle wheel it was found for; ``None`` for a watchlist symbol."""
    read_at: datetime | None = None
    id: int | None = None
