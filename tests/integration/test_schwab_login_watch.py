"""The Schwab login watch: one alert per login from day 6, through the notifier, stored.

The job runs over a real container (SQLite in ``tmp_path``) with a recording notifier
and the fake clock moved hour by hour; the token is a file in ``tmp_path``. No network
(the live-hours source is a fake), no real time.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from api_moment import API_NOW
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.container import Container, build_container, start, stop
from adapters.http.app import create_app
from adapters.scheduler.jobs import JobFailedError
from adapters.scheduler.token_watch import ALERT_KIND, alert_key, schwab_login_job
from adapters.settings import convert
from wheel_core.ports import AlertQuery
from wheel_core.testing.fakes import FakeClock, RecordingNotifier

SECRET_REFRESH = "SECRET-REFRESH-TOKEN-0c5a"


def log_in(path: Path, at: datetime) -> None:
    token = {"access_token": "SECRET-ACCESS", "refresh_token": SECRET_REFRESH, "expires_in": 1800}
    path.write_text(json.dumps({"creation_timestamp": int(at.timestamp()), "token": token}))
    path.chmod(0o600)


class NoLiveHours:
    async def session_on(self, day: Any) -> None:
        return None


def container_of(tmp_path: Path, clock: FakeClock, provider: str = "schwab") -> Container:
    container = build_container(
        convert(
            {
                "database": {"url": str(tmp_path / "w.db")},
                "server": {"scheduler": False},
                "market_data": {"provider": provider},
                "schwab": {
                    "api_key": "app-key",
                    "app_secret": "app-secret",
                    "token_path": str(tmp_path / "token.json"),
                },
            }
        )
    )
    container.clock.override(providers.Object(clock))
    container.notifier.override(providers.Object(RecordingNotifier()))
    container.schwab_market.override(providers.Object(NoLiveHours()))
    return container


async def stored_alerts(container: Container) -> list[Any]:
    page = await container.service().list_alerts(AlertQuery(limit=100))
    return [alert for alert in page.items if alert.kind == ALERT_KIND]


async def test_one_alert_per_login_from_day_six_however_often_the_watch_runs(
    tmp_path: Path, api_clock: FakeClock
) -> None:
    token = tmp_path / "token.json"
    log_in(token, API_NOW)
    container = container_of(tmp_path, api_clock)
    await start(container)
    try:
        job = schwab_login_job(container.settings, container.clock(), container.service)
        notifier: RecordingNotifier = container.notifier()
        summaries: dict[timedelta, str] = {}
        for hour in range(5 * 24 + 20, 9 * 24 + 1):  # hourly, day 5.8 to day 9: 77 runs
            api_clock.set(API_NOW + timedelta(hours=hour))
            summaries[timedelta(hours=hour)] = await job.action()

        assert summaries[timedelta(days=6, hours=-1)].startswith("the Schwab login is 6.0 days")
        assert summaries[timedelta(days=6, hours=-1)].endswith("2026-12-01 15:00 UTC")
        assert summaries[timedelta(days=6)].endswith("alert raised")
        assert summaries[timedelta(days=6, hours=1)].endswith("already alerted")
        assert summaries[timedelta(days=8)].endswith("already alerted")
        [alert] = await stored_alerts(container)
        assert [sent.key for sent in notifier.sent] == [alert.key] == [alert_key(API_NOW)]
        assert alert.level == "high"
        assert alert.created_at == API_NOW + timedelta(days=6)
        assert alert.message == (
            "The Schwab login of 2026-11-24 15:00 UTC is 6.0 days old and ends about "
            "2026-12-01 15:00 UTC: run `wheel-strategy schwab login`, or every price goes stale."
        )
        assert SECRET_REFRESH not in alert.message

        # A new login is watched afresh: its own one alert, six days on.
        log_in(token, API_NOW + timedelta(days=9))
        for hour in range(9 * 24, 16 * 24, 6):
            api_clock.set(API_NOW + timedelta(hours=hour))
            await job.action()
        assert len(await stored_alerts(container)) == 2
        assert [sent.key for sent in notifier.sent] == [
            alert_key(API_NOW),
            alert_key(API_NOW + timedelta(days=9)),
        ]
    finally:
        await stop(container)


async def test_the_watch_has_nothing_to_do_on_the_simulated_market(
    tmp_path: Path, api_clock: FakeClock
) -> None:
    log_in(tmp_path / "token.json", API_NOW - timedelta(days=10))
    container = container_of(tmp_path, api_clock, provider="simulated")
    await start(container)
    try:
        job = schwab_login_job(container.settings, container.clock(), container.service)
        assert await job.action() == "market data is not from Schwab: no login to watch"
        assert await stored_alerts(container) == []
    finally:
        await stop(container)


async def test_the_watch_fails_its_run_saying_to_log_in_when_the_login_is_gone(
    tmp_path: Path, api_clock: FakeClock
) -> None:
    log_in(tmp_path / "token.json", API_NOW)
    container = container_of(tmp_path, api_clock)
    await start(container)
    try:
        (tmp_path / "token.json").unlink()
        job = schwab_login_job(container.settings, container.clock(), container.service)
        with pytest.raises(JobFailedError, match=r"no Schwab login found at .*schwab login"):
            await job.action()
    finally:
        await stop(container)


async def test_a_server_started_on_day_six_alerts_once_at_start(
    tmp_path: Path, api_clock: FakeClock
) -> None:
    log_in(tmp_path / "token.json", API_NOW - timedelta(days=6, hours=3))
    for _restart in range(2):
        container = container_of(tmp_path, api_clock)
        async with AsyncTestClient(create_app(container)) as client:
            listed = (await client.get("/api/v1/alerts")).json()
        assert [item["kind"] for item in listed["items"]] == [ALERT_KIND]
    notifier: RecordingNotifier = container.notifier()
    assert notifier.sent == []  # the second start found the alert already raised
