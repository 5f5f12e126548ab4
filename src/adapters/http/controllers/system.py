"""System endpoints."""

from __future__ import annotations

from litestar import Controller


class SystemController(Controller):
    path = "/"
    tags = ["system"]
