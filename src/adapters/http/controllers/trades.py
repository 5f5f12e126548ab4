"""Trade endpoints."""

from __future__ import annotations

from litestar import Controller


class TradeController(Controller):
    path = "/"
    tags = ["trades"]
