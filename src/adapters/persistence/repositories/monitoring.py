"""What the monitoring jobs keep: the alert, watchlist and opportunity repositories."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, delete, func, insert, select, update

from adapters.persistence import tables
from adapters.persistence.repositories.base import SqlRepository, row_values
from wheel_core.domain.entities import Alert, Opportunity, WatchlistEntry
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import ConflictError
from wheel_core.ports import AlertQuery, OpportunityQuery


class SqlAlertRepository(SqlRepository):
    table, what = tables.alerts, "alert"

    async def add(self, alert: Alert) -> Alert:
        return await self._insert(alert)

    async def get(self, alert_id: int) -> Alert | None:
        return await self._get(Alert, alert_id)

    async def find_by_key(self, key: str) -> Alert | None:
        found = await self._all(Alert, select(self.table).where(self.table.c.key == key))
        return found[0] if found else None

    def _conditions(self, q: AlertQuery) -> list[ColumnElement[bool]]:
        c = self.table.c
        conditions: list[ColumnElement[bool]] = []
        if q.acknowledged is not None:
            conditions.append(
                c.acknowledged_at.is_not(None) if q.acknowledged else c.acknowledged_at.is_(None)
            )
        if q.kind is not None:
            conditions.append(c.kind == q.kind)
        if q.wheel_id is not None:
            conditions.append(c.wheel_id == q.wheel_id)
        levels = q.levels
        if levels is not None:
            conditions.append(c.level.in_([level.value for level in levels]))
        if q.created_from is not None:
            conditions.append(func.date(c.created_at) >= q.created_from)
        if q.created_to is not None:
            conditions.append(func.date(c.created_at) <= q.created_to)
        return conditions

    async def search(self, query: AlertQuery) -> list[Alert]:
        c = self.table.c
        order = (c.created_at.desc(), c.id.desc())
        return await self._page(Alert, self._conditions(query), order, query.offset, query.limit)

    async def count(self, query: AlertQuery) -> int:
        return await self._count(self._conditions(query))

    async def update(self, alert: Alert) -> None:
        await self._update(alert)

    async def list(self, *, acknowledged: bool | None = None) -> list[Alert]:
        return await self.search(AlertQuery(acknowledged=acknowledged))


class SqlWatchlistRepository(SqlRepository):
    table, what = tables.watchlist, "watchlist entry"

    async def add(self, entry: WatchlistEntry) -> WatchlistEntry:
        if await self.get(entry.symbol) is not None:
            raise ConflictError(f"{entry.symbol} is already on the watchlist")
        return await self._insert(entry)

    async def get(self, symbol: str) -> WatchlistEntry | None:
        found = await self._all(
            WatchlistEntry, select(self.table).where(self.table.c.symbol == symbol)
        )
        return found[0] if found else None

    async def list(self) -> list[WatchlistEntry]:
        c = self.table.c
        return await self._all(WatchlistEntry, select(self.table).order_by(c.symbol))

    async def delete(self, symbol: str) -> None:
        await self._execute(delete(self.table).where(self.table.c.symbol == symbol))


def contract_key(symbol: str, option_type: OptionType, strike: Decimal, expiration: date) -> str:
    """One text per contract: the strike without trailing zeros, so 95.00 is 95."""
    return f"{symbol}|{option_type.value}|{format(strike.normalize(), 'f')}|{expiration}"


class SqlOpportunityRepository(SqlRepository):
    table, what = tables.opportunities, "opportunity"

    @staticmethod
    def _row(opportunity: Opportunity) -> dict[str, Any]:
        o = opportunity
        key = contract_key(o.symbol, o.option_type, o.strike, o.expiration)
        return {**row_values(o), "contract_key": key}

    async def add(self, opportunity: Opportunity) -> Opportunity:
        result = await self._execute(insert(self.table).values(self._row(opportunity)))
        return msgspec.structs.replace(opportunity, id=result.inserted_primary_key[0])

    async def get(self, opportunity_id: int) -> Opportunity | None:
        return await self._get(Opportunity, opportunity_id)

    async def find(
        self, symbol: str, option_type: OptionType, strike: Decimal, expiration: date
    ) -> Opportunity | None:
        key = contract_key(symbol, option_type, strike, expiration)
        statement = select(self.table).where(self.table.c.contract_key == key)
        found = await self._all(Opportunity, statement)
        return found[0] if found else None

    def _conditions(self, q: OpportunityQuery) -> list[ColumnElement[bool]]:
        c = self.table.c
        conditions: list[ColumnElement[bool]] = []
        if q.unread_only:
            conditions.append(c.read_at.is_(None))
        if q.symbol is not None:
            conditions.append(c.symbol == q.symbol)
        if q.source is not None:
            conditions.append(c.source == q.source.value)
        if q.option_type is not None:
            conditions.append(c.option_type == q.option_type.value)
        return conditions

    async def search(self, query: OpportunityQuery) -> list[Opportunity]:
        c = self.table.c
        order = (c.found_at.desc(), c.id)
        return await self._page(
            Opportunity, self._conditions(query), order, query.offset, query.limit
        )

    async def count(self, query: OpportunityQuery) -> int:
        return await self._count(self._conditions(query))

    async def update(self, opportunity: Opportunity) -> None:
        entity_id = opportunity.id
        result = await self._execute(
            update(self.table).where(self.table.c.id == entity_id).values(self._row(opportunity))
        )
        if result.rowcount == 0:
            raise KeyError(f"no opportunity with id {entity_id} to update")

    async def mark_all_read(self, at: datetime) -> int:
        c = self.table.c
        result = await self._execute(
            update(self.table).where(c.read_at.is_(None)).values(read_at=at)
        )
        return int(result.rowcount)

    async def delete_expired(self, before: date) -> int:
        c = self.table.c
        result = await self._execute(delete(self.table).where(c.expiration < before))
        return int(result.rowcount)
