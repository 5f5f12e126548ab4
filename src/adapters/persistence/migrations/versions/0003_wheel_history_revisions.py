"""A revision per wheel history, bumped by the database on every change

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 14:00:00.000000

``wheels.revision`` changes whenever the wheel's row, one of its trades or one of its
share moves is inserted, updated or deleted — by this process, another process (the
CLI in direct mode) or a hand-written statement, since triggers in the database do
it. The values come from one counter that only grows (the single row of
``revision_counter``), so a wheel id reused after a delete never meets an old
revision. The service keeps replayed histories keyed by it (``WheelRepository.revisions``).

Careful: a later batch migration that *recreates* ``wheels``, ``trades`` or
``share_moves`` (SQLite's move-and-copy) drops their triggers; it must create them
again (``create_triggers``). ``tests/integration/test_migrations.py`` checks that the
head schema has them all.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HISTORY_TABLES = ("trades", "share_moves")

_SQLITE_BUMP = """
    UPDATE revision_counter SET value = value + 1 WHERE id = 1;
    UPDATE wheels SET revision = (SELECT value FROM revision_counter WHERE id = 1)
    WHERE id IN ({ids});
"""


def _sqlite_triggers() -> list[tuple[str, str]]:
    """(name, CREATE TRIGGER statement) pairs."""
    triggers = [
        (
            "wheels_revision_insert",
            "CREATE TRIGGER wheels_revision_insert AFTER INSERT ON wheels BEGIN"
            + _SQLITE_BUMP.format(ids="NEW.id")
            + "END",
        ),
        # The bump itself updates wheels: the WHEN clause keeps it from firing again.
        (
            "wheels_revision_update",
            "CREATE TRIGGER wheels_revision_update AFTER UPDATE ON wheels "
            "WHEN NEW.revision = OLD.revision BEGIN" + _SQLITE_BUMP.format(ids="NEW.id") + "END",
        ),
    ]
    for table in HISTORY_TABLES:
        for event, ids in (
            ("INSERT", "NEW.wheel_id"),
            ("UPDATE", "OLD.wheel_id, NEW.wheel_id"),
            ("DELETE", "OLD.wheel_id"),
        ):
            name = f"{table}_revision_{event.lower()}"
            triggers.append(
                (
                    name,
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN"
                    + _SQLITE_BUMP.format(ids=ids)
                    + "END",
                )
            )
    return triggers


_POSTGRES_FUNCTIONS = (
    # One statement per execute: asyncpg prepares each, and a prepared statement holds one.
    """
CREATE FUNCTION wheel_revision_stamp() RETURNS trigger AS $$
BEGIN
    UPDATE revision_counter SET value = value + 1 WHERE id = 1 RETURNING value
        INTO NEW.revision;
    RETURN NEW;
END $$ LANGUAGE plpgsql
""",
    """
CREATE FUNCTION wheel_revision_touch() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE wheels SET revision = revision WHERE id = OLD.wheel_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE wheels SET revision = revision WHERE id = NEW.wheel_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql
""",
)


def create_triggers() -> None:
    """The triggers (and on PostgreSQL their functions); the column and counter exist."""
    if op.get_bind().dialect.name == "postgresql":
        for function in _POSTGRES_FUNCTIONS:
            op.execute(function)
        op.execute(
            "CREATE TRIGGER wheels_revision BEFORE INSERT OR UPDATE ON wheels "
            "FOR EACH ROW EXECUTE FUNCTION wheel_revision_stamp()"
        )
        for table in HISTORY_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION wheel_revision_touch()"
            )
        return
    for _, statement in _sqlite_triggers():
        op.execute(statement)


def drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("wheels", *HISTORY_TABLES):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_revision ON {table}")
        op.execute("DROP FUNCTION IF EXISTS wheel_revision_touch()")
        op.execute("DROP FUNCTION IF EXISTS wheel_revision_stamp()")
        return
    for name, _ in _sqlite_triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    with op.batch_alter_table("wheels", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False)
        )
    op.create_table(
        "revision_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision_counter")),
    )
    op.execute("INSERT INTO revision_counter (id, value) VALUES (1, 1)")
    op.execute("UPDATE wheels SET revision = 1")
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_table("revision_counter")
    if _sqlite_drops_columns():
        # In place: a batch copy would drop ``wheels`` while trades still refer to it,
        # which the foreign keys refuse on any database with history.
        op.execute("ALTER TABLE wheels DROP COLUMN revision")
        return
    with op.batch_alter_table("wheels", schema=None) as batch_op:
        batch_op.drop_column("revision")


def _sqlite_drops_columns() -> bool:
    """SQLite 3.35 and later have ``ALTER TABLE ... DROP COLUMN``."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    version = bind.exec_driver_sql("SELECT sqlite_version()").scalar_one()
    return tuple(int(part) for part in str(version).split(".")[:2]) >= (3, 35)
