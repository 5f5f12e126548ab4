"""The driven side of the hexagon: what the core needs from the outside world.

Each port is a ``typing.Protocol``; the core never knows which adapter is
behind it. Every port has an in-memory fake and a contract suite in
:mod:`wheel_core.testing` that fakes and real adapters pass alike.

Repositories do not track changes: entities are plain Structs, so a use case
that changes one calls ``update`` explicitly. Writes become durable only when
the unit of work commits; leaving its ``async with`` block without a commit
discards them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Protocol, Self

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
from wheel_core.domain.enums import OpportunitySource, OptionType, Outcome, RiskLevel
from wheel_core.domain.errors import ValidationError
from wheel_core.market import CorporateEvents, MarketSession, OptionChain, PriceBar, Quote


class PageQuery(msgspec.Struct, frozen=True, kw_only=True):
    """The page of a list every query below asks for: ``limit`` items (all when
    ``None``) from ``offset`` on, in the list's order."""

    offset: int = 0
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.offset < 0:
            raise ValidationError(f"offset must be 0 or more, got {self.offset}")
        if self.limit is not None and self.limit < 1:
            raise ValidationError(f"limit must be 1 or more, got {self.limit}")


class TradeQuery(PageQuery, frozen=True, kw_only=True):
    """Filters for listing trades; every field narrows, ``None`` means any."""

    wheel_id: int | None = None
    portfolio_id: int | None = None
    symbol: str | None = None
    option_type: OptionType | None = None
    outcome: str | None = None
    """An :class:`~wheel_core.domain.enums.Outcome` value, or ``"open"`` for open trades."""
    is_open: bool | None = None
    opened_from: date | None = None
    """Inclusive bounds on the UTC date of ``opened_at``."""
    opened_to: date | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.outcome is not None and self.outcome != "open":
            try:
                Outcome(self.outcome)
            except ValueError:
                choices = ", ".join(["open", *(o.value for o in Outcome)])
                raise ValidationError(
                    f"outcome must be one of {choices}; got {self.outcome!r}"
                ) from None


class SnapshotQuery(PageQuery, frozen=True, kw_only=True):
    wheel_id: int | None = None
    portfolio_id: int | None = None
    symbol: str | None = None
    day_from: date | None = None
    day_to: date | None = None


class AlertQuery(PageQuery, frozen=True, kw_only=True):
    """Filters for listing alerts (newest first); every field narrows, ``None`` means any."""

    acknowledged: bool | None = None
    kind: str | None = None
    wheel_id: int | None = None
    min_level: RiskLevel | None = None
    """Alerts at this level or above (medium: medium and high)."""
    created_from: date | None = None
    """Inclusive bounds on the UTC date of ``created_at``, as trades' ``opened_from``."""
    created_to: date | None = None

    @property
    def levels(self) -> tuple[RiskLevel, ...] | None:
        """The levels ``min_level`` admits, for stores that filter on the stored value."""
        if self.min_level is None:
            return None
        return tuple(level for level in RiskLevel if level.rank >= self.min_level.rank)


class OpportunityQuery(PageQuery, frozen=True, kw_only=True):
    """Filters for listing opportunities (newest first, then in the order found)."""

    unread_only: bool = False
    symbol: str | None = None
    source: OpportunitySource | None = None
    option_type: OptionType | None = None


class JobRunQuery(PageQuery, frozen=True, kw_only=True):
    """Filters for the run history of the background jobs (newest first)."""

    job: str | None = None
    status: str | None = None
    day_from: date | None = None
    """Inclusive bounds on the UTC date of ``started_at``, as trades' ``opened_from``."""
    day_to: date | None = None


class PortfolioRepository(Protocol):
    async def add(self, portfolio: Portfolio) -> Portfolio: ...
    async def get(self, portfolio_id: int) -> Portfolio | None: ...
    async def get_by_name(self, name: str) -> Portfolio | None: ...
    async def list(self) -> list[Portfolio]: ...
    async def update(self, portfolio: Portfolio) -> None: ...
    async def delete(self, portfolio_id: int) -> None: ...


class WheelRepository(Protocol):
    async def add(self, wheel: Wheel) -> Wheel: ...
    async def get(self, wheel_id: int) -> Wheel | None: ...
    async def find_active(self, portfolio_id: int, symbol: str) -> Wheel | None: ...
    async def list(
        self,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = None,
    ) -> list[Wheel]:
        """Wheels ordered by id."""
        ...

    async def revisions(
        self,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = None,
    ) -> dict[int, int]:
        """Each wheel ``list`` would return (same filters, same order) → its history's
        revision: a number that is different after the wheel, one of its trades or one
        of its share moves was added, changed or deleted, by any unit of work or any
        process. Equal revisions of one wheel id mean an equal history, so a replayed
        history may be kept for as long as its revision stays the same."""
        ...

    async def update(self, wheel: Wheel) -> None: ...
    async def delete(self, wheel_id: int) -> None: ...


class TradeRepository(Protocol):
    async def add(self, trade: Trade) -> Trade: ...
    async def get(self, trade_id: int) -> Trade | None: ...
    async def list(self, query: TradeQuery) -> list[Trade]:
        """Trades matching ``query``, ordered by (opened_at, id)."""
        ...

    async def count(self, query: TradeQuery) -> int:
        """How many trades match ``query``, ignoring its offset and limit."""
        ...

    async def update(self, trade: Trade) -> None: ...
    async def delete(self, trade_id: int) -> None: ...


