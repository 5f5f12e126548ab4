"""Offset pagination, the same on every list: ``limit`` (1–500, default 100) and
``offset``; the answer is a ``Page`` with the ``total`` before paging."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

from litestar.params import Parameter

from adapters.http.params import MAX_ID
from adapters.wire import DEFAULT_LIMIT, MAX_LIMIT
from wheel_core.app.views import Page

T = TypeVar("T")

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "Limit", "Offset", "page_of"]

Limit = Annotated[
    int, Parameter(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")
]
Offset = Annotated[
    int, Parameter(ge=0, le=MAX_ID, description="Items to skip before the page starts.")
]
"""Bounded like ids: the database takes an offset as a signed 64-bit integer."""


def page_of(items: Sequence[T], offset: int, limit: int) -> Page[T]:
    """A page cut from a list the core returned whole (portfolios, wheels, snapshots)."""
    return Page(
        items=list(items[offset : offset + limit]), total=len(items), offset=offset, limit=limit
    )
