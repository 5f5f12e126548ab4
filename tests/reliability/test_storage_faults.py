"""The disk fails under a running server: the fault is reported, never hidden.

Each test starts a real ``serve`` process, writes, then takes the database away
(deleted), fills it (``max_page_count``) or makes it read-only (the immutable
attribute; see ``tests/support/storage_faults.py``). Writes must then be refused with
a 503 whose ``code`` names the cause, reads must keep working, ``/health`` must say
what is wrong, and after the server stops every write it acknowledged must be in the
file.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from serve_process import running_server
from storage_faults import (
    immutable,
    immutable_supported,
    integrity,
    page_count,
    portfolio_names,
    sqlite_url,
)

from adapters.persistence import open_database

FILL_LIMIT = 400
"""Most writes tried before a capped database must have said it is full."""


def create(client: httpx.Client, name: str, description: str = "") -> httpx.Response:
    return client.post("/api/v1/portfolios", json={"name": name, "description": description})


def listed(client: httpx.Client) -> set[str]:
    response = client.get("/api/v1/portfolios")
    assert response.status_code == 200, response.text
    return {item["name"] for item in _items(response.json())}


def _items(body: Any) -> list[dict[str, Any]]:
    return body["items"] if isinstance(body, dict) else body


def nothing_refused_was_kept(database: Path, acknowledged: set[str]) -> None:
    """After the server stopped: every acknowledged write is in the file, none of the
    refused ones (named ``lost-…``) is, and the file is intact."""
    names = portfolio_names(database)
    assert acknowledged <= names
    assert not any(name.startswith("lost-") for name in names)
    assert integrity(database) == "ok"


def refused(response: httpx.Response, code: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


def test_a_deleted_database_file_is_noticed_and_no_write_is_acknowledged(
    tmp_path: Path,
) -> None:
    database = tmp_path / "e2e.db"
    kept = tmp_path / "kept.db"
    with running_server(tmp_path) as server, httpx.Client(base_url=server.base_url) as client:
        assert create(client, "before").status_code == 201
        os.link(database, kept)
        database.unlink()

        for n in range(5):
            refused(create(client, f"lost-{n}"), "storage_gone")
        health = client.get("/api/v1/health")
        assert health.status_code == 503
        report = health.json()["health"]
        assert report["status"] == "down"
        assert report["database"]["status"] == "down"
        assert report["database"]["cause"] == "gone"
        assert "before" in listed(client)  # what it read before, it still reads

        os.link(kept, database)  # the very same file is back: writes are taken again
        assert create(client, "after").status_code == 201
        assert client.get("/api/v1/health").json()["database"]["status"] == "ok"

    nothing_refused_was_kept(database, {"before", "after"})


def test_a_database_replaced_under_the_server_refuses_writes(tmp_path: Path) -> None:
    database = tmp_path / "e2e.db"
    with running_server(tmp_path) as server, httpx.Client(base_url=server.base_url) as client:
        assert create(client, "before").status_code == 201
        other = tmp_path / "other.db"
        asyncio.run(_migrated(other))
        other.replace(database)

        refused(create(client, "lost"), "storage_gone")
        assert client.get("/api/v1/health").status_code == 503


async def _migrated(path: Path) -> None:
    engine = await open_database(path)
    await engine.dispose()


def test_a_full_database_refuses_writes_with_storage_full_and_loses_nothing(
    tmp_path: Path,
) -> None:
    database = tmp_path / "full.db"
    asyncio.run(_migrated(database))
    url = sqlite_url(database, max_page_count=page_count(database) + 3)
    env = {"WHEEL_STRATEGY_DATABASE__URL": url}
    acknowledged: list[str] = []
    with (
        running_server(tmp_path, env=env, default_db=True) as server,
        httpx.Client(base_url=server.base_url) as client,
    ):
        for n in range(FILL_LIMIT):
            response = create(client, f"p{n:04d}", "x" * 1500)
            if response.status_code != 201:
                break
            acknowledged.append(f"p{n:04d}")
        refused(response, "storage_full")
        assert acknowledged, "the cap left no room for a single write"
        refused(create(client, "one-more", "x" * 1500), "storage_full")

        health = client.get("/api/v1/health")
        assert health.status_code == 200
        report = health.json()
        assert report["status"] == "degraded"
        assert (report["database"]["status"], report["database"]["cause"]) == ("degraded", "full")
        assert set(acknowledged) <= listed(client)

    assert set(acknowledged) <= portfolio_names(database)
    assert integrity(database) == "ok"


def test_a_read_only_database_refuses_writes_and_recovers_when_writable(
    tmp_path: Path,
) -> None:
    if not immutable_supported(tmp_path):
        pytest.skip("this machine cannot make a file immutable (chattr +i): no read-only fault")
    database = tmp_path / "e2e.db"
    with running_server(tmp_path) as server, httpx.Client(base_url=server.base_url) as client:
        assert create(client, "before").status_code == 201
        with immutable(database, database.with_name("e2e.db-wal")):
            for n in range(3):
                refused(create(client, f"lost-{n}"), "storage_read_only")
            health = client.get("/api/v1/health")
            assert health.status_code == 200
            report = health.json()
            assert report["status"] == "degraded"
            assert (report["database"]["status"], report["database"]["cause"]) == (
                "degraded",
                "read_only",
            )
            assert "before" in listed(client)

        assert create(client, "after").status_code == 201
        assert client.get("/api/v1/health").json()["database"]["status"] == "ok"

    nothing_refused_was_kept(database, {"before", "after"})


def test_a_server_started_on_a_read_only_database_serves_reads_and_says_so(
    tmp_path: Path,
) -> None:
    """A file system remounted read-only, then the server restarted: it starts, reads,
    says ``degraded`` before anyone writes, and refuses writes by name."""
    if not immutable_supported(tmp_path):
        pytest.skip("this machine cannot make a file immutable (chattr +i): no read-only fault")
    database = tmp_path / "e2e.db"
    asyncio.run(_migrated(database))
    with (
        immutable(database),
        running_server(tmp_path) as server,
        httpx.Client(base_url=server.base_url) as client,
    ):
        report = client.get("/api/v1/health").json()
        assert (report["status"], report["database"]["cause"]) == ("degraded", "read_only")
        assert "default" in listed(client)
        refused(create(client, "lost"), "storage_read_only")
    assert "lost" not in portfolio_names(database)
