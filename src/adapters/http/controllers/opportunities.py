"""Opportunities: options worth selling that the scans found, read or unread."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import Facade
from adapters.http.pagination import DEFAULT_LIMIT, Limit, Offset
from adapters.http.params import Id, OptionTypeFilter, SymbolFilter
from adapters.wire import (
    OPPORTUNITIES,
    OPPORTUNITIES_READ_ALL,
    OPPORTUNITIES_UNREAD_COUNT,
    OPPORTUNITY_READ,
)
from wheel_core.app.views import Page
from wheel_core.domain.entities import Opportunity
from wheel_core.domain.enums import OpportunitySource
from wheel_core.ports import OpportunityQuery


class UnreadCount(msgspec.Struct, frozen=True, kw_only=True):
    unread: int
    """Opportunities not read yet."""


class MarkedRead(msgspec.Struct, frozen=True, kw_only=True):
    marked: int
    """Opportunities that were unread and are read now."""


class OpportunityController(ApiController):
    path = "/"
    tags = ["opportunities"]

    @get(OPPORTUNITIES)
    async def list_opportunities(
        self,
        service: Facade,
        unread: Annotated[
            bool, Parameter(description="true: only the opportunities not read yet.")
        ] = False,
        symbol: SymbolFilter = None,
        source: Annotated[
            OpportunitySource | None,
            Parameter(description="Only those found for an idle wheel, or on the watchlist."),
        ] = None,
        option_type: OptionTypeFilter = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[Opportunity]:
        """Opportunities, the most recently found first; ``total`` counts every match."""
        return await service.list_opportunities(
            OpportunityQuery(
                unread_only=unread,
                symbol=symbol,
                source=source,
                option_type=option_type,
                offset=offset,
                limit=limit,
            )
        )

    @get(OPPORTUNITIES_UNREAD_COUNT)
    async def unread_count(self, service: Facade) -> UnreadCount:
        """How many opportunities are not read yet."""
        return UnreadCount(unread=await service.unread_opportunities())

    @post(OPPORTUNITIES_READ_ALL, status_code=HTTP_200_OK)
    async def mark_all_read(self, service: Facade) -> MarkedRead:
        """Mark every opportunity read; how many were unread."""
        return MarkedRead(marked=await service.mark_all_opportunities_read())

    @post(OPPORTUNITY_READ, status_code=HTTP_200_OK)
    async def mark_read(self, service: Facade, opportunity_id: Id) -> Opportunity:
        """Mark one opportunity read; marking it again keeps the first time."""
        return await service.mark_opportunity_read(opportunity_id)
