"""The HTTP link to the server: one request in, one decoded Struct (or error) out.

Money stays exact both ways: request bodies are encoded with every ``Decimal`` as a
JSON number of the same digits, and answers are decoded by msgspec straight into the
core's Structs, whose ``Decimal`` fields keep the digits the server sent (never a
float in between).
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar, cast

import httpx
import msgspec

from adapters.cli.remote.errors import RemoteServerError, ServerUnreachableError
from adapters.cli.remote.problems import error_for
from adapters.wire import API_PREFIX, MAX_LIMIT
from wheel_core.app.views import Page

T = TypeVar("T")

Param = str | int | bool | date | Enum | None
"""A query parameter's value as the facade holds it; ``None`` leaves the parameter out."""

_ENCODER = msgspec.json.Encoder(decimal_format="number")


@functools.cache
def _decoder(answer: Any) -> msgspec.json.Decoder[Any]:
    """Numbers in untyped places (a plugin's config) decode as ``Decimal`` with the digits
    the server sent — ``40.50`` stays ``40.50`` — as the server reads request bodies;
    typed fields decode to their own types either way."""
    return msgspec.json.Decoder(answer, float_hook=Decimal)


def connect(url: str, token: str | None, timeout: float = 30.0) -> httpx.AsyncClient:
    """A client of the server at ``url`` (its root, e.g. ``http://127.0.0.1:8000``),
    sending ``token`` as a bearer token when given."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.AsyncClient(base_url=url, headers=headers, timeout=timeout)


def query_params(params: Mapping[str, Param]) -> dict[str, str]:
    """The query string's values as the API reads them: ``true``/``false``, ISO dates,
    enum values; ``None`` dropped."""
    return {name: _param(value) for name, value in params.items() if value is not None}


def _param(value: Param) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Api:
    """Requests to ``/api/v1`` on ``client``; every failure raised as an exception."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    @property
    def url(self) -> str:
        """The server's root URL, as the user configured it."""
        return str(self._client.base_url).rstrip("/")

    async def call(
        self,
        method: str,
        path: str,
        answer: type[T],
        *,
        params: Mapping[str, Param] | None = None,
        body: object = None,
        wait: float | None = None,
    ) -> T:
        """``method path`` decoded as ``answer``; ``wait`` (seconds) replaces the
        client's timeout for a request known to take long."""
        response = await self.send(method, path, params=params, body=body, wait=wait)
        return self.decode(response, answer)

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Param] | None = None,
        body: object = None,
        wait: float | None = None,
    ) -> httpx.Response:
        """The 2xx answer to ``method path``; anything else is raised as the error it means."""
        content = None if body is None else _ENCODER.encode(body)
        headers = {"Content-Type": "application/json"} if content is not None else None
        try:
            response = await self._client.request(
                method,
                API_PREFIX + path,
                params=query_params(params or {}),
                content=content,
                headers=headers,
                timeout=httpx.USE_CLIENT_DEFAULT if wait is None else wait,
            )
        except httpx.TransportError as error:
            raise ServerUnreachableError(self.url, _reason(error)) from error
        if not response.is_success:
            raise error_for(
                response.status_code,
                response.content,
                url=self.url,
                token_sent="authorization" in response.request.headers,
            )
        return response

    def decode(self, response: httpx.Response, answer: type[T]) -> T:
        try:
            decoded: T = _decoder(cast(Hashable, answer)).decode(response.content)
            return decoded
        except msgspec.MsgspecError as error:
            raise RemoteServerError(
                response.status_code,
                f"an answer to {response.request.method} {response.request.url.path} that "
                f"is not the API's: {error}",
            ) from error

    async def page(
        self,
        path: str,
        answer: type[Page[T]],
        *,
        params: Mapping[str, Param] | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> Page[T]:
        """``limit`` items from ``offset`` on (every one when ``limit`` is ``None``),
        fetched a page of at most :data:`MAX_LIMIT` at a time."""
        items: list[T] = []
        total = 0
        while limit is None or len(items) < limit:
            size = MAX_LIMIT if limit is None else min(MAX_LIMIT, limit - len(items))
            page = await self.call(
                "GET",
                path,
                answer,
                params={**(params or {}), "offset": offset + len(items), "limit": size},
            )
            items.extend(page.items)
            total = page.total
            if len(page.items) < size or offset + len(items) >= total:
                break
        return Page(items=items, total=total, offset=offset, limit=limit)

    async def every(
        self, path: str, answer: type[Page[T]], *, params: Mapping[str, Param] | None = None
    ) -> list[T]:
        """Every item of a paged list."""
        return (await self.page(path, answer, params=params)).items


def _reason(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"no answer in time: {type(error).__name__}"
    if isinstance(error, httpx.UnsupportedProtocol):
        return "the URL must start with http:// or https://"
    text = str(error) or type(error).__name__
    return text if isinstance(error, httpx.ConnectError) else f"{type(error).__name__}: {text}"


__all__ = ["API_PREFIX", "MAX_LIMIT", "Api", "connect", "query_params"]
