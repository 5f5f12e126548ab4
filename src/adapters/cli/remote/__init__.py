"""The CLI's remote mode: the use-case facade over the server's HTTP API.

:class:`RemoteWheelService` implements :class:`~wheel_core.app.facade.WheelFacade`
with httpx, so every command runs unchanged against a server and prints what it
prints in direct mode. :func:`connect` builds the client; the errors say what went
wrong with the link (the core's own errors come back as themselves).
"""

from adapters.cli.remote.client import connect
from adapters.cli.remote.errors import (
    RemoteAuthError,
    RemoteError,
    RemoteInvalidTransitionError,
    RemoteNotFoundError,
    RemoteServerError,
    RemoteValidationError,
    ServerUnreachableError,
)
from adapters.cli.remote.service import RemoteWheelService

__all__ = [
    "RemoteAuthError",
    "RemoteError",
    "RemoteInvalidTransitionError",
    "RemoteNotFoundError",
    "RemoteServerError",
    "RemoteValidationError",
    "RemoteWheelService",
    "ServerUnreachableError",
    "connect",
]
