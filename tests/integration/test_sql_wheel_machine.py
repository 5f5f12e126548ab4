"""The stateful wheel machine, run against the SQL adapter on a real SQLite file."""

import tempfile
from pathlib import Path

from hypothesis import settings
from sqlalchemy import text

from adapters.persistence import SqlUnitOfWorkFactory, create_engine, upgrade
from adapters.persistence.tables import metadata
from wheel_core.ports import UnitOfWorkFactory
from wheel_core.testing.machine import WheelLifecycleMachine


class SqliteWheelMachine(WheelLifecycleMachine):
    def make_uow_factory(self) -> UnitOfWorkFactory:
        self.directory = tempfile.TemporaryDirectory()
        self.engine = create_engine(Path(self.directory.name) / "machine.db")
        self.run(upgrade(self.engine))
        return SqlUnitOfWorkFactory(self.engine)

    def snapshot_store(self) -> object:
        async def every_row() -> list[object]:
            async with self.engine.connect() as connection:
                return [
                    (await connection.execute(text(f"SELECT * FROM {name} ORDER BY 1"))).all()
                    for name in sorted(metadata.tables)
                ]

        return self.run(every_row())

    def teardown(self) -> None:
        self.run(self.engine.dispose())
        super().teardown()
        self.directory.cleanup()


SqliteWheelMachine.TestCase.settings = settings(
    max_examples=15, stateful_step_count=25, deadline=None
)
TestSqliteWheelLifecycle = SqliteWheelMachine.TestCase
