"""``wheel-strategy serve`` as a real process: it starts, migrates, serves HTTP, and stops.

The process, its clean environment and its stop by PID are in ``serve_process``.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from serve_process import TOKEN, running_server


def test_serve_starts_migrates_and_serves_the_api(tmp_path: Path) -> None:
    with (
        running_server(tmp_path) as server,
        httpx.Client(base_url=server.base_url, timeout=10.0) as client,
    ):
        created = client.post(
            "/api/v1/portfolios", json={"name": "E2E", "capital": 25000, "description": "x"}
        )
        assert created.status_code == 201, created.text
        portfolio = created.json()
        assert portfolio["name"] == "E2E"

        listed = client.get("/api/v1/portfolios")
        assert listed.status_code == 200
        names = {item["name"] for item in listed.json()["items"]}
        assert names == {"default", "E2E"}  # the migration made the default one

        fetched = client.get(f"/api/v1/portfolios/{portfolio['id']}")
        assert fetched.json()["capital"] == 25000

        schema = client.get("/openapi.json")
        assert schema.status_code == 200
        assert "/api/v1/portfolios" in schema.json()["paths"]

        missing = client.get("/api/v1/portfolios/999999")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")

    assert server.process.returncode is not None
    assert (tmp_path / "e2e.db").is_file()
    records = [json.loads(line) for line in server.stderr().splitlines() if line.strip()]
    assert any(r["logger"] == "adapters.cli.serve" and "/docs" in r["message"] for r in records), (
        "no startup line"
    )
    access = [r for r in records if r["logger"] == "uvicorn.access"]
    assert any(r["method"] == "POST" and r["status"] == 201 for r in access)


def test_the_readme_first_command_runs_on_the_embedded_defaults(tmp_path: Path) -> None:
    """``wheel-strategy serve`` with no database and no configuration: SQLite in the user
    data directory and the simulated market (only the port is ours: a free one)."""
    with (
        running_server(tmp_path, default_db=True) as server,
        httpx.Client(base_url=server.base_url, timeout=10.0) as client,
    ):
        health = client.get("/api/v1/health").json()
        assert health["status"] == "ok"
        info = client.get("/api/v1/system/info").json()
        quote = client.get("/api/v1/market/quotes/AAPL").json()
        assert client.get("/docs").status_code == 200
    expected = tmp_path / "data" / "wheel-strategy" / "wheel_strategy.db"
    assert expected.is_file()
    assert info["database"]["path"] == str(expected)
    assert (info["market_data_provider"], info["simulated_market"]) == ("simulated", True)
    assert quote["simulated"] is True


def test_a_token_protects_every_endpoint_and_never_reaches_the_log(tmp_path: Path) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    with (
        running_server(
            tmp_path, env={"WHEEL_STRATEGY_SERVER__API_TOKEN": TOKEN}, headers=bearer
        ) as server,
        httpx.Client(base_url=server.base_url, timeout=10.0) as client,
    ):
        for method, path in [
            ("GET", "/api/v1/portfolios"),
            ("POST", "/api/v1/portfolios"),
            ("GET", "/openapi.json"),
        ]:
            refused = client.request(method, path, json={"name": "nope"})
            assert refused.status_code == 401, (method, path)
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert refused.json()["status"] == 401
            assert TOKEN not in refused.text

        wrong = client.get("/api/v1/portfolios", headers={"Authorization": "Bearer wrong"})
        assert wrong.status_code == 401

        created = client.post("/api/v1/portfolios", json={"name": "Secured"}, headers=bearer)
        assert created.status_code == 201, created.text
        listed = client.get("/api/v1/portfolios", headers=bearer)
        assert listed.status_code == 200
        assert "Secured" in {item["name"] for item in listed.json()["items"]}
        # A token pasted into a URL is still not written to the access log.
        client.get(f"/api/v1/portfolios?access_token={TOKEN}", headers=bearer)

    log = server.stderr()
    assert "uvicorn.access" in log
    assert TOKEN not in log
