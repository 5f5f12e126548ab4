"""SQLAlchemy's aiosqlite driver with one trip to the connection's thread per statement.

aiosqlite runs each SQLite connection in a thread of its own, and every call is a
round trip to it: a queue put, a thread wake-up, then a callback scheduled back
onto the event loop. SQLAlchemy's adapter makes four per statement (open a
cursor, execute, fetch the rows, close), so a one-query read with its ``BEGIN``
and rollback cost eight. Here:

- the whole statement (cursor, execute, every row, close) runs as one function
  in that thread; SQLAlchemy's adapter buffers every row too, so nothing is
  fetched later;
- ``BEGIN`` rides along with the transaction's first statement
  (``begin_with_next``, called from ``database.py``'s begin hook) instead of a
  trip and a SQLAlchemy execution of its own; a transaction that ran no
  statement has nothing to roll back or commit, and makes no trip at all. (A
  streaming cursor, which SQLAlchemy drives itself, sends it just before its
  statement.)

A one-query read is two trips (``BEGIN`` + select, then rollback). Measured on the
HTTP read mix at 10 clients (``benchmarks/http_bench.py``, see its README), with
the smaller pool of ``database.py``: 724 → about 1,000 requests/s. SQLAlchemy still
owns everything else — pooling, transactions, error translation, result
processing — so this stays a driver detail: nothing above ``database.py`` knows it
exists, and other databases do not use it.

It reaches into two private names of aiosqlite 0.22 (``Connection._execute``,
which runs a function in the connection's thread, and ``Connection._conn``, the
``sqlite3`` connection there); ``uv.lock`` pins that version and the persistence
tests run every statement through this driver.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import aiosqlite
from sqlalchemy.connectors.asyncio import AsyncIODBAPIConnection
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    AsyncAdapt_aiosqlite_ss_cursor,
)
from sqlalchemy.util import EMPTY_DICT

Description = tuple[tuple[Any, ...], ...] | None
Outcome = tuple[Description, list[Any], int, int | None]
"""What one statement leaves behind: description, rows, rowcount, lastrowid."""


def _execute(
    connection: aiosqlite.Connection, begin: str | None, operation: str, parameters: Any
) -> Outcome:
    """Run in the connection's thread: the statement and all its rows, in one go; first
    the transaction's ``begin`` if this is its first statement."""
    cursor = connection._conn.cursor()
    try:
        if begin is not None:
            cursor.execute(begin)
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _executemany(
    connection: aiosqlite.Connection,
    begin: str | None,
    operation: str,
    seq_of_parameters: Sequence[Any],
) -> Outcome:
    cursor = connection._conn.cursor()
    try:
        if begin is not None:
            cursor.execute(begin)
        cursor.executemany(operation, seq_of_parameters)
        return None, [], cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor that holds no driver cursor, only the last statement's outcome."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # The parent's constructor would open a driver cursor: a round trip of its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Description = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Description:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]  # DBAPI: None when unknown

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        """Nothing to close: the driver cursor closed in the same trip that ran it."""

    def close(self) -> None:
        self._rows.clear()

    def setinputsizes(self, *inputsizes: Any) -> None:
        """Ignored, as ``sqlite3`` itself does."""

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        await self._trip(_execute, operation, parameters)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> None:
        await self._trip(_executemany, operation, seq_of_parameters)

    async def _trip(self, statement: Callable[..., Outcome], *args: Any) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        adapted: OneTripConnection = self._adapt_connection  # type: ignore[assignment]
        async with adapted._execute_mutex:
            begin, adapted._begin = adapted._begin, None
            outcome: Outcome = await connection._execute(  # type: ignore[no-untyped-call]
                statement, connection, begin, *args
            )
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)


class StreamingCursor(AsyncAdapt_aiosqlite_ss_cursor):
    """SQLAlchemy's server-side cursor (``stream()``: rows fetched as they are read),
    which sends a pending ``BEGIN`` before its statement, in a trip of its own."""

    __slots__ = ()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        adapted: OneTripConnection = self._adapt_connection  # type: ignore[assignment]
        if adapted._begin is not None:
            async with adapted._execute_mutex:
                begin, adapted._begin = adapted._begin, None
                await self._cursor.execute(begin)
        return await super()._execute_async(operation, parameters)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_begin",)
    _cursor_cls = OneTripCursor  # type: ignore[assignment]  # a subclass; mypy reads it exact
    _ss_cursor_cls = StreamingCursor

    def __init__(self, dbapi: Any, connection: AsyncIODBAPIConnection) -> None:
        super().__init__(dbapi, connection)
        self._begin: str | None = None

    def begin_with_next(self, statement: str) -> None:
        """Open the transaction with ``statement`` in the next statement's trip."""
        self._begin = statement

    def rollback(self) -> None:
        if self._begin is not None:  # nothing ran: SQLite has no transaction to end
            self._begin = None
            return
        super().rollback()

    def commit(self) -> None:
        if self._begin is not None:
            self._begin = None
            return
        super().commit()


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module to pass as ``create_async_engine(..., module=...)``."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)
