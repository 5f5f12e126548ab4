"""The core's tunables, passed to the facade once by the composition root."""

from __future__ import annotations

import msgspec

from wheel_core.recommend import RecommendationSettings
from wheel_core.risk import RiskThresholds


class CoreSettings(msgspec.Struct, frozen=True, kw_only=True):
    risk: RiskThresholds = msgspec.field(default_factory=RiskThresholds)
    recommendations: RecommendationSettings = msgspec.field(default_factory=RecommendationSettings)
    volatility_window: int = 20
    """Daily returns in the close-to-close volatility estimate (about one month)."""
    history_days: int = 60
    """Calendar days of closes fetched for it: enough trading days for the window."""
