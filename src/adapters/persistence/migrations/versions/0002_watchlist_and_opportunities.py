"""The watchlist and the opportunities the scan finds

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "watchlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist")),
        sa.UniqueConstraint("symbol", name=op.f("uq_watchlist_symbol")),
    )
    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=12), nullable=False),
        sa.Column("option_type", sa.String(length=4), nullable=False),
        sa.Column("strike", sa.String(length=40), nullable=False),
        sa.Column("expiration", sa.Date(), nullable=False),
        sa.Column("premium", sa.String(length=40), nullable=False),
        sa.Column("probability_itm", sa.Float(), nullable=False),
        sa.Column("annualized_yield", sa.String(length=40), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("wheel_id", sa.Integer(), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contract_key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["wheel_id"],
            ["wheels.id"],
            name=op.f("fk_opportunities_wheel_id_wheels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunities")),
        sa.UniqueConstraint("contract_key", name=op.f("uq_opportunities_contract_key")),
    )
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opportunities_found_at"), ["found_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_opportunities_read_at"), ["read_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunities_read_at"))
        batch_op.drop_index(batch_op.f("ix_opportunities_found_at"))

    op.drop_table("opportunities")
    op.drop_table("watchlist")
