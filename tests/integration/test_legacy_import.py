"""Importing the legacy tool's trades.db: every number exact, the source untouched,
backups first, idempotent, and all-or-nothing on any error."""

import hashlib
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from legacy_files import Expected, LegacyFile, realistic_file
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import (
    LegacyImportError,
    LegacyImportReport,
    SqlUnitOfWorkFactory,
    import_legacy,
)
from adapters.persistence.legacy import store
from adapters.persistence.tables import metadata
from wheel_core.app import OpenWheel, RecordTrade, WheelService
from wheel_core.domain.enums import OptionType, Outcome, RiskLevel, ShareMoveKind, WheelState
from wheel_core.ports import SnapshotQuery, TradeQuery
from wheel_core.testing.fakes import FakeClock

NOW = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)

Dump = dict[str, list[tuple[Any, ...]]]


@pytest.fixture
def service(sql_engine: AsyncEngine) -> WheelService:
    return WheelService(SqlUnitOfWorkFactory(sql_engine), FakeClock(NOW))


@pytest.fixture
async def engine(sql_engine: AsyncEngine, service: WheelService) -> AsyncEngine:
    """A target that already holds the user's own (non-legacy) data."""
    wheel = await service.open_wheel(OpenWheel(symbol="SPY", capital=Decimal(60_000)))
    await service.record_trade(
        wheel.id,
        RecordTrade(
            option_type=OptionType.PUT,
            strike=Decimal(500),
            expiration=date(2026, 1, 16),
            premium=Decimal("4.20"),
            contracts=1,
        ),
    )
    return sql_engine


@pytest.fixture
def legacy_path(tmp_path: Path) -> Path:
    return tmp_path / "home" / ".wheel_strategy" / "trades.db"


@pytest.fixture
def expected(legacy_path: Path) -> Expected:
    return realistic_file(legacy_path)


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    return tmp_path / "backups"


async def run(
    source: Path, engine: AsyncEngine, backups: Path, **options: Any
) -> LegacyImportReport:
    return await import_legacy(source, engine, backup_dir=backups, now=NOW, **options)


async def dump(engine: AsyncEngine) -> Dump:
    """Every row of every table, in key order: "exactly as before" means equal dumps."""
    async with engine.connect() as connection:
        result = {}
        for table in metadata.sorted_tables:
            statement = select(table).order_by(*table.primary_key.columns)
            result[table.name] = [tuple(row) for row in await connection.execute(statement)]
        return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def resolved(path: Path) -> str:
    return str(path.resolve())


def permissions(path: Path) -> int:
    return path.stat().st_mode & 0o777


def is_file(path: Path) -> bool:
    return path.is_file()


def legacy_rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


# ── the import, number by number ──────────────────────────────────────────


async def test_report_counts_premiums_roundings_and_findings(
    engine: AsyncEngine, legacy_path: Path, expected: Expected, backups: Path
) -> None:
    report = await run(legacy_path, engine, backups)

    assert report.source == resolved(legacy_path)
    assert (report.wheels_imported, report.wheels_skipped) == (len(expected.wheels), 0)
    assert (report.trades_imported, report.trades_skipped) == (expected.trades, 0)
    assert (report.snapshots_imported, report.snapshots_skipped) == (expected.snapshots, 0)
    assert report.share_moves_imported == expected.share_moves
    assert report.already_imported is False
    assert report.premium_by_symbol == expected.premium_by_symbol
    roundings = {
        (r.table, r.row_id, r.column, r.original, r.stored) for r in report.rounding_adjustments
    }
    assert roundings == expected.roundings
    assert {(f.table, f.row_id, f.kind.value) for f in report.findings} == expected.findings
    assert report.naive_timestamps > 0
    assert report.assumed_timezone == "UTC"


