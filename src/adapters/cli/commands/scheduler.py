"""``wheel-strategy scheduler run``: the background jobs without the server.

For a deployment with several server workers (each started with
``server.scheduler: false``) or none at all: one process must run the jobs, and this
is it; started beside another that runs them, it stands by and takes over if that one
stops (the scheduler lease). It works on the database directly, logs as the server does
(JSON on stderr, secrets redacted) and stops cleanly on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import TYPE_CHECKING

from cyclopts import App

from adapters.cli.options import GlobalOptions, Globals
from adapters.cli.output import Output
from adapters.cli.runner import refuse_usage
from adapters.cli.runner import run as run_async

if TYPE_CHECKING:
    from adapters.scheduler.views import SchedulerStatus

app = App(name="scheduler", help="Run the background jobs in this process, without the server.")


@app.command
def run(*, options: Globals) -> None:
    """Run every enabled job on its schedule until Ctrl-C or SIGTERM. One process at a
    time runs the jobs (the holder of the scheduler lease in the database): beside a
    server that runs them, this one stands by and takes over if that server stops.

    Example: `wheel-strategy --db ~/wheel.db scheduler run`
    """
    if options.remote:
        refuse_usage(
            "scheduler run works on the database itself; a server runs its own jobs "
            "(drop --api-url, or use --direct-mode)"
        )
    stopped = run_async(options, lambda: run_until_stopped(options))
    Output(options).result(stopped, lambda status: "Scheduler stopped.")


async def run_until_stopped(
    options: GlobalOptions, stop: asyncio.Event | None = None
) -> SchedulerStatus:
    """Start the jobs, say so, wait for ``stop`` (set by SIGINT/SIGTERM when not given),
    stop them; answers the status after stopping."""
    from adapters.cli.session import local_settings
    from adapters.container import build_container, start
    from adapters.container import stop as stop_container
    from adapters.logging_config import configure_logging, settings_secrets

    settings = local_settings(options)
    configure_logging(settings.server.log_level, settings_secrets(settings))
    container = build_container(settings)
    stop = stop or _stop_on_signals()
    await start(container)
    scheduler = container.scheduler()
    try:
        await scheduler.start()
        status = scheduler.status()
        nxt = "" if status.next_job is None else f"; next {status.next_job} at {status.next_run_at}"
        if status.role == "standby":  # another process runs the jobs: this one waits its turn
            print(
                f"Scheduler on standby: {status.leader} runs the jobs; this process takes over "
                "if it stops. Ctrl-C stops it.",
                file=sys.stderr,
            )
        else:
            print(f"Scheduler running {status.jobs} jobs{nxt}. Ctrl-C stops it.", file=sys.stderr)
        await stop.wait()
    finally:
        await scheduler.stop()
        await stop_container(container)
    finished: SchedulerStatus = scheduler.status()
    return finished


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    return stop
