"""One process runs the jobs: the scheduler lease

Revision ID: 0005
Revises: 0004
Create Date: 2027-01-11 12:00:00.000000

``scheduler_lease`` holds one row, ``scheduler``, made here so every contender only
ever updates it (one atomic conditional UPDATE on SQLite and PostgreSQL alike; see
``adapters/persistence/lease.py``). It starts free: the first scheduler to beat takes it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    lease = op.create_table(
        "scheduler_lease",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("holder", sa.String(length=300), nullable=True),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("renewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_lease")),
    )
    op.bulk_insert(lease, [{"name": "scheduler"}])


def downgrade() -> None:
    op.drop_table("scheduler_lease")
