"""Bearer-token protection for a server reachable beyond loopback.

With an API token configured every request but ``GET /api/v1/health`` must carry
``Authorization: Bearer <token>``; the comparison is constant-time and the token is
never logged or echoed.
"""

from __future__ import annotations

import hmac

from litestar.datastructures import Headers
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

PUBLIC_PATHS = ("/api/v1/health",)


class BearerTokenMiddleware(AbstractMiddleware):
    exclude = [f"^{path}$" for path in PUBLIC_PATHS]

    def __init__(self, app: ASGIApp, token: str) -> None:
        super().__init__(app)
        self._token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scheme, _, given = Headers.from_scope(scope).get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), self._token
        ):
            raise NotAuthorizedException(
                "this server requires an API token: send 'Authorization: Bearer <token>'",
                headers={"WWW-Authenticate": 'Bearer realm="wheel-strategy"'},
            )
        await self.app(scope, receive, send)
