"""How the dashboard plugs into the HTTP adapter's app: one router and the templates.

Every dashboard answer carries the browser protections of issue #16: a
Content-Security-Policy that allows scripts, styles and images from this server
only (so no inline script runs, whatever a page may contain), ``X-Frame-Options:
DENY`` (no other site frames it), ``nosniff``, and a same-origin referrer policy
(``no-referrer`` would make Chromium send ``Origin: null`` on a plain form post,
which the request guard refuses as foreign). Every form post
must carry the CSRF token the page put in it (Litestar's double-submit cookie,
``SameSite=Strict`` and ``HttpOnly``: the token reaches the form from the server,
never from script). The JSON API is outside this router, so its clients are
untouched; the request guard protects both. A domain refusal outside a form (an
unknown wheel) is an HTML page here, problem+json on the API.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from litestar import Request, Router
from litestar.config.csrf import CSRFConfig
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import ResponseHeader
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.response import Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from adapters.web.formatting import FILTERS
from adapters.web.forms import FORMS
from adapters.web.pages import Pages
from adapters.web.session import login, login_page, logout
from wheel_core.domain.errors import DomainError, NotFoundError

HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
HEADERS = [
    ResponseHeader(name="Content-Security-Policy", value=CSP),
    ResponseHeader(name="X-Frame-Options", value="DENY"),
    ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
    ResponseHeader(name="Referrer-Policy", value="same-origin"),
]


def templates() -> TemplateConfig[JinjaTemplateEngine]:
    """The app's template engine: the dashboard's templates, its number filters."""

    def add_filters(engine: JinjaTemplateEngine) -> None:
        engine.engine.filters.update(FILTERS)

    return TemplateConfig(
        directory=HERE / "templates", engine=JinjaTemplateEngine, engine_callback=add_filters
    )


def _refused_page(request: Request[Any, Any, Any], error: DomainError) -> Template:
    status = 404 if isinstance(error, NotFoundError) else 422
    return Template("error.html", context={"message": error.message}, status_code=status)


def dashboard_router() -> Router:
    """The pages, forms, login and static assets, at ``/``. The CSRF secret is new in
    each process: a form left open across a restart is refused once and reloads."""
    csrf = CSRFConfig(
        secret=secrets.token_hex(32),
        cookie_name="wheel_csrf",
        cookie_httponly=True,
        cookie_samesite="strict",
    )
    static = create_static_files_router(
        path="/static", directories=[HERE / "static"], include_in_schema=False
    )
    return Router(
        path="/",
        route_handlers=[Pages, *FORMS, login_page, login, logout, static],
        middleware=[DefineMiddleware(CSRFMiddleware, config=csrf)],
        response_headers=HEADERS,
        exception_handlers={DomainError: _refused_page},
        include_in_schema=False,
    )
