"""Figures as text, formatted by the server so every page shows the API's exact digits.

Money stays a :class:`~decimal.Decimal` until here and keeps its stored digits
(``2550.00`` → ``2,550.00``): no float, and no JavaScript formatting anywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from wheel_core.domain.enums import RiskLevel


def money(value: Decimal | None) -> str:
    """Thousands separators, the stored decimal places; an em dash for no value."""
    if value is None:
        return "—"
    return f"{value:,}"


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,}%"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat()


def risk_words(level: RiskLevel | None) -> str:
    """The risk level said in words, so a page is readable with colours off."""
    return "no open option" if level is None else f"{level.value} risk"


def label(value: object) -> str:
    """An enum's value with underscores as spaces (``holding_shares`` → ``holding shares``)."""
    text = getattr(value, "value", value)
    return str(text).replace("_", " ")


FILTERS = {"money": money, "percent": percent, "day": day, "risk_words": risk_words, "label": label}
