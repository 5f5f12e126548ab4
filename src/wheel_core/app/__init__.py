"""The use cases: the driving port (:class:`WheelFacade`), its implementation
(:class:`WheelService`) and the command and view Structs they take and answer.

Callers type against :class:`WheelFacade` and construct :class:`WheelService`,
which hands each use case to one of the rooms of this package (portfolios,
bookkeeping, positions, recommendations, reports, monitoring), each built on the
shared :class:`~wheel_core.app.context.AppContext` and the rooms below it. The
layout is drawn in :mod:`wheel_core.app.context`.
"""

from wheel_core.app.commands import (
    AddToWatchlist,
    AssignTrade,
    CloseTrade,
    CorrectTrade,
    CreatePortfolio,
    ExpireTrade,
    ImportShares,
    OpenWheel,
    RaiseAlert,
    RecordTrade,
    RollTrade,
    SellShares,
    UpdatePortfolio,
    UpdateWheel,
)
from wheel_core.app.config import CoreSettings
from wheel_core.app.facade import WheelFacade
from wheel_core.app.service import WheelService
from wheel_core.app.views import (
    OpportunityScan,
    Page,
    PortfolioSummary,
    PositionsReport,
    PositionView,
    PriceRefresh,
    RiskScan,
    SnapshotRun,
    SymbolFailure,
    TradeView,
    WheelFailure,
    WheelHistory,
    WheelRecommendation,
    WheelView,
)

__all__ = [
    "AddToWatchlist",
    "AssignTrade",
    "CloseTrade",
    "CoreSettings",
    "CorrectTrade",
    "CreatePortfolio",
    "ExpireTrade",
    "ImportShares",
    "OpenWheel",
    "OpportunityScan",
    "Page",
    "PortfolioSummary",
    "PositionView",
    "PositionsReport",
    "PriceRefresh",
    "RaiseAlert",
    "RecordTrade",
    "RiskScan",
    "RollTrade",
    "SellShares",
    "SnapshotRun",
    "SymbolFailure",
    "TradeView",
    "UpdatePortfolio",
    "UpdateWheel",
    "WheelFacade",
    "WheelFailure",
    "WheelHistory",
    "WheelRecommendation",
    "WheelService",
    "WheelView",
]
