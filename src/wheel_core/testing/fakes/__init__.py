"""In-memory fakes of every driven port.

They behave like the real adapters where it matters to the core — a unit of
work that is not committed changes nothing, repositories hand out copies, ids
are assigned on add — and pass the same contract suites
(:mod:`wheel_core.testing.contracts`). They import nothing beyond the core, so
``from wheel_core.testing.fakes import ...`` is cheap.

One module per port, as in :mod:`wheel_core.testing.contracts`:

* :mod:`.unit_of_work` — ``InMemoryUnitOfWork`` and ``InMemoryUnitOfWorkFactory``,
  over the tables of :mod:`.store` (``InMemoryStore``) through the repositories
  of :mod:`.repositories`;
* :mod:`.market_data` — ``FakeMarketData``;
* :mod:`.calendar` — ``FakeMarketCalendar``;
* :mod:`.clock` — ``FakeClock``;
* :mod:`.notifier` — ``RecordingNotifier``.

This package re-exports the fake of each port (not the repositories): a test
usually needs several at once (a clock, a market, a unit of work), and this one
path is the one plugin and adapter authors are shown (README, docs/plugins.md).
"""

from wheel_core.testing.fakes.calendar import FakeMarketCalendar
from wheel_core.testing.fakes.clock import FakeClock
from wheel_core.testing.fakes.market_data import FakeMarketData
from wheel_core.testing.fakes.notifier import RecordingNotifier
from wheel_core.testing.fakes.store import InMemoryStore
from wheel_core.testing.fakes.unit_of_work import InMemoryUnitOfWork, InMemoryUnitOfWorkFactory

__all__ = [
    "FakeClock",
    "FakeMarketCalendar",
    "FakeMarketData",
    "InMemoryStore",
    "InMemoryUnitOfWork",
    "InMemoryUnitOfWorkFactory",
    "RecordingNotifier",
]
