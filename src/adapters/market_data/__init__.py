"""Market data adapters: the simulated market (default), Schwab, the cache around them,
and the NYSE calendar. Schwab lives in its own modules, imported only when chosen."""

from adapters.market_data.calendar import NyseCalendar
from adapters.market_data.errors import (
    AuthenticationError,
    InvalidMarketDataError,
    ProviderUnavailableError,
    RateLimitedError,
    SymbolNotFoundError,
)
from adapters.market_data.live_hours import adopt_live_session
from adapters.market_data.resilient import (
    CachePolicy,
    ProviderHealth,
    ResilientMarketData,
    RetryPolicy,
)
from adapters.market_data.simulated import SimulatedMarket

__all__ = [
    "AuthenticationError",
    "CachePolicy",
    "InvalidMarketDataError",
    "NyseCalendar",
    "ProviderHealth",
    "ProviderUnavailableError",
    "RateLimitedError",
    "ResilientMarketData",
    "RetryPolicy",
    "SimulatedMarket",
    "SymbolNotFoundError",
    "adopt_live_session",
]
