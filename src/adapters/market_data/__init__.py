"""Market data adapters: the simulated market (default), Schwab, the cache around them,
and the NYSE calendar. Schwab lives in its own modules, imported only when chosen.

Modules: ``simulated`` (the offline provider) with ``simulated_profiles`` (symbols),
``simulated_path`` (prices) and ``simulated_chain`` (the chain pricer); ``schwab`` (the
provider: requests, HTTP answers judged), ``schwab_payloads`` (answers read into the
core's types) and ``schwab_auth`` (the login's token file); ``readiness`` (whether the
configured provider can serve, judged without building it); ``resilient`` (cache, retry,
rate limit, health), ``validation``, ``errors``, ``calendar`` and ``live_hours``.

Only the container and the operations service import this package; the HTTP adapter
and the CLI do not (import-linter checks it)."""

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
