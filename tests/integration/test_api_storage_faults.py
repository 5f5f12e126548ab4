"""The HTTP face of a failing disk, on the real app: a 503 problem whose ``code`` names
the cause, and ``/health`` saying it (the same faults on a real server process:
``tests/reliability/test_storage_faults.py``)."""

import sqlite3
from pathlib import Path

from api_responses import PROBLEM
from litestar.testing import AsyncTestClient

from adapters.container import build_container
from adapters.http.app import create_app
from adapters.persistence import open_database
from adapters.settings import convert


def app_on(url: str) -> AsyncTestClient:
    container = build_container(convert({"database": {"url": url}, "server": {"scheduler": False}}))
    return AsyncTestClient(create_app(container))


async def test_a_full_database_is_a_503_storage_full_and_health_is_degraded(
    tmp_path: Path,
) -> None:
    database = tmp_path / "w.db"
    engine = await open_database(database)
    await engine.dispose()
    pages = sqlite3.connect(database).execute("PRAGMA page_count").fetchone()[0]
    async with app_on(f"sqlite+aiosqlite:///{database}?max_page_count={pages + 2}") as api:
        for n in range(200):
            response = await api.post(
                "/api/v1/portfolios", json={"name": f"p{n}", "description": "x" * 1500}
            )
            if response.status_code != 201:
                break
        assert response.status_code == 503
        assert response.headers["content-type"] == PROBLEM
        body = response.json()
        assert body["code"] == "storage_full"
        assert "nothing was written" in body["detail"]

        health = await api.get("/api/v1/health")
        assert health.status_code == 200
        report = health.json()
        assert report["status"] == "degraded"
        assert report["database"]["status"] == "degraded"
        assert report["database"]["cause"] == "full"
        assert "full" in report["database"]["error"]
        assert (await api.get("/api/v1/portfolios")).status_code == 200


async def test_a_deleted_database_is_a_503_storage_gone_and_health_is_down(
    tmp_path: Path,
) -> None:
    database = tmp_path / "w.db"
    async with app_on(str(database)) as api:
        database.unlink()
        response = await api.post("/api/v1/portfolios", json={"name": "lost"})
        assert response.status_code == 503
        assert response.json()["code"] == "storage_gone"

        health = await api.get("/api/v1/health")
        assert health.status_code == 503
        body = health.json()
        assert body["code"] == "database_down"
        assert "deleted or replaced" in body["detail"]
        assert body["health"]["database"]["cause"] == "gone"
