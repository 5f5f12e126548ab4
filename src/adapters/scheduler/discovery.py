"""Finding plugins: the files of the plugins directory and the ``wheel_strategy.plugins``
entry points.

A file is imported under its own module name (``wheel_strategy_plugins.<stem>``);
every :class:`~adapters.scheduler.plugins.Plugin` subclass it defines is a plugin (or
the object it names ``plugin``). An entry point names a plugin class or instance.
Whatever fails — an import error, a class that is not a plugin, a duplicate name — is
reported as a :class:`LoadFailure` beside the plugins that loaded, never raised: one
broken plugin must not stop the server.
"""

from __future__ import annotations

import importlib.util
import inspect
import logging
import re
import sys
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec

from adapters.scheduler.plugins import Plugin
from adapters.scheduler.schedules import NAME_PATTERN, JobSchedule

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "wheel_strategy.plugins"
MODULE_PREFIX = "wheel_strategy_plugins"


@dataclass(frozen=True)
class LoadedPlugin:
    plugin: Any
    """The plugin instance (a :class:`Plugin`, or any object with its members)."""
    source: str
    """Where it came from: ``file:<path>`` or ``entry_point:<name> = <value>``."""


@dataclass(frozen=True)
class LoadFailure:
    name: str
    """The plugin's name when known, else the file's stem or the entry point's name."""
    source: str
    error: str


@dataclass(frozen=True)
class Discovery:
    loaded: list[LoadedPlugin]
    failed: list[LoadFailure]


def discover(
    directory: Path | None,
    *,
    group: str = ENTRY_POINT_GROUP,
    reserved: frozenset[str] = frozenset(),
) -> Discovery:
    """Every plugin of ``directory`` (if it exists) and of the entry-point ``group``.

    A name in ``reserved`` (the core jobs) or seen before is refused: the first wins.
    """
    found: list[LoadedPlugin] = []
    failed: list[LoadFailure] = []
    if directory is not None and directory.is_dir():
        for path in sorted(directory.glob("*.py")):
            if not path.name.startswith("_"):
                _collect(_from_file(path), f"file:{path}", path.stem, found, failed)
    for point in sorted(entry_points(group=group), key=lambda p: p.name):
        source = f"entry_point:{point.name} = {point.value}"
        _collect(lambda point=point: [point.load()], source, point.name, found, failed)
    loaded: list[LoadedPlugin] = []
    names: set[str] = set(reserved)
    for item in found:
        name = item.plugin.name
        if name in names:
            what = "a core job" if name in reserved else "another plugin"
            failed.append(LoadFailure(name, item.source, f"name {name!r} is taken by {what}"))
            continue
        names.add(name)
        loaded.append(item)
    for failure in failed:
        log.error("plugin %s (%s) did not load: %s", failure.name, failure.source, failure.error)
    return Discovery(loaded=loaded, failed=failed)


def _from_file(path: Path) -> Any:
    def load() -> list[Any]:
        module_name = f"{MODULE_PREFIX}.{path.stem}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"{path} cannot be imported")
        module = importlib.util.module_from_spec(spec)
        sys.modules.setdefault(MODULE_PREFIX, ModuleType(MODULE_PREFIX))
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(module_name, None)
            raise
        return _plugins_of(module)

    return load


def _plugins_of(module: ModuleType) -> list[Any]:
    named = getattr(module, "plugin", None)
    if named is not None:
        return [named]
    defined = [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, Plugin)
        and value is not Plugin
        and value.__module__ == module.__name__
    ]
    if not defined:
        raise ImportError("defines no Plugin subclass and no `plugin` object")
    return defined


def _collect(
    load: Any, source: str, fallback: str, found: list[LoadedPlugin], failed: list[LoadFailure]
) -> None:
    try:
        candidates = load()
    except BaseException as error:  # a plugin file may even call sys.exit: still isolated
        if isinstance(error, KeyboardInterrupt):
            raise
        failed.append(LoadFailure(fallback, source, _describe(error)))
        return
    for candidate in candidates:
        try:
            found.append(LoadedPlugin(checked(candidate), source))
        except (TypeError, ValueError) as error:
            name = getattr(candidate, "name", fallback)
            failed.append(LoadFailure(str(name), source, str(error)))


def checked(candidate: Any) -> Any:
    """The plugin instance, after checking it has what the host needs."""
    plugin = candidate() if inspect.isclass(candidate) else candidate
    name = getattr(plugin, "name", None)
    if not isinstance(name, str) or not re.fullmatch(NAME_PATTERN, name):
        raise ValueError(
            f"name must be lower-case letters, digits and '_' (at most 64), got {name!r}"
        )
    if not inspect.iscoroutinefunction(getattr(plugin, "execute", None)):
        raise TypeError("execute must be an `async def` method")
    if not isinstance(getattr(plugin, "version", "0"), str):
        raise TypeError("version must be text")
    schema = getattr(plugin, "config_schema", None)
    if schema is not None and not (inspect.isclass(schema) and issubclass(schema, msgspec.Struct)):
        raise TypeError("config_schema must be a msgspec.Struct class")
    schedule = getattr(plugin, "schedule", None)
    if schedule is not None and not isinstance(schedule, JobSchedule):
        raise TypeError("schedule must be a JobSchedule")
    return plugin


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
