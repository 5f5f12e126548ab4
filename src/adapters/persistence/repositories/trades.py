"""A wheel's history: the trade, share-move and snapshot repositories."""

from __future__ import annotations

from collections.abc import Collection

import msgspec
from sqlalchemy import ColumnElement, func, insert, select, update

from adapters.persistence import tables
from adapters.persistence.repositories.base import SqlRepository, row_values
from wheel_core.domain.entities import ShareMove, Snapshot, Trade
from wheel_core.ports import SnapshotQuery, TradeQuery


class SqlTradeRepository(SqlRepository):
    table, what = tables.trades, "trade"

    async def add(self, trade: Trade) -> Trade:
        return await self._insert(trade)

    async def get(self, trade_id: int) -> Trade | None:
        return await self._get(Trade, trade_id)

    def _conditions(self, q: TradeQuery) -> list[ColumnElement[bool]]:
        c = self.table.c
        conditions = self._owned_by(q.wheel_id, q.portfolio_id, q.symbol)
        if q.option_type is not None:
            conditions.append(c.option_type == q.option_type.value)
        if q.outcome == "open":
            conditions.append(c.outcome.is_(None))
        elif q.outcome is not None:
            conditions.append(c.outcome == q.outcome)
        if q.is_open is not None:
            conditions.append(c.outcome.is_(None) if q.is_open else c.outcome.is_not(None))
        if q.opened_from is not None:
            conditions.append(func.date(c.opened_at) >= q.opened_from)
        if q.opened_to is not None:
            conditions.append(func.date(c.opened_at) <= q.opened_to)
        return conditions

    async def list(self, query: TradeQuery) -> list[Trade]:
        c = self.table.c
        order = (c.opened_at, c.id)
        return await self._page(Trade, self._conditions(query), order, query.offset, query.limit)

    async def count(self, query: TradeQuery) -> int:
        return await self._count(self._conditions(query))

    async def update(self, trade: Trade) -> None:
        await self._update(trade)

    async def delete(self, trade_id: int) -> None:
        await self._delete(trade_id)


class SqlShareMoveRepository(SqlRepository):
    table, what = tables.share_moves, "share move"

    async def add(self, move: ShareMove) -> ShareMove:
        return await self._insert(move)

    async def list_for_wheel(self, wheel_id: int) -> list[ShareMove]:
        return await self.list_for_wheels([wheel_id])

    async def list_for_wheels(self, wheel_ids: Collection[int]) -> list[ShareMove]:
        if not wheel_ids:
            return []
        c = self.table.c
        statement = (
            select(self.table).where(c.wheel_id.in_(wheel_ids)).order_by(c.wheel_id, c.at, c.id)
        )
        return await self._all(ShareMove, statement)

    async def delete(self, move_id: int) -> None:
        await self._delete(move_id)


class SqlSnapshotRepository(SqlRepository):
    table, what = tables.snapshots, "snapshot"

    async def upsert(self, snapshot: Snapshot) -> Snapshot:
        c = self.table.c
        trade_key = snapshot.trade_id or 0
        existing = (
            await self._connection.execute(
                select(c.id).where(
                    c.wheel_id == snapshot.wheel_id,
                    c.trade_key == trade_key,
                    c.day == snapshot.day,
                )
            )
        ).scalar_one_or_none()
        values = {**row_values(snapshot), "trade_key": trade_key}
        if existing is None:
            result = await self._execute(insert(self.table).values(values))
            return msgspec.structs.replace(snapshot, id=result.inserted_primary_key[0])
        await self._execute(update(self.table).where(c.id == existing).values(values))
        return msgspec.structs.replace(snapshot, id=existing)

    def _conditions(self, q: SnapshotQuery) -> list[ColumnElement[bool]]:
        c = self.table.c
        conditions = self._owned_by(q.wheel_id, q.portfolio_id, q.symbol)
        if q.day_from is not None:
            conditions.append(c.day >= q.day_from)
        if q.day_to is not None:
            conditions.append(c.day <= q.day_to)
        return conditions

    async def list(self, query: SnapshotQuery) -> list[Snapshot]:
        c = self.table.c
        order = (c.day, c.wheel_id, c.id)
        return await self._page(Snapshot, self._conditions(query), order, query.offset, query.limit)

    async def count(self, query: SnapshotQuery) -> int:
        return await self._count(self._conditions(query))
