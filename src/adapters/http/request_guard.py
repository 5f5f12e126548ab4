"""The checks every HTTP request passes before Litestar routes it (DESIGN §5's
browser-facing rules, which hold for the API too).

A web page the user visits can send requests to a server on loopback: a form or a
``fetch`` POSTs cross-site without asking first when its body is ``text/plain``, a
form or multipart, and a page that rebinds its own name to 127.0.0.1 can even read
the answers. So, in this order:

1. the ``Host`` must be one the server serves (``host_names.py``), else 400;
2. with an API token configured, the request must carry it (``auth.py``), else 401 —
   on every path but ``/api/v1/health``, unknown ones included;
3. a state-changing request (any method but GET, HEAD and OPTIONS) from a foreign
   ``Origin`` is refused with 403, unless ``server.cors_origins`` allows that origin.
   Same-origin means the Origin's ``host:port`` is the request's Host; no Origin at
   all (curl, the CLI's remote mode) is fine; ``null`` (a sandboxed frame, a
   ``file:`` page, a cross-site redirect) is foreign;
4. a body must be JSON: a request that carries one, or a state-changing request that
   declares a ``Content-Type``, must declare ``application/json``, else 415. That
   also shuts the three types a browser may send cross-site unasked for browsers
   that send no Origin.

The dashboard's pages (``adapters.web``, told to the guard as a :class:`Pages`) differ
in two points only: a browser signed in with the session cookie passes check 2 as a
bearer token would (a browser's page load without either — a ``GET`` accepting
``text/html`` — is sent to the login page instead of a 401), and a form post may send
``application/x-www-form-urlencoded`` (check 4); the dashboard then checks the form's
CSRF token itself.

Then ``HEAD`` is answered as ``GET`` without the body (Litestar routes ``HEAD``
only to handlers that declare it). Refusals are problem+json like every error.

It is a pure ASGI wrapper around the whole app, not Litestar middleware: route
middleware runs only once a route matched, so unknown paths would escape it. Every
request pays for it, so it reads the few headers it needs in one pass and
builds nothing for a request it lets through (an app-wide ``after_request`` hook once cost
the API ~15 % of its throughput). Non-HTTP scopes pass through: the app has no
websocket routes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from litestar.enums import ScopeType

from adapters.http.auth import CHALLENGE, PUBLIC_PATHS, TOKEN_REQUIRED, BearerToken
from adapters.http.host_names import AllowedHosts
from adapters.http.problems import problem_response

if TYPE_CHECKING:
    from litestar.config.cors import CORSConfig
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
JSON = b"application/json"
ACCEPT_JSON = {"Accept": "application/json"}
"""What a 415 answers with: the one body type accepted (RFC 9110 §15.5.16)."""
FORM = b"application/x-www-form-urlencoded"
SHOWN = 100
"""At most this many characters of a header are repeated in a refusal."""


class Pages(Protocol):
    """What the guard asks of the dashboard about a request's path and session."""

    login_path: str

    def owns(self, path: str) -> bool:
        """Whether ``path`` is a dashboard page (not the API, not the documentation)."""

    def is_public(self, path: str) -> bool:
        """Whether ``path`` is open without a session (the login page, static assets)."""

    def signed_in(self, cookie: bytes) -> bool:
        """Whether a ``Cookie`` header carries a valid session."""


