"""JSON in and out with exact money: a ``Decimal`` goes out as a JSON number with the same
digits (``1050.00``), and a JSON number comes in as a ``Decimal`` with the digits sent —
never through a float, never as a string."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

import msgspec
from litestar import Request, Response
from litestar.exceptions import SerializationException
from litestar.serialization import default_serializer
from litestar.types import Empty, Serializer

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


_DECODER = msgspec.json.Decoder(float_hook=Decimal)


class ExactJsonRequest(Request[Any, Any, Any]):
    """Reads JSON bodies with every non-integer number as a ``Decimal`` of the same digits.

    Litestar decodes a body to builtins before converting it to the handler's Struct;
    with floats in between, ``2.00`` would arrive as ``2.0`` and ``0.1 + 0.2`` style
    noise could reach a stored amount.
    """

    async def json(self) -> Any:
        if self._json is Empty:
            if (cached := self._connection_state.json) is not Empty:
                self._json = cached
            else:
                self._json = self._connection_state.json = decode_body(await self.body())
        return self._json


def decode_body(body: bytes) -> Any:
    """A request body as builtins (numbers with a point as ``Decimal``), or a
    ``SerializationException`` (a 400) saying what is wrong with it.

    msgspec reports most bad JSON as a ``DecodeError``, but not all: nesting deeper than
    the interpreter's recursion limit raises ``RecursionError``, and invalid UTF-8 inside
    a string ``UnicodeDecodeError``. Both are the client's mistake, not the server's.
    """
    try:
        return _DECODER.decode(body or b"null")
    except msgspec.DecodeError as error:
        raise SerializationException(str(error)) from error
    except RecursionError as error:
        raise SerializationException("the JSON body is nested too deeply") from error
    except UnicodeDecodeError as error:
        raise SerializationException(
            f"the JSON body is not valid UTF-8 (byte {error.start}: {error.reason})"
        ) from error