async def test_wheels_land_in_the_default_portfolio_with_replayed_states(
    engine: AsyncEngine, service: WheelService, legacy_path: Path, expected: Expected, backups: Path
) -> None:
    await run(legacy_path, engine, backups)

    default = await service.ensure_default_portfolio()
    views = {w.symbol: w for w in await service.list_wheels(active=None) if w.symbol != "SPY"}
    assert set(views) == set(expected.wheels)
    for symbol, want in expected.wheels.items():
        view = views[symbol]
        got = (
            view.portfolio_id,
            view.state.value,
            view.shares,
            view.cost_basis,
            view.total_premium,
            view.realized_pnl,
            view.active,
        )
        assert got == (
            default.id,
            want.state,
            want.shares,
            want.cost_basis,
            want.total_premium,
            want.realized_pnl,
            want.active,
        ), symbol
    aapl = views["AAPL"]
    assert aapl.capital == Decimal("20000.00")
    assert aapl.profile.value == "conservative"
    assert views["TSLA"].profile.value == "aggressive"
    assert aapl.created_at == datetime(2024, 1, 2, 9, 58, 12, 481516, tzinfo=UTC)


async def test_trades_keep_exact_amounts_outcomes_and_times(
    engine: AsyncEngine, service: WheelService, legacy_path: Path, expected: Expected, backups: Path
) -> None:
    await run(legacy_path, engine, backups)

    trades = (await service.list_trades(TradeQuery(limit=None))).items
    legacy = [t for t in trades if t.symbol != "SPY"]
    assert len(legacy) == expected.trades
    by_outcome = {o: sum(1 for t in legacy if t.outcome is o) for o in [None, *Outcome]}
    assert by_outcome == {
        None: 3,
        Outcome.EXPIRED_WORTHLESS: 6,
        Outcome.ASSIGNED: 2,
        Outcome.CALLED_AWAY: 2,
        Outcome.CLOSED_EARLY: 3,
        Outcome.ROLLED: 0,
    }
    aapl = [t for t in legacy if t.symbol == "AAPL"]
    premiums = ["2.15", "1.85", "3.10", "2.40", "1.90", "2.05"]
    assert [t.premium for t in aapl] == [Decimal(p) for p in premiums]
    assert [t.option_type for t in aapl] == [OptionType.PUT] * 3 + [OptionType.CALL] * 2 + [
        OptionType.PUT
    ]
    closed_early = next(t for t in aapl if t.outcome is Outcome.CLOSED_EARLY)
    assert (closed_early.close_price, closed_early.pnl) == (Decimal("0.40"), Decimal("145.00"))
    assigned = next(t for t in aapl if t.outcome is Outcome.ASSIGNED)
    assert (assigned.strike, assigned.price_at_expiry) == (Decimal("180.00"), Decimal("176.20"))
    assert assigned.expiration == date(2024, 3, 15)
    msft = [t for t in legacy if t.symbol == "MSFT"]
    assert [t.total_premium for t in msft] == [Decimal(820), Decimal(660), Decimal(1030)]
    assert {t.fees for t in legacy} == {Decimal(0)}
    tsla = sorted((t for t in legacy if t.symbol == "TSLA"), key=lambda t: t.id)
    # Recorded after the fact: opened_at is kept as recorded ...
    assert tsla[0].opened_at == datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
    assert tsla[0].closed_at == datetime(2024, 3, 15, 16, 0, tzinfo=UTC)
    # ... and an ended trade without closed_at closes at 16:00 New York on its expiration.
    assert tsla[2].closed_at == datetime(2024, 5, 17, 20, 0, tzinfo=UTC)
    assert tsla[3].is_open and tsla[3].closed_at is None


@pytest.mark.usefixtures("expected")
async def test_imported_share_positions_become_share_moves_before_the_first_trade(
    engine: AsyncEngine, service: WheelService, legacy_path: Path, backups: Path
) -> None:
    await run(legacy_path, engine, backups)

    views = {w.symbol: w for w in await service.list_wheels(active=None)}
    msft = await service.wheel_history(views["MSFT"].id)
    (move,) = msft.share_moves
    assert (move.kind, move.quantity) == (ShareMoveKind.IMPORTED, 200)
    assert move.price == Decimal("410.00")
    assert move.at == datetime(2024, 1, 5, 12, 0, tzinfo=UTC)
    assert move.at < min(t.opened_at for t in msft.trades)
    nvda = await service.wheel_history(views["NVDA"].id)
    (move,) = nvda.share_moves
    assert (move.quantity, move.price) == (100, Decimal("480.00"))
    (sale,) = nvda.sales
    assert sale.gain == 0
    aapl = await service.wheel_history(views["AAPL"].id)
    assert aapl.share_moves == []
    (sale,) = aapl.sales
    assert (sale.quantity, sale.price, sale.gain) == (100, Decimal("182.50"), Decimal("250.00"))


