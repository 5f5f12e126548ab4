"""The real Litestar app on a real SQLite file in a tmp dir, the simulated market and a
fake clock: what every HTTP integration test drives."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from api_moment import API_NOW
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.container import Container, build_container
from adapters.http.app import create_app
from adapters.settings import convert
from wheel_core.testing.fakes import FakeClock


@pytest.fixture
def api_clock() -> FakeClock:
    return FakeClock(API_NOW)


@pytest.fixture
def api_container(tmp_path: Path, api_clock: FakeClock) -> Container:
    # The background jobs stay off: APScheduler fires on the real clock, which no test
    # may depend on. Tests of the running scheduler switch it on for themselves.
    container = build_container(
        convert({"database": {"url": str(tmp_path / "api.db")}, "server": {"scheduler": False}})
    )
    container.clock.override(providers.Object(api_clock))
    return container


@pytest.fixture
async def api(api_container: Container) -> AsyncIterator[AsyncTestClient]:
    """A client of the app; paths are absolute (``/api/v1/...``)."""
    async with AsyncTestClient(create_app(api_container)) as client:
        yield client
