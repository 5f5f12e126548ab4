"""Background work: APScheduler wiring, the core jobs, notifiers and the plugin host.

The HTTP adapter and the CLI see the jobs only through the
:class:`~adapters.scheduler.control.JobControl` Protocol and the Structs it re-exports
(``control.py``); the container builds the :class:`~adapters.scheduler.scheduler.Scheduler`
that implements it (``assembly.py``), whose schedule layers are ``job_settings.py`` and
whose run-history upkeep is ``housekeeping.py``.

Plugin authors import :class:`Plugin` and :class:`PluginContext` from here (see
``docs/plugins.md``); ``PluginContext.fetch_each`` is the market-data loop.
"""

from adapters.scheduler.plugins import EmptyConfig, Plugin, PluginContext
from adapters.scheduler.schedules import JobSchedule

__all__ = ["EmptyConfig", "JobSchedule", "Plugin", "PluginContext"]
