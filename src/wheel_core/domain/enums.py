"""The closed vocabularies of the wheel."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class WheelState(StrEnum):
    """Where a wheel is in its cycle (DESIGN §3)."""

    IDLE = "idle"
    PUT_OPEN = "put_open"
    HOLDING_SHARES = "holding_shares"
    CALL_OPEN = "call_open"


class OptionType(StrEnum):
    PUT = "put"
    CALL = "call"


class Outcome(StrEnum):
    """How an option trade ended. ``None`` on a trade means it is still open."""

    EXPIRED_WORTHLESS = "expired_worthless"
    ASSIGNED = "assigned"
    CALLED_AWAY = "called_away"
    CLOSED_EARLY = "closed_early"
    ROLLED = "rolled"


class ShareMoveKind(StrEnum):
    """Share movements that are facts of their own (not implied by an option trade)."""

    IMPORTED = "imported"
    SOLD = "sold"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _RISK_RANK[self]


_RISK_RANK = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}


class RiskProfile(StrEnum):
    """How far from spot strikes are placed, in standard deviations over the trade's life."""

    AGGRESSIVE = "aggressive"
    MODERATE = "moderate"
    CONSERVATIVE = "conservative"
    DEFENSIVE = "defensive"

    @property
    def sigma_band(self) -> tuple[Decimal, Decimal]:
        """The (lower, upper) distance in σ·√T; recommendations prefer the upper bound."""
        return _SIGMA_BANDS[self]


_SIGMA_BANDS = {
    RiskProfile.AGGRESSIVE: (Decimal("0.5"), Decimal("1.0")),
    RiskProfile.MODERATE: (Decimal("1.0"), Decimal("1.5")),
    RiskProfile.CONSERVATIVE: (Decimal("1.5"), Decimal("2.0")),
    RiskProfile.DEFENSIVE: (Decimal("2.0"), Decimal("2.5")),
}


class OpportunitySource(StrEnum):
    """Why a symbol was scanned: an idle wheel of the user's, or the watchlist."""

    WHEEL = "wheel"
    WATCHLIST = "watchlist"


class AlertKind(StrEnum):
    """The conditions the risk monitor raises alerts for; plugins may raise other kinds."""

    ITM = "itm"
    RISK = "risk"
    EXPIRY = "expiry"