class ShareMoveRepository(Protocol):
    async def add(self, move: ShareMove) -> ShareMove: ...
    async def list_for_wheel(self, wheel_id: int) -> list[ShareMove]:
        """Moves of one wheel ordered by (at, id)."""
        ...

    async def list_for_wheels(self, wheel_ids: Collection[int]) -> list[ShareMove]:
        """Moves of several wheels in one call, ordered by (wheel_id, at, id): what a list
        of wheels needs, without a round trip per wheel."""
        ...

    async def delete(self, move_id: int) -> None: ...


class SnapshotRepository(Protocol):
    async def upsert(self, snapshot: Snapshot) -> Snapshot:
        """Insert, or replace the snapshot with the same (wheel, trade, day): one per day."""
        ...

    async def list(self, query: SnapshotQuery) -> list[Snapshot]:
        """Snapshots ordered by (day, wheel_id, id)."""
        ...

    async def count(self, query: SnapshotQuery) -> int: ...


class AlertRepository(Protocol):
    async def add(self, alert: Alert) -> Alert: ...
    async def get(self, alert_id: int) -> Alert | None: ...
    async def find_by_key(self, key: str) -> Alert | None: ...
    async def search(self, query: AlertQuery) -> list[Alert]:
        """Alerts matching ``query``, newest first: (created_at, id) descending."""
        ...

    async def count(self, query: AlertQuery) -> int:
        """How many alerts match ``query``, ignoring its offset and limit."""
        ...

    async def list(self, *, acknowledged: bool | None = None) -> list[Alert]:
        """Alerts newest first."""
        ...

    async def update(self, alert: Alert) -> None: ...


class WatchlistRepository(Protocol):
    """Symbols to scan; one entry per symbol (a second add is a ``ConflictError``)."""

    async def add(self, entry: WatchlistEntry) -> WatchlistEntry: ...
    async def get(self, symbol: str) -> WatchlistEntry | None: ...
    async def list(self) -> list[WatchlistEntry]:
        """Entries ordered by symbol."""
        ...

    async def delete(self, symbol: str) -> None: ...


class OpportunityRepository(Protocol):
    """Opportunities, one per contract: (symbol, option_type, strike, expiration) is unique,
    strikes compared as numbers (95 and 95.00 are one strike)."""

    async def add(self, opportunity: Opportunity) -> Opportunity: ...
    async def get(self, opportunity_id: int) -> Opportunity | None: ...
    async def find(
        self, symbol: str, option_type: OptionType, strike: Decimal, expiration: date
    ) -> Opportunity | None: ...
    async def search(self, query: OpportunityQuery) -> list[Opportunity]:
        """Opportunities matching ``query``: newest ``found_at`` first, then by id."""
        ...

    async def count(self, query: OpportunityQuery) -> int: ...
    async def update(self, opportunity: Opportunity) -> None: ...
    async def mark_all_read(self, at: datetime) -> int:
        """Set ``read_at`` on every unread opportunity; how many there were."""
        ...

    async def delete_expired(self, before: date) -> int:
        """Delete the opportunities whose expiration is before ``before``; how many."""
        ...


class JobRunRepository(Protocol):
    async def add(self, run: JobRun) -> JobRun: ...
    async def update(self, run: JobRun) -> None: ...
    async def search(self, query: JobRunQuery) -> list[JobRun]:
        """Runs matching ``query``: newest ``started_at`` first, then newest id."""
        ...

    async def count(self, query: JobRunQuery) -> int: ...
    async def delete_finished_before(self, at: datetime) -> int:
        """Delete the runs that started before ``at`` and have ended; how many."""
        ...


class SettingRepository(Protocol):
    """A small key → JSON text store for settings changed at run time."""

    async def get(self, key: str) -> str | None: ...
    async def set(self, key: str, value: str) -> None: ...
    async def all(self) -> dict[str, str]: ...


class UnitOfWork(Protocol):
    """One transaction over every repository: ``async with uow: ...; await uow.commit()``."""

    @property
    def portfolios(self) -> PortfolioRepository: ...
    @property
    def wheels(self) -> WheelRepository: ...
    @property
    def trades(self) -> TradeRepository: ...
    @property
    def share_moves(self) -> ShareMoveRepository: ...
    @property
    def snapshots(self) -> SnapshotRepository: ...
    @property
    def alerts(self) -> AlertRepository: ...
    @property
    def watchlist(self) -> WatchlistRepository: ...
    @property
    def opportunities(self) -> OpportunityRepository: ...
    @property
    def job_runs(self) -> JobRunRepository: ...
    @property
    def settings(self) -> SettingRepository: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Each use case opens a fresh unit of work, so concurrent callers never share one."""

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit of work. ``read_only=True`` promises to write nothing: such a unit
        of work never waits for a writer (it reads the last committed state) and
        refuses ``commit()`` with ``RuntimeError``."""
        ...


class MarketData(Protocol):
    """Quotes, chains, history and events; adapters raise ``MarketDataError`` on failure."""

    async def get_quote(self, symbol: str) -> Quote: ...
    async def get_chain(
        self, symbol: str, *, from_date: date | None = None, to_date: date | None = None
    ) -> OptionChain: ...
    async def get_price_history(self, symbol: str, start: date, end: date) -> list[PriceBar]: ...
    async def get_events(self, symbol: str) -> CorporateEvents: ...


class MarketCalendar(Protocol):
    """Exchange sessions. Times are timezone-aware UTC; days are exchange-local dates."""

    def is_open(self, at: datetime) -> bool: ...
    def sessions(self, start: date, end: date) -> Sequence[MarketSession]:
        """Trading sessions whose day lies in [start, end], in order."""
        ...

    def next_open(self, at: datetime) -> datetime:
        """The first session open strictly after ``at``."""
        ...

    def next_close(self, at: datetime) -> datetime:
        """The first session close strictly after ``at``."""
        ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class Notifier(Protocol):
    async def notify(self, alert: Alert) -> None: ...
