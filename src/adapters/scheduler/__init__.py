"""Background work: APScheduler wiring, the core jobs, notifiers and the plugin host.

The rest of the product sees one object, :class:`~adapters.scheduler.scheduler.Scheduler`
(built by the container): list, change and run jobs and plugins, read the run history,
start and stop. Plugin authors import :class:`Plugin` and :class:`PluginContext` from
here (see ``docs/plugins.md``).
"""

from adapters.scheduler.plugins import EmptyConfig, Plugin, PluginContext
from adapters.scheduler.schedules import JobSchedule

__all__ = ["EmptyConfig", "JobSchedule", "Plugin", "PluginContext"]
