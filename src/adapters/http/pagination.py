"""Offset pagination, the same on every list: ``limit`` (1–500, default 100) and
``offset``; the answer is a ``Page`` with the ``total`` before paging."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

from litestar.params import Parameter

from adapters.http.params import MAX_ID
from wheel_core.app.views import Page

T = TypeVar("T")

MAX_LIMIT = 500
DEFAULT_LIMIT = 100

Limit = Annotated[int, Parameter(ge=1, le=MAX_LIMIT, description="Items per page (at most 500).")]
Offset = Annotated[
    int, Parameter(ge=0, le=MAX_ID, description="Items to skip before the page starts.")
]
"""Bounded like ids: the database takes an offset as a signed 64-bit integer."""


def page_of(items: Sequence[T], offset: int, limit: int) -> Page[T]:
    """A page cut from a list the core returned whole (portfolios, wheels, snapshots)."""
    return Page(
        items=list(items[offset : offset + limit]), total=len(items), offset=offset, limit=limit
    )
