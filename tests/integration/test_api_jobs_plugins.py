"""The jobs and plugins endpoints over the real app, SQLite file, simulated market and
fake clock (Tuesday 2026-11-24, 10:00 New York)."""

from pathlib import Path

from api_responses import API, assert_problem, body
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.container import Container, build_container
from adapters.http.app import create_app
from adapters.settings import JobOverride, convert
from wheel_core.testing.fakes import FakeClock

CORE = ["price_refresh", "risk_monitor", "daily_snapshot", "opportunity_scan", "schwab_login_watch"]
BUILTINS = ["earnings_alert", "premium_target", "volatility_spike"]


async def test_jobs_are_listed_with_their_schedules(api: AsyncTestClient) -> None:
    jobs = (await api.get(f"{API}/jobs")).json()
    assert [job["name"] for job in jobs] == CORE + BUILTINS
    refresh = jobs[0]
    assert refresh["kind"] == "core"
    assert refresh["enabled"] is True
    assert refresh["interval_minutes"] == 5
    assert refresh["only_when"] == "market_open"
    assert refresh["timeout_seconds"] == 300
    assert refresh["schedule"] == "every 5 min while the market is open"
    assert refresh["last_run"] is None
    snapshot = (await api.get(f"{API}/jobs/daily_snapshot")).json()
    assert snapshot["cron"] == "30 16 * * mon-fri"
    assert snapshot["timezone"] == "America/New_York"
    assert (await api.get(f"{API}/jobs/premium_target")).json()["kind"] == "plugin"
    login_watch = (await api.get(f"{API}/jobs/schwab_login_watch")).json()
    assert (login_watch["interval_minutes"], login_watch["only_when"]) == (60, "always")
    assert login_watch["enabled"] is True


async def test_an_unknown_job_is_404(api: AsyncTestClient) -> None:
    assert_problem(await api.get(f"{API}/jobs/nothing"), 404, "job 'nothing' not found")
    assert_problem(await api.post(f"{API}/jobs/nothing/run"), 404)


