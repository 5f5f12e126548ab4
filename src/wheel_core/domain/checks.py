"""Field checks shared by commands and entities, each naming the field it refuses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

from wheel_core.domain.errors import ValidationError

_TICKER = r"[A-Za-z0-9][A-Za-z0-9.-]*(?:/[A-Za-z0-9][A-Za-z0-9.-]*)?"
SYMBOL_PATTERN = rf"^\s*(?=\S{{1,12}}\s*$){_TICKER}\s*$"
"""What :func:`normalize_symbol` accepts, for schemas: up to 12 characters, each part
starting with a letter or digit, at most one ``/`` and only between two parts
(``BRK/B``), so that a ticker travels whole as the last part of a URL path."""
_SYMBOL = re.compile(SYMBOL_PATTERN)
MAX_AMOUNT = Decimal(1_000_000_000_000)
"""No price, premium, fee or capital is larger: a bigger number is a typo, and refusing it
keeps every sum inside exact decimal arithmetic."""


def positive(value: Decimal, field: str) -> None:
    if not value.is_finite() or value <= 0:
        raise ValidationError(f"{field} must be greater than 0, got {value}")
    _at_most(value, field)


def non_negative(value: Decimal, field: str) -> None:
    if not value.is_finite() or value < 0:
        raise ValidationError(f"{field} must be 0 or more, got {value}")
    _at_most(value, field)


def _at_most(value: Decimal, field: str) -> None:
    if value > MAX_AMOUNT:
        raise ValidationError(f"{field} must be at most {MAX_AMOUNT}, got {value}")


def positive_int(value: int, field: str) -> None:
    if value <= 0:
        raise ValidationError(f"{field} must be a whole number greater than 0, got {value}")


MAX_ID = 2**63 - 1
"""Records are keyed by signed 64-bit integers: a larger id names nothing and could not
even be sent to the database."""


def record_id(value: int, field: str) -> None:
    if not 1 <= value <= MAX_ID:
        raise ValidationError(f"{field} must be an id from 1 to {MAX_ID}, got {value}")


def aware(value: datetime | None, field: str) -> None:
    """Naive datetimes are refused: inside the core every instant is unambiguous."""
    if value is not None and value.utcoffset() is None:
        raise ValidationError(f"{field} must include a timezone (e.g. 2026-01-16T21:00:00Z)")


def normalize_symbol(symbol: str) -> str:
    """Upper-case ticker; refuses empty or odd symbols so they never reach a provider."""
    if not _SYMBOL.match(symbol):
        raise ValidationError(f"symbol must be a ticker such as AAPL or BRK.B, got {symbol!r}")
    return symbol.strip().upper()


def as_utc(value: datetime) -> datetime:
    """The same instant expressed in UTC, so stored times compare and sort as instants."""
    return value.astimezone(UTC)
