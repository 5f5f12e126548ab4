"""Initial schema and the default portfolio

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 07:06:08.612207
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=100), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
    )
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_runs_job_started_at"), ["job", "started_at"], unique=False
        )

    op.create_table(
        "portfolios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("capital", sa.String(length=40), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolios")),
        sa.UniqueConstraint("name", name=op.f("uq_portfolios_name")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "wheels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("portfolio_id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=12), nullable=False),
        sa.Column("profile", sa.String(length=20), nullable=False),
        sa.Column("capital", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("shares", sa.Integer(), nullable=False),
        sa.Column("cost_basis", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("legacy_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["portfolio_id"],
            ["portfolios.id"],
            name=op.f("fk_wheels_portfolio_id_portfolios"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wheels")),
        sa.UniqueConstraint("legacy_id", name=op.f("uq_wheels_legacy_id")),
    )
    with op.batch_alter_table("wheels", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wheels_portfolio_id_symbol"), ["portfolio_id", "symbol"], unique=False
        )

    op.create_table(
        "share_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wheel_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("price", sa.String(length=40), nullable=False),
        sa.Column("fees", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["wheel_id"],
            ["wheels.id"],
            name=op.f("fk_share_moves_wheel_id_wheels"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_moves")),
    )
    with op.batch_alter_table("share_moves", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_moves_wheel_id_at"), ["wheel_id", "at"], unique=False
        )

    op.create_table(
        "trades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wheel_id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=12), nullable=False),
        sa.Column("option_type", sa.String(length=4), nullable=False),
        sa.Column("strike", sa.String(length=40), nullable=False),
        sa.Column("expiration", sa.Date(), nullable=False),
        sa.Column("premium", sa.String(length=40), nullable=False),
        sa.Column("contracts", sa.Integer(), nullable=False),
        sa.Column("fees", sa.String(length=40), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("price_at_expiry", sa.String(length=40), nullable=True),
        sa.Column("close_price", sa.String(length=40), nullable=True),
        sa.Column("rolled_from_id", sa.Integer(), nullable=True),
        sa.Column("chain_id", sa.Integer(), nullable=True),
        sa.Column("legacy_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["rolled_from_id"],
            ["trades.id"],
            name=op.f("fk_trades_rolled_from_id_trades"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["wheel_id"], ["wheels.id"], name=op.f("fk_trades_wheel_id_wheels"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trades")),
        sa.UniqueConstraint("legacy_id", name=op.f("uq_trades_legacy_id")),
    )
    with op.batch_alter_table("trades", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trades_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_trades_opened_at"), ["opened_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_trades_outcome"), ["outcome"], unique=False)
        batch_op.create_index(batch_op.f("ix_trades_symbol"), ["symbol"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_trades_wheel_id_opened_at"), ["wheel_id", "opened_at"], unique=False
        )

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wheel_id", sa.Integer(), nullable=True),
        sa.Column("trade_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["trade_id"], ["trades.id"], name=op.f("fk_alerts_trade_id_trades"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["wheel_id"], ["wheels.id"], name=op.f("fk_alerts_wheel_id_wheels"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("key", name=op.f("uq_alerts_key")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_created_at"), ["created_at"], unique=False)

    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wheel_id", sa.Integer(), nullable=False),
        sa.Column("trade_id", sa.Integer(), nullable=True),
        sa.Column("symbol", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("current_price", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("dte_calendar", sa.Integer(), nullable=True),
        sa.Column("dte_trading", sa.Integer(), nullable=True),
        sa.Column("moneyness_pct", sa.String(length=40), nullable=True),
        sa.Column("is_itm", sa.Boolean(), nullable=True),
        sa.Column("risk_level", sa.String(length=10), nullable=True),
        sa.Column("realized_pnl", sa.String(length=40), nullable=False),
        sa.Column("unrealized_pnl", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trade_key", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trade_id"],
            ["trades.id"],
            name=op.f("fk_snapshots_trade_id_trades"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["wheel_id"],
            ["wheels.id"],
            name=op.f("fk_snapshots_wheel_id_wheels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshots")),
        sa.UniqueConstraint(
            "wheel_id", "trade_key", "day", name=op.f("uq_snapshots_wheel_id_trade_key_day")
        ),
    )
    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_snapshots_day"), ["day"], unique=False)

    # One default portfolio always exists: legacy data and symbol-only commands land there.
    portfolios = sa.table(
        "portfolios",
        sa.column("name", sa.String),
        sa.column("description", sa.Text),
        sa.column("capital", sa.String),
        sa.column("is_default", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(
        portfolios,
        [
            {
                "name": "default",
                "description": "",
                "capital": "0",
                "is_default": True,
                "created_at": datetime.now(UTC),
            }
        ],
    )


def downgrade() -> None:

    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_snapshots_day"))

    op.drop_table("snapshots")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_created_at"))

    op.drop_table("alerts")
    with op.batch_alter_table("trades", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trades_wheel_id_opened_at"))
        batch_op.drop_index(batch_op.f("ix_trades_symbol"))
        batch_op.drop_index(batch_op.f("ix_trades_outcome"))
        batch_op.drop_index(batch_op.f("ix_trades_opened_at"))
        batch_op.drop_index(batch_op.f("ix_trades_closed_at"))

    op.drop_table("trades")
    with op.batch_alter_table("share_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_moves_wheel_id_at"))

    op.drop_table("share_moves")
    with op.batch_alter_table("wheels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wheels_portfolio_id_symbol"))

    op.drop_table("wheels")
    op.drop_table("settings")
    op.drop_table("portfolios")
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_runs_job_started_at"))

    op.drop_table("job_runs")
