"""Plugin code in a thread of its own: what would stop the process becomes a failed run,
what blocks stays in its thread and times out, a timed-out plugin is not started again
while its thread runs, and its awaits on the server's services run on the server's loop.
A hung or exiting import is a failed plugin, not a stuck or dead start-up."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from scheduler_harness import build, ny

from adapters.market_data.calendar import NyseCalendar
from adapters.scheduler import Plugin, PluginContext
from adapters.scheduler.discovery import Discovery, LoadedPlugin, discover
from adapters.scheduler.schedules import JobSchedule
from wheel_core.testing.fakes import FakeClock

NEVER = JobSchedule(cron="0 3 1 1 *", only_when="always")
BOUND = 10.0
"""Seconds any wait of these tests may last at most (a failure, never a pass)."""


def _discovered(*plugins: object) -> Discovery:
    return Discovery(loaded=[LoadedPlugin(p, "test") for p in plugins], failed=[])


def _harness(*plugins: object, timeout: float | None = None) -> Any:
    clock = FakeClock(ny(2026, 11, 24, 10).astimezone(UTC))
    return build(clock, NyseCalendar(), discovery=_discovered(*plugins), timeout=timeout)


class Raises(Plugin):
    schedule = NEVER

    def __init__(self, name: str, error: BaseException) -> None:
        self.name = name  # type: ignore[misc]
        self.error = error

    async def execute(self, context: PluginContext) -> str:
        raise self.error


@pytest.mark.parametrize(
    ("error", "named"),
    [
        (SystemExit(3), "SystemExit: 3"),
        (KeyboardInterrupt(), "KeyboardInterrupt"),
        (GeneratorExit(), "GeneratorExit"),
        (asyncio.CancelledError(), "CancelledError"),  # not asked for: the plugin's own
    ],
)
async def test_what_would_stop_the_process_is_a_failed_run(
    error: BaseException, named: str
) -> None:
    plugin = Raises("exits", error)
    harness = _harness(plugin, Raises("fine_after", ValueError("its own")))

    run = await harness.scheduler.run_now("exits")

    assert (run.status, run.error) == ("failure", named)
    view = await harness.scheduler.get_plugin("exits")
    assert (view.status, view.fault) == ("disabled", True)
    assert view.reason is not None and view.reason.startswith(f"failed: {named} (at ")
    other = await harness.scheduler.run_now("fine_after")  # the scheduler goes on
    assert (other.status, other.error) == ("failure", "ValueError: its own")


class Blocks(Plugin):
    """Blocks its loop synchronously until the test releases it (bounded)."""

    name = "blocks"
    schedule = NEVER

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.woke: list[bool] = []

    async def execute(self, context: PluginContext) -> str:
        self.started.set()
        self.woke.append(self.release.wait(BOUND))  # the fault: a blocking call
        return "woke up"


async def test_a_plugin_that_blocks_times_out_in_its_thread_and_is_not_started_again() -> None:
    blocks = Blocks()
    harness = _harness(blocks, timeout=0.05)
    try:
        first = await harness.scheduler.run_now("blocks")  # ends while the plugin blocks
        assert blocks.woke == [], "the run waited for the blocking call: the loop was frozen"
        assert (first.status, first.error) == ("timeout", "did not finish within 0.05 s; cancelled")
        view = await harness.scheduler.get_plugin("blocks")
        assert (view.enabled, view.fault) == (True, True)  # once: on; its thread still runs

        second = await harness.scheduler.run_now("blocks")
        assert (second.status, second.error) == (
            "failure",
            "not started: plugin blocks execute timed out and its thread still runs",
        )
        view = await harness.scheduler.get_plugin("blocks")
        assert (view.status, view.fault) == ("disabled", True)
        assert view.reason == "timed out 2 runs in a row (at 2026-11-24T15:00:00+00:00)"
    finally:
        blocks.release.set()


async def test_a_success_between_two_timeouts_keeps_the_plugin_on() -> None:
    class SlowOnce(Plugin):
        name = "slow_once"
        schedule = NEVER
        hang = True

        async def execute(self, context: PluginContext) -> str:
            if self.hang:
                await asyncio.Event().wait()  # cancelled in its own loop: the thread ends
            return "quick"

    plugin = SlowOnce()
    harness = _harness(plugin, timeout=0.05)
    assert (await harness.scheduler.run_now("slow_once")).status == "timeout"
    plugin.hang = False
    assert (await harness.scheduler.run_now("slow_once")).status == "success"
    plugin.hang = True
    assert (await harness.scheduler.run_now("slow_once")).status == "timeout"
    view = await harness.scheduler.get_plugin("slow_once")
    assert (view.status, view.fault) == ("enabled", False)  # not in a row; thread ended


async def test_the_plugin_s_awaits_on_its_context_run_on_the_server_s_loop() -> None:
    seen: dict[str, object] = {}

    class Looks(Plugin):
        name = "looks"
        schedule = NEVER

        async def execute(self, context: PluginContext) -> str:
            seen["plugin_thread"] = threading.get_ident()
            wheels = await context.service.list_wheels(active=True)
            await context.raise_alert(key="looks:1", message="from its thread")
            return f"{len(wheels)} wheels"

    harness = _harness(Looks())
    facade_list = harness.facade.list_wheels

    async def list_wheels(**kwargs: Any) -> Any:
        seen["service_loop"] = asyncio.get_running_loop()
        seen["service_thread"] = threading.get_ident()
        return await facade_list(**kwargs)

    harness.facade.list_wheels = list_wheels
    run = await harness.scheduler.run_now("looks")

    assert (run.status, run.summary) == ("success", "0 wheels")
    assert seen["service_loop"] is asyncio.get_running_loop()
    assert seen["service_thread"] == threading.get_ident() != seen["plugin_thread"]
    assert [alert.message for alert in harness.notifier.sent] == ["from its thread"]


HANGS_AT_IMPORT = """
import threading

threading.Event().wait({bound})  # the fault: an import that does not end (bounded here)

from adapters.scheduler import Plugin


class LateArrival(Plugin):
    name = "late_arrival"

    async def execute(self, context):
        return "too late"
"""

WORKS = """
from adapters.scheduler import Plugin


class Works(Plugin):
    name = "works"

    async def execute(self, context):
        return "fine"
"""

EXITS_IN_CONSTRUCTOR = """
from adapters.scheduler import Plugin


class ExitsAtBirth(Plugin):
    name = "exits_at_birth"

    def __init__(self):
        raise SystemExit("no")

    async def execute(self, context):
        return "never"
"""


def test_an_import_past_its_time_limit_is_a_failed_plugin_and_the_others_load(
    tmp_path: Path,
) -> None:
    (tmp_path / "hangs.py").write_text(HANGS_AT_IMPORT.format(bound=BOUND))
    (tmp_path / "works.py").write_text(WORKS)
    (tmp_path / "exits_at_birth.py").write_text(EXITS_IN_CONSTRUCTOR)

    found = discover(tmp_path, import_timeout=0.05)

    assert [item.plugin.name for item in found.loaded] == ["works"]
    failures = {failure.name: failure.error for failure in found.failed}
    assert failures == {
        "hangs": "import did not finish within 0.05 s; skipped (its thread is left)",
        "exits_at_birth": "SystemExit: no",
    }
