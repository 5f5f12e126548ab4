"""What handlers receive, read from the container on ``app.state``.

These are Litestar ``Provide`` functions, not dependency-injector wiring (DESIGN §5):
handlers ask for ``service`` by name, and a test that overrides a container provider
changes what every handler gets.
"""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import Provide

from adapters.container import Container
from adapters.settings import Settings
from wheel_core.app.service import WheelService


def container_of(state: State) -> Container:
    container: Container = state.container
    return container


def _service(state: State) -> WheelService:
    service: WheelService = container_of(state).service()
    return service


def _settings(state: State) -> Settings:
    settings: Settings = container_of(state).settings()
    return settings


DEPENDENCIES = {
    "service": Provide(_service, sync_to_thread=False),
    "settings": Provide(_settings, sync_to_thread=False),
}
