"""Snapshot endpoints."""

from __future__ import annotations

from litestar import Controller


class SnapshotController(Controller):
    path = "/"
    tags = ["snapshots"]
