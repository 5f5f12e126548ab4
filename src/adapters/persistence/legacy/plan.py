"""Deciding what to import, and proving each wheel's history before anything is written.

For every legacy wheel the plan decides which rows are new (by ``legacy_id``;
rows an earlier run imported are skipped), brings in the shares the legacy
tool let a wheel start from (``import-shares``: a wheel in ``shares`` with no
assignment explaining them), then replays the wheel's history through the
core's state machine. The legacy file's own ``state``, ``shares_held`` and
``cost_basis`` must equal what the history adds up to; a wheel whose record
contradicts its trades is refused, naming what differed, because importing
it would make one of the two silently wrong.

The plan is pure: it reads what the target already holds (``TargetState``)
and writes nothing, so every refusal here happens before the first write.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import msgspec

from adapters.persistence.legacy.convert import (
    STATES,
    LegacyData,
    LegacySnapshot,
    LegacyTrade,
    LegacyWheel,
)
from adapters.persistence.legacy.report import Finding, FindingKind, LegacyImportError
from wheel_core.domain.entities import ShareMove, Trade
from wheel_core.domain.enums import OptionType, Outcome, ShareMoveKind, WheelState
from wheel_core.domain.errors import DomainError
from wheel_core.domain.lifecycle import Holdings, effective_opened_at, replay
from wheel_core.domain.money import cents

LEGACY_STATE_NAMES = {ours: theirs for theirs, ours in STATES.items()}
OPEN_STATES = {OptionType.PUT: WheelState.PUT_OPEN, OptionType.CALL: WheelState.CALL_OPEN}

_COMPARED_TRADE_FIELDS = (
    "symbol",
    "option_type",
    "strike",
    "expiration",
    "premium",
    "contracts",
    "opened_at",
    "closed_at",
    "outcome",
    "price_at_expiry",
    "close_price",
)
"""What an earlier import stored from a legacy trade (fees, rolls and ids are ours)."""


class StoredWheel(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    symbol: str


class TargetState(msgspec.Struct, kw_only=True):
    """What the target database holds that the plan depends on, read in the import's transaction."""

    portfolio_id: int
    wheels_by_legacy_id: dict[int, StoredWheel]
    trades_by_legacy_id: dict[int, Trade]
    active_wheel_ids_by_symbol: dict[str, int]
    """Active wheels of the default portfolio: a legacy wheel may not make a second one."""
    snapshot_keys: set[tuple[int, int, date]]
    """``(wheel_id, trade_key, day)`` of the snapshots of previously imported wheels."""
    histories: dict[int, tuple[list[Trade], list[ShareMove]]]
    """Full stored history of each previously imported wheel that gets new trades."""
    max_trade_id: int
    max_move_id: int


class WheelPlan(msgspec.Struct, kw_only=True):
    """One wheel to write: a new wheel, or new trades for a wheel imported before."""

    legacy: LegacyWheel
    wheel_id: int | None
    """The stored wheel for new trades of a wheel imported before; ``None`` for a new wheel."""
    new_trades: list[LegacyTrade]
    share_import: ShareMove | None
    holdings: Holdings
    """The replayed outcome, which equals the legacy record (checked)."""


class SnapshotPlan(msgspec.Struct, frozen=True, kw_only=True):
    """A legacy snapshot of an open option: its wheel was in that option's open state."""

    legacy: LegacySnapshot
    legacy_wheel_id: int
    symbol: str
    state: WheelState


class ImportPlan(msgspec.Struct, kw_only=True):
    portfolio_id: int
    wheels: list[WheelPlan]
    snapshots: list[SnapshotPlan]
    wheels_skipped: int
    trades_skipped: int
    snapshots_skipped: int
    findings: list[Finding]

    @property
    def has_writes(self) -> bool:
        return bool(self.wheels or self.snapshots)

    @property
    def rows_skipped(self) -> int:
        return self.wheels_skipped + self.trades_skipped + self.snapshots_skipped

    @property
    def wheels_imported(self) -> int:
        return sum(1 for plan in self.wheels if plan.wheel_id is None)

    @property
    def trades_imported(self) -> int:
        return sum(len(plan.new_trades) for plan in self.wheels)

    @property
    def share_moves_imported(self) -> int:
        return sum(1 for plan in self.wheels if plan.share_import is not None)


