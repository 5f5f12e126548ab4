"""Request bodies read as the OpenAPI document describes them: JSON types match.

Litestar converts every argument of a handler in msgspec's lax mode — right for a
query string, where every value arrives as text, wrong for a JSON body: there ``0``
passed for ``false``, ``"5"`` for ``5`` and ``0`` for a date-time, all of which the
document refuses. A controller whose handlers take a body sets
``request_class = StrictBodyRequest``; its ``json()`` answers the handler's body
already converted in strict mode, which Litestar's own conversion then passes through.

One widening goes the other way: JSON Schema's ``integer`` includes ``523.0`` (a
number is an integer when it has no fraction, however written), and the decoder reads
every number with a point as a ``Decimal``; where the body's type expects an ``int``,
an integral ``Decimal`` becomes that ``int`` first.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

import msgspec
from litestar.exceptions import ValidationException
from litestar.types import Empty

from adapters.http.responses import ExactJsonRequest

__all__ = ["StrictBodyRequest", "read_strictly"]

_AT = re.compile(r"`\$\.(.+)`$")
_LARGEST_EXPONENT = 18
"""An integral ``Decimal`` becomes an ``int`` only below 10**19 (past every int64), so
that ``1E+100000000`` is refused as a number instead of built as a hundred-million-digit
integer."""


class StrictBodyRequest(ExactJsonRequest):
    async def json(self) -> Any:
        raw = await super().json()
        data = self.route_handler.parsed_fn_signature.parameters.get("data")
        if data is None or raw is Empty:
            return raw
        return read_strictly(raw, data.annotation)


def read_strictly(raw: Any, annotation: Any) -> Any:
    """``raw`` (decoded JSON) as ``annotation``, JSON types matching; a mismatch is a 400
    naming the field, as Litestar's own validation errors do."""
    try:
        return msgspec.convert(
            _integers_where_expected(raw, _type_info(annotation)), annotation, strict=True
        )
    except msgspec.ValidationError as error:
        message = str(error)
        at = _AT.search(message)
        raise ValidationException(
            detail="the request body does not match its schema",
            extra=[
                {
                    "message": message.split(" - ", maxsplit=1)[0],
                    "key": at.group(1) if at else "data",
                    "source": "body",
                }
            ],
        ) from error


@lru_cache(maxsize=256)
def _type_info(annotation: Any) -> msgspec.inspect.Type:
    return msgspec.inspect.type_info(annotation)


def _integers_where_expected(value: Any, kind: msgspec.inspect.Type) -> Any:
    """``value`` with each integral ``Decimal`` that ``kind`` expects as an ``int``
    made one; everything else as it was (the strict conversion judges it)."""
    if isinstance(kind, msgspec.inspect.Metadata):
        return _integers_where_expected(value, kind.type)
    if isinstance(kind, msgspec.inspect.UnionType):
        return _in_union(value, kind)
    if isinstance(value, Decimal):
        return (
            int(value) if isinstance(kind, msgspec.inspect.IntType) and _integral(value) else value
        )
    if isinstance(value, dict) and isinstance(kind, msgspec.inspect.StructType):
        fields = {field.encode_name: field.type for field in kind.fields}
        return {
            key: _integers_where_expected(item, fields[key]) if key in fields else item
            for key, item in value.items()
        }
    if isinstance(value, dict) and isinstance(kind, msgspec.inspect.DictType):
        return {key: _integers_where_expected(item, kind.value_type) for key, item in value.items()}
    if isinstance(value, list) and isinstance(kind, _SEQUENCES):
        return [_integers_where_expected(item, kind.item_type) for item in value]
    return value


_SEQUENCES = (
    msgspec.inspect.ListType,
    msgspec.inspect.SetType,
    msgspec.inspect.FrozenSetType,
    msgspec.inspect.VarTupleType,
)


def _in_union(value: Any, kind: msgspec.inspect.UnionType) -> Any:
    """The member that can take ``value`` decides: a number is made an ``int`` only when
    no member takes a fraction; an object or array follows the member of its shape."""
    members = [m.type if isinstance(m, msgspec.inspect.Metadata) else m for m in kind.types]
    if isinstance(value, Decimal):
        takes_fraction = (msgspec.inspect.FloatType, msgspec.inspect.DecimalType)
        if any(isinstance(m, takes_fraction) for m in members):
            return value
    shapes: tuple[type[msgspec.inspect.Type], ...]
    if isinstance(value, dict):
        shapes = (msgspec.inspect.StructType, msgspec.inspect.DictType)
    elif isinstance(value, list):
        shapes = _SEQUENCES
    else:
        shapes = (msgspec.inspect.IntType,)
    for member in members:
        if isinstance(member, shapes):
            return _integers_where_expected(value, member)
    return value


def _integral(value: Decimal) -> bool:
    return (
        value.is_finite()
        and value.adjusted() <= _LARGEST_EXPONENT
        and value == value.to_integral_value()
    )
