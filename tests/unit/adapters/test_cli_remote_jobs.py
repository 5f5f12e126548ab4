"""Remote ``jobs``/``plugins``: names refused as the local scheduler refuses them, a run
waited for as long as the job may take, and config numbers kept to their digits."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import msgspec
import pytest

from adapters.cli.remote.jobs import RUN_ANSWER_MARGIN, RemoteJobControl
from adapters.scheduler.history import JobRunQuery, JobRunView
from adapters.scheduler.views import JobView
from wheel_core.domain.errors import NotFoundError

AT = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
JOB = JobView(
    name="opportunity_scan",
    kind="core",
    description="scan",
    enabled=True,
    interval_minutes=None,
    cron="45 9 * * mon-fri",
    timezone="America/New_York",
    only_when="trading_day",
    timeout_seconds=600,
    schedule="cron",
    next_run_at=None,
    running=False,
    last_run=None,
)
RUN = JobRunView(
    id=7,
    job="opportunity_scan",
    trigger="manual",
    status="success",
    started_at=AT,
    finished_at=AT,
    duration_seconds=0.0,
    error=None,
    summary="3 new",
)


def control(answer: dict[tuple[str, str], object], seen: list[httpx.Request]) -> RemoteJobControl:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = answer[(request.method, request.url.path)]
        return httpx.Response(200, content=msgspec.json.encode(body))

    client = httpx.AsyncClient(
        base_url="http://127.0.0.1:8000", transport=httpx.MockTransport(handle), timeout=30.0
    )
    return RemoteJobControl(client)


async def test_a_run_is_waited_for_as_long_as_the_job_may_take() -> None:
    seen: list[httpx.Request] = []
    jobs = control(
        {
            ("GET", "/api/v1/jobs/opportunity_scan"): JOB,
            ("POST", "/api/v1/jobs/opportunity_scan/run"): RUN,
        },
        seen,
    )
    assert await jobs.run_now("opportunity_scan") == RUN
    run = seen[-1]
    assert run.method == "POST"
    assert run.extensions["timeout"]["read"] == 600 + RUN_ANSWER_MARGIN
    assert seen[0].extensions["timeout"]["read"] == 30.0, "other requests keep the default"


async def test_names_the_api_would_refuse_are_not_found_as_locally() -> None:
    jobs = control({}, [])
    with pytest.raises(NotFoundError, match="job 'Bad-Name' not found"):
        await jobs.get_job("Bad-Name")
    with pytest.raises(NotFoundError, match="plugin 'a/b' not found"):
        await jobs.get_plugin("a/b")
    empty = await jobs.list_runs(JobRunQuery(job="Bad-Name", limit=5))
    assert (empty.items, empty.total) == ([], 0)


async def test_untyped_numbers_keep_their_digits() -> None:
    raw = (
        b'{"name":"p","description":"","version":"1","source":"file:p.py","status":"enabled",'
        b'"enabled":true,"reason":null,"config":{"target_pct":40.50,'
        b'"big":12345678901234567.891},"config_schema":{}}'
    )

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=raw)

    client = httpx.AsyncClient(base_url="http://x", transport=httpx.MockTransport(handle))
    shown = await RemoteJobControl(client).get_plugin("p")
    assert shown.config == {
        "target_pct": Decimal("40.50"),
        "big": Decimal("12345678901234567.891"),
    }
