"""Where a command's facade comes from: the database itself, or the server.

Direct mode builds the container from the settings (config file < environment <
``--db``), runs the migrations and hands out :class:`WheelService`; remote mode hands
out :class:`RemoteWheelService` over httpx. Both are a :class:`WheelFacade`, so a
command cannot tell them apart — which is what makes their output identical.
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
async def open_facade(options: GlobalOptions) -> AsyncIterator[WheelFacade]:
    if options.remote:
        async with _remote(options) as facade:
            yield facade
    else:
        async with _direct(options) as facade:
            yield facade


@asynccontextmanager
async def _direct(options: GlobalOptions) -> AsyncIterator[WheelFacade]:
    from adapters.container import build_container, start, stop

    container = build_container(local_settings(options))
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
