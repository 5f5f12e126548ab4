"""Contract suites for the driven ports, shared by the fakes and every real adapter.

A suite is a class of tests that asks for one fixture; subclass it in a module
pytest collects, provide the fixture, and your adapter runs the same
specification as the in-memory fake. The SQL unit of work, for instance, takes
an engine (on a migrated database), not a URL::

    import pytest_asyncio

    from adapters.persistence import SqlUnitOfWorkFactory, open_database
    from wheel_core.testing.contracts.unit_of_work import UnitOfWorkContract


    class TestSqlUnitOfWork(UnitOfWorkContract):
        @pytest_asyncio.fixture
        async def uow_factory(self, tmp_path):
            engine = await open_database(tmp_path / "t.db")  # created and migrated
            yield SqlUnitOfWorkFactory(engine)
            await engine.dispose()

An adapter is done when its suite passes. Async tests are marked for
pytest-asyncio, so they run in strict mode too.

One module per port, each holding that port's suite:

* :mod:`.unit_of_work` — ``UnitOfWorkContract`` (fixture ``uow_factory``), built
  from one suite per group of repositories: :mod:`.portfolios`, :mod:`.trades`,
  :mod:`.monitoring`, :mod:`.operations` and :mod:`.deletion`, with the
  fixture and record builders they share in :mod:`.records`;
* :mod:`.market_data` — ``MarketDataContract`` (fixture ``market_data``);
* :mod:`.calendar` — ``MarketCalendarContract`` (fixture ``calendar``);
* :mod:`.clock` — ``ClockContract`` (fixture ``clock``);
* :mod:`.notifier` — ``NotifierContract`` (fixture ``notifier``).

Import a suite from its module; this package re-exports nothing, so each suite
has one path (and importing one does not import the others).
"""
