"""A web page the user visits cannot drive the API (DESIGN §5's browser-facing rules).

The Host must be one the server serves (DNS rebinding), a foreign Origin cannot
change state (CSRF), bodies are JSON only (the types a browser sends cross-site
unasked are refused), HEAD works where GET does, and with a token no path but
``/health`` answers without it. Every refusal is problem+json and writes nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from api_responses import API, PROBLEM, assert_problem
from litestar.testing import AsyncTestClient

from adapters.container import build_container
from adapters.http.app import create_app
from adapters.settings import convert

TOKEN = "browser-rules-token-51c2"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Content-Type": "application/json"}
PORTFOLIO = b'{"name": "from a web page"}'


@pytest.fixture
async def client_for(tmp_path: Path) -> AsyncIterator[Any]:
    """``await client_for(server_settings)``: a client of an app with those settings
    (the scheduler off); closed at the end of the test."""
    clients: list[AsyncTestClient[Any]] = []

    async def make(server: dict[str, Any]) -> AsyncTestClient[Any]:
        settings = {"database": {"url": str(tmp_path / f"{len(clients)}.db")}}
        container = build_container(convert({**settings, "server": {"scheduler": False, **server}}))
        client: AsyncTestClient[Any] = AsyncTestClient(create_app(container))
        clients.append(client)
        return await client.__aenter__()

    yield make
    for client in clients:
        await client.__aexit__(None, None, None)


async def portfolio_names(api: AsyncTestClient[Any]) -> list[str]:
    response = await api.get(f"{API}/portfolios")
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


# --- the request of the issue ---------------------------------------------------------


async def test_the_cross_site_request_of_the_issue_creates_nothing(
    api: AsyncTestClient[Any],
) -> None:
    """Today's exploit: a rebound name, a foreign Origin and a text/plain body."""
    before = (await api.get(f"{API}/wheels")).json()
    response = await api.post(
        f"{API}/wheels",
        content=b'{"symbol":"CSRF"}',
        headers={
            "Origin": "http://evil.example",
            "Host": "rebind.evil.example",
            "Content-Type": "text/plain",
        },
    )
    problem = assert_problem(response, 400, "rebind.evil.example")
    assert problem["code"] == "host_not_allowed"
    assert "server.allowed_hosts" in problem["detail"]
    assert (await api.get(f"{API}/wheels")).json() == before


async def test_an_alert_cannot_be_relayed_from_a_web_page(api: AsyncTestClient[Any]) -> None:
    response = await api.post(
        f"{API}/alerts",
        content=b'{"key": "x", "kind": "custom", "level": "info", "message": "hi"}',
        headers={"Origin": "http://evil.example", "Content-Type": "text/plain"},
    )
    assert_problem(response, 403, "http://evil.example")
    assert (await api.get(f"{API}/alerts")).json()["items"] == []


# --- Host ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["localhost:8000", "localhost", "127.0.0.1:8000", "127.0.0.2", "[::1]:8000"]
)
async def test_loopback_hosts_are_served(api: AsyncTestClient[Any], host: str) -> None:
    assert (await api.get(f"{API}/portfolios", headers={"Host": host})).status_code == 200
    created = await api.post(f"{API}/portfolios", content=PORTFOLIO, headers={**JSON, "Host": host})
    assert created.status_code == 201, created.text


@pytest.mark.parametrize("path", [f"{API}/portfolios", f"{API}/health", "/docs", "/no/such/page"])
async def test_a_foreign_host_is_refused_on_every_path(
    api: AsyncTestClient[Any], path: str
) -> None:
    """Reads too: a rebound page could otherwise read every portfolio."""
    response = await api.get(path, headers={"Host": "rebind.evil.example:8000"})
    assert assert_problem(response, 400)["code"] == "host_not_allowed"


async def test_configured_hosts_are_served(client_for: Any) -> None:
    api = await client_for({"allowed_hosts": ["wheel.lan", "*.example.com"]})
    for host in ("wheel.lan:8000", "app.example.com", "localhost:8000"):
        assert (await api.get(f"{API}/portfolios", headers={"Host": host})).status_code == 200
    for host in ("example.com", "wheel.lan.evil.example", "other.lan"):
        refused = await api.get(f"{API}/portfolios", headers={"Host": host})
        assert refused.status_code == 400, host


async def test_a_star_serves_any_host(client_for: Any) -> None:
    api = await client_for({"allowed_hosts": ["*"]})
    assert (await api.get(f"{API}/portfolios", headers={"Host": "any.where"})).status_code == 200


async def test_the_bound_name_is_served(client_for: Any) -> None:
    api = await client_for({"host": "wheel.internal", "api_token": TOKEN})
    response = await api.get(f"{API}/portfolios", headers={**AUTH, "Host": "wheel.internal:8000"})
    assert response.status_code == 200
    other = await api.get(f"{API}/portfolios", headers={**AUTH, "Host": "wheel.external"})
    assert other.status_code == 400


# --- Origin --------------------------------------------------------------------------


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:9999"])
async def test_a_foreign_origin_cannot_change_state(api: AsyncTestClient[Any], origin: str) -> None:
    response = await api.post(
        f"{API}/portfolios", content=PORTFOLIO, headers={**JSON, "Origin": origin}
    )
    problem = assert_problem(response, 403, origin)
    assert problem["code"] == "cross_origin_refused"
    assert "server.cors_origins" in problem["detail"]
    assert "from a web page" not in await portfolio_names(api)


