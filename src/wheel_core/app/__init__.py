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
from wheel_core.app.service import WheelService
from wheel_core.app.views import Page, PortfolioSummary, TradeView, WheelHistory, WheelView

__all__ = [
    "AssignTrade",
    "CloseTrade",
    "CorrectTrade",
    "CreatePortfolio",
    "ExpireTrade",
    "ImportShares",
    "OpenWheel",
    "Page",
    "PortfolioSummary",
    "RecordTrade",
    "RollTrade",
    "SellShares",
    "TradeView",
    "UpdatePortfolio",
    "UpdateWheel",
    "WheelHistory",
    "WheelService",
    "WheelView",
]
