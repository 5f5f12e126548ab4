"""``kill -9`` of a real ``serve`` under concurrent HTTP writes loses no acknowledged write.

Three rounds on one SQLite file: start the server, let four writers post
portfolios and wheels over their own connections, and once enough writes were
acknowledged SIGKILL the process by PID while they are still writing. After each
kill the file must pass ``PRAGMA integrity_check``; after the last, a restarted
server must show every write it ever answered ``201`` to, with what it said was
stored. A write whose answer was lost in the kill may or may not be there (it was
never acknowledged); those are counted, not checked.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import httpx
from serve_process import running_server
from write_load import SYMBOL, Acknowledged, WriteLoad

ROUNDS = 3
ACKNOWLEDGED_BEFORE_KILL = 150
"""Per round; the writers keep going while the kill is sent."""
LOAD_TIMEOUT = 60.0
PAGE = 500


def test_every_acknowledged_write_survives_kill_9(tmp_path: Path) -> None:
    database = tmp_path / "e2e.db"  # the file serve_process gives every start
    acknowledged = Acknowledged()
    figures = []
    for round_number in range(1, ROUNDS + 1):
        with running_server(tmp_path) as server:
            load = WriteLoad(server.base_url, tag=f"round{round_number}", seconds=LOAD_TIMEOUT)
            load.start(signal_after=ACKNOWLEDGED_BEFORE_KILL)
            reached = load.wait_for_target(LOAD_TIMEOUT)
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
            load.join(timeout=30)
        assert reached, f"round {round_number}: too few writes acknowledged\n{server.stderr()}"
        assert load.unexpected == [], load.unexpected
        assert load.cut_off >= 1, "the kill came after every writer had stopped"
        assert server.process.returncode == -signal.SIGKILL
        assert integrity(database) == "ok"
        acknowledged.update(load.acknowledged)
        figures.append((round_number, len(load.acknowledged), load.cut_off))

    with (
        running_server(tmp_path) as server,
        httpx.Client(base_url=server.base_url, timeout=10.0) as client,
    ):
        portfolios = {p["id"]: p["name"] for p in every(client, "/api/v1/portfolios")}
        wheels = {w["id"]: w for w in every(client, "/api/v1/wheels")}
    assert integrity(database) == "ok"

    lost_portfolios = {
        id_: name for id_, name in acknowledged.portfolios.items() if portfolios.get(id_) != name
    }
    lost_wheels = {
        id_: owner
        for id_, owner in acknowledged.wheels.items()
        if id_ not in wheels
        or (wheels[id_]["portfolio_id"], wheels[id_]["symbol"]) != (owner, SYMBOL)
    }
    unacknowledged = len(portfolios) - 1 - len(acknowledged.portfolios)  # 1: the default
    for round_number, count, cut in figures:
        print(f"round {round_number}: {count} writes acknowledged, {cut} writers cut off")
    print(
        f"kill -9 x{ROUNDS}: {len(acknowledged)} writes acknowledged, "
        f"{len(lost_portfolios) + len(lost_wheels)} lost; "
        f"{unacknowledged} portfolios stored whose answer the kill cut off"
    )
    assert lost_portfolios == {}
    assert lost_wheels == {}
    assert len(acknowledged) >= ROUNDS * ACKNOWLEDGED_BEFORE_KILL


def every(client: httpx.Client, path: str) -> list[dict[str, Any]]:
    """Every item of a paged list."""
    items: list[dict[str, Any]] = []
    while True:
        response = client.get(path, params={"limit": PAGE, "offset": len(items)})
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        if not page["items"] or len(items) >= page["total"]:
            return items


def integrity(database: Path) -> str:
    """SQLite's own verdict on the file (it recovers the WAL a kill left first)."""
    connection = sqlite3.connect(database)
    try:
        [(verdict,)] = connection.execute("PRAGMA integrity_check").fetchall()
        return str(verdict)
    finally:
        connection.close()
