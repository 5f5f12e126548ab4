"""The base of the API's controllers: what every one of them does alike.

* Bodies are read strictly (``StrictBodyRequest``): JSON types must match the schema.
* ``OPTIONS`` on a path lists every method the path serves. Litestar adds an OPTIONS
  handler to a route when it creates it, and a controller registers its handlers one
  by one; when the second handler of a path (``PATCH /plugins/{name}`` after
  ``GET``) makes Litestar rebuild the route, the rebuilt route keeps the first one's
  OPTIONS handler, which answers with the first route's methods only (``Allow: GET,
  OPTIONS``). The controller's router is rebuilt here with one fresh OPTIONS handler
  per route, made once every method of the path is known.
"""

from __future__ import annotations

from litestar import Controller, Router
from litestar.handlers import HTTPRouteHandler
from litestar.routes import ASGIRoute, HTTPRoute, WebSocketRoute

from adapters.http.strict_body import StrictBodyRequest

__all__ = ["ApiController"]


class ApiController(Controller):
    request_class = StrictBodyRequest

    def as_router(self) -> Router:
        router = super().as_router()
        router.routes = [_with_fresh_options(route) for route in router.routes]
        return router


def _with_fresh_options(
    route: HTTPRoute | ASGIRoute | WebSocketRoute,
) -> HTTPRoute | ASGIRoute | WebSocketRoute:
    if not isinstance(route, HTTPRoute):
        return route
    served = [handler for handler in route.route_handlers if not _is_litestars_options(handler)]
    return HTTPRoute(path=route.path, route_handlers=served)


def _is_litestars_options(handler: HTTPRouteHandler) -> bool:
    """The OPTIONS handler Litestar made, not one a controller declared."""
    return handler.http_methods == {"OPTIONS"} and handler.handler_name == "options_handler"
