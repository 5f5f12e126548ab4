"""The public property-based test harness of wheel_core.

For authors of adapters and plugins (install ``wheel-strategy[testing]``):

* :mod:`wheel_core.testing.fakes` — in-memory fakes of every port (one module
  per port; the package re-exports each fake);
* :mod:`wheel_core.testing.contracts` — the contract suite of each port, as
  classes to subclass with a fixture for your adapter (one module per port,
  e.g. ``wheel_core.testing.contracts.unit_of_work.UnitOfWorkContract``);
* :mod:`wheel_core.testing.strategies` — hypothesis strategies for symbols,
  money, chains and valid or arbitrary wheel event sequences;
* :mod:`wheel_core.testing.machine` — the stateful wheel machine checking the
  domain invariants after every step;
* :mod:`wheel_core.testing.driver` — applies an event to a facade.

This package may import hypothesis and pytest; ``import wheel_core`` never
imports it.
"""
