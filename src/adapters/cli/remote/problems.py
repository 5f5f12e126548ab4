"""A failed answer of the API, turned back into the error the service would have raised.

The server writes every failure as ``application/problem+json`` (RFC 9457) with
``detail`` (the core's message, verbatim) and ``code`` (the kind of error). This
module reads that back, so a command sees ``NotFoundError``, ``ConflictError`` and
the rest with the same message in remote mode as in direct mode, and prints the
same line.
"""

from __future__ import annotations

import msgspec

from adapters.cli.remote.errors import (
    RemoteAuthError,
    RemoteInvalidTransitionError,
    RemoteNotFoundError,
    RemoteServerError,
    RemoteValidationError,
)
from adapters.wire import INVALID_REQUEST
from wheel_core.domain.errors import (
    DomainError,
    InvalidTransitionError,
    NotFoundError,
    error_class,
)


class FieldProblem(msgspec.Struct, frozen=True, kw_only=True):
    field: str | None = None
    source: str | None = None
    message: str = ""


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """The members of a problem document the CLI uses; others are ignored."""

    status: int | None = None
    detail: str = ""
    code: str | None = None
    errors: list[FieldProblem] = msgspec.field(default_factory=list)
    """Field by field, for a 400 ``invalid_request``."""
    state: str | None = None
    allowed_actions: list[str] = msgspec.field(default_factory=list)
    """The wheel's state and what it allows, for a 409 ``invalid_transition``."""
    error_id: str | None = None
    """The id a 500 was logged under."""


_PROBLEM = msgspec.json.Decoder(Problem)


def read_problem(content: bytes) -> Problem | None:
    """The problem document in ``content``; ``None`` when it is not one (HTML from a
    proxy, an empty body, JSON of another shape)."""
    try:
        return _PROBLEM.decode(content)
    except msgspec.MsgspecError:
        return None


def error_for(status: int, content: bytes, *, url: str, token_sent: bool) -> Exception:
    """The exception for a non-2xx answer: a domain error where the server reports one,
    else a :class:`~adapters.cli.remote.errors.RemoteError` saying what came back."""
    if status == 401:
        return RemoteAuthError(url, token_sent=token_sent)
    problem = read_problem(content)
    if problem is None:
        return RemoteServerError(status, _not_a_problem(content))
    detail = problem.detail
    error = _domain_error(status, problem)
    if error is not None:
        return error
    return RemoteServerError(status, detail or f"code {problem.code}", error_id=problem.error_id)


def _domain_error(status: int, problem: Problem) -> DomainError | None:
    """The core's error behind the problem: the class whose ``code`` it carries (see
    :func:`wheel_core.domain.errors.error_class`), or the request-shape refusal the API
    reports itself. A problem without a code is read by its status (404, 400)."""
    code, detail = problem.code, problem.detail
    if code is None:
        code = {404: NotFoundError.code, 400: INVALID_REQUEST}.get(status)
    if code == INVALID_REQUEST:
        fields = [e.field for e in problem.errors if e.field]
        text = detail or "; ".join(
            f"{e.field}: {e.message}" if e.field else e.message for e in problem.errors
        )
        return RemoteValidationError(text or "the request was refused as invalid", fields)
    kind = None if code is None else error_class(code)
    if kind is None:
        return None
    if issubclass(kind, NotFoundError):
        return RemoteNotFoundError(detail)
    if issubclass(kind, InvalidTransitionError):
        return RemoteInvalidTransitionError(detail, problem.state or "", problem.allowed_actions)
    return kind(detail)


def _not_a_problem(content: bytes) -> str:
    text = content.decode("utf-8", errors="replace").strip()
    if not text:
        return "an empty body instead of a problem document"
    first = " ".join(text.split())[:120]
    return f"a body that is not a problem document: {first!r}"


__all__ = ["Problem", "error_for", "read_problem"]