async def test_a_job_is_changed_validated_and_stored(api: AsyncTestClient) -> None:
    changed = await api.patch(f"{API}/jobs/opportunity_scan", json={"cron": "45 9,12 * * mon-fri"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["cron"] == "45 9,12 * * mon-fri"
    to_interval = await api.patch(f"{API}/jobs/opportunity_scan", json={"interval_minutes": 60})
    assert (to_interval.json()["interval_minutes"], to_interval.json()["cron"]) == (60, None)

    problem = assert_problem(
        await api.patch(f"{API}/jobs/opportunity_scan", json={"cron": "every day"}), 422
    )
    assert problem["detail"].startswith("cron: 'every day' is not a crontab")
    problem = assert_problem(
        await api.patch(f"{API}/jobs/price_refresh", json={"timezone": "Mars/Olympus"}), 422
    )
    assert problem["detail"].startswith("timezone: 'Mars/Olympus' is not an IANA time zone")
    assert_problem(
        await api.patch(
            f"{API}/jobs/price_refresh", json={"cron": "0 * * * *", "interval_minutes": 5}
        ),
        422,
        "not both",
    )
    assert_problem(await api.patch(f"{API}/jobs/price_refresh", json={"interval_minutes": 0}), 400)
    assert_problem(await api.patch(f"{API}/jobs/price_refresh", json={"colour": "red"}), 400)


async def test_run_now_records_a_manual_run(api: AsyncTestClient) -> None:
    response = await api.post(f"{API}/jobs/daily_snapshot/run")
    assert response.status_code == 200, response.text
    run = body(response)
    assert run["job"] == "daily_snapshot"
    assert run["trigger"] == "manual"
    assert run["status"] == "success"
    assert run["started_at"] == "2026-11-24T15:00:00Z"
    assert run["duration_seconds"] == 0
    assert run["summary"] == "0 snapshots for 2026-11-24"
    job = (await api.get(f"{API}/jobs/daily_snapshot")).json()
    assert job["last_run"]["id"] == run["id"]


async def test_the_run_history_filters_and_pages(api: AsyncTestClient) -> None:
    for name in ("daily_snapshot", "daily_snapshot", "price_refresh"):
        assert (await api.post(f"{API}/jobs/{name}/run")).status_code == 200
    page = (await api.get(f"{API}/jobs/runs", params={"limit": 2})).json()
    assert page["total"] == 3
    assert [run["job"] for run in page["items"]] == ["price_refresh", "daily_snapshot"]
    only = (await api.get(f"{API}/jobs/runs", params={"job": "daily_snapshot"})).json()
    assert only["total"] == 2
    assert (await api.get(f"{API}/jobs/runs", params={"status": "failure"})).json()["total"] == 0
    dated = {"from": "2026-11-24", "to": "2026-11-24", "status": "success"}
    assert (await api.get(f"{API}/jobs/runs", params=dated)).json()["total"] == 3
    later = {"from": "2026-11-25"}
    assert (await api.get(f"{API}/jobs/runs", params=later)).json()["total"] == 0
    assert_problem(await api.get(f"{API}/jobs/runs", params={"status": "fine"}), 400)


async def test_plugins_are_listed_and_configured(api: AsyncTestClient) -> None:
    plugins = (await api.get(f"{API}/plugins")).json()
    assert [p["name"] for p in plugins] == BUILTINS
    target = body(await api.get(f"{API}/plugins/premium_target"))
    assert target["status"] == "enabled"
    assert target["config"] == {"target_pct": 50}
    assert target["config_schema"]["properties"]["target_pct"]["type"] == "number"
    assert target["source"].endswith("plugins/premium_target.py")

    changed = await api.patch(
        f"{API}/plugins/premium_target", json={"enabled": False, "config": {"target_pct": 35}}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["status"], changed.json()["reason"]) == (
        "disabled",
        "disabled by the user",
    )
    assert body(changed)["config"] == {"target_pct": 35}
    assert (await api.get(f"{API}/jobs/premium_target")).json()["enabled"] is False

    problem = assert_problem(
        await api.patch(f"{API}/plugins/premium_target", json={"config": {"target_pct": "x"}}),
        422,
    )
    assert problem["detail"].startswith("config.target_pct:")
    assert_problem(
        await api.patch(f"{API}/plugins/volatility_spike", json={"config": {"window_days": 2}}),
        422,
        "config.window_days",
    )
    enabled = (await api.patch(f"{API}/jobs/premium_target", json={"enabled": True})).json()
    assert enabled["enabled"] is True
    assert (await api.get(f"{API}/plugins/premium_target")).json()["reason"] is None
    assert_problem(await api.get(f"{API}/plugins/nothing"), 404, "plugin 'nothing' not found")


async def test_a_plugin_that_failed_to_load_shows_why(
    tmp_path: Path, api_container: Container
) -> None:
    from adapters.scheduler.assembly import discover_plugins
    from adapters.settings import SchedulerSettings

    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "broken.py").write_text("raise RuntimeError('boom')\n")
    found = discover_plugins(SchedulerSettings(plugins_dir=str(tmp_path / "plugins")))
    api_container.plugin_discovery.override(providers.Object(found))
    async with AsyncTestClient(create_app(api_container)) as client:
        broken = (await client.get(f"{API}/plugins/broken")).json()
        refused = await client.patch(f"{API}/plugins/broken", json={"enabled": True})
    assert (broken["status"], broken["reason"]) == ("failed", "RuntimeError: boom")
    assert_problem(refused, 422, "did not load")


async def test_health_is_degraded_while_a_plugin_failed_and_names_it(
    tmp_path: Path, api_container: Container
) -> None:
    from adapters.scheduler.assembly import discover_plugins
    from adapters.settings import SchedulerSettings

    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "broken.py").write_text("raise SystemExit('bye')\n")
    found = discover_plugins(SchedulerSettings(plugins_dir=str(tmp_path / "plugins")))
    api_container.plugin_discovery.override(providers.Object(found))
    async with AsyncTestClient(create_app(api_container)) as client:
        health = (await client.get(f"{API}/health")).json()
    assert health["status"] == "degraded"
    assert health["plugins"] == {
        "status": "degraded",
        "failed": [{"name": "broken", "reason": "SystemExit: bye"}],
    }


