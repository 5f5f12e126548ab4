"""System endpoints, error mapping, auth and the OpenAPI document, on the real app."""

from pathlib import Path
from typing import Any

import pytest
from api_responses import PROBLEM
from dependency_injector import providers
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.container import Container, build_container
from adapters.http.app import create_app
from adapters.settings import convert


async def test_health_is_ok_on_the_embedded_defaults(api: AsyncTestClient) -> None:
    response = await api.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok", "error": None, "cause": None}
    assert body["market_data"]["provider"] == "simulated"
    assert body["market_data"]["simulated"] is True


async def test_health_is_503_when_the_database_is_down(tmp_path: Path) -> None:
    container = build_container(convert({"database": {"url": str(tmp_path / "w.db")}}))
    broken = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/missing/dir/w.db")
    container.engine.override(providers.Object(broken))
    async with AsyncTestClient(create_app(container, manage_database=False)) as client:
        response = await client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert (body["status"], body["code"]) == (503, "database_down")
    assert body["detail"].startswith("the database is down: ")
    assert body["health"]["status"] == "down"
    assert body["health"]["database"]["status"] == "down"
    assert body["health"]["market_data"]["provider"] == "simulated"
    await broken.dispose()


async def test_info_reports_the_database_and_provider(api: AsyncTestClient, tmp_path: Path) -> None:
    await api.post("/api/v1/portfolios", json={"name": "growth"})
    info = (await api.get("/api/v1/system/info")).json()
    assert info["database"]["path"] == str(tmp_path / "api.db")
    assert info["database"]["size_bytes"] > 0
    assert info["database"]["row_counts"]["portfolios"] == 2
    assert info["database"]["row_counts"]["trades"] == 0
    assert info["market_data_provider"] == "simulated"
    assert info["uptime_seconds"] >= 0
    assert info["version"]


async def test_config_is_shown_with_secrets_redacted(tmp_path: Path) -> None:
    container = build_container(
        convert(
            {
                "database": {"url": str(tmp_path / "w.db")},
                "server": {"api_token": "t0ken-value-long-enough"},
                "schwab": {"app_secret": "s3cret"},
            }
        )
    )
    headers = {"Authorization": "Bearer t0ken-value-long-enough"}
    async with AsyncTestClient(create_app(container)) as client:
        response = await client.get("/api/v1/system/config", headers=headers)
    assert response.status_code == 200
    assert "t0ken-value" not in response.text and "s3cret" not in response.text
    assert response.json()["server"]["api_token"] == "***"
    assert response.json()["schwab"]["app_secret"] == "***"


async def test_a_config_change_applies_now_and_survives_a_restart(
    api: AsyncTestClient, api_container: Container, tmp_path: Path
) -> None:
    change = {"core": {"risk": {"medium_within_pct": 3}}, "market_data": {"seed": 11}}
    response = await api.patch("/api/v1/system/config", json=change)
    assert response.status_code == 200, response.text
    assert response.json()["settings"]["core"]["risk"]["medium_within_pct"] == 3
    assert api_container.settings().market_data.seed == 11
    assert api_container.service().settings.risk.medium_within_pct == 3

    restarted = build_container(convert({"database": {"url": str(tmp_path / "api.db")}}))
    async with AsyncTestClient(create_app(restarted)) as client:
        shown = (await client.get("/api/v1/system/config")).json()
    assert shown["core"]["risk"]["medium_within_pct"] == 3
    assert shown["market_data"]["seed"] == 11


async def test_a_bad_config_change_names_the_key_and_changes_nothing(
    api: AsyncTestClient, api_container: Container
) -> None:
    before = (await api.get("/api/v1/system/config")).json()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"market_data": {"requests_per_minute": 0}}, "market_data.requests_per_minute"),
        ({"core": {"risk": {"medium": 1}}}, "unknown setting core.risk.medium"),
        ({"server": {"port": 9000}}, "server cannot change while the server runs"),
    ]
    for change, message in cases:
        response = await api.patch("/api/v1/system/config", json=change)
        assert response.status_code == 422, change
        assert response.headers["content-type"] == PROBLEM
        assert message in response.json()["detail"]
        check = (await api.post("/api/v1/system/config/validate", json=change)).json()
        assert check["valid"] is False
        assert message in check["error"]
    assert (await api.get("/api/v1/system/config")).json() == before


async def test_validate_accepts_a_good_change_without_saving_it(api: AsyncTestClient) -> None:
    change = {"calendar": {"extra_closed_days": ["2025-01-09"]}}
    check = await api.post("/api/v1/system/config/validate", json=change)
    assert check.json() == {"valid": True, "error": None}
    shown = (await api.get("/api/v1/system/config")).json()
    assert shown["calendar"]["extra_closed_days"] == []


async def test_validation_errors_name_the_field_they_refuse(api: AsyncTestClient) -> None:
    # A rule the core checks after decoding (amount bounds) and one msgspec checks itself.
    for sent, message in (
        ({"name": "x", "capital": -1}, "capital must be 0 or more, got -1"),
        ({"name": "x", "capital": "lots"}, "Invalid decimal string"),
    ):
        response = await api.post("/api/v1/portfolios", json=sent)
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert (error["field"], error["source"]) == ("capital", "body")
        assert error["message"].startswith(message)


