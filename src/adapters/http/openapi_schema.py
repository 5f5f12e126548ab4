"""Make the OpenAPI document say what the server enforces.

Litestar's own generator documents ``Decimal`` as a string and ignores two things
msgspec enforces; these plugins fix all four, so generated clients and schema
fuzzing agree with the server:

* an integer's bounds are written as integers: Litestar writes them as floats, and
  ``9223372036854775807.0`` is ``2**63`` — one past the largest id, so the document
  called ids valid that the server refuses;
* ``Decimal`` is a JSON **number** (our responses write exact digits, see
  ``responses.py``; requests may send a number);
* a Struct with ``forbid_unknown_fields`` gets ``additionalProperties: false``;
* JSON-schema bounds the core declares on a field with
  ``msgspec.Meta(extra_json_schema={"minimum": 0})`` (msgspec cannot bound a
  ``Decimal`` itself) are copied onto that property.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.spec import (
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
)
from litestar.params import KwargDefinition
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition

_BOUNDS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive_minimum",
    "exclusiveMaximum": "exclusive_maximum",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "multipleOf": "multiple_of",
}

_INT_BOUNDS = {
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusive_minimum",
    "lt": "exclusive_maximum",
}


class DecimalSchemaPlugin(OpenAPISchemaPlugin):
    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value is Decimal

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        return Schema(type=OpenAPIType.NUMBER, format="decimal")  # type: ignore[arg-type]


class IntegerBoundsSchemaPlugin(OpenAPISchemaPlugin):
    """A bounded ``int`` (``Parameter(ge=1, le=MAX_ID)``, ``msgspec.Meta(le=1440)``) with
    its bounds as given, not through ``float()`` (nor dropped when one is ``0``, as
    Litestar's copy of a field's metadata does)."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        kwargs = field_definition.kwarg_definition
        return (
            field_definition.annotation is int
            and isinstance(kwargs, KwargDefinition)
            and any(getattr(kwargs, bound) is not None for bound in _INT_BOUNDS)
        )

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        kwargs = field_definition.kwarg_definition
        schema = Schema(type=OpenAPIType.INTEGER)
        for bound, key in _INT_BOUNDS.items():
            if (value := getattr(kwargs, bound, None)) is not None:
                setattr(schema, key, int(value))
        return schema


class StrictStructSchemaPlugin(StructSchemaPlugin):
    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        info = msgspec.inspect.type_info(field_definition.type_)
        if not isinstance(info, msgspec.inspect.StructType):
            return schema
        if info.forbid_unknown_fields:
            schema.additional_properties = False
        for field in info.fields:
            bounds = _declared_bounds(field.type)
            prop = (schema.properties or {}).get(field.encode_name)
            if bounds and isinstance(prop, Schema):
                _apply(prop, bounds)
            item_bounds = _item_bounds(field.type)
            if item_bounds and isinstance(prop, Schema):
                _apply_to_items(prop, item_bounds)
        return schema


def _declared_bounds(kind: msgspec.inspect.Type) -> dict[str, Any]:
    if isinstance(kind, msgspec.inspect.UnionType):
        for member in kind.types:
            found = _declared_bounds(member)
            if found:
                return found
        return {}
    if isinstance(kind, msgspec.inspect.Metadata) and kind.extra_json_schema:
        return {k: v for k, v in kind.extra_json_schema.items() if k in _BOUNDS}
    return {}


def _item_bounds(kind: msgspec.inspect.Type) -> dict[str, Any]:
    """The bounds of a list's integers (``list[Id]``), which Litestar leaves out."""
    if isinstance(kind, msgspec.inspect.UnionType):
        for member in kind.types:
            if found := _item_bounds(member):
                return found
        return {}
    if isinstance(kind, msgspec.inspect.ListType) and isinstance(
        kind.item_type, msgspec.inspect.IntType
    ):
        item = kind.item_type
        return {k: v for k, v in (("minimum", item.ge), ("maximum", item.le)) if v is not None}
    return {}


def _apply_to_items(prop: Schema, bounds: dict[str, Any]) -> None:
    arrays = [m for m in (prop.one_of or prop.any_of or [prop]) if isinstance(m, Schema)]
    for array in arrays:
        if array.type == OpenAPIType.ARRAY and isinstance(array.items, Schema):
            for key, value in bounds.items():
                setattr(array.items, _BOUNDS[key], value)


def _apply(prop: Schema, bounds: dict[str, Any]) -> None:
    """On the property itself, or on each non-null member of an optional one."""
    members = prop.one_of or prop.any_of
    if members:
        for member in members:
            if isinstance(member, Schema) and member.type != OpenAPIType.NULL:
                _apply(member, bounds)
        return
    if isinstance(prop, Reference):  # pragma: no cover - bounds sit on scalars only
        return
    for key, value in bounds.items():
        setattr(prop, _BOUNDS[key], value)


@dataclass
class OptionalBodyOperation(Operation):
    """The operation of a handler whose body may be left out (``data: X | None = None``):
    Litestar marks every request body required, so a client or a fuzzer reading the
    document would never send the request the handler's docstring promises works."""

    def __post_init__(self) -> None:
        if isinstance(self.request_body, RequestBody):
            self.request_body.required = False


SCHEMA_PLUGINS = [IntegerBoundsSchemaPlugin(), DecimalSchemaPlugin(), StrictStructSchemaPlugin()]


PROBLEM = Schema(
    type=OpenAPIType.OBJECT,
    description="An error, as RFC 9457 problem details.",
    required=["type", "title", "status", "detail", "code"],
    properties={
        "type": Schema(type=OpenAPIType.STRING),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "instance": Schema(type=OpenAPIType.STRING),
        "code": Schema(type=OpenAPIType.STRING, description="The kind of error, for programs."),
        "errors": Schema(
            type=OpenAPIType.ARRAY,
            description="Field by field, on a request that failed validation.",
            items=Schema(type=OpenAPIType.OBJECT, additional_properties=True),
        ),
        "allowed_actions": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.STRING)),
        "state": Schema(type=OpenAPIType.STRING),
        "error_id": Schema(type=OpenAPIType.STRING),
    },
    additional_properties=True,
)


def document_problems(openapi: Any) -> None:
    """Every operation answers errors as problem+json: say so, for every status.

    Litestar documents its own 400 body; ours replaces it, and a ``default``
    response covers the rest (404, 409, 422, 500, 503 …).
    """
    openapi.components.schemas["Problem"] = PROBLEM
    reference = Reference(ref="#/components/schemas/Problem")

    def response(description: str) -> OpenAPIResponse:
        return OpenAPIResponse(
            description=description,
            content={"application/problem+json": OpenAPIMediaType(schema=reference)},
        )

    for item in (openapi.paths or {}).values():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(item, method, None)
            if operation is None:
                continue
            responses = operation.responses or {}
            for status in list(responses):
                if status.startswith(("4", "5")):
                    responses[status] = response(responses[status].description)
            responses["default"] = response("An error: problem details name what went wrong.")
            operation.responses = responses
