"""Legacy rows → the core's vocabulary, exactly, or a refusal that names the row.

* Amounts are REAL in the legacy file. Each float becomes the ``Decimal`` of
  its shortest exact text (``repr``: ``409.99999999999994`` stays that, never
  the binary expansion), then is rounded to the cent half up (the project's
  one rule). Every value that was not already a whole number of cents is
  reported with its original text, so no number changes silently.
  ``moneyness_pct`` is a ratio, not money: it is kept exact, unrounded.
* Timestamps are ISO text. The legacy tool wrote naive local times; a
  naive value is read in the timezone the caller names (UTC unless told
  otherwise) and counted in the report. Everything is stored in UTC.
* States, outcomes, profiles, directions and risk levels are closed
  vocabularies: an unknown value is a corrupted row, refused with its table,
  id and column.

Quirks real files have are taken in and flagged instead: trades recorded
after they expired or closed, trades that ended without a closing time,
open trades with one, and a ``total_premium`` that disagrees with
premium × 100 × contracts by more than a float artifact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import msgspec

from adapters.persistence.legacy.report import (
    Finding,
    FindingKind,
    LegacyImportError,
    RoundingAdjustment,
)
from adapters.persistence.legacy.source import LegacyRows, Row
from wheel_core.domain.checks import normalize_symbol
from wheel_core.domain.entities import Trade
from wheel_core.domain.enums import OptionType, Outcome, RiskLevel, RiskProfile, WheelState
from wheel_core.domain.errors import ValidationError
from wheel_core.domain.money import CENT, ZERO, cents
from wheel_core.domain.rules import expiration_close

T = TypeVar("T")

STATES: dict[str, WheelState] = {
    "cash": WheelState.IDLE,
    "cash_put_open": WheelState.PUT_OPEN,
    "shares": WheelState.HOLDING_SHARES,
    "shares_call_open": WheelState.CALL_OPEN,
}
OUTCOMES: dict[str, Outcome | None] = {
    "open": None,
    "expired_worthless": Outcome.EXPIRED_WORTHLESS,
    "assigned": Outcome.ASSIGNED,
    "called_away": Outcome.CALLED_AWAY,
    "closed_early": Outcome.CLOSED_EARLY,
}
PROFILES: dict[str, RiskProfile] = {profile.value: profile for profile in RiskProfile}
DIRECTIONS: dict[str, OptionType] = {"put": OptionType.PUT, "call": OptionType.CALL}
RISK_LEVELS: dict[str, RiskLevel] = {level.value: level for level in RiskLevel}


class LegacyWheel(msgspec.Struct, frozen=True, kw_only=True):
    legacy_id: int
    symbol: str
    state: WheelState
    capital: Decimal
    shares: int
    cost_basis: Decimal | None
    profile: RiskProfile
    created_at: datetime
    updated_at: datetime
    active: bool


class LegacyTrade(msgspec.Struct, frozen=True, kw_only=True):
    """A legacy trade as the core's :class:`Trade` (``wheel_id`` and ``id`` not yet known)."""

    legacy_id: int
    legacy_wheel_id: int
    trade: Trade


class LegacySnapshot(msgspec.Struct, frozen=True, kw_only=True):
    legacy_id: int
    legacy_trade_id: int
    day: date
    current_price: Decimal
    dte_calendar: int
    dte_trading: int
    moneyness_pct: Decimal
    is_itm: bool
    risk_level: RiskLevel
    created_at: datetime


