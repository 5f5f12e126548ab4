"""System endpoints: health, info and the run-time configuration.

Everything is asked of the operations service (``adapters/operations``) the container
builds; this module only shows its answers — a ``down`` health as a 503 — and never
imports persistence or market data.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

import msgspec
from litestar import get, patch, post
from litestar.datastructures import State
from litestar.params import Body
from litestar.status_codes import HTTP_200_OK

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import container_of
from adapters.http.problems import ServiceDownError
from adapters.operations import ConfigChange, Health, Operations, SystemInfo
from adapters.operations.stored_settings import RUNTIME_SECTIONS
from adapters.settings import Settings, SettingsError
from adapters.wire import HEALTH, SYSTEM_CONFIG, SYSTEM_CONFIG_VALIDATE, SYSTEM_INFO

ConfigPatch = Annotated[
    dict[str, Any],
    Body(
        description="The run-time sections and keys to change; any other section is a 422.",
        schema_extra={
            "properties": {
                section: {"type": "object", "description": f"Keys of {section} to change."}
                for section in sorted(RUNTIME_SECTIONS)
            },
            "additionalProperties": False,
        },
    ),
]
"""What the schema can say of a change without a partial copy of every settings type:
only the run-time sections, as objects; their keys are checked (422) when applied."""


class ConfigCheck(msgspec.Struct, frozen=True, kw_only=True):
    valid: bool
    error: str | None = None


def operations_of(state: State) -> Operations:
    operations: Operations = container_of(state).operations()
    return operations


class SystemController(ApiController):
    path = "/"
    tags = ["system"]

    @get(HEALTH, status_code=HTTP_200_OK)
    async def health(self, state: State) -> Health:
        """Database, market data and scheduler; 503 when the database is down, as
        problem+json like every error, with the same report in its ``health`` member."""
        body = await operations_of(state).health()
        if body.status == "down":
            detail = f"the database is down: {body.database.error}"
            raise ServiceDownError(detail, code="database_down", health=body)
        return body

    @get(SYSTEM_INFO)
    async def info(self, state: State) -> SystemInfo:
        """Version, uptime, database location, size and row counts, market-data provider."""
        uptime = round(time.monotonic() - state.started_at, 3)
        return await operations_of(state).info(uptime_seconds=uptime)

    @get(SYSTEM_CONFIG)
    async def get_config(self, state: State) -> Settings:
        """The effective settings, secrets shown as ``***``."""
        return operations_of(state).settings()

    @patch(SYSTEM_CONFIG)
    async def update_config(self, state: State, data: ConfigPatch) -> ConfigChange:
        """Change run-time settings (core, market_data, calendar): validated, saved in the
        database, applied at once and kept across restarts. Body: the sections and keys
        to change, e.g. ``{"core": {"risk": {"medium_within_pct": 4}}}``."""
        return await operations_of(state).change_settings(data)

    @post(SYSTEM_CONFIG_VALIDATE, status_code=HTTP_200_OK)
    async def validate_config(self, state: State, data: dict[str, Any]) -> ConfigCheck:
        """Would this change be accepted? Nothing is saved."""
        try:
            await operations_of(state).check_settings(data)
        except SettingsError as error:
            return ConfigCheck(valid=False, error=str(error))
        return ConfigCheck(valid=True)
