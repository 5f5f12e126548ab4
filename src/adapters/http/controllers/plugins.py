"""Plugins: what was found at start, whether each runs, and its validated config."""

from __future__ import annotations

from typing import Annotated

from litestar import get, patch
from litestar.params import Parameter

from adapters.http.api_controller import ApiController
from adapters.http.controllers.jobs import SCHEDULER, Jobs
from adapters.scheduler.control import PluginUpdate, PluginView
from adapters.wire import PLUGIN, PLUGINS

PluginName = Annotated[str, Parameter(max_length=200, description="A plugin's name.")]
"""Not bounded by the job-name pattern: a file that failed to load is listed by its stem."""


class PluginController(ApiController):
    path = "/"
    tags = ["plugins"]
    dependencies = SCHEDULER

    @get(PLUGINS)
    async def list_plugins(self, scheduler: Jobs) -> list[PluginView]:
        """Every plugin found at start — loaded or failed — with its status and config."""
        return await scheduler.list_plugins()

    @get(PLUGIN)
    async def get_plugin(self, scheduler: Jobs, name: PluginName) -> PluginView:
        """One plugin and its config's JSON Schema; 404 when none has that name."""
        return await scheduler.get_plugin(name)

    @patch(PLUGIN)
    async def update_plugin(
        self, scheduler: Jobs, name: PluginName, data: PluginUpdate
    ) -> PluginView:
        """Enable or disable a plugin, change its config: validated against the plugin's
        schema (422 naming the field), stored, applied from the next run. Enabling a
        plugin disabled after a failure clears the reason."""
        return await scheduler.update_plugin(name, data)
