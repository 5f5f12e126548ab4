"""Exact money.

Every stored or summed amount is a :class:`~decimal.Decimal`. Per-share prices
keep the precision they were given (option premiums are often quoted to 1/100
or finer); totals are quantized to cents exactly once, when they are reported,
with **ROUND_HALF_UP** — the rule brokers print on statements — so a figure a
trader checks by hand matches ours to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CONTRACT_MULTIPLIER = 100
"""Shares controlled by one standard equity option contract."""

CENT = Decimal("0.01")
ZERO = Decimal(0)


def cents(amount: Decimal) -> Decimal:
    """Quantize a total to cents with the project's one rounding rule (half up)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