async def test_health_shows_whether_the_scheduler_runs(
    api_container: Container, tmp_path: Path
) -> None:
    async with AsyncTestClient(create_app(api_container)) as client:
        idle = (await client.get(f"{API}/health")).json()["scheduler"]
    assert idle["status"] == "disabled"

    running_container = build_container(
        convert({"database": {"url": str(tmp_path / "running.db")}, "server": {"scheduler": True}})
    )
    async with AsyncTestClient(create_app(running_container)) as client:
        health = (await client.get(f"{API}/health")).json()["scheduler"]
    assert health["status"] == "running"
    assert health["jobs"] == 8
    assert health["next_job"] in CORE + BUILTINS


async def test_a_worker_that_runs_no_jobs_shows_what_another_process_changed(
    api: AsyncTestClient, api_container: Container, tmp_path: Path
) -> None:
    assert body(await api.get(f"{API}/jobs/price_refresh"))["enabled"] is True
    other = build_container(api_container.settings())  # the same database file
    scheduler = other.scheduler()
    await scheduler.load()
    await scheduler.update_job("price_refresh", JobOverride(enabled=False))
    await other.engine().dispose()
    assert body(await api.get(f"{API}/jobs/price_refresh"))["enabled"] is False
    listed = {job["name"]: job["enabled"] for job in body(await api.get(f"{API}/jobs"))}
    assert listed["price_refresh"] is False


RAISING_PLUGIN = """
from adapters.scheduler import Plugin


class Flaky(Plugin):
    name = "flaky"

    async def execute(self, context):
        raise KeyError("AAPL")
"""


async def test_a_plugin_that_raises_is_disabled_with_the_reason_even_after_a_restart(
    tmp_path: Path, api_clock: FakeClock
) -> None:
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "flaky.py").write_text(RAISING_PLUGIN)

    def container() -> Container:
        built = build_container(
            convert(
                {
                    "database": {"url": str(tmp_path / "restart.db")},
                    "server": {"scheduler": False},
                    "scheduler": {"plugins_dir": str(tmp_path / "plugins")},
                }
            )
        )
        built.clock.override(providers.Object(api_clock))
        return built

    async with AsyncTestClient(create_app(container())) as client:
        assert (await client.get(f"{API}/plugins/flaky")).json()["status"] == "enabled"
        run = body(await client.post(f"{API}/jobs/flaky/run"))
        assert (run["status"], run["error"]) == ("failure", "KeyError: 'AAPL'")
        failed = body(await client.get(f"{API}/jobs/runs", params={"status": "failure"}))
        assert [(r["job"], r["id"]) for r in failed["items"]] == [("flaky", run["id"])]
        core = body(await client.post(f"{API}/jobs/daily_snapshot/run"))
        assert core["status"] == "success"  # the others go on

    reason = "failed: KeyError: 'AAPL' (at 2026-11-24T15:00:00+00:00)"
    async with AsyncTestClient(create_app(container())) as client:  # the same file, restarted
        plugin = (await client.get(f"{API}/plugins/flaky")).json()
        job = (await client.get(f"{API}/jobs/flaky")).json()
        assert (plugin["status"], plugin["enabled"], plugin["reason"]) == (
            "disabled",
            False,
            reason,
        )
        assert job["enabled"] is False
        assert job["last_run"]["id"] == run["id"]
        enabled = body(await client.patch(f"{API}/plugins/flaky", json={"enabled": True}))
        assert (enabled["status"], enabled["reason"]) == ("enabled", None)
