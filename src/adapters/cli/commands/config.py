"""``wheel-strategy config ...``: the settings in effect, and whether a settings file is valid.

Secrets are never printed: ``config show`` asks the operations service
(``adapters/operations``) for the settings with secrets redacted locally, and the server
redacts its own before answering ``GET /api/v1/system/config``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import msgspec
from cyclopts import App, Parameter

from adapters.cli.options import GlobalOptions, Globals
from adapters.cli.output import Output
from adapters.cli.runner import EXIT_USAGE, refuse_usage, run

if TYPE_CHECKING:
    from adapters.operations import Operations
    from adapters.settings import Settings

app = App(name="config", help="Show the settings in effect; check a settings file.")

INDENT = "  "


class ConfigCheck(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of ``config validate``: ``error`` names the bad key and its source."""

    valid: bool
    file: str | None
    """The settings file that was read (``None``: no file, defaults and environment only)."""
    error: str | None = None


@app.command
def show(*, options: Globals) -> None:
    """The effective settings (file < stored changes < environment < flags), secrets as `***`.

    In direct mode these are the settings a command here runs on, including the
    run-time changes saved in the database; in remote mode, the server's.

    Example: `wheel-strategy config show --json`
    """

    async def work() -> Settings:
        return await (_remote_settings(options) if options.remote else _local_settings(options))

    Output(options).result(run(options, work), lambda s: "\n".join(yaml_lines(_plain(s))))


async def _local_settings(options: GlobalOptions) -> Settings:
    """The file, environment and ``--db`` settings, with the stored run-time changes of an
    existing database on top (a database that does not exist yet is not created)."""
    from adapters.cli.session import local_settings
    from adapters.container import build_container, stop
    from adapters.operations.database import exists
    from adapters.settings import redacted

    settings = local_settings(options)
    if not exists(settings.database.url):
        return redacted(settings)
    container = build_container(settings)
    try:
        operations: Operations = container.operations()
        return await operations.settings_with_stored()
    finally:
        await stop(container)


async def _remote_settings(options: GlobalOptions) -> Settings:
    from adapters.cli import remote
    from adapters.cli.remote.client import Api
    from adapters.settings import Settings

    async with remote.connect(options.server, options.api_token) as client:
        return await Api(client).call("GET", "/system/config", Settings)


def _plain(settings: Settings) -> dict[str, Any]:
    plain: dict[str, Any] = msgspec.to_builtins(settings, builtin_types=(Decimal, date))
    return plain


def yaml_lines(node: Mapping[str, Any], depth: int = 0) -> Iterator[str]:
    """Nested settings as YAML-looking lines: sections indented, lists in brackets."""
    for key, value in node.items():
        if isinstance(value, Mapping):
            yield f"{INDENT * depth}{key}:"
            yield from yaml_lines(value, depth + 1)
        else:
            yield f"{INDENT * depth}{key}: {_scalar(value)}"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_scalar(item) for item in value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@app.command
def validate(
    path: Annotated[
        Path | None,
        Parameter(help="The settings file. [default: --config-file, else the usual places]"),
    ] = None,
    /,
    *,
    options: Globals,
) -> None:
    """Check a settings file with the environment on top; exit 2 naming the bad key.

    Reads the file as `serve` and every direct-mode command would (the `WHEEL_STRATEGY_*`
    environment included) and prints `valid`, or the one line saying which key is
    wrong and where it came from. Nothing is started or written.

    Example: `wheel-strategy config validate config/server.yaml`
    """
    from adapters.settings import SettingsError, config_file, load_settings

    chosen = path if path is not None else options.config_file
    try:
        found = config_file(chosen)
        load_settings(config=found)
    except SettingsError as error:
        file = None if chosen is None else str(chosen)
        if not options.json:
            refuse_usage(str(error))
        Output(options).result(ConfigCheck(valid=False, file=file, error=str(error)), str)
        raise SystemExit(EXIT_USAGE) from None
    check = ConfigCheck(valid=True, file=None if found is None else str(found))
    Output(options).result(check, _valid_line)


def _valid_line(check: ConfigCheck) -> str:
    if check.file is None:
        return "valid (no settings file: defaults and environment)"
    return f"valid: {check.file}"
