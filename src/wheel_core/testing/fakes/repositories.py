"""The in-memory repositories, one per repository of the ``UnitOfWork`` port.

Each works on the tables of one :class:`~wheel_core.testing.fakes.unit_of_work.InMemoryUnitOfWork`
(see :mod:`~wheel_core.testing.fakes.store`) and answers the same queries, in the same
order, as the SQL repositories.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal

import msgspec

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
from wheel_core.testing.fakes.store import (
    Table,
    TableRepository,
    copy_row,
    refuse_if_referenced,
)


class FakePortfolioRepository(TableRepository):
    async def add(self, portfolio: Portfolio) -> Portfolio:
        if await self.get_by_name(portfolio.name) is not None:
            raise ConflictError(f"a portfolio named {portfolio.name!r} already exists")
        return self._insert(portfolio)

    async def get(self, portfolio_id: int) -> Portfolio | None:
        return self._get(portfolio_id)  # type: ignore[return-value]

    async def get_by_name(self, name: str) -> Portfolio | None:
        return next((p for p in await self.list() if p.name == name), None)

    async def list(self) -> list[Portfolio]:
        return self._all()  # type: ignore[return-value]

    async def update(self, portfolio: Portfolio) -> None:
        self._put(portfolio)

    async def delete(self, portfolio_id: int) -> None:
        refuse_if_referenced(self._tables, "portfolio", portfolio_id, ("wheels", "portfolio_id"))
        self._remove(portfolio_id)


class FakeWheelRepository(TableRepository):
    async def add(self, wheel: Wheel) -> Wheel:
        return self._insert(wheel)

    async def get(self, wheel_id: int) -> Wheel | None:
        return self._get(wheel_id)  # type: ignore[return-value]

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
        wheels: list[Wheel] = self._all()  # type: ignore[assignment]
        return [
            w
            for w in wheels
            if (portfolio_id is None or w.portfolio_id == portfolio_id)
            and (symbol is None or w.symbol == symbol)
            and (active is None or w.active == active)
        ]

    async def revisions(
        self,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = None,
    ) -> dict[int, int]:
        """A fingerprint of each wheel's row, trades and share moves: it changes with any
        of them, and equal fingerprints mean equal histories, which is all a revision
        promises (the SQL adapter counts changes instead)."""
        wheels = await self.list(portfolio_id=portfolio_id, symbol=symbol, active=active)
        history: dict[int, list[msgspec.Struct]] = {}
        for table in ("trades", "share_moves"):
            for _, row in sorted(self._tables[table].rows.items()):
                history.setdefault(row.wheel_id, []).append(row)  # type: ignore[attr-defined]
        revisions = {}
        for wheel in wheels:
            assert wheel.id is not None
            content = msgspec.json.encode([wheel, *history.get(wheel.id, [])])
            digest = hashlib.blake2b(content, digest_size=8).digest()
            revisions[wheel.id] = int.from_bytes(digest, "big")
        return revisions

    async def update(self, wheel: Wheel) -> None:
        self._put(wheel)

    async def delete(self, wheel_id: int) -> None:
        refuse_if_referenced(
            self._tables, "wheel", wheel_id, ("trades", "wheel_id"), ("share_moves", "wheel_id")
        )
        for derived in ("snapshots", "alerts", "opportunities"):  # derived data goes too
            rows = self._tables[derived].rows
            for key in [k for k, row in rows.items() if row.wheel_id == wheel_id]:  # type: ignore[attr-defined]
                del rows[key]
        self._remove(wheel_id)


class FakeTradeRepository(TableRepository):
    def __init__(self, table: Table, tables: dict[str, Table]) -> None:
        super().__init__(table, tables)
        self._wheels = tables["wheels"]

    async def add(self, trade: Trade) -> Trade:
        return self._insert(trade)

    async def get(self, trade_id: int) -> Trade | None:
        return self._get(trade_id)  # type: ignore[return-value]

    def _matching(self, query: TradeQuery) -> list[Trade]:
        trades: list[Trade] = self._all()  # type: ignore[assignment]
        found = [t for t in trades if self._matches(t, query)]
        found.sort(key=lambda t: (t.opened_at, t.id or 0))
        return found

    def _matches(self, trade: Trade, q: TradeQuery) -> bool:
        if q.portfolio_id is not None:
            wheel = self._wheels.rows.get(trade.wheel_id)
            if wheel is None or wheel.portfolio_id != q.portfolio_id:  # type: ignore[attr-defined]
                return False
        opened = trade.opened_at.date()
        outcome_ok = q.outcome is None or (
            trade.is_open if q.outcome == "open" else trade.outcome == q.outcome
        )
        return (
            (q.wheel_id is None or trade.wheel_id == q.wheel_id)
            and (q.symbol is None or trade.symbol == q.symbol)
            and (q.option_type is None or trade.option_type == q.option_type)
            and outcome_ok
            and (q.is_open is None or trade.is_open == q.is_open)
            and (q.opened_from is None or opened >= q.opened_from)
            and (q.opened_to is None or opened <= q.opened_to)
        )

    async def list(self, query: TradeQuery) -> list[Trade]:
        found = self._matching(query)
        end = None if query.limit is None else query.offset + query.limit
        return found[query.offset : end]

    async def count(self, query: TradeQuery) -> int:
        return len(self._matching(query))

    async def update(self, trade: Trade) -> None:
        self._put(trade)

    async def delete(self, trade_id: int) -> None:
        refuse_if_referenced(self._tables, "trade", trade_id, ("trades", "rolled_from_id"))
        for derived in ("snapshots", "alerts"):  # like ON DELETE SET NULL
            for key, row in self._tables[derived].rows.items():
                if row.trade_id == trade_id:  # type: ignore[attr-defined]
                    self._tables[derived].rows[key] = msgspec.structs.replace(row, trade_id=None)
        self._remove(trade_id)


class FakeShareMoveRepository(TableRepository):
    async def add(self, move: ShareMove) -> ShareMove:
        return self._insert(move)

    async def list_for_wheel(self, wheel_id: int) -> list[ShareMove]:
        return await self.list_for_wheels([wheel_id])

    async def list_for_wheels(self, wheel_ids: Collection[int]) -> list[ShareMove]:
        moves: list[ShareMove] = self._all()  # type: ignore[assignment]
        wanted = set(wheel_ids)
        return sorted(
            (m for m in moves if m.wheel_id in wanted),
            key=lambda m: (m.wheel_id, m.at, m.id or 0),
        )

    async def delete(self, move_id: int) -> None:
        self._remove(move_id)


class FakeSnapshotRepository(TableRepository):
    def __init__(self, table: Table, wheels: Table) -> None:
        super().__init__(table)
        self._wheels = wheels

    async def upsert(self, snapshot: Snapshot) -> Snapshot:
        snapshots: list[Snapshot] = self._all()  # type: ignore[assignment]
        for existing in snapshots:
            if (existing.wheel_id, existing.trade_id, existing.day) == (
                snapshot.wheel_id,
                snapshot.trade_id,
                snapshot.day,
            ):
                updated = msgspec.structs.replace(snapshot, id=existing.id)
                self._put(updated)
                return copy_row(updated)
        return self._insert(snapshot)

    def _matching(self, q: SnapshotQuery) -> list[Snapshot]:
        snapshots: list[Snapshot] = self._all()  # type: ignore[assignment]
        found = []
        for s in snapshots:
            if q.portfolio_id is not None:
                wheel = self._wheels.rows.get(s.wheel_id)
                if wheel is None or wheel.portfolio_id != q.portfolio_id:  # type: ignore[attr-defined]
                    continue
            if (
                (q.wheel_id is None or s.wheel_id == q.wheel_id)
                and (q.symbol is None or s.symbol == q.symbol)
                and (q.day_from is None or s.day >= q.day_from)
                and (q.day_to is None or s.day <= q.day_to)
            ):
                found.append(s)
        found.sort(key=lambda s: (s.day, s.wheel_id, s.id or 0))
        return found

    async def list(self, query: SnapshotQuery) -> list[Snapshot]:
        found = self._matching(query)
        end = None if query.limit is None else query.offset + query.limit
        return found[query.offset : end]

    async def count(self, query: SnapshotQuery) -> int:
        return len(self._matching(query))


class FakeAlertRepository(TableRepository):
    async def add(self, alert: Alert) -> Alert:
        return self._insert(alert)

    async def get(self, alert_id: int) -> Alert | None:
        return self._get(alert_id)  # type: ignore[return-value]

    async def find_by_key(self, key: str) -> Alert | None:
        alerts: list[Alert] = self._all()  # type: ignore[assignment]
        return next((a for a in alerts if a.key == key), None)

    def _matching(self, q: AlertQuery) -> list[Alert]:
        levels = q.levels
        alerts: list[Alert] = self._all()  # type: ignore[assignment]
        found = [
            a
            for a in alerts
            if (q.acknowledged is None or (a.acknowledged_at is not None) == q.acknowledged)
            and (q.kind is None or a.kind == q.kind)
            and (q.wheel_id is None or a.wheel_id == q.wheel_id)
            and (levels is None or a.level in levels)
            and (q.created_from is None or a.created_at.date() >= q.created_from)
            and (q.created_to is None or a.created_at.date() <= q.created_to)
        ]
        return sorted(found, key=lambda a: (a.created_at, a.id or 0), reverse=True)

    async def search(self, query: AlertQuery) -> list[Alert]:
        found = self._matching(query)
        end = None if query.limit is None else query.offset + query.limit
        return found[query.offset : end]

    async def count(self, query: AlertQuery) -> int:
        return len(self._matching(query))

    async def update(self, alert: Alert) -> None:
        self._put(alert)

    async def list(self, *, acknowledged: bool | None = None) -> list[Alert]:
        return self._matching(AlertQuery(acknowledged=acknowledged))


class FakeWatchlistRepository(TableRepository):
    async def add(self, entry: WatchlistEntry) -> WatchlistEntry:
        if await self.get(entry.symbol) is not None:
            raise ConflictError(f"{entry.symbol} is already on the watchlist")
        return self._insert(entry)

    async def get(self, symbol: str) -> WatchlistEntry | None:
        return next((e for e in await self.list() if e.symbol == symbol), None)

    async def list(self) -> list[WatchlistEntry]:
        entries: list[WatchlistEntry] = self._all()  # type: ignore[assignment]
        return sorted(entries, key=lambda e: e.symbol)

    async def delete(self, symbol: str) -> None:
        entry = await self.get(symbol)
        if entry is not None and entry.id is not None:
            self._remove(entry.id)


class FakeOpportunityRepository(TableRepository):
    async def add(self, opportunity: Opportunity) -> Opportunity:
        o = opportunity
        if await self.find(o.symbol, o.option_type, o.strike, o.expiration) is not None:
            raise ConflictError("an opportunity on this contract already exists")
        return self._insert(opportunity)

    async def get(self, opportunity_id: int) -> Opportunity | None:
        return self._get(opportunity_id)  # type: ignore[return-value]

    async def find(
        self, symbol: str, option_type: OptionType, strike: Decimal, expiration: date
    ) -> Opportunity | None:
        every: list[Opportunity] = self._all()  # type: ignore[assignment]
        return next(
            (
                o
                for o in every
                if (o.symbol, o.option_type, o.strike, o.expiration)
                == (symbol, option_type, strike, expiration)
            ),
            None,
        )

    def _matching(self, q: OpportunityQuery) -> list[Opportunity]:
        every: list[Opportunity] = self._all()  # type: ignore[assignment]
        found = [
            o
            for o in every
            if (not q.unread_only or o.read_at is None)
            and (q.symbol is None or o.symbol == q.symbol)
            and (q.source is None or o.source == q.source)
            and (q.option_type is None or o.option_type == q.option_type)
        ]
        # Newest first, then in the order found: sort by id, then (stably) by found_at.
        found.sort(key=lambda o: o.id or 0)
        found.sort(key=lambda o: o.found_at, reverse=True)
        return found

    async def search(self, query: OpportunityQuery) -> list[Opportunity]:
        found = self._matching(query)
        end = None if query.limit is None else query.offset + query.limit
        return found[query.offset : end]

    async def count(self, query: OpportunityQuery) -> int:
        return len(self._matching(query))

    async def update(self, opportunity: Opportunity) -> None:
        self._put(opportunity)

    async def mark_all_read(self, at: datetime) -> int:
        unread = [o for o in self._table.rows.values() if o.read_at is None]  # type: ignore[attr-defined]
        for opportunity in unread:
            self._put(msgspec.structs.replace(opportunity, read_at=at))
        return len(unread)

    async def delete_expired(self, before: date) -> int:
        every: list[Opportunity] = self._all()  # type: ignore[assignment]
        expired = [o for o in every if o.expiration < before]
        for opportunity in expired:
            assert opportunity.id is not None
            self._remove(opportunity.id)
        return len(expired)


class FakeJobRunRepository(TableRepository):
    async def add(self, run: JobRun) -> JobRun:
        return self._insert(run)

    async def update(self, run: JobRun) -> None:
        self._put(run)

    def _matching(self, q: JobRunQuery) -> list[JobRun]:
        runs: list[JobRun] = self._all()  # type: ignore[assignment]
        chosen = [
            r
            for r in runs
            if (q.job is None or r.job == q.job)
            and (q.status is None or r.status == q.status)
            and (q.day_from is None or r.started_at.date() >= q.day_from)
            and (q.day_to is None or r.started_at.date() <= q.day_to)
        ]
        return sorted(chosen, key=lambda r: (r.started_at, r.id or 0), reverse=True)

    async def search(self, query: JobRunQuery) -> list[JobRun]:
        end = None if query.limit is None else query.offset + query.limit
        return self._matching(query)[query.offset : end]

    async def count(self, query: JobRunQuery) -> int:
        return len(self._matching(query))

    async def delete_finished_before(self, at: datetime) -> int:
        every: list[JobRun] = self._all()  # type: ignore[assignment]
        old = [r for r in every if r.started_at < at and r.status != "running"]
        for run in old:
            assert run.id is not None
            self._remove(run.id)
        return len(old)


class FakeSettingRepository:
    def __init__(self, values: dict[str, str]) -> None:
        self._values = values

    async def get(self, key: str) -> str | None:
        return self._values.get(key)

    async def set(self, key: str, value: str) -> None:
        self._values[key] = value

    async def all(self) -> dict[str, str]:
        return dict(self._values)
