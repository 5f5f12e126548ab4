"""Repositories over SQLAlchemy Core: rows in, the core's Structs out.

Each repository works inside the connection (and transaction) of its unit of
work. Integrity errors from the database — a duplicate portfolio name, a
delete that would orphan history — become the core's ``ConflictError`` with
a message for humans, never a raw driver error.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar, get_args

import msgspec
from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.persistence import tables
from wheel_core.domain.entities import (
    Alert,
    JobRun,
    Opportunity,
    Portfolio,
    ShareMove,
    Snapshot,
    Trade,
    WatchlistEntry,
    Wheel,
)
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import ConflictError
from wheel_core.ports import AlertQuery, JobRunQuery, OpportunityQuery, SnapshotQuery, TradeQuery

S = TypeVar("S", bound=msgspec.Struct)


class _RowReader(Generic[S]):
    """Whole rows of one table (``select(table)``, columns in table order) as ``kind``.

    The column types already give the core's values (``Decimal``, aware ``datetime``,
    ``date``, ``bool``, ``int``, ``str``), so the only conversion left is text to the
    core's enums, by a dict lookup; the Struct is then built directly. Running every
    row through ``msgspec.convert`` instead cost about half of listing 600 trades.
    """

    def __init__(self, table: Table, kind: type[S]) -> None:
        fields = {field.name: field.type for field in msgspec.structs.fields(kind)}
        self._kind = kind
        self._plain: list[tuple[int, str]] = []
        self._enums: list[tuple[int, str, dict[Any, Any]]] = []
        for index, column in enumerate(table.columns):
            name = str(column.name)
            if name not in fields:
                continue
            enum = _enum_of(fields[name])
            if enum is None:
                self._plain.append((index, name))
            else:
                self._enums.append((index, name, {member.value: member for member in enum}))

    def __call__(self, row: Sequence[Any]) -> S:
        values = {name: row[index] for index, name in self._plain}
        for index, name, members in self._enums:
            raw = row[index]
            if raw is None:
                values[name] = None
            elif (member := members.get(raw)) is not None:
                values[name] = member
            else:
                raise ValueError(f"{raw!r} is no {self._kind.__name__}.{name} value")
        return self._kind(**values)


def _enum_of(annotation: Any) -> type[Enum] | None:
    """The Enum class of a field typed ``E`` or ``E | None``, else ``None``."""
    if isinstance(annotation, type):
        return annotation if issubclass(annotation, Enum) else None
    enums = [a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, Enum)]
    return enums[0] if len(enums) == 1 else None


_READERS: dict[tuple[Table, type[Any]], _RowReader[Any]] = {}


def _reader(table: Table, kind: type[S]) -> _RowReader[S]:
    reader = _READERS.get((table, kind))
    if reader is None:
        reader = _READERS[(table, kind)] = _RowReader(table, kind)
    return reader


def _values(entity: msgspec.Struct) -> dict[str, Any]:
    values = msgspec.structs.asdict(entity)
    values.pop("id", None)
    return values


class _Repository:
    table: Table
    kind: type[msgspec.Struct]
    what: str

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def _execute(self, statement: Any) -> Any:
        try:
            return await self._connection.execute(statement)
        except IntegrityError as error:
            raise ConflictError(self._conflict_message(error)) from None

    def _conflict_message(self, error: IntegrityError) -> str:
        text = str(error.orig).lower()
        if "foreign key" in text:
            return f"this {self.what} is still referenced by other records"
        if "unique" in text or "duplicate" in text:
            return f"a {self.what} with the same unique values already exists"
        return f"the database refused this {self.what}: {error.orig}"

    async def _insert(self, entity: S) -> S:
        result = await self._execute(insert(self.table).values(_values(entity)))
        return msgspec.structs.replace(entity, id=result.inserted_primary_key[0])

    async def _update(self, entity: msgspec.Struct) -> None:
        entity_id = entity.id  # type: ignore[attr-defined]
        result = await self._execute(
            update(self.table).where(self.table.c.id == entity_id).values(_values(entity))
        )
        if result.rowcount == 0:
            raise KeyError(f"no {self.what} with id {entity_id} to update")

    async def _get(self, kind: type[S], entity_id: int) -> S | None:
        statement = select(self.table).where(self.table.c.id == entity_id)
        row = (await self._connection.execute(statement)).first()
        return None if row is None else _reader(self.table, kind)(row)

    async def _all(self, kind: type[S], statement: Select[Any]) -> list[S]:
        """``statement`` selects whole rows of this repository's table."""
        rows = (await self._connection.execute(statement)).all()
        read = _reader(self.table, kind)
        return [read(row) for row in rows]

    async def _delete(self, entity_id: int) -> None:
        await self._execute(delete(self.table).where(self.table.c.id == entity_id))

    async def _page(
        self,
        kind: type[S],
        conditions: list[ColumnElement[bool]],
        order: tuple[ColumnElement[Any], ...],
        offset: int,
        limit: int | None,
    ) -> list[S]:
        statement = select(self.table).where(*conditions).order_by(*order).offset(offset)
        if limit is not None:
            statement = statement.limit(limit)
        return await self._all(kind, statement)

    async def _count(self, conditions: list[ColumnElement[bool]]) -> int:
        statement = select(func.count()).select_from(self.table).where(*conditions)
        return int((await self._connection.execute(statement)).scalar_one())

    def _owned_by(
        self, wheel_id: int | None, portfolio_id: int | None, symbol: str | None
    ) -> list[ColumnElement[bool]]:
        """Filters shared by every table whose rows belong to a wheel."""
        c = self.table.c
        conditions: list[ColumnElement[bool]] = []
        if wheel_id is not None:
            conditions.append(c.wheel_id == wheel_id)
        if portfolio_id is not None:
            wheels = tables.wheels
            conditions.append(
                c.wheel_id.in_(select(wheels.c.id).where(wheels.c.portfolio_id == portfolio_id))
            )
        if symbol is not None:
            conditions.append(c.symbol == symbol)
        return conditions


