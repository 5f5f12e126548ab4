"""Bearer-token protection for a server reachable beyond loopback.

With an API token configured every request but ``GET /api/v1/health`` must carry
``Authorization: Bearer <token>`` — the documentation and unknown paths too, so a
caller without the token learns nothing about the routes; the comparison is
constant-time and the token is never logged or echoed. The check runs in the
request guard (``request_guard.py``), before routing.
"""

from __future__ import annotations

import hmac

from adapters.wire import API_PREFIX, HEALTH

PUBLIC_PATHS = frozenset({API_PREFIX + HEALTH})
TOKEN_REQUIRED = "this server requires an API token: send 'Authorization: Bearer <token>'"
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="wheel-strategy"'}


class BearerToken:
    """The configured token, compared with what a request sends."""

    def __init__(self, token: str) -> None:
        self._token = token.encode()

    def accepts(self, authorization: bytes) -> bool:
        """Whether an ``Authorization`` header value (raw bytes, as ASGI gives it)
        carries the token."""
        scheme, _, given = authorization.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self._token)

    def as_authorization(self) -> bytes:
        """The header value :meth:`accepts`, for a request the dashboard vouches for."""
        return b"Bearer " + self._token