class RequestGuard:
    """Wraps an ASGI app with the four checks of the module docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        hosts: AllowedHosts,
        token: BearerToken | None = None,
        cors: CORSConfig | None = None,
        pages: Pages | None = None,
    ) -> None:
        self.app, self.hosts, self.token, self.cors = app, hosts, token, cors
        self.pages = pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        host = origin = content_type = authorization = cookie = accept = None
        has_body = False
        for name, value in scope["headers"]:
            if name == b"host":
                host = value
            elif name == b"origin":
                origin = value
            elif name == b"content-type":
                content_type = value
            elif name == b"authorization":
                authorization = value
            elif name == b"content-length":
                has_body = has_body or value.strip() != b"0"
            elif name == b"transfer-encoding":
                has_body = True
            elif name == b"cookie":
                cookie = value
            elif name == b"accept":
                accept = value
        method = scope["method"]
        page = self.pages is not None and self.pages.owns(scope["path"])
        if page:
            authorization = authorization or self._session_as_bearer(scope["path"], cookie)
        refusal = self._refusal(scope, method, host, origin, content_type, authorization, has_body)
        if refusal is not None and refusal[0] == 401 and page and _browses(method, accept):
            assert self.pages is not None
            refusal = (303, "sign in first", "unauthorized", {"Location": self.pages.login_path})
        if refusal is not None:
            status, detail, code, headers = refusal
            if origin is not None and self._cors_allows(origin):
                headers = {**headers, "Access-Control-Allow-Origin": origin.decode("latin-1")}
            response = problem_response(
                status,
                detail,
                code=code,
                instance=scope["path"],
                headers=headers,
            )
            await response(scope, receive, _bodiless(send) if method == "HEAD" else send)
            return
        if method == "HEAD":
            await self.app(cast("Scope", {**scope, "method": "GET"}), receive, _bodiless(send))
            return
        await self.app(scope, receive, send)

    def _refusal(
        self,
        scope: Scope,
        method: str,
        host: bytes | None,
        origin: bytes | None,
        content_type: bytes | None,
        authorization: bytes | None,
        has_body: bool,
    ) -> tuple[int, str, str, dict[str, str]] | None:
        """Status, detail, code and headers of the first check the request fails."""
        if host is not None and not self.hosts.serves(host, scope.get("server")):
            return 400, _unknown_host(host), "host_not_allowed", {}
        if (
            self.token is not None
            and scope["path"] not in PUBLIC_PATHS
            and not self.token.accepts(authorization or b"")
            and not (method == "OPTIONS" and origin is not None and self.cors is not None)
        ):
            return 401, TOKEN_REQUIRED, "unauthorized", CHALLENGE
        changes_state = method not in SAFE_METHODS
        if changes_state and origin is not None and not self._same_origin(origin, host):
            return 403, _foreign(origin), "cross_origin_refused", {}
        if (
            (has_body or (changes_state and content_type is not None))
            and not _is_json(content_type)
            and not (
                self.pages is not None and self.pages.owns(scope["path"]) and _is_form(content_type)
            )
        ):
            return (
                415,
                _not_json(content_type),
                "unsupported_media_type",
                {"Accept": "application/json"},
            )
        return None

    def _session_as_bearer(self, path: str, cookie: bytes | None) -> bytes | None:
        """The token's ``Authorization`` value for a public page or a signed-in browser."""
        if self.token is None or self.pages is None:
            return None
        if self.pages.is_public(path) or (cookie is not None and self.pages.signed_in(cookie)):
            return self.token.as_authorization()
        return None

    def _same_origin(self, origin: bytes, host: bytes | None) -> bool:
        _, separator, authority = origin.partition(b"://")
        if separator and host is not None and authority.lower() == host.strip().lower():
            return True
        return self._cors_allows(origin)

    def _cors_allows(self, origin: bytes) -> bool:
        return self.cors is not None and self.cors.is_origin_allowed(origin.decode("latin-1"))


def _is_json(content_type: bytes | None) -> bool:
    return content_type is not None and content_type.partition(b";")[0].strip().lower() == JSON


def _browses(method: str, accept: bytes | None) -> bool:
    """A browser loading a page (it asks for HTML): sent to the login page, where any
    other caller gets the 401 problem."""
    return method in {"GET", "HEAD"} and accept is not None and b"text/html" in accept


def _is_form(content_type: bytes | None) -> bool:
    return content_type is not None and content_type.partition(b";")[0].strip().lower() == FORM


def _bodiless(send: Send) -> Send:
    """``send`` for an answer to ``HEAD``: the headers a ``GET`` would get
    (``Content-Length`` included, as RFC 9110 allows) without the body."""

    async def send_headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = cast("Message", {**message, "body": b""})
        await send(message)

    return send_headers_only


def _shown(value: bytes) -> str:
    text = value.decode("latin-1")
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _unknown_host(host: bytes) -> str:
    return (
        f"this server does not answer to the host name {_shown(host)!r}: a web page may "
        "have pointed its own name at it; if clients really use that name, add it to "
        "server.allowed_hosts"
    )


def _foreign(origin: bytes) -> str:
    return (
        f"a request from the web page at {_shown(origin)!r} may not change anything here: "
        "state-changing requests are accepted only from the server's own origin and "
        "those in server.cors_origins"
    )


def _not_json(content_type: bytes | None) -> str:
    given = "no Content-Type" if content_type is None else f"Content-Type {_shown(content_type)!r}"
    return f"the body must be JSON sent as 'Content-Type: application/json' (got {given})"
