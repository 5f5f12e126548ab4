"""Run-time settings: the changes ``PATCH /system/config`` keeps in the database.

The stored layer sits above the config file and below the environment and flags
(see ``adapters/settings.py``). It holds the run-time sections only
(:data:`RUNTIME_SECTIONS`), kept as one JSON row (:data:`STORED_KEY`) of the
settings table. :class:`StoredSettings` reads and writes that row; the functions
put a layer on top of loaded settings and say what a change cannot do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from adapters.settings import (
    Layer,
    Settings,
    SettingsError,
    as_layer,
    check_known_keys,
    convert,
    env_layer,
    holds_key,
    merge,
)
from wheel_core.ports import UnitOfWorkFactory

RUNTIME_SECTIONS = frozenset({"core", "market_data", "calendar"})
"""Sections ``PATCH /system/config`` may change; the rest need a restart to mean anything."""

STORED_KEY = "app.config"
"""Where ``PATCH /system/config`` keeps its changes, in the database's settings table."""


class StoredSettings:
    """The stored layer in the database of ``unit_of_work``."""

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._unit_of_work = unit_of_work

    async def read(self) -> Layer:
        """The run-time changes saved by ``PATCH /system/config`` (empty when none); read
        in a deferred transaction, so reading them never waits for or blocks a writer."""
        async with self._unit_of_work(read_only=True) as uow:
            raw = await uow.settings.get(STORED_KEY)
        if raw is None:
            return {}
        try:
            layer = msgspec.json.decode(raw)
        except msgspec.DecodeError:
            raise SettingsError(f"stored settings ({STORED_KEY}) are not valid JSON") from None
        if not isinstance(layer, dict):
            raise SettingsError(f"stored settings ({STORED_KEY}) must be a mapping of sections")
        return layer

    async def save(self, layer: Layer) -> None:
        async with self._unit_of_work() as uow:
            await uow.settings.set(STORED_KEY, msgspec.json.encode(layer).decode())
            await uow.commit()


def with_stored(
    settings: Settings, stored: Layer, environ: Mapping[str, str] | None = None
) -> Settings:
    """``settings`` with stored changes applied where the environment does not override them.

    The stored layer holds run-time sections only (``RUNTIME_SECTIONS``), which flags never
    set, so putting it above the loaded settings and the environment above it again keeps
    the documented precedence.
    """
    check_runtime_only(stored)
    check_known_keys(stored, "stored settings")
    layer = merge(merge(as_layer(settings), stored), _runtime_part(env_layer(environ)))
    return convert(layer, source="stored settings")


def shadowed_keys(change: Layer, environ: Mapping[str, str] | None = None) -> list[str]:
    """Keys of ``change`` that the environment sets, so the change has no effect now."""
    env = env_layer(environ)
    return sorted(key for key in _leaf_keys(change) if holds_key(env, key))


def check_runtime_only(change: Layer) -> None:
    fixed = sorted(key for key in change if key not in RUNTIME_SECTIONS)
    if fixed:
        raise SettingsError(
            f"{', '.join(fixed)} cannot change while the server runs; set "
            f"{'it' if len(fixed) == 1 else 'them'} in the config file or environment and "
            f"restart (run-time sections: {', '.join(sorted(RUNTIME_SECTIONS))})"
        )


def _runtime_part(layer: Layer) -> Layer:
    return {key: value for key, value in layer.items() if key in RUNTIME_SECTIONS}


def _leaf_keys(layer: Layer, prefix: str = "") -> Iterable[str]:
    for key, value in layer.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from _leaf_keys(value, f"{path}.")
        else:
            yield path
