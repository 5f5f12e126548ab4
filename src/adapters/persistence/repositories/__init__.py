"""Repositories over SQLAlchemy Core: rows in, the core's Structs out.

One module per group of repositories, as in the unit-of-work contract suites
(:mod:`wheel_core.testing.contracts`), over what they all share in :mod:`.base`:

* :mod:`.base` — reading rows into Structs, and integrity errors as ``ConflictError``;
* :mod:`.portfolios` — ``SqlPortfolioRepository``, ``SqlWheelRepository``;
* :mod:`.trades` — ``SqlTradeRepository``, ``SqlShareMoveRepository``,
  ``SqlSnapshotRepository``;
* :mod:`.monitoring` — ``SqlAlertRepository``, ``SqlWatchlistRepository``,
  ``SqlOpportunityRepository``;
* :mod:`.operations` — ``SqlJobRunRepository``, ``SqlSettingRepository``.

Import a repository from its module.
"""
