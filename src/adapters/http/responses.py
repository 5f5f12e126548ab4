"""JSON responses whose money is exact: ``Decimal`` goes out as a JSON number with the
same digits (``1050.00``), never as a float and never as a string."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from litestar import Response
from litestar.serialization import default_serializer
from litestar.types import Serializer

T = TypeVar("T")

_ENCODER = msgspec.json.Encoder(enc_hook=default_serializer, decimal_format="number")


def encode(content: Any) -> bytes:
    """The API's JSON for ``content``; the CLI's ``--json`` prints exactly this."""
    return _ENCODER.encode(content)


class ExactJsonResponse(Response[T]):
    def render(
        self, content: Any, media_type: str, enc_hook: Serializer = default_serializer
    ) -> bytes:
        if (
            media_type.startswith("application/")
            and media_type.endswith("json")
            and not isinstance(content, bytes | str)
        ):
            if enc_hook is default_serializer:
                return _ENCODER.encode(content)
            return msgspec.json.Encoder(enc_hook=enc_hook, decimal_format="number").encode(content)
        return super().render(content, media_type, enc_hook)
