"""The contract suite of the ``MarketData`` port (quotes, chains, price history, events)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from wheel_core.domain.errors import MarketDataError
from wheel_core.ports import MarketData


@pytest.mark.asyncio
class MarketDataContract:
    """What every ``MarketData`` provider must do.

    Provide ``market_data`` (the provider, ready to answer for ``known_symbol``)
    and ``known_symbol``; ``unknown_symbol`` defaults to one no exchange lists.
    """

    @pytest.fixture
    def market_data(self) -> MarketData:
        raise NotImplementedError("provide a market_data fixture for your adapter")

    @pytest.fixture
    def known_symbol(self) -> str:
        return "AAPL"

    @pytest.fixture
    def unknown_symbol(self) -> str:
        return "ZZZZQ"

    async def test_quote_is_positive_and_aware(
        self, market_data: MarketData, known_symbol: str
    ) -> None:
        quote = await market_data.get_quote(known_symbol)
        assert quote.symbol == known_symbol
        assert isinstance(quote.price, Decimal) and quote.price > 0
        assert quote.as_of.utcoffset() is not None
        if quote.bid is not None and quote.ask is not None:
            assert 0 <= quote.bid <= quote.ask

    async def test_chain_is_consistent(self, market_data: MarketData, known_symbol: str) -> None:
        chain = await market_data.get_chain(known_symbol)
        assert chain.symbol == known_symbol
        assert chain.underlying_price > 0
        assert chain.options, "a listed symbol has options"
        for option in chain.options:
            assert option.strike > 0
            assert 0 <= option.bid <= option.ask
            assert option.open_interest >= 0 and option.volume >= 0
            if option.implied_volatility is not None:
                assert option.implied_volatility > 0

    async def test_chain_respects_the_expiration_window(
        self, market_data: MarketData, known_symbol: str
    ) -> None:
        full = await market_data.get_chain(known_symbol)
        first = full.expirations[0]
        narrowed = await market_data.get_chain(known_symbol, from_date=first, to_date=first)
        assert narrowed.expirations == (first,)

    async def test_history_is_ascending_and_in_range(
        self, market_data: MarketData, known_symbol: str
    ) -> None:
        quote = await market_data.get_quote(known_symbol)
        end = quote.as_of.date()
        start = end - timedelta(days=60)
        bars = await market_data.get_price_history(known_symbol, start, end)
        assert bars, "sixty days hold trading days"
        days = [bar.day for bar in bars]
        assert days == sorted(set(days))
        assert all(start <= d <= end for d in days)
        assert all(bar.close > 0 for bar in bars)

    async def test_events_belong_to_the_symbol(
        self, market_data: MarketData, known_symbol: str
    ) -> None:
        events = await market_data.get_events(known_symbol)
        assert events.symbol == known_symbol
        assert list(events.earnings) == sorted(events.earnings)

    async def test_unknown_symbol_is_a_market_data_error(
        self, market_data: MarketData, unknown_symbol: str
    ) -> None:
        with pytest.raises(MarketDataError):
            await market_data.get_quote(unknown_symbol)
