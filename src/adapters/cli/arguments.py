"""Typed command-line values, checked the way the API checks a body.

Amounts are read as ``Decimal`` from their text (``2.00`` stays ``2.00``); text that
is not a finite number is refused by Cyclopts with the flag's name. Commands are
built through ``msgspec.convert`` so the core's bounds (a positive strike, 1–10,000
contracts, ...) refuse bad values exactly as they do for an HTTP body, and the
refusal names the flag the user typed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

import msgspec
from cyclopts import Parameter, Token

from adapters.cli.options import UsageError

T = TypeVar("T")


def _decimal(_type: Any, tokens: tuple[Token, ...]) -> Decimal:
    text = tokens[0].value.replace(",", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{tokens[0].value!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{tokens[0].value!r} is not a finite number")
    return value


Money = Annotated[Decimal, Parameter(converter=_decimal)]
"""An amount or price typed by the user: ``2``, ``2.00``, ``1,050.00``."""


def build(kind: type[T], flags: dict[str, str] | None = None, **fields: Any) -> T:
    """``kind`` from ``fields``, validated like an API body; ``flags`` maps a field to the
    flag that set it when their names differ (``price_at_expiry`` ← ``--price``)."""
    given = {name: value for name, value in fields.items() if value is not None}
    try:
        return msgspec.convert(given, kind)
    except msgspec.ValidationError as error:
        raise UsageError(_readable(str(error), flags or {})) from None


def _readable(message: str, flags: dict[str, str]) -> str:
    reason, _, where = message.partition(" - at `$.")
    field = where.rstrip("`").split(".")[0].split("[")[0]
    if not field:
        return message
    flag = flags.get(field, "--" + field.replace("_", "-"))
    return f"invalid {flag}: {reason[0].lower()}{reason[1:]}"
