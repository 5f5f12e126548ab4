"""The schema: one SQLAlchemy Core table per stored concept.

Repositories map rows to the core's Structs explicitly; there is no ORM
identity map to drift from what the core believes. Alembic migrations in
``migrations/`` are the only way this schema reaches a database, and a test
fails when they and this module disagree.

Deleting is refused by the database where history would be lost: a
portfolio with wheels, a wheel with trades (``RESTRICT``). The core deletes
children first when the user explicitly asks for a cascade. Snapshots go
with their wheel (``CASCADE``): they are derived data, as are alerts and
opportunities.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from adapters.persistence.columns import DecimalText, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

portfolios = Table(
    "portfolios",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("description", Text, nullable=False, default=""),
    Column("capital", DecimalText, nullable=False),
    Column("is_default", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
)

wheels = Table(
    "wheels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "portfolio_id",
        Integer,
        ForeignKey("portfolios.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column("symbol", String(12), nullable=False),
    Column("profile", String(20), nullable=False),
    Column("capital", DecimalText, nullable=False),
    Column("state", String(20), nullable=False),
    Column("shares", Integer, nullable=False),
    Column("cost_basis", DecimalText, nullable=True),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("legacy_id", Integer, nullable=True, unique=True),
    # Kept by triggers (migration 0003) from ``revision_counter``: never written here.
    Column("revision", BigInteger, nullable=False, server_default="0"),
    Index(None, "portfolio_id", "symbol"),
)

trades = Table(
    "trades",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("wheel_id", Integer, ForeignKey("wheels.id", ondelete="RESTRICT"), nullable=False),
    Column("symbol", String(12), nullable=False),
    Column("option_type", String(4), nullable=False),
    Column("strike", DecimalText, nullable=False),
    Column("expiration", Date, nullable=False),
    Column("premium", DecimalText, nullable=False),
    Column("contracts", Integer, nullable=False),
    Column("fees", DecimalText, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("outcome", String(20), nullable=True),
    Column("price_at_expiry", DecimalText, nullable=True),
    Column("close_price", DecimalText, nullable=True),
    Column(
        "rolled_from_id",
        Integer,
        ForeignKey("trades.id", ondelete="RESTRICT"),
        nullable=True,
    ),
    Column("chain_id", Integer, nullable=True),
    Column("legacy_id", Integer, nullable=True, unique=True),
    Index(None, "wheel_id", "opened_at"),
    Index(None, "symbol"),
    Index(None, "outcome"),
    Index(None, "opened_at"),
    Index(None, "closed_at"),
)

share_moves = Table(
    "share_moves",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("wheel_id", Integer, ForeignKey("wheels.id", ondelete="RESTRICT"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("price", DecimalText, nullable=False),
    Column("fees", DecimalText, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index(None, "wheel_id", "at"),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("wheel_id", Integer, ForeignKey("wheels.id", ondelete="CASCADE"), nullable=False),
    Column("trade_id", Integer, ForeignKey("trades.id", ondelete="SET NULL"), nullable=True),
    Column("symbol", String(12), nullable=False),
    Column("day", Date, nullable=False),
    Column("current_price", DecimalText, nullable=False),
    Column("state", String(20), nullable=False),
    Column("dte_calendar", Integer, nullable=True),
    Column("dte_trading", Integer, nullable=True),
    Column("moneyness_pct", DecimalText, nullable=True),
    Column("is_itm", Boolean, nullable=True),
    Column("risk_level", String(10), nullable=True),
    Column("realized_pnl", DecimalText, nullable=False),
    Column("unrealized_pnl", DecimalText, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # trade_id or 0, so "one snapshot per (wheel, trade, day)" holds without a trade too:
    # NULLs never collide in a unique constraint.
    Column("trade_key", Integer, nullable=False),
    UniqueConstraint("wheel_id", "trade_key", "day"),
    Index(None, "day"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("key", String(200), nullable=False, unique=True),
    Column("message", Text, nullable=False),
    Column("level", String(10), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("wheel_id", Integer, ForeignKey("wheels.id", ondelete="CASCADE"), nullable=True),
    Column("trade_id", Integer, ForeignKey("trades.id", ondelete="SET NULL"), nullable=True),
    Column("acknowledged_at", UtcDateTime, nullable=True),
    Index(None, "created_at"),
)

watchlist = Table(
    "watchlist",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("symbol", String(12), nullable=False, unique=True),
    Column("note", Text, nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
)

opportunities = Table(
    "opportunities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("symbol", String(12), nullable=False),
    Column("option_type", String(4), nullable=False),
    Column("strike", DecimalText, nullable=False),
    Column("expiration", Date, nullable=False),
    Column("premium", DecimalText, nullable=False),
    # A probability, not money: option math is float (DESIGN §3), stored as computed.
    Column("probability_itm", Float, nullable=False),
    Column("annualized_yield", DecimalText, nullable=False),
    Column("found_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("source", String(20), nullable=False),
    Column("wheel_id", Integer, ForeignKey("wheels.id", ondelete="CASCADE"), nullable=True),
    Column("read_at", UtcDateTime, nullable=True),
    # symbol|type|strike|expiration with the strike normalized ("95" for 95.00), so one
    # contract is one row however its strike was written: decimal text compares as text.
    Column("contract_key", String(80), nullable=False, unique=True),
    Index(None, "found_at"),
    Index(None, "read_at"),
)

job_runs = Table(
    "job_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job", String(100), nullable=False),
    Column("trigger", String(20), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("status", String(30), nullable=False),
    Column("error", Text, nullable=True),
    Column("summary", Text, nullable=True),
    Column("owner", String(300), nullable=True),
    Index(None, "job", "started_at"),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
)
"""Settings changed at run time, as JSON text under namespaced keys:
``app.*`` for the application, ``job.<name>`` for scheduler jobs,
``plugin.<name>`` for plugins."""


revision_counter = Table(
    "revision_counter",
    metadata,
    # One row (id 1): the last revision handed to a wheel history (see migration 0003).
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", BigInteger, nullable=False),
)


scheduler_lease = Table(
    "scheduler_lease",
    metadata,
    # One row (name "scheduler", made by migration 0005): which process runs the jobs.
    Column("name", String(50), primary_key=True),
    Column("holder", String(300), nullable=True),
    Column("acquired_at", UtcDateTime, nullable=True),
    Column("renewed_at", UtcDateTime, nullable=True),
    Column("expires_at", UtcDateTime, nullable=True),
)
"""The scheduler lease (``adapters/persistence/lease.py``): its holder runs the jobs
until ``expires_at`` and renews it on a heartbeat; ``holder`` is empty when released."""
