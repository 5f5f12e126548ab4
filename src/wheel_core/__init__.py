"""wheel_core: the options wheel as a library — exact money, explicit states, pure rules.

The names most users need are re-exported here; ``wheel_core.app`` holds the
use-case facade and ``wheel_core.testing`` the property-based test harness
(install the ``testing`` extra for it). Importing this package loads nothing
beyond the standard library and msgspec.
"""

from wheel_core.domain.entities import Portfolio, ShareMove, Snapshot, Trade, Wheel
from wheel_core.domain.enums import (
    OptionType,
    Outcome,
    RiskLevel,
    RiskProfile,
    ShareMoveKind,
    WheelState,
)
from wheel_core.domain.errors import (
    ConflictError,
    DomainError,
    InvalidTransitionError,
    MarketDataError,
    NotFoundError,
    PricingError,
    RuleViolationError,
    ValidationError,
)
from wheel_core.domain.lifecycle import Action, Holdings, allowed_actions, replay

__version__ = "0.1.0"

__all__ = [
    "Action",
    "ConflictError",
    "DomainError",
    "Holdings",
    "InvalidTransitionError",
    "MarketDataError",
    "NotFoundError",
    "OptionType",
    "Outcome",
    "Portfolio",
    "PricingError",
    "RiskLevel",
    "RiskProfile",
    "RuleViolationError",
    "ShareMove",
    "ShareMoveKind",
    "Snapshot",
    "Trade",
    "ValidationError",
    "Wheel",
    "WheelState",
    "__version__",
    "allowed_actions",
    "replay",
]
