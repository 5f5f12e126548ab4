"""Field checks shared by commands and entities, each naming the field it refuses."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
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


MAX_DECIMAL_PLACES = 4
"""No amount or price entered has more places than a broker shows: stock prices go to
four (sub-dollar quotes, average costs), option prices and cash to two. With at most
13 digits before the point that is 17 significant digits, so a price × 100 × contracts
stays exact in the 28 digits of the default decimal context."""

_PLACE = Decimal(1).scaleb(-MAX_DECIMAL_PLACES)


def entered_amount(value: Decimal, field: str) -> Decimal:
    """An amount or price as entered, refused with more than :data:`MAX_DECIMAL_PLACES`
    places that matter, else in its canonical form: ``-0.0`` is ``0.0`` (no sign on
    nothing), ``1E+2`` is ``100``, ``2.50000`` is ``2.5000``; the digits a user typed
    up to the fourth place are kept (``2.00`` stays ``2.00``).

    Call it after the range checks (:func:`positive`, :func:`non_negative`): a finite
    value of at most :data:`MAX_AMOUNT` can always be quantized."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: checked before
    if exponent > 0:
        value = value.quantize(Decimal(1))
    elif exponent < -MAX_DECIMAL_PLACES:
        places = value.quantize(_PLACE)
        if places != value:
            raise ValidationError(
                f"{field} must have at most {MAX_DECIMAL_PLACES} decimal places, "
                f"got {_shown(value)}"
            )
        value = places
    return value.copy_abs() if value.is_zero() else value


def _shown(value: Decimal) -> str:
    """A refused number in a message, cut short: a body may hold thousands of digits."""
    text = str(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def positive_int(value: int, field: str) -> None:
    if value <= 0:
        raise ValidationError(f"{field} must be a whole number greater than 0, got {value}")


MAX_ID = 2**63 - 1
"""Records are keyed by signed 64-bit integers: a larger id names nothing and could not
even be sent to the database."""


def record_id(value: int, field: str) -> None:
    if not 1 <= value <= MAX_ID:
        raise ValidationError(f"{field} must be an id from 1 to {MAX_ID}, got {value}")


EARLIEST_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(2100, 1, 1, tzinfo=UTC)
"""Instants entered lie in [1970, 2100): nothing a trader records is older than listed
options (1973) or later than this century, and inside that range every
offset can be brought to UTC (``9999-12-31T23:59:59-14:00`` cannot) and every date
the calendar derives from it exists."""
EARLIEST_DATE = EARLIEST_INSTANT.date()
LATEST_DATE = (LATEST_INSTANT - timedelta(days=1)).date()


def aware(value: datetime | None, field: str) -> None:
    """Naive datetimes are refused: inside the core every instant is unambiguous.
    So are instants outside [1970, 2100), whatever their offset."""
    if value is None:
        return
    if value.utcoffset() is None:
        raise ValidationError(f"{field} must include a timezone (e.g. 2026-01-16T21:00:00Z)")
    # Comparing aware datetimes never overflows, even where converting to UTC would.
    if not EARLIEST_INSTANT <= value < LATEST_INSTANT:
        raise ValidationError(
            f"{field} must be from 1970-01-01T00:00:00Z up to (not including) "
            f"2100-01-01T00:00:00Z, got {value.isoformat()}"
        )


def in_date_range(value: date | None, field: str) -> None:
    """A date entered lies in the years instants may take, 1970 to 2099."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            f"{field} must be from {EARLIEST_DATE} to {LATEST_DATE}, got {value.isoformat()}"
        )


_VISIBLE = frozenset("LNPS")
"""Unicode categories (first letter) of characters that show: letters, numbers,
punctuation, symbols. Not separators, marks alone, controls, or format characters
such as the zero-width space."""


def no_control_characters(value: str, field: str, *, line_breaks: bool = False) -> None:
    """No text entered holds control characters: ``NUL`` ends a C string and PostgreSQL
    refuses it, the others garble a terminal or a CSV. Free text (``line_breaks``) may
    hold tabs and line breaks."""
    allowed = "\t\n\r" if line_breaks else ""
    for char in value:
        if unicodedata.category(char) == "Cc" and char not in allowed:
            raise ValidationError(
                f"{field} must not contain control characters, found U+{ord(char):04X}"
            )


def visible_name(value: str, field: str) -> None:
    """A name must show something: one of zero-width characters looks empty in every
    list, and no name may hold a control character."""
    no_control_characters(value, field)
    if not any(unicodedata.category(char)[0] in _VISIBLE for char in value):
        raise ValidationError(f"{field} must contain a visible character, got {value!r}")


def normalize_symbol(symbol: str) -> str:
    """Upper-case ticker; refuses empty or odd symbols so they never reach a provider."""
    if not _SYMBOL.match(symbol):
        raise ValidationError(f"symbol must be a ticker such as AAPL or BRK.B, got {symbol!r}")
    return symbol.strip().upper()


def as_utc(value: datetime) -> datetime:
    """The same instant expressed in UTC, so stored times compare and sort as instants."""
    return value.astimezone(UTC)
