"""The Litestar application factory.

``create_app(container)`` wires the controllers, the error mapping, the OpenAPI
documents (Swagger UI at ``/docs``, ReDoc at ``/redoc``, the schema at
``/openapi.json``), the web dashboard at ``/`` (``adapters.web``: its router, its
templates, its page rules in the guard) and the safety settings (the request guard:
Host, token, Origin, JSON bodies); the lifespan opens the database (migrations run
there), starts the scheduler when ``server.scheduler`` is on (else only loads the job
settings, for jobs run on demand) and closes both.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, RedocRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from adapters.container import Container, start, start_scheduler, stop, stop_scheduler
from adapters.http.auth import BearerToken
from adapters.http.controllers import CONTROLLERS
from adapters.http.dependencies import DEPENDENCIES
from adapters.http.host_names import AllowedHosts
from adapters.http.openapi_schema import SCHEMA_PLUGINS, document_problems
from adapters.http.problems import EXCEPTION_HANDLERS, html_not_found_as_problem
from adapters.http.request_guard import RequestGuard
from adapters.http.responses import ExactJsonRequest, ExactJsonResponse
from adapters.version import VERSION
from adapters.web import DashboardPages, dashboard_router, templates
from adapters.wire import API_PREFIX


def create_app(container: Container, *, manage_database: bool = True) -> Litestar:
    """The app over ``container``. ``manage_database=False`` leaves opening and closing
    the engine to the caller (a test that prepared the database itself)."""
    settings = container.settings()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.started_at = time.monotonic()
        if manage_database:
            await start(container)
        try:
            await start_scheduler(container)
            try:
                yield
            finally:
                await stop_scheduler(container)
        finally:
            if manage_database:
                await stop(container)

    server = settings.server
    cors = CORSConfig(allow_origins=server.cors_origins) if server.cors_origins else None
    app = Litestar(
        route_handlers=[Router(path=API_PREFIX, route_handlers=CONTROLLERS), dashboard_router()],
        template_config=templates(),
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        response_class=ExactJsonResponse,
        request_class=ExactJsonRequest,
        lifespan=[lifespan],
        cors_config=cors,
        request_max_body_size=settings.server.max_body_bytes,
        openapi_config=_openapi(bool(settings.server.api_token)),
        plugins=SCHEMA_PLUGINS,
        state=State({"container": container}),
        debug=False,
        logging_config=None,  # the process configures logging (JSON, secrets redacted)
    )
    document_problems(app.plugins.get(OpenAPIPlugin).provide_openapi())
    # Around everything Litestar does for a request (routing included), so no path escapes.
    app.asgi_handler = RequestGuard(
        app.asgi_handler,
        hosts=AllowedHosts(server.host, server.allowed_hosts),
        token=BearerToken(server.api_token) if server.api_token else None,
        cors=cors,
        pages=DashboardPages(server.api_token),
    )
    return app


class SchemaJson(JsonRenderPlugin):
    """The schema at ``/openapi.json`` only: claiming ``/`` keeps Litestar from also
    serving the schema there, so the dashboard (``adapters.web``) answers ``/``."""

    def has_path(self, path: str) -> bool:
        return path == "/" or super().has_path(path)


def _openapi(secured: bool) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="wheel-strategy",
        version=VERSION,
        description=(
            "Track and run the options wheel: portfolios, wheels, trades, positions, "
            "recommendations, snapshots and performance. Money is exact: amounts are JSON "
            "numbers whose digits are the stored decimal. Errors are application/problem+json."
        ),
        path="/",
        # The documentation's router answers unknown paths outside the API with an HTML
        # 404 of its own; the hook, on that router only (on the app it would cost every
        # request about 15 % of the server's throughput), makes them problems too.
        openapi_router=Router(
            path="/",
            route_handlers=[],
            include_in_schema=False,
            after_request=html_not_found_as_problem,
        ),
        render_plugins=[
            SchemaJson(path="/openapi.json"),
            SwaggerRenderPlugin(path="/docs"),
            RedocRenderPlugin(path="/redoc"),
        ],
        components=Components(
            security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}
            if secured
            else None
        ),
        security=[{"bearer": []}] if secured else None,
        use_handler_docstrings=True,
    )
