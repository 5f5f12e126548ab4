"""Plugins that raise ``SystemExit``, block the loop or hang at import, on a real
``serve`` process: the server goes on answering, records each fault and says so in
``/health``.

Each test writes its plugin files into the server's ``plugins`` directory (the default
``scheduler.plugins_dir``, read from the working directory, which the harness puts in
``tmp_path``). The plugins' schedules never fire on their own (1 January, 03:00); the
tests run them with ``POST /jobs/{name}/run``. Time is bounded by small limits: a 3 s
run timeout, a 1 s import limit, 1 s per health request.
"""

from __future__ import annotations

import signal
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from serve_process import Server, running_server

API = "/api/v1"
HEALTH_TIMEOUT = 1.0
"""Seconds a health request may take: a frozen server (the fault) never answers within
it; one that is not frozen answers in milliseconds."""
RUN_TIMEOUT = 3
"""The blocking plugin's run timeout (its schedule's ``timeout_seconds``)."""
HEALTH_SAMPLES = 20

PLUGIN_HEADER = """
from adapters.scheduler import JobSchedule, Plugin

NEVER = JobSchedule(cron="0 3 1 1 *", only_when="always", timeout_seconds={timeout})
"""

EXITS = """
class Exits(Plugin):
    name = "exits"
    schedule = NEVER

    async def execute(self, context):
        raise SystemExit(3)
"""

INTERRUPTS = """
class Interrupts(Plugin):
    name = "interrupts"
    schedule = NEVER

    async def execute(self, context):
        raise KeyboardInterrupt
"""

BLOCKS = """
import time
from pathlib import Path


class Blocks(Plugin):
    name = "blocks"
    schedule = NEVER

    async def execute(self, context):
        Path("blocks.started").write_text("now")  # the server's working directory
        time.sleep(30)  # the fault under test: a synchronous call in async code
        return "woke up"
"""

HANGS_AT_IMPORT = """
import time

time.sleep(3600)  # the fault under test: an import that never ends
"""

USES_CONTEXT = """
class UsesContext(Plugin):
    name = "uses_context"
    schedule = NEVER

    async def execute(self, context):
        portfolios = await context.service.list_portfolios()
        quote = await context.market.get_quote("AAPL")
        await context.raise_alert(key="uses_context:thread", message="raised from a thread")
        open_now = context.calendar.is_open(context.now())
        return f"{len(portfolios)} portfolio(s); AAPL {quote.symbol}; open {open_now}"
"""


@contextmanager
def serving(
    tmp_path: Path, plugins: dict[str, str], **env: str
) -> Iterator[tuple[Server, httpx.Client]]:
    """A real server whose plugins directory holds ``plugins`` (file stem: source)."""
    directory = tmp_path / "plugins"
    directory.mkdir()
    for stem, source in plugins.items():
        header = PLUGIN_HEADER.format(timeout=RUN_TIMEOUT)
        (directory / f"{stem}.py").write_text(header + source)
    with (
        running_server(tmp_path, env=env) as server,
        httpx.Client(base_url=server.base_url, timeout=HEALTH_TIMEOUT) as client,
    ):
        yield server, client


def alive(client: httpx.Client) -> bool:
    """The server process still answers (a plugin did not end it)."""
    try:
        return client.get(f"{API}/health").status_code == 200
    except httpx.TransportError:
        return False


def run_now(client: httpx.Client, name: str, timeout: float = 10.0) -> httpx.Response:
    return client.post(f"{API}/jobs/{name}/run", timeout=timeout)


def test_a_plugin_that_raises_system_exit_fails_its_run_and_the_server_goes_on(
    tmp_path: Path,
) -> None:
    with serving(tmp_path, {"exits": EXITS, "interrupts": INTERRUPTS}) as (_, client):
        exits = run_now(client, "exits")
        interrupts = run_now(client, "interrupts")

        assert alive(client), "the plugin's SystemExit ended the server"
        assert exits.status_code == 200, exits.text
        assert (exits.json()["status"], exits.json()["error"]) == ("failure", "SystemExit: 3")
        assert (interrupts.json()["status"], interrupts.json()["error"]) == (
            "failure",
            "KeyboardInterrupt",
        )
        [recorded] = client.get(f"{API}/jobs/runs", params={"job": "exits"}).json()["items"]
        assert recorded["status"] == "failure"  # not left "running"
        plugin = client.get(f"{API}/plugins/exits").json()
        assert (plugin["status"], plugin["fault"]) == ("disabled", True)
        assert plugin["reason"].startswith("failed: SystemExit: 3 (at ")
        health = client.get(f"{API}/health").json()
        assert health["status"] == "degraded"
        assert {fault["name"] for fault in health["plugins"]["failed"]} == {"exits", "interrupts"}


