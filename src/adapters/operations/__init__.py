"""Operations: the system's own running, behind one service the container builds.

The HTTP system endpoints (``/health``, ``/system/info``, ``/system/config``) and the
CLI's ``db`` and ``config`` commands ask :class:`~adapters.operations.port.Operations`
for health, info, the database upgrade, the legacy import and the run-time settings;
they never import persistence or market data themselves (import-linter checks it).

Modules: ``port`` (the Protocol the adapters depend on), ``views`` (the Structs it
answers), ``service`` (the implementation over the container's parts), ``health``
(each part of ``/health`` judged), ``database`` (upgrade, info, legacy import),
``stored_settings`` (the run-time changes kept in the database).

Only ``port`` and ``views`` are imported from here, so ``import adapters.operations``
stays light for the CLI.
"""

from adapters.operations.port import Operations
from adapters.operations.views import (
    ConfigChange,
    DatabaseUpgrade,
    Health,
    LegacyImport,
    SystemInfo,
)

__all__ = ["ConfigChange", "DatabaseUpgrade", "Health", "LegacyImport", "Operations", "SystemInfo"]
