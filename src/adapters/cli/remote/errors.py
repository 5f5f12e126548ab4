"""What can go wrong talking to the server, beside the refusals the core makes.

A refusal by the core (not found, invalid transition, ...) comes back as the core's
own error type, so a command handles it the same way in either mode; the classes
here that subclass a domain error exist only because that error's constructor
builds its message from parts, while the server already sent the finished text.
The others are failures of the remote link itself: the server is down, wants a
token, or answered something that is not the API's answer.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from adapters.cli.options import API_TOKEN_VARIABLE
from wheel_core.domain.errors import InvalidTransitionError, NotFoundError, ValidationError

_NOT_FOUND_KEY = re.compile(r"^(?P<kind>.+?) (?P<key>'.*'|\".*\"|-?\d+) not found$", re.DOTALL)
"""The shape of :class:`NotFoundError`'s message: ``{kind} {key!r} not found``."""

_TRANSITION_VERB = re.compile(r"^cannot (?P<verb>.+?) while the wheel is ")
"""The shape of :class:`InvalidTransitionError`'s message, which names the action as words."""


class RemoteNotFoundError(NotFoundError):
    """The server's 404, with its ``detail`` as the message, word for word.

    ``kind`` and ``key`` are read back from that message where it has the core's shape
    (``wheel 7 not found``), so code that inspects them works in both modes.
    """

    def __init__(self, detail: str) -> None:
        Exception.__init__(self, detail)
        kind, key = _parts(detail)
        self.kind = kind
        self.key = key


class RemoteInvalidTransitionError(InvalidTransitionError):
    """The server's 409 ``invalid_transition``: its ``detail`` as the message, and the
    wheel's state and allowed actions from the problem's extra members."""

    def __init__(self, detail: str, state: str, allowed: Iterable[str]) -> None:
        Exception.__init__(self, detail)
        match = _TRANSITION_VERB.match(detail)
        self.state = state
        self.action = match["verb"].replace(" ", "_") if match else ""
        self.allowed = tuple(allowed)


class RemoteValidationError(ValidationError):
    """The server refused the request's shape (400): ``fields`` names what was wrong."""

    def __init__(self, detail: str, fields: Iterable[str]) -> None:
        super().__init__(detail)
        self.fields = tuple(fields)


class RemoteError(Exception):
    """A failure of the link to the server rather than a refusal by the core.

    ``str(error)`` and ``error.message`` are the one line the CLI prints.
    """

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else type(self).__name__


class ServerUnreachableError(RemoteError):
    """No answer at all: nothing listens at the URL, the connection dropped, or it timed
    out. The CLI exits with 3 and never falls back to a local database on its own."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"cannot reach the wheel-strategy server at {url} ({reason}); start it with "
            "`wheel-strategy serve`, or use --direct-mode to work on the local database"
        )
        self.url = url
        self.reason = reason


class RemoteAuthError(RemoteError):
    """The server wants a bearer token (401): none was sent, or not the right one."""

    def __init__(self, url: str, *, token_sent: bool) -> None:
        if token_sent:
            text = (
                f"the server at {url} refused the API token; set {API_TOKEN_VARIABLE} to the "
                "token the server is configured with (server.api_token)"
            )
        else:
            text = (
                f"the server at {url} requires an API token; set {API_TOKEN_VARIABLE} to the "
                "token the server is configured with (server.api_token)"
            )
        super().__init__(text)
        self.url = url
        self.token_sent = token_sent


class RemoteServerError(RemoteError):
    """The server failed (5xx) or answered something that is not the API's answer
    (a body that is not JSON, a problem of an unknown kind). ``error_id`` is the id the
    server logged the failure under, to quote when reporting it."""

    def __init__(self, status: int, detail: str, *, error_id: str | None = None) -> None:
        text = f"the server answered HTTP {status}: {detail}"
        if error_id is not None and error_id not in detail:
            text += f" (error id {error_id})"
        super().__init__(text)
        self.status = status
        self.detail = detail
        self.error_id = error_id


def _parts(detail: str) -> tuple[str, object]:
    """``(kind, key)`` of a message shaped like the core's ``NotFoundError``'s."""
    match = _NOT_FOUND_KEY.match(detail)
    if match is None:
        return "resource", detail
    try:
        key: object = ast.literal_eval(match["key"])
    except (ValueError, SyntaxError):
        key = match["key"]
    return match["kind"], key


__all__ = [
    "RemoteAuthError",
    "RemoteError",
    "RemoteInvalidTransitionError",
    "RemoteNotFoundError",
    "RemoteServerError",
    "RemoteValidationError",
    "ServerUnreachableError",
]