class LegacyData(msgspec.Struct, kw_only=True):
    """The whole legacy file, converted; rows keyed by their legacy id, in id order."""

    wheels: dict[int, LegacyWheel]
    trades: dict[int, LegacyTrade]
    snapshots: list[LegacySnapshot]
    adjustments: list[RoundingAdjustment]
    findings: list[Finding]
    naive_timestamps: int

    def trades_of(self, legacy_wheel_id: int) -> list[LegacyTrade]:
        return [t for t in self.trades.values() if t.legacy_wheel_id == legacy_wheel_id]

    def premium_by_symbol(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for legacy in self.trades.values():
            symbol = legacy.trade.symbol
            totals[symbol] = totals.get(symbol, ZERO) + legacy.trade.total_premium
        return {symbol: cents(total) for symbol, total in sorted(totals.items())}


class _Conversion:
    """What converting the rows noticed along the way: roundings, findings, naive times."""

    def __init__(self, naive_timezone: tzinfo) -> None:
        self.naive_timezone = naive_timezone
        self.adjustments: list[RoundingAdjustment] = []
        self.findings: list[Finding] = []
        self.naive_timestamps = 0


class _Cells:
    """One legacy row read column by column; every refusal names the table, row and column."""

    def __init__(self, table: str, row: Row, conversion: _Conversion) -> None:
        self.table = table
        self.row = row
        self.id = int(row["id"])
        self.label = f"legacy {table} row {self.id}"
        """How findings name the row; refined once the row's key fields are known."""
        self._conversion = conversion

    def fail(self, column: str, problem: str) -> LegacyImportError:
        return LegacyImportError(f"legacy {self.table} row {self.id}: {column} {problem}")

    def flag(self, kind: FindingKind, message: str) -> None:
        self._conversion.findings.append(
            Finding(table=self.table, row_id=self.id, kind=kind, message=f"{self.label}: {message}")
        )

    def value(self, column: str) -> Any:
        value = self.row[column]
        if value is None:
            raise self.fail(column, "is empty")
        return value

    def text(self, column: str) -> str:
        value = self.value(column)
        if not isinstance(value, str):
            raise self.fail(column, f"should be text, got {value!r}")
        return value

    def symbol(self, column: str) -> str:
        try:
            return normalize_symbol(self.text(column))
        except ValidationError as error:
            raise self.fail(column, f"is not a ticker: {error.message}") from None

    def choice(self, column: str, choices: Mapping[str, T]) -> T:
        value = self.text(column)
        key = value.strip().lower()
        if key not in choices:
            raise self.fail(column, f"{value!r} is not one of {', '.join(choices)}")
        return choices[key]

    def integer(self, column: str, *, minimum: int | None = None) -> int:
        value = self.value(column)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(column, f"should be a whole number, got {value!r}")
        if minimum is not None and value < minimum:
            raise self.fail(column, f"should be at least {minimum}, got {value}")
        return value

    def boolean(self, column: str) -> bool:
        value = self.integer(column)
        if value not in (0, 1):
            raise self.fail(column, f"should be 0 or 1, got {value}")
        return value == 1

    def exact(self, column: str) -> Decimal:
        """The number as the file holds it: the shortest text that reads back as the same float."""
        value = self.value(column)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(column, f"should be a number, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(column, f"should be a finite number, got {value!r}")
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

    def money(self, column: str, *, positive: bool = False) -> Decimal:
        """An amount rounded to the cent; a value that was not a whole cent is reported."""
        exact = self.exact(column)
        try:
            stored = cents(exact)
        except InvalidOperation:
            raise self.fail(column, f"is out of range: {self.row[column]!r}") from None
        if stored < 0 or (positive and stored == 0):
            raise self.fail(column, f"should be {'above' if positive else 'at least'} 0")
        if stored != exact:
            self._conversion.adjustments.append(
                RoundingAdjustment(
                    table=self.table,
                    row_id=self.id,
                    column=column,
                    original=repr(self.row[column]),
                    stored=stored,
                )
            )
        return stored

    def optional_money(self, column: str) -> Decimal | None:
        return None if self.row[column] is None else self.money(column)

    def instant(self, column: str) -> datetime:
        value = self.text(column)
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise self.fail(column, f"is not an ISO date-time: {value!r}") from None
        if parsed.utcoffset() is None:
            self._conversion.naive_timestamps += 1
            parsed = parsed.replace(tzinfo=self._conversion.naive_timezone)
        return parsed.astimezone(UTC)

    def optional_instant(self, column: str) -> datetime | None:
        return None if self.row[column] is None else self.instant(column)

    def day(self, column: str) -> date:
        value = self.text(column).strip()
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            raise self.fail(column, f"is not an ISO date: {value!r}") from None


def convert(rows: LegacyRows, naive_timezone: tzinfo = UTC) -> LegacyData:
    """Convert every legacy row, refusing the file at the first row that cannot be taken in."""
    conversion = _Conversion(naive_timezone)
    wheels: dict[int, LegacyWheel] = {}
    for row in rows.wheels:
        wheel = _wheel(_Cells("wheels", row, conversion))
        wheels[wheel.legacy_id] = wheel
    trades: dict[int, LegacyTrade] = {}
    for row in rows.trades:
        trade = _trade(_Cells("trades", row, conversion), wheels)
        trades[trade.legacy_id] = trade
    snapshots = [
        _snapshot(_Cells("position_snapshots", row, conversion), trades) for row in rows.snapshots
    ]
    _refuse_duplicate_snapshot_days(snapshots)
    return LegacyData(
        wheels=wheels,
        trades=trades,
        snapshots=snapshots,
        adjustments=conversion.adjustments,
        findings=conversion.findings,
        naive_timestamps=conversion.naive_timestamps,
    )


def _wheel(cells: _Cells) -> LegacyWheel:
    cost_basis = cells.optional_money("cost_basis")
    return LegacyWheel(
        legacy_id=cells.id,
        symbol=cells.symbol("symbol"),
        state=cells.choice("state", STATES),
        capital=cells.money("capital_allocated"),
        shares=cells.integer("shares_held", minimum=0),
        cost_basis=cost_basis,
        profile=cells.choice("profile", PROFILES),
        created_at=cells.instant("created_at"),
        updated_at=cells.instant("updated_at"),
        active=cells.boolean("is_active"),
    )


def _trade(cells: _Cells, wheels: Mapping[int, LegacyWheel]) -> LegacyTrade:
    wheel_id = cells.integer("wheel_id")
    wheel = wheels.get(wheel_id)
    if wheel is None:
        raise LegacyImportError(
            f"legacy trade {cells.id} points at wheel {wheel_id}, which does not exist"
        )
    symbol = cells.symbol("symbol")
    if symbol != wheel.symbol:
        raise cells.fail("symbol", f"is {symbol} but its wheel {wheel_id} is {wheel.symbol}")
    option_type = cells.choice("direction", DIRECTIONS)
    strike = cells.money("strike", positive=True)
    expiration = cells.day("expiration_date")
    cells.label = f"trade {cells.id} ({symbol} {option_type.value} {strike} {expiration})"
    outcome = cells.choice("outcome", OUTCOMES)
    trade = Trade(
        wheel_id=0,
        symbol=symbol,
        option_type=option_type,
        strike=strike,
        expiration=expiration,
        premium=cells.money("premium_per_share"),
        contracts=cells.integer("contracts", minimum=1),
        opened_at=cells.instant("opened_at"),
        closed_at=_closing_time(cells, outcome, expiration),
        outcome=outcome,
        price_at_expiry=cells.optional_money("price_at_expiry"),
        close_price=cells.optional_money("close_price"),
    )
    _flag_backfill(cells, trade)
    _check_total_premium(cells, trade)
    return LegacyTrade(legacy_id=cells.id, legacy_wheel_id=wheel_id, trade=trade)


def _closing_time(cells: _Cells, outcome: Outcome | None, expiration: date) -> datetime | None:
    """The trade's end: as recorded, or the expiration's close for an ended trade without one."""
    closed_at = cells.optional_instant("closed_at")
    if outcome is None:
        if closed_at is not None:
            cells.flag(
                FindingKind.CLOSED_AT_ON_OPEN_TRADE,
                f"open trade has closed_at {cells.row['closed_at']!r}; dropped",
            )
        return None
    if closed_at is None:
        closed_at = expiration_close(expiration).astimezone(UTC)
        cells.flag(
            FindingKind.CLOSED_AT_MISSING,
            f"{outcome.value} trade has no closed_at; "
            f"using the expiration's close {closed_at.isoformat()}",
        )
    return closed_at


def _flag_backfill(cells: _Cells, trade: Trade) -> None:
    """Recorded after the fact: kept as recorded, ordered by its closing (see replay)."""
    opened = cells.row["opened_at"]
    if trade.opened_at > expiration_close(trade.expiration):
        cells.flag(
            FindingKind.OPENED_AFTER_EXPIRATION,
            f"recorded (opened_at {opened!r}) after its expiration {trade.expiration}",
        )
    if trade.closed_at is not None and trade.opened_at > trade.closed_at:
        cells.flag(
            FindingKind.OPENED_AFTER_CLOSE,
            f"recorded (opened_at {opened!r}) after it closed "
            f"({trade.closed_at.isoformat()}); ordered by its closing time",
        )


def _check_total_premium(cells: _Cells, trade: Trade) -> None:
    """``total_premium`` is derived, not stored; a real disagreement is worth a look."""
    recorded = cells.exact("total_premium")
    if abs(recorded - trade.total_premium) > CENT:
        cells.flag(
            FindingKind.TOTAL_PREMIUM_MISMATCH,
            f"total_premium {cells.row['total_premium']!r} differs from premium × 100 × "
            f"contracts = {trade.total_premium}; the latter is what is kept",
        )


def _snapshot(cells: _Cells, trades: Mapping[int, LegacyTrade]) -> LegacySnapshot:
    trade_id = cells.integer("trade_id")
    if trade_id not in trades:
        raise LegacyImportError(
            f"legacy position_snapshots row {cells.id} points at trade {trade_id}, "
            "which does not exist"
        )
    return LegacySnapshot(
        legacy_id=cells.id,
        legacy_trade_id=trade_id,
        day=cells.day("snapshot_date"),
        current_price=cells.money("current_price"),
        dte_calendar=cells.integer("dte_calendar"),
        dte_trading=cells.integer("dte_trading"),
        moneyness_pct=cells.exact("moneyness_pct"),
        is_itm=cells.boolean("is_itm"),
        risk_level=cells.choice("risk_level", RISK_LEVELS),
        created_at=cells.instant("created_at"),
    )


def _refuse_duplicate_snapshot_days(snapshots: list[LegacySnapshot]) -> None:
    """Two texts for one day (``2025-01-15`` and ``2025-01-15T00:00``) would collide here."""
    seen: dict[tuple[int, date], int] = {}
    for snapshot in snapshots:
        key = (snapshot.legacy_trade_id, snapshot.day)
        if key in seen:
            raise LegacyImportError(
                f"legacy position_snapshots rows {seen[key]} and {snapshot.legacy_id} are both "
                f"for trade {snapshot.legacy_trade_id} on {snapshot.day}"
            )
        seen[key] = snapshot.legacy_id
