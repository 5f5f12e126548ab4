"""The real AsyncIOScheduler: started by the app's lifespan with every enabled job
scheduled, rescheduled live on a change, stopped with the app. No job fires: the test
reads what is scheduled and never waits for a time."""

import os
import socket
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from litestar.testing import AsyncTestClient

from adapters.container import Container, build_container
from adapters.http.app import create_app
from adapters.settings import convert

NY = ZoneInfo("America/New_York")


def _container(tmp_path: Path, *, scheduler: bool) -> Container:
    return build_container(
        convert(
            {
                "database": {"url": str(tmp_path / "s.db")},
                "server": {"scheduler": scheduler},
                "scheduler": {"plugins_dir": str(tmp_path / "none")},
            }
        )
    )


async def test_the_lifespan_starts_and_stops_the_real_scheduler(tmp_path: Path) -> None:
    container = _container(tmp_path, scheduler=True)
    scheduler = container.scheduler()
    async with AsyncTestClient(create_app(container)) as client:
        assert scheduler.running
        aps = scheduler._aps
        assert aps is not None
        scheduled = {job.id: job for job in aps.get_jobs()}
        assert sorted(scheduled) == [
            "daily_snapshot",
            "opportunity_scan",
            "price_refresh",
            "risk_monitor",
            "schwab_login_watch",
        ]
        assert all(job.next_run_time is not None for job in scheduled.values())
        assert scheduled["price_refresh"].max_instances == 1
        assert scheduled["price_refresh"].coalesce is True
        assert scheduled["price_refresh"].misfire_grace_time == 300
        health = (await client.get("/api/v1/health")).json()["scheduler"]
        assert health["status"] == "running"
        assert health["jobs"] == 5
        assert health["next_run_at"] is not None

        response = await client.patch("/api/v1/jobs/price_refresh", json={"enabled": False})
        assert response.status_code == 200, response.text
        assert sorted(job.id for job in aps.get_jobs()) == [
            "daily_snapshot",
            "opportunity_scan",
            "risk_monitor",
            "schwab_login_watch",
        ]
        change = {"enabled": True, "cron": "0 12 * * *", "only_when": "always"}
        await client.patch("/api/v1/jobs/price_refresh", json=change)
        when = aps.get_job("price_refresh").next_run_time.astimezone(NY)
        assert (when.hour, when.minute) == (12, 0)
    assert not scheduler.running


async def test_changes_survive_a_restart(tmp_path: Path) -> None:
    async with AsyncTestClient(create_app(_container(tmp_path, scheduler=False))) as client:
        await client.patch("/api/v1/jobs/risk_monitor", json={"interval_minutes": 30})
    container = _container(tmp_path, scheduler=False)
    async with AsyncTestClient(create_app(container)) as client:
        job = (await client.get("/api/v1/jobs/risk_monitor")).json()
        health = (await client.get("/api/v1/health")).json()["scheduler"]
    assert job["interval_minutes"] == 30
    assert job["schedule"] == "every 30 min while the market is open"
    assert health.pop("identity").startswith(f"{socket.gethostname()}:{os.getpid()}:")
    assert health == {
        "status": "disabled",
        "jobs": 0,
        "next_run_at": None,
        "next_job": None,
        "role": None,
        "leader": None,
        "lease_expires_at": None,
    }, "a process that does not run jobs takes no part in the lease, and none leads"


async def test_changes_made_to_a_running_scheduler_are_scheduled_after_a_restart(
    tmp_path: Path,
) -> None:
    async with AsyncTestClient(create_app(_container(tmp_path, scheduler=True))) as client:
        change = {"cron": "0 12 * * *", "only_when": "always"}
        assert (await client.patch("/api/v1/jobs/price_refresh", json=change)).status_code == 200
        off = await client.patch("/api/v1/jobs/risk_monitor", json={"enabled": False})
        assert off.status_code == 200

    container = _container(tmp_path, scheduler=True)  # a new process on the same file
    scheduler = container.scheduler()
    async with AsyncTestClient(create_app(container)):
        aps = scheduler._aps
        assert aps is not None
        assert sorted(job.id for job in aps.get_jobs()) == [
            "daily_snapshot",
            "opportunity_scan",
            "price_refresh",
            "schwab_login_watch",
        ]
        refresh = aps.get_job("price_refresh")
        assert isinstance(refresh.trigger, CronTrigger)  # not wrapped in a market gate
        when = refresh.next_run_time.astimezone(NY)
        assert (when.hour, when.minute) == (12, 0)
