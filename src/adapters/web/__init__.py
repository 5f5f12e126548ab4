"""The web dashboard: a driving adapter that renders the product as HTML pages.

Mounted in the HTTP adapter's Litestar app at ``/`` (the API stays under
``/api/v1``, the documentation at ``/docs``). Like the API it calls the core only
through the :class:`~wheel_core.app.facade.WheelFacade` Protocol (the app's
``service`` dependency); pages are Jinja templates (``templates/``), partial updates
use the vendored HTMX and charts the vendored uPlot (``static/vendor``, pinned in
``assets.json``, re-fetched and hash-checked by ``scripts/fetch_assets.py``).

- ``mount.py`` — the router (security headers, CSRF), the template engine, static files;
- ``session.py`` — which paths are pages, the token login and its session cookie;
- ``pages.py`` — the overview and wheel pages and their partials;
- ``forms.py`` — the life-cycle form posts, each answering a redirect or the form again
  with the domain's message;
- ``formatting.py`` — money, percentages and dates as text, done by the server;
- ``status.py`` — the status line: market hours, price source, who runs the jobs.
"""

from adapters.web.mount import dashboard_router, templates
from adapters.web.session import DashboardPages

__all__ = ["DashboardPages", "dashboard_router", "templates"]
