"""What handlers receive, read from the container on ``app.state``.

These are Litestar ``Provide`` functions, not dependency-injector wiring (DESIGN §5):
handlers ask for ``service`` by name, and a test that overrides a container provider
changes what every handler gets.
"""

from __future__ import annotations

from typing import Annotated

from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Dependency

from adapters.container import Container
from adapters.settings import Settings
from wheel_core.app.facade import WheelFacade


def container_of(state: State) -> Container:
    container: Container = state.container
    return container


Facade = Annotated[WheelFacade, Dependency(skip_validation=True)]
"""What a handler asks for as ``service``: the driving port, not its implementation.
Litestar cannot check a value against a Protocol, hence ``skip_validation``."""


def _service(state: State) -> WheelFacade:
    service: WheelFacade = container_of(state).service()
    return service


def _settings(state: State) -> Settings:
    settings: Settings = container_of(state).settings()
    return settings


DEPENDENCIES = {
    "service": Provide(_service, sync_to_thread=False),
    "settings": Provide(_settings, sync_to_thread=False),
}
