"""Exact money.

Every stored or summed amount is a :class:`~decimal.Decimal`. Per-share prices
keep the precision they were given (option premiums are often quoted to 1/100
or finer); totals are quantized to cents exactly once, when they are reported,
with **ROUND_HALF_UP** — the rule brokers print on statements — so a figure a
trader checks by hand matches ours to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CONTRACT_MULTIPLIER = 100
"""Shares controlled by one standard equity option contract."""

CENT = Decimal("0.01")
ZERO = Decimal(0)


def cents(amount: Decimal) -> Decimal:
    """Quantize a total to cents with the project's one rounding rule (half up)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value: object, *, field: str) -> Decimal:
    """Turn user or wire input into a finite Decimal, naming the field when it is not one.

    Floats are converted through ``str`` so ``0.1`` becomes ``Decimal("0.1")``
    rather than its binary expansion; NaN and infinities are refused because
    they would poison every sum they enter.
    """
    from wheel_core.domain.errors import ValidationError

    if isinstance(value, bool):
        raise ValidationError(f"{field} must be a number, got {value!r}")
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(f"{field} must be a number, got {value!r}") from None
    if not amount.is_finite():
        raise ValidationError(f"{field} must be a finite number, got {value!r}")
    return amount