class SqlPortfolioRepository(_Repository):
    table, what = tables.portfolios, "portfolio"

    async def add(self, portfolio: Portfolio) -> Portfolio:
        if await self.get_by_name(portfolio.name) is not None:
            raise ConflictError(f"a portfolio named {portfolio.name!r} already exists")
        return await self._insert(portfolio)

    async def get(self, portfolio_id: int) -> Portfolio | None:
        return await self._get(Portfolio, portfolio_id)

    async def get_by_name(self, name: str) -> Portfolio | None:
        found = await self._all(Portfolio, select(self.table).where(self.table.c.name == name))
        return found[0] if found else None

    async def list(self) -> list[Portfolio]:
        return await self._all(Portfolio, select(self.table).order_by(self.table.c.id))

    async def update(self, portfolio: Portfolio) -> None:
        await self._update(portfolio)

    async def delete(self, portfolio_id: int) -> None:
        await self._delete(portfolio_id)


class SqlWheelRepository(_Repository):
    table, what = tables.wheels, "wheel"

    async def add(self, wheel: Wheel) -> Wheel:
        return await self._insert(wheel)

    async def get(self, wheel_id: int) -> Wheel | None:
        return await self._get(Wheel, wheel_id)

    async def find_active(self, portfolio_id: int, symbol: str) -> Wheel | None:
        found = await self.list(portfolio_id=portfolio_id, symbol=symbol, active=True)
        return found[0] if found else None

    async def list(
        self,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = None,
    ) -> list[Wheel]:
        statement = self._filtered(select(self.table), portfolio_id, symbol, active)
        return await self._all(Wheel, statement)

    async def revisions(
        self,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = None,
    ) -> dict[int, int]:
        c = self.table.c
        statement = self._filtered(select(c.id, c.revision), portfolio_id, symbol, active)
        rows = (await self._connection.execute(statement)).all()
        return {int(wheel_id): int(revision) for wheel_id, revision in rows}

    def _filtered(
        self,
        statement: Select[Any],
        portfolio_id: int | None,
        symbol: str | None,
        active: bool | None,
    ) -> Select[Any]:
        c = self.table.c
        if portfolio_id is not None:
            statement = statement.where(c.portfolio_id == portfolio_id)
        if symbol is not None:
            statement = statement.where(c.symbol == symbol)
        if active is not None:
            statement = statement.where(c.active == active)
        return statement.order_by(c.id)

    async def update(self, wheel: Wheel) -> None:
        await self._update(wheel)

    async def delete(self, wheel_id: int) -> None:
        await self._delete(wheel_id)


class SqlTradeRepository(_Repository):
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


class SqlShareMoveRepository(_Repository):
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


class SqlSnapshotRepository(_Repository):
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
        values = {**_values(snapshot), "trade_key": trade_key}
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


class SqlAlertRepository(_Repository):
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


class SqlWatchlistRepository(_Repository):
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


class SqlOpportunityRepository(_Repository):
    table, what = tables.opportunities, "opportunity"

    @staticmethod
    def _row(opportunity: Opportunity) -> dict[str, Any]:
        o = opportunity
        key = contract_key(o.symbol, o.option_type, o.strike, o.expiration)
        return {**_values(o), "contract_key": key}

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


class SqlJobRunRepository(_Repository):
    table, what = tables.job_runs, "job run"

    async def add(self, run: JobRun) -> JobRun:
        return await self._insert(run)

    async def update(self, run: JobRun) -> None:
        await self._update(run)

    def _conditions(self, q: JobRunQuery) -> list[ColumnElement[bool]]:
        c = self.table.c
        conditions: list[ColumnElement[bool]] = []
        if q.job is not None:
            conditions.append(c.job == q.job)
        if q.status is not None:
            conditions.append(c.status == q.status)
        if q.day_from is not None:
            conditions.append(func.date(c.started_at) >= q.day_from)
        if q.day_to is not None:
            conditions.append(func.date(c.started_at) <= q.day_to)
        return conditions

    async def search(self, query: JobRunQuery) -> list[JobRun]:
        c = self.table.c
        order = (c.started_at.desc(), c.id.desc())
        return await self._page(JobRun, self._conditions(query), order, query.offset, query.limit)

    async def count(self, query: JobRunQuery) -> int:
        return await self._count(self._conditions(query))

    async def delete_finished_before(self, at: datetime) -> int:
        c = self.table.c
        statement = delete(self.table).where(c.started_at < at, c.status != "running")
        result = await self._execute(statement)
        return int(result.rowcount)


class SqlSettingRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        self._table = tables.settings

    async def get(self, key: str) -> str | None:
        statement = select(self._table.c.value).where(self._table.c.key == key)
        value = (await self._connection.execute(statement)).scalar_one_or_none()
        return None if value is None else str(value)

    async def set(self, key: str, value: str) -> None:
        c = self._table.c
        changed = await self._connection.execute(
            update(self._table).where(c.key == key).values(value=value)
        )
        if changed.rowcount == 0:
            await self._connection.execute(insert(self._table).values(key=key, value=value))

    async def all(self) -> dict[str, str]:
        rows = (await self._connection.execute(select(self._table))).all()
        return {str(key): str(value) for key, value in rows}
