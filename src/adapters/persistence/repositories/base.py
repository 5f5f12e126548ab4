"""What every SQL repository shares: reading rows into the core's Structs, and the
insert/update/get/page/count steps that turn integrity errors into ``ConflictError``.

Each repository works inside the connection (and transaction) of its unit of
work. Integrity errors from the database — a duplicate portfolio name, a
delete that would orphan history — become the core's ``ConflictError`` with
a message for humans, never a raw driver error.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any, Generic, TypeVar, get_args

import msgspec
from sqlalchemy import ColumnElement, Select, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.persistence import tables
from wheel_core.domain.errors import ConflictError

S = TypeVar("S", bound=msgspec.Struct)


class RowReader(Generic[S]):
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


_READERS: dict[tuple[Table, type[Any]], RowReader[Any]] = {}


def reader_for(table: Table, kind: type[S]) -> RowReader[S]:
    """The reader of ``table`` as ``kind``, built once per pair."""
    reader = _READERS.get((table, kind))
    if reader is None:
        reader = _READERS[(table, kind)] = RowReader(table, kind)
    return reader


def row_values(entity: msgspec.Struct) -> dict[str, Any]:
    """An entity's column values for an insert or update (the database assigns the id)."""
    values = msgspec.structs.asdict(entity)
    values.pop("id", None)
    return values


class SqlRepository:
    """One table's repository: subclasses name the ``table`` and ``what`` a row is called."""

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
        result = await self._execute(insert(self.table).values(row_values(entity)))
        return msgspec.structs.replace(entity, id=result.inserted_primary_key[0])

    async def _update(self, entity: msgspec.Struct) -> None:
        entity_id = entity.id  # type: ignore[attr-defined]
        result = await self._execute(
            update(self.table).where(self.table.c.id == entity_id).values(row_values(entity))
        )
        if result.rowcount == 0:
            raise KeyError(f"no {self.what} with id {entity_id} to update")

    async def _get(self, kind: type[S], entity_id: int) -> S | None:
        statement = select(self.table).where(self.table.c.id == entity_id)
        row = (await self._connection.execute(statement)).first()
        return None if row is None else reader_for(self.table, kind)(row)

    async def _all(self, kind: type[S], statement: Select[Any]) -> list[S]:
        """``statement`` selects whole rows of this repository's table."""
        rows = (await self._connection.execute(statement)).all()
        read = reader_for(self.table, kind)
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
