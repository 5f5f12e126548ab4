"""Legacy ``trades.db`` files for the import tests, built from the old tool's own schema.

:class:`LegacyFile` writes rows the way the legacy tool did: REAL amounts,
naive ISO timestamps, ``total_premium`` computed in float (so it carries the
tool's float artifacts), outcome ``'open'`` for open trades. Corruptions are
made with :meth:`LegacyFile.execute`.

:func:`realistic_file` is a history like a real user's, with the numbers the
import must produce written out by hand in :data:`EXPECTED`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

LEGACY_SCHEMA = """
CREATE TABLE wheels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    symbol TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL DEFAULT 'cash',
    capital_allocated REAL NOT NULL DEFAULT 0,
    shares_held INTEGER NOT NULL DEFAULT 0,
    cost_basis REAL,
    profile TEXT NOT NULL DEFAULT 'conservative',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE trades (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    wheel_id INTEGER NOT NULL,
    symbol TEXT NOT NULL,
    direction TEXT NOT NULL,
    strike REAL NOT NULL,
    expiration_date TEXT NOT NULL,
    premium_per_share REAL NOT NULL,
    contracts INTEGER NOT NULL,
    total_premium REAL NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'open',
    price_at_expiry REAL,
    close_price REAL,
    FOREIGN KEY (wheel_id) REFERENCES wheels(id)
);
CREATE TABLE position_snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trade_id INTEGER NOT NULL,
    snapshot_date TEXT NOT NULL,
    current_price REAL NOT NULL,
    dte_calendar INTEGER NOT NULL,
    dte_trading INTEGER NOT NULL,
    moneyness_pct REAL NOT NULL,
    is_itm INTEGER NOT NULL,
    risk_level TEXT NOT NULL,
    created_at TEXT NOT NULL,
    FOREIGN KEY (trade_id) REFERENCES trades(id),
    UNIQUE(trade_id, snapshot_date)
);
CREATE INDEX idx_trades_wheel ON trades(wheel_id);
CREATE INDEX idx_snapshots_trade ON position_snapshots(trade_id);
"""


class LegacyFile:
    """A legacy database being written; ids are the legacy tool's autoincrement ids."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(path, isolation_level=None)
        if create:
            self._connection.executescript(LEGACY_SCHEMA)

    @classmethod
    def reopen(cls, path: Path) -> LegacyFile:
        """Go on writing a file, as the legacy tool would after an import."""
        return cls(path, create=False)

    def close(self) -> None:
        self._connection.close()

    def execute(self, sql: str, *params: Any) -> None:
        self._connection.execute(sql, params)

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cursor = self._connection.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values())
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def wheel(
        self,
        symbol: str,
        *,
        created_at: str,
        state: str = "cash",
        capital: float = 10_000.0,
        shares: int = 0,
        cost_basis: float | None = None,
        profile: str = "conservative",
        updated_at: str | None = None,
        is_active: int = 1,
    ) -> int:
        return self._insert(
            "wheels",
            {
                "symbol": symbol,
                "state": state,
                "capital_allocated": capital,
                "shares_held": shares,
                "cost_basis": cost_basis,
                "profile": profile,
                "created_at": created_at,
                "updated_at": updated_at or created_at,
                "is_active": is_active,
            },
        )

    def trade(
        self,
        wheel_id: int,
        symbol: str,
        direction: str,
        *,
        strike: float,
        expiration: str,
        premium: float,
        opened_at: str,
        contracts: int = 1,
        total_premium: float | None = None,
        outcome: str = "open",
        closed_at: str | None = None,
        price_at_expiry: float | None = None,
        close_price: float | None = None,
    ) -> int:
        return self._insert(
            "trades",
            {
                "wheel_id": wheel_id,
                "symbol": symbol,
                "direction": direction,
                "strike": strike,
                "expiration_date": expiration,
                "premium_per_share": premium,
                "contracts": contracts,
                # As the legacy tool computed it: in float, artifacts included.
                "total_premium": (
                    premium * contracts * 100 if total_premium is None else total_premium
                ),
                "opened_at": opened_at,
                "closed_at": closed_at,
                "outcome": outcome,
                "price_at_expiry": price_at_expiry,
                "close_price": close_price,
            },
        )

    def snapshot(
        self,
        trade_id: int,
        day: str,
        *,
        current_price: float,
        dte_calendar: int,
        dte_trading: int,
        moneyness_pct: float,
        is_itm: int = 0,
        risk_level: str = "LOW",
    ) -> int:
        return self._insert(
            "position_snapshots",
            {
                "trade_id": trade_id,
                "snapshot_date": day,
                "current_price": current_price,
                "dte_calendar": dte_calendar,
                "dte_trading": dte_trading,
                "moneyness_pct": moneyness_pct,
                "is_itm": is_itm,
                "risk_level": risk_level,
                "created_at": f"{day}T16:35:00.000001",
            },
        )


