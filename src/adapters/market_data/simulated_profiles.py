"""The simulated market's symbols: who is listed, and how each stock behaves.

A well-known ticker takes its price, volatility, drift, dividend yield and liquidity
from :data:`PROFILES`; any other symbol that looks like a ticker is listed with a
profile derived from its name alone (:func:`derived_profile`). See ``simulated.py``
for the whole market; the price path is ``simulated_path.py``, the option chain
``simulated_chain.py``.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ANCHOR_DAY = date(2025, 12, 31)
"""The day every symbol closes at its profile's price; the walk runs both ways from here."""

_SYMBOL = re.compile(r"[A-Z]{1,5}(\.[A-Z]{1,2})?")


@dataclass(frozen=True, slots=True)
class SymbolProfile:
    """How one simulated stock behaves.

    ``price`` is the close on :data:`ANCHOR_DAY`; ``volatility`` and ``drift``
    are annualized (GBM σ and μ); ``dividend_yield`` is continuous per year, 0
    for a stock that pays none; ``liquidity`` from 0 to 1 narrows spreads and
    raises volume and open interest; ``fund`` marks an ETF, which reports no
    earnings and has an index's steeper skew.
    """

    price: Decimal
    volatility: float
    dividend_yield: float = 0.0
    liquidity: float = 0.5
    drift: float = 0.08
    fund: bool = False


def _profile(
    price: str, vol: float, dividend: float, liquidity: float, *, fund: bool = False
) -> SymbolProfile:
    return SymbolProfile(
        price=Decimal(price),
        volatility=vol,
        dividend_yield=dividend,
        liquidity=liquidity,
        drift=0.07 if fund else 0.09,
        fund=fund,
    )


PROFILES: Mapping[str, SymbolProfile] = {
    # Funds
    "SPY": _profile("680.00", 0.15, 0.012, 1.00, fund=True),
    "QQQ": _profile("615.00", 0.20, 0.005, 0.98, fund=True),
    "IWM": _profile("245.00", 0.21, 0.011, 0.92, fund=True),
    "DIA": _profile("480.00", 0.15, 0.015, 0.70, fund=True),
    "GLD": _profile("395.00", 0.17, 0.0, 0.80, fund=True),
    "SLV": _profile("58.00", 0.32, 0.0, 0.78, fund=True),
    "TLT": _profile("88.00", 0.14, 0.043, 0.82, fund=True),
    "XLF": _profile("54.00", 0.17, 0.014, 0.80, fund=True),
    "XLE": _profile("88.00", 0.22, 0.032, 0.75, fund=True),
    # Large and popular stocks
    "AAPL": _profile("250.00", 0.27, 0.004, 0.95),
    "MSFT": _profile("480.00", 0.24, 0.007, 0.90),
    "GOOGL": _profile("300.00", 0.30, 0.003, 0.88),
    "AMZN": _profile("225.00", 0.32, 0.0, 0.92),
    "META": _profile("650.00", 0.36, 0.003, 0.88),
    "NVDA": _profile("185.00", 0.50, 0.0002, 0.97),
    "TSLA": _profile("430.00", 0.60, 0.0, 0.97),
    "AMD": _profile("210.00", 0.52, 0.0, 0.90),
    "INTC": _profile("37.00", 0.55, 0.0, 0.85),
    "ORCL": _profile("200.00", 0.45, 0.010, 0.78),
    "CSCO": _profile("77.00", 0.22, 0.021, 0.72),
    "PLTR": _profile("180.00", 0.65, 0.0, 0.90),
    "UBER": _profile("85.00", 0.38, 0.0, 0.78),
    "COIN": _profile("250.00", 0.75, 0.0, 0.80),
    "HOOD": _profile("120.00", 0.75, 0.0, 0.82),
    "BABA": _profile("155.00", 0.45, 0.010, 0.80),
    "DIS": _profile("112.00", 0.27, 0.009, 0.75),
    "WMT": _profile("110.00", 0.20, 0.009, 0.75),
    "JNJ": _profile("205.00", 0.16, 0.025, 0.70),
    "KO": _profile("70.00", 0.16, 0.029, 0.72),
    "PEP": _profile("145.00", 0.18, 0.038, 0.65),
    "MO": _profile("58.00", 0.19, 0.070, 0.60),
    "PFE": _profile("25.00", 0.24, 0.068, 0.78),
    "XOM": _profile("115.00", 0.23, 0.035, 0.75),
    "CVX": _profile("150.00", 0.23, 0.045, 0.70),
    "JPM": _profile("310.00", 0.24, 0.019, 0.78),
    "BAC": _profile("53.00", 0.27, 0.021, 0.82),
    "WFC": _profile("90.00", 0.28, 0.018, 0.72),
    "C": _profile("110.00", 0.30, 0.022, 0.72),
    "T": _profile("25.00", 0.22, 0.045, 0.75),
    "VZ": _profile("40.00", 0.20, 0.066, 0.72),
    "F": _profile("13.00", 0.35, 0.050, 0.85),
    "GM": _profile("78.00", 0.36, 0.008, 0.72),
    "AAL": _profile("14.00", 0.50, 0.0, 0.75),
    "SOFI": _profile("26.00", 0.65, 0.0, 0.85),
    "RIVN": _profile("17.00", 0.65, 0.0, 0.75),
    "MARA": _profile("12.00", 0.85, 0.0, 0.78),
    "NIO": _profile("6.00", 0.70, 0.0, 0.75),
}
"""Plausible profiles of common wheel tickers (prices near the end of 2025)."""


def derived_profile(symbol: str) -> SymbolProfile:
    """A stable, plausible profile for a symbol not in :data:`PROFILES`.

    Derived from the symbol alone (not the seed): a ticker keeps its character
    (price level, volatility, dividend) while the seed changes its path.
    """
    rng = random.Random(f"profile:{symbol}")
    price = math.exp(rng.uniform(math.log(8.0), math.log(300.0)))
    pays = rng.random() < 0.6
    return SymbolProfile(
        price=cents(price),
        volatility=round(rng.uniform(0.20, 0.70), 3),
        dividend_yield=round(rng.uniform(0.005, 0.045), 4) if pays else 0.0,
        liquidity=round(rng.uniform(0.15, 0.60), 2),
        drift=round(rng.uniform(0.02, 0.12), 3),
    )


def is_listed(symbol: str) -> bool:
    """Whether a symbol looks like a live ticker (see the module docstring's rule)."""
    if not _SYMBOL.fullmatch(symbol):
        return False
    return not (len(symbol) == 5 and symbol.endswith("Q"))


def cents(value: float) -> Decimal:
    """A price rounded half up to the cent, as an exact Decimal."""
    return Decimal(math.floor(value * 100.0 + 0.5)).scaleb(-2)
