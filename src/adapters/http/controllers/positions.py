"""Position endpoints."""

from __future__ import annotations

from litestar import Controller


class PositionController(Controller):
    path = "/"
    tags = ["positions"]