@dataclass(frozen=True)
class ExpectedWheel:
    legacy_id: int
    state: str
    shares: int
    cost_basis: Decimal | None
    total_premium: Decimal
    realized_pnl: Decimal
    active: bool = True
    trades: int = 0


@dataclass(frozen=True)
class Expected:
    """What importing :func:`realistic_file` must produce, worked out by hand."""

    wheels: dict[str, ExpectedWheel]
    trades: int
    snapshots: int
    share_moves: int
    premium_by_symbol: dict[str, Decimal]
    roundings: set[tuple[str, int, str, str, Decimal]]
    findings: set[tuple[str, int, str]]
    trade_ids: dict[str, int] = field(default_factory=dict)


def realistic_file(path: Path) -> Expected:
    """Five wheels, sixteen trades, seven snapshots: every outcome and every quirk.

    * AAPL: put expired, put closed early and re-sold five seconds later (a
      roll done by hand), assigned, call expired, called away, a put open now
      with a snapshot history; its capital carries a float artifact.
    * MSFT: started from 200 imported shares (cost basis ``409.99999999999994``),
      calls expired and closed early, a call open now; totals with artifacts.
    * TSLA: a backfilled history — trades recorded on 2024-06-01 after they
      expired, closing dates typed in (so before the recording), one ended
      trade without a closing time; a call open now.
    * NVDA (archived): imported shares called away — the legacy tool forgot
      their cost.
    * AMD: a premium of ``1.005`` (not a whole cent) and a ``total_premium``
      that disagrees with premium × 100 × contracts.
    """
    f = LegacyFile(path)
    aapl = f.wheel(
        "AAPL",
        capital=20000.000000000004,
        created_at="2024-01-02T09:58:12.481516",
        updated_at="2024-05-20T10:00:00.000000",
        state="cash_put_open",
    )
    t1 = f.trade(aapl, "AAPL", "put", strike=170.0, expiration="2024-01-19", premium=2.15,
                 opened_at="2024-01-02T10:15:00.123456", outcome="expired_worthless",
                 closed_at="2024-01-19T16:30:00.000000", price_at_expiry=180.5)  # fmt: skip
    t2 = f.trade(aapl, "AAPL", "put", strike=175.0, expiration="2024-02-16", premium=1.85,
                 opened_at="2024-01-22T10:00:00.000000", outcome="closed_early",
                 closed_at="2024-02-05T10:00:00.000000", close_price=0.4)  # fmt: skip
    t3 = f.trade(aapl, "AAPL", "put", strike=180.0, expiration="2024-03-15",
                 premium=3.0999999999999996, opened_at="2024-02-05T10:00:05.000000",
                 outcome="assigned", closed_at="2024-03-15T16:45:00.000000",
                 price_at_expiry=176.2)  # fmt: skip
    t4 = f.trade(aapl, "AAPL", "call", strike=185.0, expiration="2024-04-19", premium=2.4,
                 opened_at="2024-03-18T09:45:00.000000", outcome="expired_worthless",
                 closed_at="2024-04-19T17:00:00.000000", price_at_expiry=181.0)  # fmt: skip
    t5 = f.trade(aapl, "AAPL", "call", strike=182.5, expiration="2024-05-17", premium=1.9,
                 opened_at="2024-04-22T09:40:00.000000", outcome="called_away",
                 closed_at="2024-05-17T17:00:00.000000", price_at_expiry=190.0)  # fmt: skip
    t6 = f.trade(aapl, "AAPL", "put", strike=185.0, expiration="2024-06-21", premium=2.05,
                 opened_at="2024-05-20T10:00:00.000000")  # fmt: skip
    msft = f.wheel(
        "MSFT",
        capital=0.0,
        shares=200,
        cost_basis=409.99999999999994,
        profile="moderate",
        state="shares_call_open",
        created_at="2024-01-05T12:00:00.000000",
    )
    t7 = f.trade(msft, "MSFT", "call", strike=420.0, expiration="2024-02-16", premium=4.1,
                 contracts=2, opened_at="2024-01-08T10:00:00.000000",
                 outcome="expired_worthless", closed_at="2024-02-16T16:20:00.000000",
                 price_at_expiry=404.0)  # fmt: skip
    t8 = f.trade(msft, "MSFT", "call", strike=425.0, expiration="2024-03-15", premium=3.3,
                 contracts=2, total_premium=659.9999999999999,
                 opened_at="2024-02-20T10:00:00.000000", outcome="closed_early",
                 closed_at="2024-03-01T11:00:00.000000", close_price=0.85)  # fmt: skip
    t9 = f.trade(msft, "MSFT", "call", strike=430.0, expiration="2024-04-19", premium=5.15,
                 contracts=2, opened_at="2024-03-04T10:00:00.000000")  # fmt: skip
    tsla = f.wheel(
        "TSLA",
        capital=25000.0,
        shares=100,
        cost_basis=190.0,
        profile="aggressive",
        state="shares_call_open",
        created_at="2024-06-01T08:55:00.000000",
    )
    t10 = f.trade(tsla, "TSLA", "put", strike=200.0, expiration="2024-03-15", premium=5.25,
                  opened_at="2024-06-01T09:00:00.000000", outcome="expired_worthless",
                  closed_at="2024-03-15T16:00:00", price_at_expiry=210.0)  # fmt: skip
    t11 = f.trade(tsla, "TSLA", "put", strike=190.0, expiration="2024-04-19", premium=4.0,
                  opened_at="2024-06-01T09:01:00.000000", outcome="assigned",
                  closed_at="2024-04-19T16:00:00", price_at_expiry=185.0)  # fmt: skip
    t12 = f.trade(tsla, "TSLA", "call", strike=195.0, expiration="2024-05-17", premium=3.35,
                  opened_at="2024-06-01T09:02:00.000000", outcome="expired_worthless",
                  price_at_expiry=180.0)  # fmt: skip
    t13 = f.trade(tsla, "TSLA", "call", strike=200.0, expiration="2024-06-21", premium=2.8,
                  opened_at="2024-06-01T09:03:00.000000")  # fmt: skip
    nvda = f.wheel(
        "NVDA",
        capital=0.0,
        profile="defensive",
        created_at="2024-02-20T15:00:00.000000",
        updated_at="2024-03-11T09:00:00.000000",
        is_active=0,
    )
    t14 = f.trade(nvda, "NVDA", "call", strike=480.0, expiration="2024-03-08", premium=6.5,
                  opened_at="2024-02-21T10:00:00.000000", outcome="called_away",
                  closed_at="2024-03-08T17:10:00.000000", price_at_expiry=495.0)  # fmt: skip
    amd = f.wheel("AMD", capital=15000.0, created_at="2024-01-10T10:00:00.000000")
    t15 = f.trade(amd, "AMD", "put", strike=140.0, expiration="2024-01-26", premium=1.005,
                  opened_at="2024-01-10T10:05:00.000000", outcome="expired_worthless",
                  closed_at="2024-01-26T16:10:00.000000", price_at_expiry=150.0)  # fmt: skip
    t16 = f.trade(amd, "AMD", "put", strike=145.0, expiration="2024-02-23", premium=2.0,
                  total_premium=250.0, opened_at="2024-01-29T10:00:00.000000",
                  outcome="closed_early", closed_at="2024-02-10T12:00:00.000000",
                  close_price=0.15)  # fmt: skip
    s1 = f.snapshot(t5, "2024-05-15", current_price=188.0, dte_calendar=2, dte_trading=2,
                    moneyness_pct=3.0136986301369864, is_itm=1, risk_level="HIGH")  # fmt: skip
    f.snapshot(t5, "2024-05-16", current_price=189.1, dte_calendar=1, dte_trading=1,
               moneyness_pct=3.6164383561643834, is_itm=1, risk_level="HIGH")  # fmt: skip
    f.snapshot(t6, "2024-06-03", current_price=194.0, dte_calendar=18, dte_trading=14,
               moneyness_pct=-4.639175257731959, risk_level="MEDIUM")  # fmt: skip
    s4 = f.snapshot(t6, "2024-06-04", current_price=186.39999999999998, dte_calendar=17,
                    dte_trading=13, moneyness_pct=-0.7510729613733842,
                    risk_level="MEDIUM")  # fmt: skip
    f.snapshot(t6, "2024-06-05", current_price=196.0, dte_calendar=16, dte_trading=12,
               moneyness_pct=-5.612244897959184, risk_level="LOW")  # fmt: skip
    f.snapshot(t9, "2024-04-17", current_price=415.0, dte_calendar=2, dte_trading=2,
               moneyness_pct=-3.488372093023256, risk_level="MEDIUM")  # fmt: skip
    f.snapshot(t9, "2024-04-18", current_price=411.2, dte_calendar=1, dte_trading=1,
               moneyness_pct=-4.372093023255814, risk_level="LOW")  # fmt: skip
    f.close()
    assert (s1, s4) == (1, 4)
    d = Decimal
    return Expected(
        wheels={
            # Premium 215 + 185 + 310 + 240 + 190 + 205; realized: closed options
            # 215 + (185 − 40) + 310 + 240 + 190, plus 100 shares bought at 180 and
            # called away at 182.50 (+250).
            "AAPL": ExpectedWheel(aapl, "put_open", 0, None, d("1345.00"), d("1350.00"), trades=6),
            # 820 + 660 + 1030; realized 820 + (660 − 170); the shares are still held.
            "MSFT": ExpectedWheel(
                msft, "call_open", 200, d("410.00"), d("2510.00"), d("1310.00"), trades=3
            ),
            "TSLA": ExpectedWheel(
                tsla, "call_open", 100, d("190.00"), d("1540.00"), d("1260.00"), trades=4
            ),
            # Shares of unknown cost called away at 480: recorded at 480, no share gain.
            "NVDA": ExpectedWheel(
                nvda, "idle", 0, None, d("650.00"), d("650.00"), active=False, trades=1
            ),
            # 101 + 200; realized 101 + (200 − 15).
            "AMD": ExpectedWheel(amd, "idle", 0, None, d("301.00"), d("286.00"), trades=2),
        },
        trades=16,
        snapshots=7,
        share_moves=2,
        premium_by_symbol={
            "AAPL": d("1345.00"),
            "AMD": d("301.00"),
            "MSFT": d("2510.00"),
            "NVDA": d("650.00"),
            "TSLA": d("1540.00"),
        },
        roundings={
            ("wheels", aapl, "capital_allocated", "20000.000000000004", d("20000.00")),
            ("wheels", msft, "cost_basis", "409.99999999999994", d("410.00")),
            ("trades", t3, "premium_per_share", "3.0999999999999996", d("3.10")),
            ("trades", t15, "premium_per_share", "1.005", d("1.01")),
            ("position_snapshots", s4, "current_price", "186.39999999999998", d("186.40")),
        },
        findings={
            ("wheels", msft, "imported_shares"),
            ("wheels", nvda, "imported_shares"),
            ("wheels", nvda, "imported_cost_unknown"),
            ("trades", t10, "opened_after_expiration"),
            ("trades", t10, "opened_after_close"),
            ("trades", t11, "opened_after_expiration"),
            ("trades", t11, "opened_after_close"),
            ("trades", t12, "opened_after_expiration"),
            ("trades", t12, "opened_after_close"),
            ("trades", t12, "closed_at_missing"),
            ("trades", t15, "total_premium_mismatch"),
            ("trades", t16, "total_premium_mismatch"),
        },
        trade_ids=dict(
            zip(
                [f"t{n}" for n in range(1, 17)],
                [t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15, t16],
                strict=True,
            )
        ),
    )
