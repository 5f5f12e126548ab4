"""Finding plugins: the files of the plugins directory and the ``wheel_strategy.plugins``
entry points.

A file is imported under its own module name (``wheel_strategy_plugins.<stem>``);
every :class:`~adapters.scheduler.plugins.Plugin` subclass it defines is a plugin (or
the object it names ``plugin``). An entry point names a plugin class or instance.
Whatever fails — an import error, a class that is not a plugin, a duplicate name — is
reported as a :class:`LoadFailure` beside the plugins that loaded, never raised: one
broken plugin must not stop the server. So is a plugin the host could load but never
serve: a constructor that raises, a name too long for an alert's kind, a config schema
that has no JSON Schema or whose defaults do not validate.

Importing a plugin runs its code: each source is imported and checked in a daemon
thread of its own, given ``import_timeout`` seconds. One that takes longer (a module
that waits on the network, or forever) is reported as failed and left to its thread;
start-up goes on without it. ``SystemExit`` or ``KeyboardInterrupt`` raised by that code
is its failure too: a real Ctrl-C reaches the main thread, never a plugin's.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import logging
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec

from adapters.scheduler.plugins import EmptyConfig, Plugin, json_schema
from adapters.scheduler.schedules import NAME_PATTERN, JobSchedule
from wheel_core.domain.errors import ValidationError

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "wheel_strategy.plugins"
MODULE_PREFIX = "wheel_strategy_plugins"
IMPORT_TIMEOUT = 10.0
"""Seconds one plugin file or entry point may take to import and check (the default of
``scheduler.plugin_import_timeout``)."""
MAX_NAME_LENGTH = 40
"""A plugin's name is the default ``kind`` of its alerts, which the core caps at 40
characters (``RaiseAlert.kind``): a longer name could never raise an alert."""


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
    import_timeout: float = IMPORT_TIMEOUT,
) -> Discovery:
    """Every plugin of ``directory`` (if it exists) and of the entry-point ``group``.

    A name in ``reserved`` (the core jobs) or seen before is refused: the first wins.
    Each source gets ``import_timeout`` seconds to import.
    """
    found: list[LoadedPlugin] = []
    failed: list[LoadFailure] = []
    if directory is not None and directory.is_dir():
        for path in sorted(directory.glob("*.py")):
            if not path.name.startswith("_"):
                source = f"file:{path}"
                _collect_within(import_timeout, _from_file(path), source, path.stem, found, failed)
    for point in sorted(entry_points(group=group), key=lambda p: p.name):
        source = f"entry_point:{point.name} = {point.value}"
        load = functools.partial(_entry_point_plugins, point)
        _collect_within(import_timeout, load, source, point.name, found, failed)
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


def _entry_point_plugins(point: EntryPoint) -> list[Any]:
    return [point.load()]


def _collect_within(
    timeout: float,
    load: Callable[[], list[Any]],
    source: str,
    fallback: str,
    found: list[LoadedPlugin],
    failed: list[LoadFailure],
) -> None:
    """:func:`_collect` in a daemon thread given ``timeout`` seconds; past it, the source
    is a failure and its thread is left (a thread cannot be stopped)."""
    own_found: list[LoadedPlugin] = []
    own_failed: list[LoadFailure] = []
    worker = threading.Thread(
        target=_collect,
        args=(load, source, fallback, own_found, own_failed),
        name=f"plugin import {fallback}",
        daemon=True,
    )
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        error = f"import did not finish within {timeout:g} s; skipped (its thread is left)"
        failed.append(LoadFailure(fallback, source, error))
        return
    found.extend(own_found)
    failed.extend(own_failed)


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
        failed.append(LoadFailure(fallback, source, _describe(error)))
        return
    for candidate in candidates:
        try:
            found.append(LoadedPlugin(checked(candidate), source))
        except (TypeError, ValueError) as error:  # what `checked` refuses, said plainly
            name = getattr(candidate, "name", fallback)
            failed.append(LoadFailure(str(name), source, str(error)))
        except BaseException as error:  # a constructor or a schema that raises anything else
            name = getattr(candidate, "name", fallback)
            failed.append(LoadFailure(str(name), source, _describe(error)))


def checked(candidate: Any) -> Any:
    """The plugin instance, after checking it has what the host needs."""
    plugin = candidate() if inspect.isclass(candidate) else candidate
    name = getattr(plugin, "name", None)
    if (
        not isinstance(name, str)
        or not re.fullmatch(NAME_PATTERN, name)
        or len(name) > MAX_NAME_LENGTH
    ):
        raise ValueError(
            "name must be lower-case letters, digits and '_' "
            f"(at most {MAX_NAME_LENGTH}, the limit of an alert's kind), got {name!r}"
        )
    if not inspect.iscoroutinefunction(getattr(plugin, "execute", None)):
        raise TypeError("execute must be an `async def` method")
    if not isinstance(getattr(plugin, "version", "0"), str):
        raise TypeError("version must be text")
    schema = getattr(plugin, "config_schema", None)
    if schema is not None and not (inspect.isclass(schema) and issubclass(schema, msgspec.Struct)):
        raise TypeError("config_schema must be a msgspec.Struct class")
    schema = schema or EmptyConfig
    try:
        json_schema(schema)
    except Exception as error:  # msgspec cannot describe a field's type
        text = " ".join(_describe(error).split())  # msgspec's message spans lines
        raise TypeError(f"config_schema has no JSON Schema: {text}") from None
    try:
        validated_config(schema, {})
    except ValidationError as error:
        raise ValueError(f"config_schema: its defaults do not validate: {error.message}") from None
    schedule = getattr(plugin, "schedule", None)
    if schedule is not None and not isinstance(schedule, JobSchedule):
        raise TypeError("schedule must be a JobSchedule")
    return plugin


def validated_config(schema: type[msgspec.Struct], raw: dict[str, Any]) -> Any:
    """``raw`` as the plugin's config Struct; ``ValidationError`` names the field
    (``config.threshold_pct: …``), or ``config`` when the schema's own checks raise
    something else (``NaN`` compared in a ``__post_init__``)."""
    known = set(schema.__struct_fields__)
    unknown = sorted(key for key in raw if key not in known)
    if unknown:
        raise ValidationError(
            f"config.{unknown[0]}: unknown field (the fields are "
            f"{', '.join(sorted(known)) or 'none'})"
        )
    try:
        return msgspec.convert(raw, schema, strict=False)
    except msgspec.ValidationError as error:
        text, marker, where = str(error).rpartition(" - at `$.")
        if marker:
            raise ValidationError(f"config.{where.rstrip('`')}: {text}") from None
        first = str(error).split(" ", 1)[0]
        field = f".{first}" if first in known else ""
        raise ValidationError(f"config{field}: {error}") from None
    except (ArithmeticError, ValueError, TypeError) as error:
        raise ValidationError(f"config: {_describe(error)}") from None


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
