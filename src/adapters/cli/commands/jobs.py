"""``wheel-strategy jobs``: the background jobs, their schedules, runs on demand, history.

In remote mode these are the server's jobs (its scheduler runs them on schedule); in
direct mode, the settings stored in the database, and ``jobs run`` runs the job here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal

from cyclopts import App, Parameter

from adapters.cli.arguments import build
from adapters.cli.monitoring_tables import job_view, jobs_table, run_line, runs_table
from adapters.cli.options import Globals
from adapters.cli.output import Output
from adapters.cli.runner import EXIT_REFUSED, refuse_usage
from adapters.cli.scheduling import run_jobs

if TYPE_CHECKING:
    from adapters.scheduler.control import JobControl
    from adapters.scheduler.history import JobRunView
    from adapters.scheduler.lease import LeaseView
    from adapters.scheduler.views import JobView
    from wheel_core.app.views import Page

app = App(
    name="jobs",
    help=(
        "Background jobs: list, show, change the schedule, run now, run history.\n\n"
        "Example: `wheel-strategy jobs run daily_snapshot`"
    ),
)

JobName = Annotated[
    str,
    Parameter(
        help="price_refresh, risk_monitor, daily_snapshot, opportunity_scan, "
        "schwab_login_watch or a plugin."
    ),
]
RunStatus = Literal["running", "success", "failure", "timeout", "skipped_market_closed"]
OnlyWhen = Literal["market_open", "trading_day", "always"]
FAILED = ("failure", "timeout")


@app.default
@app.command(name="list")
def list_(*, options: Globals) -> None:
    """Every job with its schedule, next run and last run, and the process that runs
    them on their schedule (the leader: one process at a time does).

    Example: `wheel-strategy jobs`
    """

    async def work(jobs: JobControl) -> tuple[list[JobView], LeaseView | None]:
        listed = await jobs.list_jobs()
        return listed, None if options.json else await jobs.leader()

    listed, leader = run_jobs(options, work)
    Output(options).result(listed, lambda found: jobs_table(found, leader))


@app.command
def show(name: JobName, /, *, options: Globals) -> None:
    """One job's settings, next run and last run.

    Example: `wheel-strategy jobs show daily_snapshot`
    """

    async def work(jobs: JobControl) -> JobView:
        return await jobs.get_job(name)

    Output(options).result(run_jobs(options, work), job_view)


@app.command
def run(name: JobName, /, *, options: Globals) -> None:
    """Run a job now, whatever its schedule or the market hours; exit code 1 when the run
    failed or timed out (the run is recorded either way).

    Example: `wheel-strategy jobs run opportunity_scan`
    """

    async def work(jobs: JobControl) -> JobRunView:
        return await jobs.run_now(name)

    finished = run_jobs(options, work)
    Output(options).result(finished, run_line)
    if finished.status in FAILED:
        raise SystemExit(EXIT_REFUSED)


@app.command
def history(
    *,
    job: Annotated[str | None, Parameter(help="Only this job's runs.")] = None,
    status: Annotated[RunStatus | None, Parameter(help="Only runs that ended so.")] = None,
    since: Annotated[
        date | None, Parameter(name="--from", help="Started on or after this day (UTC).")
    ] = None,
    until: Annotated[
        date | None, Parameter(name="--to", help="Started on or before this day (UTC).")
    ] = None,
    limit: Annotated[int, Parameter(help="At most this many, newest first.")] = 50,
    options: Globals,
) -> None:
    """Recorded runs, newest first: trigger, duration, status, summary or error.

    Example: `wheel-strategy jobs history --job price_refresh --status failure`
    """
    if not 1 <= limit <= 500:
        refuse_usage(f"invalid --limit: expected 1 to 500, got {limit}")

    async def work(jobs: JobControl) -> Page[JobRunView]:
        from adapters.scheduler.history import JobRunQuery

        query = JobRunQuery(job=job, status=status, day_from=since, day_to=until, limit=limit)
        return await jobs.list_runs(query)

    Output(options).result(run_jobs(options, work), runs_table)


@app.command(name="set")
def set_(
    name: JobName,
    /,
    *,
    enable: Annotated[
        bool | None, Parameter(negative="--disable", help="Switch the job on or off.")
    ] = None,
    every: Annotated[
        int | None, Parameter(help="Run every this many minutes (replaces --cron).")
    ] = None,
    cron: Annotated[
        str | None,
        Parameter(help='Five crontab fields, e.g. "45 9,12 * * mon-fri" (replaces --every).'),
    ] = None,
    timezone: Annotated[str | None, Parameter(help="Where --cron is read.")] = None,
    when: Annotated[OnlyWhen | None, Parameter(help="Skip runs outside these hours.")] = None,
    timeout: Annotated[int | None, Parameter(help="Seconds a run may take.")] = None,
    options: Globals,
) -> None:
    """Change a job's schedule; stored, and applied at once by a running server.

    Example: `wheel-strategy jobs set opportunity_scan --cron "45 9,12,15 * * mon-fri"`
    """
    if every is not None and cron is not None:
        refuse_usage("--every and --cron each replace the other: give one")

    async def work(jobs: JobControl) -> JobView:
        from adapters.settings import JobOverride

        change = build(
            JobOverride,
            {"interval_minutes": "--every", "only_when": "--when", "timeout_seconds": "--timeout",
             "enabled": "--enable"},
            enabled=enable,
            interval_minutes=every,
            cron=cron,
            timezone=timezone,
            only_when=when,
            timeout_seconds=timeout,
        )  # fmt: skip
        return await jobs.update_job(name, change)

    Output(options).result(run_jobs(options, work), job_view)
