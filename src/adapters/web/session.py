"""Which paths are the dashboard's, and the token login that opens a browser session.

With ``server.api_token`` set, the API wants ``Authorization: Bearer <token>`` on
every request; a browser cannot send that on a page load. So the login page asks
for the token once and, when it matches, sets a session cookie — ``HttpOnly`` (no
script reads it) and ``SameSite=Strict`` (no other site's page sends it). The
cookie's value is an HMAC of the token, not the token: the server keeps no session
table, a restart keeps people signed in, and changing the token signs everyone out.
The request guard (``adapters.http.request_guard``) asks :class:`DashboardPages`
whether a request's path is a page and whether its cookie is a session. Without a
token (loopback) there is no login: the login page sends the browser home.
"""

from __future__ import annotations

import hashlib
import hmac
from http.cookies import SimpleCookie
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import Cookie, State
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

SESSION_COOKIE = "wheel_session"
LOGIN_PATH = "/login"
NOT_PAGES = ("/api/", "/docs", "/redoc", "/openapi.json", "/schema")
"""Path prefixes that belong to the API and its documentation, not to the dashboard."""
PUBLIC_PREFIXES = (LOGIN_PATH, "/static/")


def session_value(token: str) -> str:
    """The session cookie's value for ``token``: an HMAC, so the cookie is not the token."""
    return hmac.new(token.encode(), b"wheel-strategy dashboard session", hashlib.sha256).hexdigest()


class DashboardPages:
    """The request guard's view of the dashboard (``request_guard.Pages``)."""

    login_path = LOGIN_PATH

    def __init__(self, token: str | None) -> None:
        self._session = session_value(token).encode() if token else None

    def owns(self, path: str) -> bool:
        return not path.startswith(NOT_PAGES)

    def is_public(self, path: str) -> bool:
        return path.startswith(PUBLIC_PREFIXES)

    def signed_in(self, cookie: bytes) -> bool:
        if self._session is None:
            return False
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(cookie.decode("latin-1"))
        except Exception:  # a malformed Cookie header is no session, never an error
            return False
        morsel = jar.get(SESSION_COOKIE)
        return morsel is not None and hmac.compare_digest(morsel.value.encode(), self._session)


def _token(state: State) -> str | None:
    token: str | None = state.container.settings().server.api_token
    return token


@get(LOGIN_PATH, sync_to_thread=False)
def login_page(state: State) -> Template | Redirect:
    """The token form; without a token configured there is nothing to sign in to."""
    if not _token(state):
        return Redirect("/", status_code=303)
    return Template("login.html", context={"error": None})


@post(LOGIN_PATH, status_code=303)
async def login(
    state: State,
    request: Request[Any, Any, Any],
    data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Sign in with the API token; a wrong token shows the form again with a message."""
    token = _token(state)
    if not token:
        return Redirect("/", status_code=303)
    given = data.get("token", "").strip().encode()
    if not hmac.compare_digest(given, token.encode()):
        return Template(
            "login.html", context={"error": "that is not this server's API token"}, status_code=401
        )
    return Redirect(
        "/",
        status_code=303,
        cookies=[
            Cookie(
                key=SESSION_COOKIE,
                value=session_value(token),
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
                path="/",
            )
        ],
    )


@post("/logout", status_code=303)
async def logout() -> Redirect:
    return Redirect(
        LOGIN_PATH,
        status_code=303,
        cookies=[Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/")],
    )
