""":class:`Operations`: the one door through which the HTTP adapter and the CLI reach the
system's own running — its health, its database file and its run-time settings.

They depend on this Protocol and on the Structs of ``views.py``; the container builds
the implementation (``service.py``), which alone touches persistence and market data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from adapters.operations.views import (
        ConfigChange,
        DatabaseUpgrade,
        Health,
        LegacyImport,
        SystemInfo,
    )
    from adapters.settings import Layer, Settings


class Operations(Protocol):
    async def health(self) -> Health:
        """Database, market data, scheduler and plugins; ``status`` ``down`` when the
        database cannot be used, ``degraded`` when another part is failing."""
        ...

    async def info(self, *, uptime_seconds: float) -> SystemInfo:
        """Version, uptime, database location, size and row counts, market-data provider."""
        ...

    def settings(self) -> Settings:
        """The settings in effect in this process, secrets as ``***``."""
        ...

    async def settings_with_stored(self) -> Settings:
        """These settings with the stored run-time changes of the database on top, secrets
        as ``***`` (the database is opened and migrated)."""
        ...

    async def change_settings(self, change: Layer) -> ConfigChange:
        """Validate, save and apply a change of run-time settings (``SettingsError``)."""
        ...

    async def check_settings(self, change: Layer) -> None:
        """``SettingsError`` when ``change`` would be refused; nothing is saved."""
        ...

    async def upgrade_database(self) -> DatabaseUpgrade:
        """Migrate the database to the current schema: the revision before and after."""
        ...

    async def import_legacy(
        self,
        source: Path,
        *,
        backup_dir: Path | None,
        naive_timezone: tzinfo,
        progress: Callable[[int, int], None] | None = None,
    ) -> LegacyImport:
        """Import the legacy tool's file into the default portfolio (both files backed up
        first) and the open positions it left."""
        ...
