"""Where a command's facade comes from: the database itself, or the server.

Direct mode builds the container from the settings (config file < environment <
``--db``), runs the migrations and hands out :class:`WheelService`; remote mode hands
out :class:`RemoteWheelService` over httpx. A command that only reads (``status``,
``list``, ``history``, ``performance`` …) opens direct mode with ``reads_only``: on a
database whose schema is current it starts without a single write transaction (no
migration run, no default portfolio made, stored settings read in a deferred
transaction); a database that needs migrating is started as for any command.
Both are a :class:`WheelFacade`, so a command cannot tell them apart — which is what
makes their output identical.
There is no fallback from one to the other: a server that cannot be reached is an
error, never a silent switch to a local file the user did not mean to write.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from adapters.cli.options import GlobalOptions

if TYPE_CHECKING:
    from adapters.settings import Settings
    from wheel_core.app.facade import WheelFacade


def local_settings(options: GlobalOptions) -> Settings:
    """The settings direct mode runs on; ``SettingsError`` names a bad key."""
    from adapters.settings import flags_layer, load_settings

    database = None if options.db is None else str(options.db.expanduser())
    return load_settings(config=options.config_file, flags=flags_layer(database__url=database))


@asynccontextmanager
async def open_facade(
    options: GlobalOptions, *, reads_only: bool = False
) -> AsyncIterator[WheelFacade]:
    """The facade of the mode ``options`` choose; ``reads_only`` promises the command
    writes nothing, so direct mode may open the database without writing (see above)."""
    if options.remote:
        async with _remote(options) as facade:
            yield facade
    else:
        async with _direct(options, reads_only=reads_only) as facade:
            yield facade


@asynccontextmanager
async def _direct(options: GlobalOptions, *, reads_only: bool) -> AsyncIterator[WheelFacade]:
    from adapters.container import build_container, start, start_to_read, stop

    container = build_container(local_settings(options))
    if not (reads_only and await start_to_read(container)):
        await start(container)
    try:
        facade: WheelFacade = container.service()
        yield facade
    finally:
        await stop(container)


@asynccontextmanager
async def _remote(options: GlobalOptions) -> AsyncIterator[WheelFacade]:
    from adapters.cli.remote import RemoteWheelService, connect

    async with connect(options.server, options.api_token) as client:
        facade: WheelFacade = RemoteWheelService(client)
        yield facade
