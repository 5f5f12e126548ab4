"""What can go wrong with a market-data provider, as the core's ``MarketDataError`` kinds.

The wrapper in ``resilient.py`` retries only what may pass
(:class:`ProviderUnavailableError` and its :class:`RateLimitedError`);
the rest is the user's to fix and is reported at once.
"""

from __future__ import annotations

from wheel_core.domain.errors import MarketDataError


class ProviderUnavailableError(MarketDataError):
    """A timeout, a 5xx, a dropped connection: worth retrying."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimitedError(ProviderUnavailableError):
    """The provider said 429; ``retry_after`` is its Retry-After in seconds, when given."""


class SymbolNotFoundError(MarketDataError):
    """The provider does not list the symbol: the caller's error, which says nothing of
    the provider's health."""

    code = "symbol_not_found"


class AuthenticationError(MarketDataError):
    """The provider refused our credentials; the message says how to log in again."""


class InvalidMarketDataError(MarketDataError):
    """The provider answered, but with data we cannot use (malformed, NaN, crossed)."""