def plan_import(legacy: LegacyData, target: TargetState) -> ImportPlan:
    """Decide every row's fate and replay every wheel to be written; refuse on any contradiction."""
    findings: list[Finding] = []
    wheels: list[WheelPlan] = []
    wheels_skipped = trades_skipped = 0
    for wheel in legacy.wheels.values():
        stored = _stored_wheel(wheel, target)
        trades = legacy.trades_of(wheel.legacy_id)
        new = [t for t in trades if t.legacy_id not in target.trades_by_legacy_id]
        skipped = [t for t in trades if t.legacy_id in target.trades_by_legacy_id]
        changed = _changed_since_import(stored, skipped, target)
        findings.extend(changed)
        trades_skipped += len(skipped)
        if stored is not None:
            wheels_skipped += 1
        if _needs_writing(wheel, stored, new, changed, target):
            wheels.append(_plan_wheel(wheel, stored, new, target, findings))
    snapshots, snapshots_skipped = _plan_snapshots(legacy, target)
    return ImportPlan(
        portfolio_id=target.portfolio_id,
        wheels=wheels,
        snapshots=snapshots,
        wheels_skipped=wheels_skipped,
        trades_skipped=trades_skipped,
        snapshots_skipped=snapshots_skipped,
        findings=findings,
    )


def _needs_writing(
    wheel: LegacyWheel,
    stored: StoredWheel | None,
    new: list[LegacyTrade],
    changed: list[Finding],
    target: TargetState,
) -> bool:
    """A new wheel, or new trades continuing an imported wheel whose imported trades still match.

    New trades cannot be appended after trades that changed in the file: the
    stored history and the file's would no longer be the same history.
    """
    if stored is None:
        _refuse_second_active_wheel(wheel, target)
        return True
    if new and changed:
        raise LegacyImportError(
            f"legacy wheel {wheel.legacy_id} ({wheel.symbol}) has new trades, but trades "
            f"imported from it before have changed in the file since; delete wheel "
            f"{stored.id} and import again to take the file's current history",
            [finding.message for finding in changed],
        )
    return bool(new)


def _stored_wheel(wheel: LegacyWheel, target: TargetState) -> StoredWheel | None:
    stored = target.wheels_by_legacy_id.get(wheel.legacy_id)
    if stored is not None and stored.symbol != wheel.symbol:
        raise LegacyImportError(
            f"legacy wheel {wheel.legacy_id} is {wheel.symbol} in this file, but the wheel "
            f"imported with that legacy id (wheel {stored.id}) is {stored.symbol}: this is not "
            "the file that was imported before"
        )
    return stored


def _changed_since_import(
    stored: StoredWheel | None, skipped: Iterable[LegacyTrade], target: TargetState
) -> list[Finding]:
    """Trades already imported: same wheel (else it is another file), differences reported."""
    findings = []
    for legacy in skipped:
        existing = target.trades_by_legacy_id[legacy.legacy_id]
        if stored is None or existing.wheel_id != stored.id:
            raise LegacyImportError(
                f"legacy trade {legacy.legacy_id} was imported before into another wheel "
                f"(wheel {existing.wheel_id}): this is not the file that was imported before"
            )
        differences = [
            f"{field} {getattr(existing, field)} → {getattr(legacy.trade, field)}"
            for field in _COMPARED_TRADE_FIELDS
            if getattr(existing, field) != getattr(legacy.trade, field)
        ]
        if differences:
            findings.append(
                Finding(
                    table="trades",
                    row_id=legacy.legacy_id,
                    kind=FindingKind.CHANGED_SINCE_IMPORT,
                    message=f"trade {legacy.legacy_id} changed since it was imported as trade "
                    f"{existing.id} ({'; '.join(differences)}); the stored trade was kept",
                )
            )
    return findings


def _refuse_second_active_wheel(wheel: LegacyWheel, target: TargetState) -> None:
    existing = target.active_wheel_ids_by_symbol.get(wheel.symbol)
    if wheel.active and existing is not None:
        raise LegacyImportError(
            f"the default portfolio already has an active {wheel.symbol} wheel (wheel "
            f"{existing}); archive it before importing legacy wheel {wheel.legacy_id}"
        )


def _plan_wheel(
    wheel: LegacyWheel,
    stored: StoredWheel | None,
    new: list[LegacyTrade],
    target: TargetState,
    findings: list[Finding],
) -> WheelPlan:
    """Replay with provisional ids that sort like the ids the rows will get (recording order)."""
    trades, moves = target.histories.get(stored.id, ([], [])) if stored else ([], [])
    provisional = [
        msgspec.structs.replace(t.trade, id=target.max_trade_id + t.legacy_id) for t in new
    ]
    share_import = None
    if stored is None:
        share_import = _share_import(wheel, provisional, target.max_move_id + 1, findings)
    history_moves = [*moves, *([share_import] if share_import else [])]
    holdings = _replay(wheel, [*trades, *provisional], history_moves, imported_before=stored)
    return WheelPlan(
        legacy=wheel,
        wheel_id=stored.id if stored else None,
        new_trades=new,
        share_import=share_import,
        holdings=holdings,
    )