async def test_unknown_routes_and_methods_are_problems(api: AsyncTestClient) -> None:
    missing = await api.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert missing.json()["status"] == 404
    wrong = await api.put("/api/v1/portfolios")
    assert wrong.status_code == 405
    assert wrong.headers["content-type"] == PROBLEM
    # Outside the API too: the documentation's router answers these with HTML of its own.
    for path in ("/favicon.ico", "/nothing", "/docs/nothing"):
        outside = await api.get(path)
        assert (outside.status_code, outside.headers["content-type"]) == (404, PROBLEM), path
        assert outside.json()["code"] == "not_found"
    assert (await api.get("/docs")).headers["content-type"].startswith("text/html")


async def test_a_malformed_body_is_a_400_naming_the_problem(api: AsyncTestClient) -> None:
    response = await api.post(
        "/api/v1/portfolios",
        content=b'{"name": "x", "capital": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    unknown = await api.post("/api/v1/portfolios", json={"name": "x", "capitol": 5})
    assert unknown.status_code == 400
    assert "capitol" in unknown.json()["detail"]


async def test_an_unexpected_error_is_a_500_with_only_an_id(
    api: AsyncTestClient,
    api_container: Container,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def exploding() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(api_container.service(), "list_portfolios", exploding)
    response = await api.get("/api/v1/portfolios")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "internal_error"
    assert body["error_id"] in body["detail"]
    assert "secret internals" not in response.text and "Traceback" not in response.text
    # The log keeps what the body leaves out, under the id the user was given.
    [logged] = [r for r in caplog.records if getattr(r, "error_id", None) == body["error_id"]]
    assert logged.levelname == "ERROR"
    assert logged.exc_info is not None
    assert "secret internals" in str(logged.exc_info[1])


async def test_an_oversized_body_is_refused(tmp_path: Path) -> None:
    container = build_container(
        convert({"database": {"url": str(tmp_path / "w.db")}, "server": {"max_body_bytes": 1024}})
    )
    async with AsyncTestClient(create_app(container)) as client:
        response = await client.post("/api/v1/portfolios", json={"name": "x" * 5000})
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


async def test_a_token_guards_everything_but_health(tmp_path: Path) -> None:
    container = build_container(
        convert(
            {
                "database": {"url": str(tmp_path / "w.db")},
                "server": {"api_token": "abc-sixteen-char"},
            }
        )
    )
    async with AsyncTestClient(create_app(container)) as client:
        assert (await client.get("/api/v1/health")).status_code == 200
        refused = await client.get("/api/v1/portfolios")
        assert refused.status_code == 401
        assert refused.headers["content-type"] == PROBLEM
        assert refused.headers["www-authenticate"].startswith("Bearer")
        wrong = await client.get(
            "/api/v1/portfolios", headers={"Authorization": "Bearer abd-sixteen-char"}
        )
        assert wrong.status_code == 401
        assert "abd-sixteen-char" not in wrong.text
        ok = await client.get(
            "/api/v1/portfolios", headers={"Authorization": "Bearer abc-sixteen-char"}
        )
        assert ok.status_code == 200
        assert (await client.get("/openapi.json")).status_code == 401


async def test_cors_is_off_unless_configured(api: AsyncTestClient, tmp_path: Path) -> None:
    origin = {"Origin": "https://dash.example"}
    plain = await api.get("/api/v1/portfolios", headers=origin)
    assert "access-control-allow-origin" not in plain.headers
    container = build_container(
        convert(
            {
                "database": {"url": str(tmp_path / "c.db")},
                "server": {"cors_origins": ["https://dash.example"]},
            }
        )
    )
    async with AsyncTestClient(create_app(container)) as client:
        allowed = await client.get("/api/v1/portfolios", headers=origin)
    assert allowed.headers["access-control-allow-origin"] == "https://dash.example"


async def test_the_docs_are_served(api: AsyncTestClient) -> None:
    assert (await api.get("/docs")).status_code == 200
    assert (await api.get("/redoc")).status_code == 200
    schema = (await api.get("/openapi.json")).json()
    create = schema["components"]["schemas"]["CreatePortfolio"]
    assert create["additionalProperties"] is False
    assert create["properties"]["capital"]["type"] == "number"
    assert create["properties"]["capital"]["minimum"] == 0
    batch = schema["components"]["schemas"]["BatchRecommendations"]["properties"]["wheel_ids"]
    [ids] = [member for member in batch["oneOf"] if member["type"] == "array"]
    assert (ids["items"]["minimum"], ids["items"]["maximum"]) == (1, 2**63 - 1)
    change = schema["paths"]["/api/v1/system/config"]["patch"]["requestBody"]["content"]
    body_schema = change["application/json"]["schema"]
    assert body_schema["additionalProperties"] is False
    assert sorted(body_schema["properties"]) == ["calendar", "core", "market_data"]
    responses = schema["paths"]["/api/v1/portfolios"]["post"]["responses"]
    assert "application/problem+json" in responses["default"]["content"]


async def test_ids_and_offsets_beyond_64_bits_are_refused_not_crashed(api: AsyncTestClient) -> None:
    too_big = 2**63
    for path in (
        f"/api/v1/trades?offset={too_big}",
        f"/api/v1/snapshots?offset={too_big}",
        f"/api/v1/wheels/{too_big}",
        f"/api/v1/trades?portfolio_id={too_big}",
    ):
        response = await api.get(path)
        assert response.status_code == 400, path
        assert response.headers["content-type"] == PROBLEM
    for path, sent in (
        ("/api/v1/wheels", {"symbol": "AAPL", "portfolio_id": too_big}),
        ("/api/v1/recommendations/batch", {"wheel_ids": [too_big]}),
    ):
        response = await api.post(path, json=sent)
        assert response.status_code == 400, path
        assert response.headers["content-type"] == PROBLEM
