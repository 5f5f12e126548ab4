"""What the core answers: the Structs the API returns and the CLI prints with ``--json``.

Views flatten an entity together with the figures derived from it (a trade's
P&L, a wheel's allowed actions), so clients never recompute domain rules.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Generic, TypeVar

import msgspec

from wheel_core.domain.entities import (
    Alert,
    Opportunity,
    Portfolio,
    ShareMove,
    Snapshot,
    Trade,
    Wheel,
)
from wheel_core.domain.enums import OptionType, Outcome, RiskLevel, RiskProfile, WheelState
from wheel_core.domain.lifecycle import Holdings, ShareLot, ShareSale, allowed_actions
from wheel_core.domain.money import cents
from wheel_core.recommend import Recommendation
from wheel_core.risk import PositionRisk

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    """One page of a list: ``total`` counts every match, not just this page."""

    items: list[T]
    total: int
    offset: int = 0
    limit: int | None = None


class TradeView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    wheel_id: int
    symbol: str
    option_type: OptionType
    strike: Decimal
    expiration: date
    premium: Decimal
    contracts: int
    fees: Decimal
    total_premium: Decimal
    opened_at: datetime
    is_open: bool
    closed_at: datetime | None
    outcome: Outcome | None
    price_at_expiry: Decimal | None
    close_price: Decimal | None
    pnl: Decimal | None
    """Option P&L once closed (premium − buy-back − fees); ``None`` while open."""
    chain_id: int
    rolled_from_id: int | None

    @classmethod
    def of(cls, trade: Trade) -> TradeView:
        assert trade.id is not None
        return cls(
            id=trade.id,
            wheel_id=trade.wheel_id,
            symbol=trade.symbol,
            option_type=trade.option_type,
            strike=trade.strike,
            expiration=trade.expiration,
            premium=trade.premium,
            contracts=trade.contracts,
            fees=trade.fees,
            total_premium=cents(trade.total_premium),
            opened_at=trade.opened_at,
            is_open=trade.is_open,
            closed_at=trade.closed_at,
            outcome=trade.outcome,
            price_at_expiry=trade.price_at_expiry,
            close_price=trade.close_price,
            pnl=None if trade.is_open else cents(trade.pnl),
            chain_id=trade.chain_key or trade.id,
            rolled_from_id=trade.rolled_from_id,
        )


class WheelView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    portfolio_id: int
    symbol: str
    profile: RiskProfile
    capital: Decimal
    state: WheelState
    shares: int
    cost_basis: Decimal | None
    adjusted_cost_basis: Decimal | None
    """Cost basis less this cycle's net premium; guides call strikes, never summed into P&L."""
    realized_pnl: Decimal
    total_premium: Decimal
    active: bool
    allowed_actions: list[str]
    open_trade: TradeView | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, wheel: Wheel, holdings: Holdings, trades: list[Trade]) -> WheelView:
        assert wheel.id is not None
        closed_pnl = sum((t.pnl for t in trades if not t.is_open), start=Decimal(0))
        adjusted = holdings.adjusted_cost_basis
        return cls(
            id=wheel.id,
            portfolio_id=wheel.portfolio_id,
            symbol=wheel.symbol,
            profile=wheel.profile,
            capital=wheel.capital,
            state=wheel.state,
            shares=wheel.shares,
            cost_basis=wheel.cost_basis,
            adjusted_cost_basis=None if adjusted is None else cents(adjusted),
            realized_pnl=cents(closed_pnl + holdings.realized_share_gain),
            total_premium=cents(sum((t.total_premium for t in trades), start=Decimal(0))),
            active=wheel.active,
            allowed_actions=[a.value for a in allowed_actions(wheel.state)] if wheel.active else [],
            open_trade=None if holdings.open_trade is None else TradeView.of(holdings.open_trade),
            created_at=wheel.created_at,
            updated_at=wheel.updated_at,
        )


class WheelHistory(msgspec.Struct, frozen=True, kw_only=True):
    """Everything recorded on a wheel, and the share lots and sales it implies."""

    wheel: WheelView
    trades: list[TradeView]
    share_moves: list[ShareMove]
    lots: list[ShareLot]
    sales: list[ShareSale]


class PortfolioSummary(msgspec.Struct, frozen=True, kw_only=True):
    portfolio: Portfolio
    wheels: int
    active_wheels: int
    open_trades: int
    capital_allocated: Decimal
    total_premium: Decimal
    realized_pnl: Decimal


class PositionView(msgspec.Struct, frozen=True, kw_only=True):
    """A wheel as the market sees it now: price, the open option's risk, the shares' value."""

    wheel_id: int
    portfolio_id: int
    symbol: str
    state: WheelState
    price: Decimal
    price_as_of: datetime
    simulated: bool
    stale: bool
    shares: int
    cost_basis: Decimal | None
    adjusted_cost_basis: Decimal | None
    unrealized_share_pnl: Decimal | None
    option: PositionRisk | None
    """Risk of the open option; ``None`` when no option is open."""
    option_mark: Decimal | None
    """The open option's mid price per share, when the chain lists it."""
    unrealized_option_pnl: Decimal | None
    risk_level: RiskLevel | None


class WheelFailure(msgspec.Struct, frozen=True, kw_only=True):
    """One wheel a batch could not handle, and why; the rest of the batch went on."""

    wheel_id: int
    symbol: str
    error: str


class PositionsReport(msgspec.Struct, frozen=True, kw_only=True):
    positions: list[PositionView]
    failures: list[WheelFailure]


class SnapshotRun(msgspec.Struct, frozen=True, kw_only=True):
    day: date
    snapshots: list[Snapshot]
    failures: list[WheelFailure]


class WheelRecommendation(msgspec.Struct, frozen=True, kw_only=True):
    """One wheel's answer in a batch: its recommendation, or the error that stopped it."""

    wheel_id: int
    symbol: str | None
    """``None`` only when no wheel has this id (``error`` says so)."""
    state: WheelState | None
    recommendation: Recommendation | None = None
    error: str | None = None


class SymbolFailure(msgspec.Struct, frozen=True, kw_only=True):
    """One symbol a batch could not handle, and why; the rest of the batch went on."""

    symbol: str
    error: str


class PriceRefresh(msgspec.Struct, frozen=True, kw_only=True):
    """Quotes fetched for every active wheel's symbol (warming the market-data cache)."""

    as_of: datetime
    symbols: list[str]
    """Every distinct symbol of the active wheels, sorted."""
    refreshed: int
    """How many of them were quoted; the others are in ``failures``."""
    failures: list[SymbolFailure]


class RiskScan(msgspec.Struct, frozen=True, kw_only=True):
    """One pass of the risk monitor over every active wheel's open option."""

    checked: int
    """Open options assessed (wheels whose market data failed are in ``failures``)."""
    alerts: list[Alert]
    """Only the alerts raised by this pass; conditions already alerted are not repeated."""
    failures: list[WheelFailure]


class OpportunityScan(msgspec.Struct, frozen=True, kw_only=True):
    """One opportunity scan over the idle wheels and the watchlist."""

    found: list[Opportunity]
    """Contracts no earlier scan had found."""
    updated: int
    """Contracts found before, whose figures this scan refreshed."""
    expired: int = 0
    """Contracts past their expiration, dropped (read or not) before scanning."""
    failures: list[SymbolFailure]
    """Symbols with no recommendation, and why (market data missing or stale, ...)."""