@pytest.mark.usefixtures("expected")
async def test_snapshots_follow_their_trades(
    engine: AsyncEngine, service: WheelService, legacy_path: Path, backups: Path
) -> None:
    await run(legacy_path, engine, backups)

    views = {w.symbol: w for w in await service.list_wheels(active=None)}
    aapl = (await service.list_snapshots(SnapshotQuery(wheel_id=views["AAPL"].id))).items
    assert [(s.day, s.state, s.risk_level) for s in aapl] == [
        (date(2024, 5, 15), WheelState.CALL_OPEN, RiskLevel.HIGH),
        (date(2024, 5, 16), WheelState.CALL_OPEN, RiskLevel.HIGH),
        (date(2024, 6, 3), WheelState.PUT_OPEN, RiskLevel.MEDIUM),
        (date(2024, 6, 4), WheelState.PUT_OPEN, RiskLevel.MEDIUM),
        (date(2024, 6, 5), WheelState.PUT_OPEN, RiskLevel.LOW),
    ]
    june_4 = aapl[3]
    assert june_4.current_price == Decimal("186.40")
    assert june_4.moneyness_pct == Decimal("-0.7510729613733842")
    assert (june_4.dte_calendar, june_4.dte_trading, june_4.is_itm) == (17, 13, False)
    assert (june_4.realized_pnl, june_4.unrealized_pnl) == (Decimal(0), Decimal(0))
    open_put = views["AAPL"].open_trade
    assert open_put is not None and june_4.trade_id == open_put.id
    msft = (await service.list_snapshots(SnapshotQuery(wheel_id=views["MSFT"].id))).items
    assert [s.current_price for s in msft] == [Decimal("415.00"), Decimal("411.20")]


@pytest.mark.usefixtures("expected")
async def test_naive_times_can_be_read_in_the_legacy_users_timezone(
    engine: AsyncEngine, service: WheelService, legacy_path: Path, backups: Path
) -> None:
    new_york = ZoneInfo("America/New_York")
    report = await run(legacy_path, engine, backups, naive_timezone=new_york)

    assert report.assumed_timezone == "America/New_York"
    views = {w.symbol: w for w in await service.list_wheels(active=None)}
    assert views["AMD"].created_at == datetime(2024, 1, 10, 15, 0, tzinfo=UTC)


async def test_progress_is_reported_row_by_row_up_to_the_total(
    engine: AsyncEngine, legacy_path: Path, expected: Expected, backups: Path
) -> None:
    calls: list[tuple[int, int]] = []
    await run(legacy_path, engine, backups, progress=lambda *call: calls.append(call))

    total = len(expected.wheels) + expected.trades + expected.snapshots
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert len(calls) > len(expected.wheels) + expected.trades
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert {t for _, t in calls} == {total}


# ── the source is sacred; backups come first ──────────────────────────────


@pytest.mark.usefixtures("expected")
async def test_source_file_is_unchanged_and_both_databases_are_backed_up(
    engine: AsyncEngine, legacy_path: Path, backups: Path
) -> None:
    before = digest(legacy_path)
    target_before = await dump(engine)

    report = await run(legacy_path, engine, backups)

    assert digest(legacy_path) == before
    source_backup = Path(report.source_backup)
    assert source_backup.parent == backups
    assert source_backup.name == "trades-legacy-backup-20260105T150000Z.db"
    for table in ("wheels", "trades", "position_snapshots"):
        assert legacy_rows(source_backup, table) == legacy_rows(legacy_path, table)
    if engine.dialect.name != "sqlite":
        assert report.target_backup is None
        return
    assert report.target_backup is not None
    target_backup = Path(report.target_backup)
    assert target_backup.name == "test-before-legacy-import-20260105T150000Z.db"
    with sqlite3.connect(target_backup) as copy:
        wheels = copy.execute("SELECT symbol FROM wheels").fetchall()
        trades = copy.execute("SELECT count(*) FROM trades").fetchone()
    assert wheels == [("SPY",)] and trades == (1,)
    assert len(target_before["wheels"]) == 1
    assert permissions(source_backup) == 0o600


