"""The in-memory "database" the fake unit of work runs on: tables of rows, and what
every fake repository does to one of them.

Rows go in and out as copies (a caller mutating what it got back changes nothing
stored), ids are assigned on insert, and a delete that a foreign key would refuse
raises ``ConflictError`` here too, so the fakes fail where the SQL adapter fails.
"""

from __future__ import annotations

from typing import TypeVar

import msgspec

from wheel_core.domain.errors import ConflictError

E = TypeVar("E", bound=msgspec.Struct)


def copy_row(entity: E) -> E:
    """A shallow copy: rows are handed out and taken in as copies, never shared."""
    return msgspec.structs.replace(entity)


class Table(msgspec.Struct):
    """One table: rows by id, and the id the next insert gets (ids are never reused)."""

    rows: dict[int, msgspec.Struct] = msgspec.field(default_factory=dict)
    next_id: int = 1


class InMemoryStore:
    """The "database" behind :class:`~wheel_core.testing.fakes.unit_of_work.InMemoryUnitOfWork`:
    tables of committed rows."""

    TABLES = (
        "portfolios",
        "wheels",
        "trades",
        "share_moves",
        "snapshots",
        "alerts",
        "job_runs",
        "watchlist",
        "opportunities",
    )

    def __init__(self) -> None:
        self.tables: dict[str, Table] = {name: Table() for name in self.TABLES}
        self.settings: dict[str, str] = {}
        self.commits = 0


def refuse_if_referenced(
    tables: dict[str, Table], what: str, key: int, *references: tuple[str, str]
) -> None:
    """What a foreign key with ON DELETE RESTRICT does in the real database."""
    for table, column in references:
        if any(getattr(row, column) == key for row in tables[table].rows.values()):
            raise ConflictError(f"this {what} is still referenced by other records")


class TableRepository:
    def __init__(self, table: Table, tables: dict[str, Table] | None = None) -> None:
        self._table = table
        self._tables = tables or {}

    def _insert(self, entity: E) -> E:
        stored = msgspec.structs.replace(entity, id=self._table.next_id)
        self._table.next_id += 1
        self._table.rows[stored.id] = stored  # type: ignore[attr-defined]
        return copy_row(stored)

    def _get(self, entity_id: int) -> msgspec.Struct | None:
        row = self._table.rows.get(entity_id)
        return None if row is None else copy_row(row)

    def _put(self, entity: msgspec.Struct) -> None:
        entity_id = entity.id  # type: ignore[attr-defined]
        if entity_id not in self._table.rows:
            raise KeyError(f"no row with id {entity_id} to update")
        self._table.rows[entity_id] = copy_row(entity)

    def _remove(self, entity_id: int) -> None:
        self._table.rows.pop(entity_id, None)

    def _all(self) -> list[msgspec.Struct]:
        return [copy_row(row) for _, row in sorted(self._table.rows.items())]