async def test_a_foreign_origin_cannot_delete_either(api: AsyncTestClient[Any]) -> None:
    created = await api.post(f"{API}/portfolios", content=PORTFOLIO, headers=JSON)
    portfolio_id = created.json()["id"]
    response = await api.delete(
        f"{API}/portfolios/{portfolio_id}", headers={"Origin": "http://evil.example"}
    )
    assert_problem(response, 403)
    assert (await api.get(f"{API}/portfolios/{portfolio_id}")).status_code == 200


async def test_the_servers_own_origin_and_no_origin_may_change_state(
    api: AsyncTestClient[Any],
) -> None:
    same = {**JSON, "Host": "127.0.0.1:8000", "Origin": "http://127.0.0.1:8000"}
    assert (await api.post(f"{API}/portfolios", content=PORTFOLIO, headers=same)).status_code == 201
    other = b'{"name": "from curl"}'
    assert (await api.post(f"{API}/portfolios", content=other, headers=JSON)).status_code == 201


async def test_a_foreign_origin_may_read(api: AsyncTestClient[Any]) -> None:
    """A read changes nothing, and without CORS the page cannot see the answer."""
    response = await api.get(f"{API}/portfolios", headers={"Origin": "http://evil.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


async def test_an_origin_cors_allows_may_change_state(client_for: Any) -> None:
    api = await client_for({"cors_origins": ["https://dash.example"]})
    origin = {"Origin": "https://dash.example"}
    response = await api.post(f"{API}/portfolios", content=PORTFOLIO, headers={**JSON, **origin})
    assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] == "https://dash.example"
    foreign = {**JSON, "Origin": "https://other.example"}
    assert (
        await api.post(f"{API}/portfolios", content=PORTFOLIO, headers=foreign)
    ).status_code == 403


# --- JSON bodies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonp",
        None,
    ],
)
async def test_a_body_that_is_not_declared_json_is_refused(
    api: AsyncTestClient[Any], content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = await api.post(f"{API}/portfolios", content=PORTFOLIO, headers=headers)
    problem = assert_problem(response, 415, "Content-Type: application/json")
    assert problem["code"] == "unsupported_media_type"
    assert response.headers["accept"] == "application/json"
    assert "from a web page" not in await portfolio_names(api)


async def test_json_with_parameters_is_json(api: AsyncTestClient[Any]) -> None:
    headers = {"Content-Type": "Application/JSON; charset=utf-8"}
    assert (
        await api.post(f"{API}/portfolios", content=PORTFOLIO, headers=headers)
    ).status_code == 201


async def test_a_request_without_a_body_needs_no_content_type(api: AsyncTestClient[Any]) -> None:
    assert (await api.post(f"{API}/opportunities/read-all")).status_code == 200


async def test_an_empty_form_post_is_refused(api: AsyncTestClient[Any]) -> None:
    """A ``<form method=post>`` with no fields: no body, but a browser's form type."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    response = await api.post(f"{API}/opportunities/read-all", headers=form)
    assert_problem(response, 415)


# --- HEAD ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [f"{API}/portfolios", f"{API}/health", "/openapi.json"])
async def test_head_works_where_get_does(api: AsyncTestClient[Any], path: str) -> None:
    got = await api.get(path)
    head = await api.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if path != f"{API}/health":  # health reports the uptime, so its length may differ
        assert head.headers["content-length"] == got.headers["content-length"]


async def test_head_of_an_unknown_path_is_a_bodiless_404(api: AsyncTestClient[Any]) -> None:
    head = await api.head(f"{API}/no-such-thing")
    assert head.status_code == 404
    assert head.content == b""


# --- the token -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/no/such/page"),
        ("POST", "/no/such/page"),
        ("DELETE", "/favicon.ico"),
        ("GET", f"{API}/no-such-thing"),
        ("PUT", f"{API}/portfolios"),
        ("HEAD", "/docs"),
    ],
)
async def test_with_a_token_unknown_paths_are_401(client_for: Any, method: str, path: str) -> None:
    """Without the token nothing says which paths or methods exist."""
    api = await client_for({"api_token": TOKEN})
    response = await api.request(method, path)
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_with_a_token_health_and_head_of_health_stay_public(client_for: Any) -> None:
    api = await client_for({"api_token": TOKEN})
    assert (await api.get(f"{API}/health")).status_code == 200
    assert (await api.head(f"{API}/health")).status_code == 200
    assert (await api.head(f"{API}/portfolios", headers=AUTH)).status_code == 200


async def test_with_a_token_a_cors_preflight_is_answered(client_for: Any) -> None:
    """A browser sends no credentials on a preflight; refusing it would stop the
    configured origin from ever sending the token."""
    api = await client_for({"api_token": TOKEN, "cors_origins": ["https://dash.example"]})
    preflight = {
        "Origin": "https://dash.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    response = await api.options(f"{API}/portfolios", headers=preflight)
    assert response.status_code in (200, 204)
    assert response.headers["access-control-allow-origin"] == "https://dash.example"
    refused = await api.get(f"{API}/portfolios", headers={"Origin": "https://dash.example"})
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == "https://dash.example"
