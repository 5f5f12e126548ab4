"""Market endpoints."""

from __future__ import annotations

from litestar import Controller


class MarketController(Controller):
    path = "/"
    tags = ["market"]
