"""Each job run records the process that ran it

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 17:00:00.000000

``job_runs.owner`` is ``host:pid``: a scheduler starting later closes a run left
``running`` at once only when that process is gone (``adapters/scheduler/owners.py``).
Runs recorded before this revision have none and are judged as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("job_runs", sa.Column("owner", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job_runs") as batch:
        batch.drop_column("owner")
