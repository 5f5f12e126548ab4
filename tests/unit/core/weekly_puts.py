"""The option chain the core's market-driven unit tests share: puts on a 100 stock at
30 % implied volatility, quoted Monday 2026-01-05 at 10:00 in New York and expiring
Friday the 16th. The moderate profile keeps the 93 and 94 puts."""

from datetime import UTC, date, datetime
from decimal import Decimal as D

from wheel_core.domain.enums import OptionType
from wheel_core.market import OptionChain, OptionQuote

MONDAY = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)  # 10:00 in New York
FRIDAY_16 = date(2026, 1, 16)
BIDS = (("90", "0.05"), ("92", "0.15"), ("93", "0.25"), ("94", "0.40"), ("95", "0.40"),
        ("97", "1.00"))  # fmt: skip
"""Strike and bid of each put; the ask is 0.20 above the bid."""


def chain(symbol: str = "AAPL", bump: str = "0") -> OptionChain:
    """The chain, every bid (and ask) raised by ``bump``: a later quote of it."""
    return OptionChain(
        symbol=symbol,
        underlying_price=D(100),
        as_of=MONDAY,
        options=tuple(
            OptionQuote(
                option_type=OptionType.PUT,
                strike=D(strike),
                expiration=FRIDAY_16,
                bid=D(bid) + D(bump),
                ask=D(bid) + D(bump) + D("0.20"),
                implied_volatility=0.30,
                open_interest=500,
            )
            for strike, bid in BIDS
        ),
        simulated=True,
    )
