"""The use-case facade (:class:`WheelService`) with its command and view Structs."""

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
from wheel_core.app.config import CoreSettings
from wheel_core.app.service import WheelService
from wheel_core.app.views import (
    Page,
    PortfolioSummary,
    PositionsReport,
    PositionView,
    SnapshotRun,
    TradeView,
    WheelFailure,
    WheelHistory,
    WheelRecommendation,
    WheelView,
)

__all__ = [
    "AssignTrade",
    "CloseTrade",
    "CoreSettings",
    "CorrectTrade",
    "CreatePortfolio",
    "ExpireTrade",
    "ImportShares",
    "OpenWheel",
    "Page",
    "PortfolioSummary",
    "PositionView",
    "PositionsReport",
    "RecordTrade",
    "RollTrade",
    "SellShares",
    "SnapshotRun",
    "TradeView",
    "UpdatePortfolio",
    "UpdateWheel",
    "WheelFailure",
    "WheelHistory",
    "WheelRecommendation",
    "WheelService",
    "WheelView",
]