@pytest.mark.usefixtures("expected")
async def test_backups_never_overwrite_each_other(
    engine: AsyncEngine, legacy_path: Path, backups: Path
) -> None:
    first = await run(legacy_path, engine, backups)
    second = await run(legacy_path, engine, backups)

    assert first.source_backup != second.source_backup
    assert digest(Path(first.source_backup)) == digest(Path(second.source_backup))


# ── idempotence ───────────────────────────────────────────────────────────


async def test_a_second_run_imports_nothing_and_says_so(
    engine: AsyncEngine, legacy_path: Path, expected: Expected, backups: Path
) -> None:
    await run(legacy_path, engine, backups)
    after_first = await dump(engine)

    again = await run(legacy_path, engine, backups)

    assert again.already_imported is True
    imported = (again.wheels_imported, again.trades_imported, again.snapshots_imported)
    assert imported == (0, 0, 0)
    assert again.share_moves_imported == 0
    skipped = (again.wheels_skipped, again.trades_skipped, again.snapshots_skipped)
    assert skipped == (len(expected.wheels), expected.trades, expected.snapshots)
    assert again.rounding_adjustments == [] and again.findings == []
    assert again.target_backup is None
    assert again.premium_by_symbol == expected.premium_by_symbol
    assert await dump(engine) == after_first


async def test_new_legacy_trades_are_added_to_the_wheel_imported_before(
    engine: AsyncEngine, service: WheelService, legacy_path: Path, expected: Expected, backups: Path
) -> None:
    await run(legacy_path, engine, backups)
    legacy = LegacyFile.reopen(legacy_path)
    amd = expected.wheels["AMD"].legacy_id
    new_trade = legacy.trade(amd, "AMD", "put", strike=150.0, expiration="2024-03-15",
                             premium=2.5, opened_at="2024-02-20T10:00:00")  # fmt: skip
    legacy.snapshot(new_trade, "2024-03-01", current_price=155.0, dte_calendar=14,
                    dte_trading=10, moneyness_pct=-3.2258064516129035)  # fmt: skip
    legacy.execute("UPDATE wheels SET state = 'cash_put_open' WHERE id = ?", amd)
    legacy.close()

    report = await run(legacy_path, engine, backups)

    assert (report.wheels_imported, report.trades_imported, report.snapshots_imported) == (0, 1, 1)
    assert report.already_imported is False
    view = await service.find_wheel("AMD")
    assert view.state is WheelState.PUT_OPEN
    assert view.open_trade is not None and view.open_trade.premium == Decimal("2.50")
    assert report.premium_by_symbol["AMD"] == Decimal("551.00")


async def test_a_trade_changed_in_the_file_since_its_import_is_reported_not_overwritten(
    engine: AsyncEngine, legacy_path: Path, expected: Expected, backups: Path
) -> None:
    await run(legacy_path, engine, backups)
    after_first = await dump(engine)
    legacy = LegacyFile.reopen(legacy_path)
    t6 = expected.trade_ids["t6"]
    legacy.execute(
        "UPDATE trades SET outcome = 'expired_worthless', closed_at = '2024-06-21T17:00:00', "
        "price_at_expiry = 199.0 WHERE id = ?",
        t6,
    )
    legacy.execute("UPDATE wheels SET state = 'cash' WHERE symbol = 'AAPL'")
    legacy.close()

    report = await run(legacy_path, engine, backups)

    assert report.already_imported is True
    (finding,) = report.findings
    assert (finding.table, finding.row_id, finding.kind.value) == (
        "trades",
        t6,
        "changed_since_import",
    )
    assert "outcome None → expired_worthless" in finding.message
    assert await dump(engine) == after_first


async def test_new_trades_on_a_wheel_whose_imported_trades_changed_are_refused(
    engine: AsyncEngine, legacy_path: Path, expected: Expected, backups: Path
) -> None:
    await run(legacy_path, engine, backups)
    after_first = await dump(engine)
    legacy = LegacyFile.reopen(legacy_path)
    aapl = expected.wheels["AAPL"].legacy_id
    legacy.execute(
        "UPDATE trades SET outcome = 'expired_worthless', closed_at = '2024-06-21T17:00:00' "
        "WHERE id = ?",
        expected.trade_ids["t6"],
    )
    legacy.trade(aapl, "AAPL", "put", strike=190.0, expiration="2024-07-19", premium=2.2,
                 opened_at="2024-06-24T10:00:00")  # fmt: skip
    legacy.close()

    with pytest.raises(LegacyImportError, match=r"legacy wheel \d+ \(AAPL\) has new trades"):
        await run(legacy_path, engine, backups)

    assert await dump(engine) == after_first


