"""Wheel endpoints."""

from __future__ import annotations

from litestar import Controller


class WheelController(Controller):
    path = "/"
    tags = ["wheels"]
