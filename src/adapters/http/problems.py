"""Every 4xx and 5xx as ``application/problem+json`` (RFC 9457), mapped in one place.

Domain errors keep the core's message as ``detail`` (it already says what was wrong
and what to do); ``code`` names the kind for programs. Unknown errors become a 500
whose body holds only an id; the traceback goes to the log under that id.
"""

from __future__ import annotations

import logging
import re
import uuid
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response.base import ASGIResponse
from litestar.types import ExceptionHandlersMap

from adapters.settings import SettingsError
from wheel_core.domain.errors import (
    ConflictError,
    DomainError,
    InvalidTransitionError,
    MarketDataError,
    NotFoundError,
    PricingError,
    RuleViolationError,
    StorageError,
    ValidationError,
)

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def problem(
    request: Request[Any, Any, Any],
    status: int,
    detail: str,
    *,
    code: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    body = _problem_body(status, detail, code=code, instance=request.url.path, **extra)
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _problem_body(
    status: int, detail: str, *, code: str, instance: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    return {**body, "code": code, **extra}


def _domain(request: Request[Any, Any, Any], error: DomainError) -> Response[dict[str, Any]]:
    """The error's own ``code`` (see :mod:`wheel_core.domain.errors`), so a client (the
    CLI's remote mode) raises the very error direct mode would; the status follows it."""
    extra: dict[str, Any] = {}
    if isinstance(error, InvalidTransitionError):
        extra = {"state": error.state, "allowed_actions": list(error.allowed)}
    status = STATUS_OF_CODE.get(error.code, DEFAULT_DOMAIN_STATUS)
    return problem(request, status, error.message, code=error.code, **extra)


STATUS_OF_CODE: dict[str, int] = {
    "symbol_not_found": 404,  # MarketDataError.narrower_codes: a provider's unlisted symbol
    NotFoundError.code: 404,
    InvalidTransitionError.code: 409,
    RuleViolationError.code: 409,
    ConflictError.code: 409,
    PricingError.code: 422,
    ValidationError.code: 422,
    MarketDataError.code: 503,
}
"""The HTTP status of each domain error code; any other refusal is a 422."""
DEFAULT_DOMAIN_STATUS = 422


def _validation(
    request: Request[Any, Any, Any], error: ValidationException
) -> Response[dict[str, Any]]:
    errors = [
        {
            "field": _field(item.get("key"), message := str(item.get("message", ""))),
            "source": item.get("source"),
            "message": message,
        }
        for item in (error.extra if isinstance(error.extra, list) else [])
        if isinstance(item, dict)
    ]
    detail = "; ".join(
        f"{e['field']}: {e['message']}" if e["field"] else str(e["message"]) for e in errors
    )
    return problem(
        request,
        400,
        detail or str(error.detail),
        code="invalid_request",
        errors=errors,
    )


_NAMED_FIELD = re.compile(r"^([a-z_][a-z0-9_]*) must\b")


def _field(key: Any, message: str) -> str | None:
    """The field an error is about. A rule the core checks after decoding (an amount's
    bounds: msgspec cannot bound a Decimal) is reported against the whole body,
    ``data``; the core's checks begin their message with the field they refuse
    (``capital must be 0 or more``), so that field is named instead."""
    if key == "data" and (named := _NAMED_FIELD.match(message)):
        return named.group(1)
    return str(key) if key else None


def _setting(request: Request[Any, Any, Any], error: SettingsError) -> Response[dict[str, Any]]:
    return problem(request, 422, str(error), code="invalid_setting")


def _http(request: Request[Any, Any, Any], error: HTTPException) -> Response[dict[str, Any]]:
    status = error.status_code
    if status == 500:  # Litestar wraps unexpected errors in a 500 HTTPException
        cause = error.__cause__
        return _unexpected(request, cause if isinstance(cause, Exception) else error)
    code = HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    return problem(request, status, str(error.detail), code=code, headers=error.headers)


def _unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    error_id = uuid.uuid4().hex
    log.error(
        "unhandled error %s on %s %s",
        error_id,
        request.method,
        request.url.path,
        exc_info=error,
        extra={"error_id": error_id},
    )
    return problem(
        request,
        500,
        f"an unexpected error occurred; it was logged with id {error_id}",
        code="internal_error",
        error_id=error_id,
    )


class ServiceDownError(Exception):
    """The server cannot serve (its database is down): a 503 whose problem carries
    ``extra`` as members of its own, e.g. the health report."""

    def __init__(self, detail: str, *, code: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail, self.code, self.extra = detail, code, extra


def _down(request: Request[Any, Any, Any], error: ServiceDownError) -> Response[dict[str, Any]]:
    return problem(request, 503, error.detail, code=error.code, **error.extra)


def _storage(request: Request[Any, Any, Any], error: StorageError) -> Response[dict[str, Any]]:
    """The disk failed under the database (full, read-only, the file gone): a 503 whose
    ``code`` names the cause, ``storage_full``, ``storage_read_only``, ``storage_gone``
    or ``storage_failed``; nothing was written."""
    log.error("storage failure on %s %s: %s", request.method, request.url.path, error.message)
    return problem(request, 503, error.message, code=f"storage_{error.cause}")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ServiceDownError: _down,
    StorageError: _storage,
    DomainError: _domain,
    ValidationException: _validation,
    SettingsError: _setting,
    HTTPException: _http,
    Exception: _unexpected,
}

__all__ = [
    "EXCEPTION_HANDLERS",
    "PROBLEM_JSON",
    "ServiceDownError",
    "html_not_found_as_problem",
    "problem",
    "problem_response",
]


def html_not_found_as_problem(response: Response[Any]) -> Response[Any]:
    """An ``after_request`` hook. Litestar's OpenAPI router, mounted at ``/`` to serve
    ``/docs`` and ``/redoc``, answers any other GET outside the API (``/favicon.ico``)
    with an HTML 404 page of its own; every error here is problem+json."""
    if response.status_code != 404 or response.media_type != "text/html":
        return response
    detail = "no such page: the API is under /api/v1, its documentation at /docs"
    body = _problem_body(404, detail, code="not_found")  # an after_request hook has no request
    return Response(body, status_code=404, media_type=PROBLEM_JSON)


def problem_response(
    status: int,
    detail: str,
    *,
    code: str,
    instance: str,
    headers: dict[str, str] | None = None,
) -> ASGIResponse:
    """A problem as a ready ASGI response, for the request guard: it answers before
    Litestar routes the request, where no exception handler runs."""
    body = _problem_body(status, detail, code=code, instance=instance)
    return ASGIResponse(
        body=msgspec.json.encode(body),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )
