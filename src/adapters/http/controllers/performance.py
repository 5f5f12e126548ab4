"""Performance endpoints."""

from __future__ import annotations

from litestar import Controller


class PerformanceController(Controller):
    path = "/"
    tags = ["performance"]
