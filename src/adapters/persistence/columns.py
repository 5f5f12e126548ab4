"""Column types that keep the core's values exact on every database.

Money is stored as **decimal text** (``"409.99"``, ``"0.0001"``): it keeps
every digit a user typed, including sub-cent option premiums that integer
minor units would round, and reads back as the same ``Decimal``. Instants
are stored as UTC and always come back timezone-aware. Both are plain
SQLAlchemy ``TypeDecorator``\\ s, so PostgreSQL needs no special case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Dialect, String
from sqlalchemy.types import TypeDecorator


class DecimalText(TypeDecorator[Decimal]):
    """A ``Decimal`` stored as its exact text; never a float on the way in or out."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise TypeError(f"money must be a finite Decimal, got {value!r}")
        return format(value, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any]:
        # The same conversion without the decorator's per-value indirection: listing
        # trades reads six of these per row.
        return _to_decimal


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant, stored in UTC (naive on SQLite, ``timestamptz`` elsewhere)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise TypeError(f"instants must be timezone-aware, got {value!r}")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        # SQLite keeps the naive UTC instant as ISO text: parse it and mark it UTC in
        # one step instead of the driver type's parser followed by the decorator's.
        return _sqlite_utc


def _to_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _sqlite_utc(value: Any) -> datetime | None:
    if value is None:
        return None
    parsed: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