def test_a_plugin_that_blocks_does_not_freeze_the_server_and_times_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(tmp_path, {"blocks": BLOCKS}) as (server, client), ThreadPoolExecutor(1) as pool:
        started = tmp_path / "blocks.started"
        running = pool.submit(run_now, client, "blocks", RUN_TIMEOUT + 10.0)
        for _ in range(500):  # each try is a health request: the wait is the server's
            if started.exists() or running.done():
                break
            client.get(f"{API}/health")
        assert started.exists(), "the plugin never started"

        latencies = []
        for _ in range(HEALTH_SAMPLES):  # a frozen server times out here (the fault)
            began = time.perf_counter()
            assert client.get(f"{API}/health").status_code == 200
            latencies.append((time.perf_counter() - began) * 1000)
        assert not running.done(), "the run ended before the health samples: not measured"
        with capsys.disabled():
            print(
                f"\n/health while a plugin blocks: {HEALTH_SAMPLES} requests, "
                f"median {statistics.median(latencies):.1f} ms, max {max(latencies):.1f} ms"
            )

        first = running.result(timeout=RUN_TIMEOUT + 10.0)
        assert first.status_code == 200, first.text
        assert (first.json()["status"], first.json()["error"]) == (
            "timeout",
            f"did not finish within {RUN_TIMEOUT} s; cancelled",
        )
        plugin = client.get(f"{API}/plugins/blocks").json()
        assert (plugin["enabled"], plugin["fault"]) == (True, True)  # once; its thread runs on
        assert client.get(f"{API}/health").json()["status"] == "degraded"

        second = run_now(client, "blocks")  # its thread still sleeps: not started again
        assert (second.json()["status"], second.json()["error"]) == (
            "failure",
            "not started: plugin blocks execute timed out and its thread still runs",
        )
        assert started.read_text() == "now"
        plugin = client.get(f"{API}/plugins/blocks").json()
        assert (plugin["status"], plugin["fault"]) == ("disabled", True)
        assert plugin["reason"].startswith("timed out 2 runs in a row (at ")
    # uvicorn ends by re-raising SIGTERM after its graceful stop; SIGKILL: the stop hung
    assert server.process.returncode == -signal.SIGTERM, "the plugin's thread held up the stop"


def test_a_plugin_that_hangs_at_import_is_failed_and_start_up_goes_on(tmp_path: Path) -> None:
    plugins = {"hangs_at_import": HANGS_AT_IMPORT, "uses_context": USES_CONTEXT}
    env = {"WHEEL_STRATEGY_SCHEDULER__PLUGIN_IMPORT_TIMEOUT": "1"}
    with serving(tmp_path, plugins, **env) as (_, client):
        health = client.get(f"{API}/health").json()
        assert health["status"] == "degraded"
        assert health["plugins"] == {
            "status": "degraded",
            "failed": [
                {
                    "name": "hangs_at_import",
                    "reason": "import did not finish within 1 s; skipped (its thread is left)",
                }
            ],
        }
        plugin = client.get(f"{API}/plugins/hangs_at_import").json()
        assert (plugin["status"], plugin["fault"]) == ("failed", True)

        used = run_now(client, "uses_context")  # the plugin beside it loaded and works
        assert (used.json()["status"], used.json()["error"]) == ("success", None)
        assert used.json()["summary"].startswith("1 portfolio(s); AAPL AAPL; open ")
        alerts = client.get(f"{API}/alerts").json()["items"]
        assert [alert["message"] for alert in alerts] == ["raised from a thread"]
