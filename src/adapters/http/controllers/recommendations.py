"""Recommendation endpoints."""

from __future__ import annotations

from litestar import Controller


class RecommendationController(Controller):
    path = "/"
    tags = ["recommendations"]