def _share_import(
    wheel: LegacyWheel, trades: list[Trade], move_id: int, findings: list[Finding]
) -> ShareMove | None:
    """The shares a legacy wheel started from, if its history needs them.

    The legacy tool alternates strictly: a wheel begins in ``cash`` (its first
    trade is a put) or from imported shares (its first trade is a call, or it
    has no trades and holds shares). Imported shares are dated at the wheel's
    creation, or at its first event if that came earlier, so they come first.
    While they are held, the legacy ``shares_held`` and ``cost_basis`` are
    theirs; once called away the legacy tool forgets their cost, so the call's
    strike (no share gain) is used and flagged.
    """
    ordered = sorted(trades, key=lambda t: (effective_opened_at(t), t.id or 0))
    first = ordered[0] if ordered else None
    if (first is not None and first.option_type is OptionType.PUT) or (
        first is None and wheel.shares == 0
    ):
        return None
    at = wheel.created_at if first is None else min(wheel.created_at, effective_opened_at(first))
    called_away = next((t for t in ordered if t.outcome is Outcome.CALLED_AWAY), None)
    if called_away is not None:
        quantity, price = called_away.shares_covered, called_away.strike
        findings.append(
            _wheel_finding(
                wheel,
                FindingKind.IMPORTED_COST_UNKNOWN,
                f"the cost of the {quantity} imported shares was lost when they were called "
                f"away; recorded at the call's strike {price} (no share gain) — correct it if "
                "you know the real cost",
            )
        )
    else:
        if wheel.shares == 0:
            return None  # a call without shares: the replay refuses it, naming the wheel
        if wheel.cost_basis is None:
            raise LegacyImportError(
                f"legacy wheel {wheel.legacy_id} ({wheel.symbol}) holds {wheel.shares} shares "
                "but has no cost_basis"
            )
        quantity, price = wheel.shares, wheel.cost_basis
    findings.append(
        _wheel_finding(
            wheel,
            FindingKind.IMPORTED_SHARES,
            f"{quantity} shares at {price} were held before the first trade; imported as of "
            f"{at.isoformat()}",
        )
    )
    return ShareMove(
        wheel_id=0, kind=ShareMoveKind.IMPORTED, quantity=quantity, price=price, at=at, id=move_id
    )


def _wheel_finding(wheel: LegacyWheel, kind: FindingKind, message: str) -> Finding:
    return Finding(
        table="wheels",
        row_id=wheel.legacy_id,
        kind=kind,
        message=f"wheel {wheel.legacy_id} ({wheel.symbol}): {message}",
    )


def _replay(
    wheel: LegacyWheel,
    trades: list[Trade],
    moves: list[ShareMove],
    *,
    imported_before: StoredWheel | None,
) -> Holdings:
    name = f"legacy wheel {wheel.legacy_id} ({wheel.symbol})"
    hint = (
        f"; it was imported before as wheel {imported_before.id} and its stored history "
        "does not continue the way the file does"
        if imported_before
        else ""
    )
    try:
        holdings = replay(trades, moves)
    except DomainError as error:
        raise LegacyImportError(
            f"{name}: its trades cannot be replayed{hint}", [error.message]
        ) from None
    differences = holdings_differences(wheel, holdings)
    if differences:
        raise LegacyImportError(f"{name} contradicts its trades{hint}", differences)
    return holdings


def holdings_differences(wheel: LegacyWheel, holdings: Holdings) -> list[str]:
    """How the legacy record differs from what the history adds up to (empty: they agree)."""
    differences = []
    if holdings.state is not wheel.state:
        differences.append(
            f"state is {LEGACY_STATE_NAMES[wheel.state]!r} ({wheel.state.value}) but the "
            f"trades leave it {holdings.state.value}"
        )
    if holdings.shares != wheel.shares:
        differences.append(
            f"shares_held is {wheel.shares} but the trades leave {holdings.shares} shares"
        )
    elif holdings.cost_basis is not None and (
        wheel.cost_basis is None or cents(holdings.cost_basis) != wheel.cost_basis
    ):
        differences.append(
            f"cost_basis is {wheel.cost_basis} but the trades give {cents(holdings.cost_basis)}"
        )
    return differences


def _plan_snapshots(legacy: LegacyData, target: TargetState) -> tuple[list[SnapshotPlan], int]:
    """New snapshots; one already stored for its (wheel, trade, day) is skipped."""
    planned: list[SnapshotPlan] = []
    skipped = 0
    for snapshot in legacy.snapshots:
        trade = legacy.trades[snapshot.legacy_trade_id]
        stored = target.trades_by_legacy_id.get(trade.legacy_id)
        key = None if stored is None else (stored.wheel_id, stored.id, snapshot.day)
        if key in target.snapshot_keys:
            skipped += 1
            continue
        planned.append(
            SnapshotPlan(
                legacy=snapshot,
                legacy_wheel_id=trade.legacy_wheel_id,
                symbol=trade.trade.symbol,
                state=OPEN_STATES[trade.trade.option_type],
            )
        )
    return planned, skipped