# ── refusals: named clearly, nothing written ──────────────────────────────


def not_sqlite(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("symbol,strike\nAAPL,170\n")


def a_directory(path: Path) -> None:
    path.mkdir(parents=True)


def truncated(path: Path) -> None:
    realistic_file(path)
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xff" * (len(data) - 100))


def without(table: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        realistic_file(path)
        with sqlite3.connect(path) as connection:
            connection.execute(f"DROP TABLE {table}")

    return build


def with_sql(sql: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        realistic_file(path)
        with sqlite3.connect(path) as connection:
            connection.executescript(sql)

    return build


REFUSALS = {
    "not sqlite": (not_sqlite, r"is not a SQLite database"),
    "a directory": (a_directory, r"is not a file"),
    "missing": (lambda path: None, r"does not exist"),
    "corrupted": (truncated, r"(corrupted|not a readable SQLite database)"),
    "missing table": (without("position_snapshots"), r"has no table 'position_snapshots'"),
    "missing column": (
        with_sql("ALTER TABLE trades DROP COLUMN outcome"),
        r"table 'trades' lacks the column\(s\) outcome",
    ),
    "orphan trade": (
        with_sql("UPDATE trades SET wheel_id = 99 WHERE id = 3"),
        r"legacy trade 3 points at wheel 99, which does not exist",
    ),
    "orphan snapshot": (
        with_sql("UPDATE position_snapshots SET trade_id = 77 WHERE id = 2"),
        r"position_snapshots row 2 points at trade 77",
    ),
    "unknown state": (
        with_sql("UPDATE wheels SET state = 'margin_call' WHERE id = 2"),
        r"legacy wheels row 2: state 'margin_call' is not one of cash, cash_put_open",
    ),
    "unknown outcome": (
        with_sql("UPDATE trades SET outcome = 'exercised' WHERE id = 5"),
        r"legacy trades row 5: outcome 'exercised' is not one of open, expired_worthless",
    ),
    "unknown profile": (
        with_sql("UPDATE wheels SET profile = 'yolo' WHERE id = 1"),
        r"legacy wheels row 1: profile 'yolo' is not one of aggressive",
    ),
    "unknown direction": (
        with_sql("UPDATE trades SET direction = 'straddle' WHERE id = 7"),
        r"legacy trades row 7: direction 'straddle' is not one of put, call",
    ),
    "text amount": (
        with_sql("UPDATE trades SET strike = 'n/a' WHERE id = 4"),
        r"legacy trades row 4: strike should be a number, got 'n/a'",
    ),
    "bad timestamp": (
        with_sql("UPDATE trades SET opened_at = 'last tuesday' WHERE id = 8"),
        r"legacy trades row 8: opened_at is not an ISO date-time",
    ),
    "negative strike": (
        with_sql("UPDATE trades SET strike = -170.0 WHERE id = 1"),
        r"legacy trades row 1: strike should be above 0",
    ),
    "no contracts": (
        with_sql("UPDATE trades SET contracts = 0 WHERE id = 6"),
        r"legacy trades row 6: contracts should be at least 1, got 0",
    ),
    "text share count": (
        with_sql("UPDATE wheels SET shares_held = 'many' WHERE id = 2"),
        r"legacy wheels row 2: shares_held should be a whole number, got 'many'",
    ),
    "odd flag": (
        with_sql("UPDATE wheels SET is_active = 7 WHERE id = 3"),
        r"legacy wheels row 3: is_active should be 0 or 1, got 7",
    ),
    "absurd amount": (
        with_sql("UPDATE wheels SET capital_allocated = 1e30 WHERE id = 1"),
        r"legacy wheels row 1: capital_allocated is out of range",
    ),
    "bad expiration": (
        with_sql("UPDATE trades SET expiration_date = 'third friday' WHERE id = 9"),
        r"legacy trades row 9: expiration_date is not an ISO date: 'third friday'",
    ),
    "bad ticker": (
        with_sql("UPDATE wheels SET symbol = 'AA PL!' WHERE id = 1"),
        r"legacy wheels row 1: symbol is not a ticker",
    ),
    "two snapshots on one day": (
        with_sql("UPDATE position_snapshots SET snapshot_date = '2024-06-03T00:00' WHERE id = 4"),
        r"legacy position_snapshots rows 3 and 4 are both for trade 6 on 2024-06-03",
    ),
    "shares without a cost basis": (
        with_sql("UPDATE wheels SET cost_basis = NULL WHERE symbol = 'MSFT'"),
        r"legacy wheel 2 \(MSFT\) holds 200 shares but has no cost_basis",
    ),
    "symbol mismatch": (
        with_sql("UPDATE trades SET symbol = 'AAPX' WHERE id = 2"),
        r"legacy trades row 2: symbol is AAPX but its wheel 1 is AAPL",
    ),
    "state contradicts trades": (
        with_sql("UPDATE wheels SET state = 'shares', shares_held = 100 WHERE symbol = 'AMD'"),
        r"legacy wheel 5 \(AMD\) contradicts its trades:\n"
        r"  - state is 'shares' \(holding_shares\) but the trades leave it idle\n"
        r"  - shares_held is 100 but the trades leave 0 shares",
    ),
    "cost basis contradicts trades": (
        with_sql("UPDATE wheels SET cost_basis = 191.5 WHERE symbol = 'TSLA'"),
        r"legacy wheel 3 \(TSLA\) contradicts its trades:\n"
        r"  - cost_basis is 191.50 but the trades give 190.00",
    ),
    "two open trades": (
        with_sql("UPDATE trades SET outcome = 'open', closed_at = NULL WHERE id = 15"),
        r"legacy wheel 5 \(AMD\): its trades cannot be replayed",
    ),
    "call while holding nothing": (
        with_sql(
            "UPDATE trades SET outcome = 'expired_worthless' WHERE id = 3;"
            "UPDATE trades SET price_at_expiry = 190 WHERE id = 3;"
        ),
        r"legacy wheel 1 \(AAPL\): its trades cannot be replayed:\n  - cannot sell call",
    ),
}


@pytest.mark.parametrize(("build", "message"), REFUSALS.values(), ids=REFUSALS.keys())
async def test_bad_files_are_refused_by_name_and_nothing_is_written(
    engine: AsyncEngine,
    legacy_path: Path,
    backups: Path,
    build: Callable[[Path], None],
    message: str,
) -> None:
    build(legacy_path)
    before = await dump(engine)
    source_before = digest(legacy_path) if is_file(legacy_path) else None

    with pytest.raises(LegacyImportError, match=message):
        await run(legacy_path, engine, backups)

    assert await dump(engine) == before
    if source_before is not None:
        assert digest(legacy_path) == source_before


async def test_an_active_wheel_on_the_same_symbol_is_not_doubled(
    engine: AsyncEngine, service: WheelService, legacy_path: Path, backups: Path
) -> None:
    LegacyFile(legacy_path).wheel("SPY", created_at="2024-01-02T10:00:00")
    before = await dump(engine)

    with pytest.raises(LegacyImportError, match=r"already has an active SPY wheel"):
        await run(legacy_path, engine, backups)

    assert await dump(engine) == before


async def test_an_error_halfway_through_the_writes_rolls_everything_back(
    engine: AsyncEngine, legacy_path: Path, backups: Path
) -> None:
    realistic_file(legacy_path)
    before = await dump(engine)

    def interrupt(done: int, total: int) -> None:
        if done > total // 2:
            raise RuntimeError("the user closed the window")

    with pytest.raises(RuntimeError, match="closed the window"):
        await run(legacy_path, engine, backups, progress=interrupt)

    assert await dump(engine) == before


async def test_a_read_back_mismatch_rolls_back_and_lists_what_differed(
    engine: AsyncEngine, legacy_path: Path, backups: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    realistic_file(legacy_path)
    before = await dump(engine)
    insert_trade = store._insert_trade

    async def lose_a_cent(connection: Any, wheel_id: int, legacy: Any) -> Any:
        if legacy.trade.symbol == "MSFT":
            wrong = legacy.trade.premium - Decimal("0.01")
            legacy = type(legacy)(
                legacy_id=legacy.legacy_id,
                legacy_wheel_id=legacy.legacy_wheel_id,
                trade=type(legacy.trade)(**{**_fields(legacy.trade), "premium": wrong}),
            )
        return await insert_trade(connection, wheel_id, legacy)

    monkeypatch.setattr(store, "_insert_trade", lose_a_cent)

    with pytest.raises(LegacyImportError) as refused:
        await run(legacy_path, engine, backups)

    assert "rolled back" in str(refused.value)
    assert "MSFT: total premium 2504.00 stored, 2510.00 in the file" in refused.value.problems
    assert await dump(engine) == before


def _fields(struct: Any) -> dict[str, Any]:
    return {name: getattr(struct, name) for name in struct.__struct_fields__}


async def test_a_target_without_a_default_portfolio_is_refused(
    sql_engine: AsyncEngine, legacy_path: Path, backups: Path
) -> None:
    realistic_file(legacy_path)
    async with sql_engine.begin() as connection:
        await connection.execute(metadata.tables["portfolios"].delete())

    with pytest.raises(LegacyImportError, match="no default portfolio"):
        await run(legacy_path, sql_engine, backups)


async def test_an_empty_legacy_file_imports_nothing_without_claiming_it_was_imported(
    engine: AsyncEngine, legacy_path: Path, backups: Path
) -> None:
    LegacyFile(legacy_path).close()

    report = await run(legacy_path, engine, backups)

    assert (report.wheels_imported, report.already_imported) == (0, False)
    assert report.premium_by_symbol == {}


async def test_now_must_be_timezone_aware(
    engine: AsyncEngine, legacy_path: Path, backups: Path
) -> None:
    realistic_file(legacy_path)
    with pytest.raises(ValueError, match="timezone-aware"):
        await import_legacy(legacy_path, engine, backup_dir=backups, now=datetime(2026, 1, 5))


async def test_quirky_rows_are_taken_in_and_flagged(
    engine: AsyncEngine, service: WheelService, legacy_path: Path, backups: Path
) -> None:
    legacy = LegacyFile(legacy_path)
    ibm = legacy.wheel("IBM", state="shares", shares=300, cost_basis=130.25, profile="Moderate",
                       created_at="2024-03-01T09:00:00")  # fmt: skip
    ko = legacy.wheel("ko", state="cash_put_open", created_at="2024-03-01T09:30:00")
    put = legacy.trade(ko, "KO", "put", strike=58.0, expiration="2024-03-15", premium=0.42,
                       opened_at="2024-03-01T09:31", closed_at="2024-03-01T09:31")  # fmt: skip
    legacy.snapshot(put, "2024-03-04", current_price=59.5, dte_calendar=11, dte_trading=9,
                    moneyness_pct=-2.5210084033613445, risk_level="medium")  # fmt: skip
    legacy.close()

    report = await run(legacy_path, engine, backups)

    kinds = {(f.table, f.row_id, f.kind.value) for f in report.findings}
    assert kinds == {("wheels", ibm, "imported_shares"), ("trades", put, "closed_at_on_open_trade")}
    views = {w.symbol: w for w in await service.list_wheels(active=None)}
    assert (views["IBM"].state, views["IBM"].shares) == (WheelState.HOLDING_SHARES, 300)
    assert (views["IBM"].cost_basis, views["IBM"].profile.value) == (Decimal("130.25"), "moderate")
    assert views["KO"].state is WheelState.PUT_OPEN
    assert views["KO"].open_trade is not None and views["KO"].open_trade.closed_at is None
    (snapshot,) = (await service.list_snapshots(SnapshotQuery(wheel_id=views["KO"].id))).items
    assert snapshot.risk_level is RiskLevel.MEDIUM


async def test_a_different_legacy_file_is_not_taken_for_the_one_imported_before(
    engine: AsyncEngine, legacy_path: Path, expected: Expected, backups: Path, tmp_path: Path
) -> None:
    await run(legacy_path, engine, backups)
    before = await dump(engine)
    other = tmp_path / "other" / "trades.db"
    LegacyFile(other).wheel("QQQ", created_at="2024-01-02T10:00:00")

    with pytest.raises(LegacyImportError, match="not the file that was imported before"):
        await run(other, engine, backups)

    assert await dump(engine) == before
