"""Three apps on one SQLite file, through their API and the SQL lease, on one fake clock:
two with the scheduler on (one leads, one stands by), one worker with it off (it never
takes the lease, yet says who leads). A manual run asked of the standby runs there and
is recorded once, as every app's history shows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.container import Container, build_container
from adapters.http.app import create_app
from adapters.settings import convert
from wheel_core.testing.fakes import FakeClock

OPEN = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


def _container(tmp_path: Path, clock: FakeClock, *, scheduler: bool) -> Container:
    container = build_container(
        convert(
            {
                "database": {"url": str(tmp_path / "one.db")},
                "server": {"scheduler": scheduler},
                "scheduler": {"plugins_dir": str(tmp_path / "none")},
            }
        )
    )
    container.clock.override(providers.Object(clock))
    return container


async def _forever(_: float) -> None:
    await asyncio.Event().wait()


@pytest.fixture
async def apps(tmp_path: Path) -> AsyncIterator[list[AsyncTestClient[Any]]]:
    clock = FakeClock(OPEN)
    containers = [
        _container(tmp_path, clock, scheduler=True),
        _container(tmp_path, clock, scheduler=True),
        _container(tmp_path, clock, scheduler=False),
    ]
    for container in containers:
        container.scheduler()._pause = _forever  # no beat but the start's: the test's clock
    clients = [AsyncTestClient(create_app(container)) for container in containers]
    for client in clients:  # in order: the first to start takes the lease
        await client.__aenter__()
    try:
        yield clients
    finally:
        for client in reversed(clients):
            await client.__aexit__(None, None, None)


async def test_one_leads_one_stands_by_and_a_worker_without_a_scheduler_says_who(
    apps: list[AsyncTestClient[Any]],
) -> None:
    leader, standby, worker = [
        (await client.get("/api/v1/health")).json()["scheduler"] for client in apps
    ]
    assert (leader["status"], leader["role"], leader["jobs"]) == ("running", "leader", 5)
    assert (standby["status"], standby["role"], standby["jobs"]) == ("standby", "standby", 0)
    assert (worker["status"], worker["role"]) == ("disabled", None)
    assert leader["leader"] == standby["leader"] == worker["leader"] == leader["identity"]
    assert len({leader["identity"], standby["identity"], worker["identity"]}) == 3


async def test_a_manual_run_asked_of_the_standby_runs_there_once(
    apps: list[AsyncTestClient[Any]],
) -> None:
    _, standby, _ = apps
    response = await standby.post("/api/v1/jobs/daily_snapshot/run")
    assert response.status_code == 200, response.text
    assert response.json()["trigger"] == "manual"
    for client in apps:
        runs = (await client.get("/api/v1/jobs/runs")).json()
        assert runs["total"] == 1, "recorded once, whoever reads the history"
        assert runs["items"][0]["job"] == "daily_snapshot"
