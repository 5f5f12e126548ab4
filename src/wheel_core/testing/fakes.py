"""In-memory fakes of every driven port.

They behave like the real adapters where it matters to the core — a unit of
work that is not committed changes nothing, repositories hand out copies, ids
are assigned on add — and pass the same contract suites
(:mod:`wheel_core.testing.contracts`). They import nothing beyond the core, so
``from wheel_core.testing.fakes import ...`` is cheap.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import TracebackType
from typing import Self, TypeVar
from zoneinfo import ZoneInfo

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
from wheel_core.domain.errors import ConflictError, MarketDataError
from wheel_core.market import CorporateEvents, MarketSession, OptionChain, PriceBar, Quote
from wheel_core.ports import AlertQuery, JobRunQuery, OpportunityQuery, SnapshotQuery, TradeQuery

E = TypeVar("E", bound=msgspec.Struct)


def _copy(entity: E) -> E:
    return msgspec.structs.replace(entity)


class _Table(msgspec.Struct):
    rows: dict[int, msgspec.Struct] = msgspec.field(default_factory=dict)
    next_id: int = 1


class InMemoryStore:
    """The "database" behind :class:`InMemoryUnitOfWork`: tables of committed rows."""

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
        self.tables: dict[str, _Table] = {name: _Table() for name in self.TABLES}
        self.settings: dict[str, str] = {}
        self.commits = 0


def _refuse_if_referenced(
    tables: dict[str, _Table], what: str, key: int, *references: tuple[str, str]
) -> None:
    """What a foreign key with ON DELETE RESTRICT does in the real database."""
    for table, column in references:
        if any(getattr(row, column) == key for row in tables[table].rows.values()):
            raise ConflictError(f"this {what} is still referenced by other records")


class _Repository:
    def __init__(self, table: _Table, tables: dict[str, _Table] | None = None) -> None:
        self._table = table
        self._tables = tables or {}

    def _insert(self, entity: E) -> E:
        stored = msgspec.structs.replace(entity, id=self._table.next_id)
        self._table.next_id += 1
        self._table.rows[stored.id] = stored  # type: ignore[attr-defined]
        return _copy(stored)

    def _get(self, entity_id: int) -> msgspec.Struct | None:
        row = self._table.rows.get(entity_id)
        return None if row is None else _copy(row)

    def _put(self, entity: msgspec.Struct) -> None:
        entity_id = entity.id  # type: ignore[attr-defined]
        if entity_id not in self._table.rows:
            raise KeyError(f"no row with id {entity_id} to update")
        self._table.rows[entity_id] = _copy(entity)

    def _remove(self, entity_id: int) -> None:
        self._table.rows.pop(entity_id, None)

    def _all(self) -> list[msgspec.Struct]:
        return [_copy(row) for _, row in sorted(self._table.rows.items())]


class FakePortfolioRepository(_Repository):
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
        _refuse_if_referenced(self._tables, "portfolio", portfolio_id, ("wheels", "portfolio_id"))
        self._remove(portfolio_id)


class FakeWheelRepository(_Repository):
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
        _refuse_if_referenced(
            self._tables, "wheel", wheel_id, ("trades", "wheel_id"), ("share_moves", "wheel_id")
        )
        for derived in ("snapshots", "alerts", "opportunities"):  # derived data goes too
            rows = self._tables[derived].rows
            for key in [k for k, row in rows.items() if row.wheel_id == wheel_id]:  # type: ignore[attr-defined]
                del rows[key]
        self._remove(wheel_id)


class FakeTradeRepository(_Repository):
    def __init__(self, table: _Table, tables: dict[str, _Table]) -> None:
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
        _refuse_if_referenced(self._tables, "trade", trade_id, ("trades", "rolled_from_id"))
        for derived in ("snapshots", "alerts"):  # like ON DELETE SET NULL
            for key, row in self._tables[derived].rows.items():
                if row.trade_id == trade_id:  # type: ignore[attr-defined]
                    self._tables[derived].rows[key] = msgspec.structs.replace(row, trade_id=None)
        self._remove(trade_id)


class FakeShareMoveRepository(_Repository):
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


class FakeSnapshotRepository(_Repository):
    def __init__(self, table: _Table, wheels: _Table) -> None:
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
                return _copy(updated)
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


class FakeAlertRepository(_Repository):
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


class FakeWatchlistRepository(_Repository):
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


class FakeOpportunityRepository(_Repository):
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


class FakeJobRunRepository(_Repository):
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


class InMemoryUnitOfWork:
    """A transaction over an :class:`InMemoryStore`: work on a copy, publish it on commit."""

    def __init__(self, store: InMemoryStore, *, read_only: bool = False) -> None:
        self._store = store
        self.read_only = read_only
        self._working: dict[str, _Table] = {}
        self._settings: dict[str, str] = {}

    async def __aenter__(self) -> Self:
        self._working = copy.deepcopy(self._store.tables)
        self._settings = dict(self._store.settings)
        tables = self._working
        self.portfolios = FakePortfolioRepository(tables["portfolios"], tables)
        self.wheels = FakeWheelRepository(tables["wheels"], tables)
        self.trades = FakeTradeRepository(tables["trades"], tables)
        self.share_moves = FakeShareMoveRepository(tables["share_moves"])
        self.snapshots = FakeSnapshotRepository(tables["snapshots"], tables["wheels"])
        self.alerts = FakeAlertRepository(tables["alerts"])
        self.watchlist = FakeWatchlistRepository(tables["watchlist"])
        self.opportunities = FakeOpportunityRepository(tables["opportunities"])
        self.job_runs = FakeJobRunRepository(tables["job_runs"])
        self.settings = FakeSettingRepository(self._settings)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()

    async def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self._store.tables = copy.deepcopy(self._working)
        self._store.settings = dict(self._settings)
        self._store.commits += 1

    async def rollback(self) -> None:
        """Forget uncommitted work: start again from what the store holds."""
        self._working = copy.deepcopy(self._store.tables)


class InMemoryUnitOfWorkFactory:
    """Hands out units of work over one shared store, like a connection pool over one DB."""

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store or InMemoryStore()

    def __call__(self, *, read_only: bool = False) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store, read_only=read_only)


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, now: datetime | None = None) -> None:
        self._now = now or datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
        if self._now.utcoffset() is None:
            raise ValueError("FakeClock needs a timezone-aware datetime")

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now


NEW_YORK = ZoneInfo("America/New_York")


class FakeMarketCalendar:
    """Weekdays minus given holidays, 09:30–16:00 New York, 13:00 on given early closes."""

    def __init__(
        self,
        holidays: Iterable[date] = (),
        early_closes: Iterable[date] = (),
    ) -> None:
        self.holidays = frozenset(holidays)
        self.early_closes = frozenset(early_closes)

    def _session(self, day: date) -> MarketSession | None:
        if day.weekday() >= 5 or day in self.holidays:
            return None
        early = day in self.early_closes
        opens = datetime.combine(day, time(9, 30), tzinfo=NEW_YORK).astimezone(UTC)
        closes = datetime.combine(day, time(13 if early else 16), tzinfo=NEW_YORK)
        return MarketSession(day=day, open=opens, close=closes.astimezone(UTC), early_close=early)

    def is_open(self, at: datetime) -> bool:
        session = self._session(at.astimezone(NEW_YORK).date())
        return session is not None and session.open <= at < session.close

    def sessions(self, start: date, end: date) -> Sequence[MarketSession]:
        # By ordinal: stepping a date past 9999-12-31 would raise OverflowError.
        days = (date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1))
        return [session for day in days if (session := self._session(day)) is not None]

    def _next(self, at: datetime, edge: Callable[[MarketSession], datetime]) -> datetime:
        day = at.astimezone(NEW_YORK).date()
        for session in self.sessions(day, day + timedelta(days=14)):
            if edge(session) > at:
                return edge(session)
        raise ValueError(f"no session within two weeks after {at.isoformat()}")

    def next_open(self, at: datetime) -> datetime:
        return self._next(at, lambda s: s.open)

    def next_close(self, at: datetime) -> datetime:
        return self._next(at, lambda s: s.close)


class FakeMarketData:
    """Market data set by the test; unknown symbols raise ``MarketDataError``.

    ``fail_with`` makes every call raise, to test how callers survive an outage.
    """

    def __init__(self) -> None:
        self.quotes: dict[str, Quote] = {}
        self.chains: dict[str, OptionChain] = {}
        self.history: dict[str, list[PriceBar]] = {}
        self.events: dict[str, CorporateEvents] = {}
        self.fail_with: Exception | None = None
        self.calls: list[tuple[str, str]] = []

    def set_price(self, symbol: str, price: Decimal | str, at: datetime) -> Quote:
        quote = Quote(symbol=symbol, price=Decimal(price), as_of=at)
        self.quotes[symbol] = quote
        return quote

    def _lookup(self, kind: str, table: dict[str, E], symbol: str) -> E:
        self.calls.append((kind, symbol))
        if self.fail_with is not None:
            raise self.fail_with
        try:
            return table[symbol]
        except KeyError:
            raise MarketDataError(f"no {kind} for symbol {symbol!r}") from None

    async def get_quote(self, symbol: str) -> Quote:
        return self._lookup("quote", self.quotes, symbol)

    async def get_chain(
        self, symbol: str, *, from_date: date | None = None, to_date: date | None = None
    ) -> OptionChain:
        chain = self._lookup("chain", self.chains, symbol)
        options = tuple(
            o
            for o in chain.options
            if (from_date is None or o.expiration >= from_date)
            and (to_date is None or o.expiration <= to_date)
        )
        return msgspec.structs.replace(chain, options=options)

    async def get_price_history(self, symbol: str, start: date, end: date) -> list[PriceBar]:
        self.calls.append(("history", symbol))
        if self.fail_with is not None:
            raise self.fail_with
        if symbol not in self.history:
            raise MarketDataError(f"no price history for symbol {symbol!r}")
        return [bar for bar in self.history[symbol] if start <= bar.day <= end]

    async def get_events(self, symbol: str) -> CorporateEvents:
        self.calls.append(("events", symbol))
        if self.fail_with is not None:
            raise self.fail_with
        return self.events.get(symbol, CorporateEvents(symbol=symbol))


class RecordingNotifier:
    """Keeps every alert it is asked to deliver."""

    def __init__(self) -> None:
        self.sent: list[Alert] = []

    async def notify(self, alert: Alert) -> None:
        self.sent.append(alert)
