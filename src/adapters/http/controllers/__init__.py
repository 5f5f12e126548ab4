"""One controller per resource, all under ``/api/v1``."""

from adapters.http.controllers.alerts import AlertController
from adapters.http.controllers.jobs import JobController
from adapters.http.controllers.market import MarketController
from adapters.http.controllers.opportunities import OpportunityController
from adapters.http.controllers.performance import PerformanceController
from adapters.http.controllers.plugins import PluginController
from adapters.http.controllers.portfolios import PortfolioController
from adapters.http.controllers.positions import PositionController
from adapters.http.controllers.recommendations import RecommendationController
from adapters.http.controllers.snapshots import SnapshotController
from adapters.http.controllers.system import SystemController
from adapters.http.controllers.trades import TradeController
from adapters.http.controllers.watchlist import WatchlistController
from adapters.http.controllers.wheels import WheelController

CONTROLLERS = [
    SystemController,
    PortfolioController,
    WheelController,
    TradeController,
    PositionController,
    RecommendationController,
    SnapshotController,
    PerformanceController,
    MarketController,
    AlertController,
    WatchlistController,
    OpportunityController,
    JobController,
    PluginController,
]
