"""The dashboard's protections, in process: page headers, CSRF on its forms, the token
login and its cookie, and the request guard's page rules leaving the JSON API as it was."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.container import build_container
from adapters.http.app import create_app
from adapters.settings import convert
from adapters.web.mount import templates
from adapters.web.session import DashboardPages, session_value
from adapters.web.status import StatusLine

TOKEN = "web-rules-token-7d1e"
Make = Callable[..., Awaitable[AsyncTestClient[Any]]]


@pytest.fixture
async def client_for(tmp_path: Path) -> AsyncIterator[Make]:
    clients: list[AsyncTestClient[Any]] = []

    async def make(**server: Any) -> AsyncTestClient[Any]:
        settings = {"database": {"url": str(tmp_path / f"{len(clients)}.db")}}
        container = build_container(convert({**settings, "server": {"scheduler": False, **server}}))
        client: AsyncTestClient[Any] = AsyncTestClient(create_app(container))
        clients.append(client)
        return await client.__aenter__()

    yield make
    for client in clients:
        await client.__aexit__(None, None, None)


def csrf(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


async def test_the_overview_is_html_with_the_browser_protections(client_for: Make) -> None:
    client = await client_for()
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["x-frame-options"] == "DENY"
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in page.text  # every script is a file of this server
    schema = await client.get("/openapi.json")
    assert schema.status_code == 200 and "openapi" in schema.json()


async def test_a_form_post_needs_the_pages_csrf_token(client_for: Make) -> None:
    client = await client_for()
    token = csrf((await client.get("/")).text)
    forged = await client.post("/portfolios", data={"name": "forged"})
    assert forged.status_code == 403
    made = await client.post(
        "/portfolios", data={"name": "ira", "_csrf_token": token}, follow_redirects=False
    )
    assert made.status_code == 303 and made.headers["location"].startswith("/?portfolio=")
    names = [p["name"] for p in (await client.get("/api/v1/portfolios")).json()["items"]]
    assert "ira" in names and "forged" not in names


async def test_a_refused_form_answers_the_form_with_the_domains_message(client_for: Make) -> None:
    client = await client_for()
    token = csrf((await client.get("/")).text)
    await client.post("/portfolios", data={"name": "ira", "_csrf_token": token})
    refused = await client.post(
        "/portfolios", data={"name": "ira", "_csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 200
    assert 'id="form-portfolio"' in refused.text and "Refused:" in refused.text
    assert "ira" in refused.text  # the typed value is kept
    without_htmx = await client.post("/portfolios", data={"name": "ira", "_csrf_token": token})
    assert without_htmx.status_code == 422 and "Refused:" in without_htmx.text


async def test_the_api_still_refuses_form_bodies(client_for: Make) -> None:
    client = await client_for()
    refused = await client.post("/api/v1/portfolios", data={"name": "from a form"})
    assert refused.status_code == 415


async def test_an_unknown_wheel_is_an_html_page_not_a_blank_one(client_for: Make) -> None:
    client = await client_for()
    missing = await client.get("/wheels/999")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "999" in missing.text


async def test_with_a_token_pages_ask_for_a_login_once(client_for: Make) -> None:
    client = await client_for(api_token=TOKEN)
    html = {"Accept": "text/html,application/xhtml+xml"}
    first = await client.get("/wheels/1", headers=html, follow_redirects=False)
    assert (first.status_code, first.headers["location"]) == (303, "/login")
    assert (await client.get("/")).status_code == 401  # not a browser: the API's answer
    assert (await client.post("/portfolios", data={"name": "x"})).status_code == 401
    login = await client.get("/login")
    assert login.status_code == 200
    wrong = await client.post("/login", data={"token": "nope", "_csrf_token": csrf(login.text)})
    assert wrong.status_code == 401 and "not this server" in wrong.text
    signed = await client.post(
        "/login", data={"token": TOKEN, "_csrf_token": csrf(login.text)}, follow_redirects=False
    )
    assert signed.status_code == 303
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and TOKEN not in cookie
    assert (await client.get("/")).status_code == 200
    # The session opens pages only; the API still wants the bearer token.
    assert (await client.get("/api/v1/portfolios")).status_code == 401


async def test_without_a_token_there_is_no_login(client_for: Make) -> None:
    client = await client_for()
    answer = await client.get("/login", follow_redirects=False)
    assert answer.status_code in {302, 303} and answer.headers["location"] == "/"


def test_the_session_is_the_tokens_hmac_and_nothing_else() -> None:
    pages = DashboardPages(TOKEN)
    good = f"other=1; wheel_session={session_value(TOKEN)}".encode()
    assert pages.signed_in(good)
    assert not pages.signed_in(f"wheel_session={session_value('other')}".encode())
    assert not pages.signed_in(b"wheel_session=\x00\xff;;=")
    assert not DashboardPages(None).signed_in(good)
    assert pages.owns("/") and pages.owns("/wheels/1")
    assert not pages.owns("/api/v1/wheels") and not pages.owns("/docs")


@pytest.mark.parametrize("market_open", [True, False])
def test_the_overview_polls_only_while_the_market_is_open(market_open: bool) -> None:
    engine = templates().to_engine()
    status = StatusLine(market_open=market_open, simulated=True, stale=False, jobs="none")
    html = engine.get_template("_overview_body.html").render(
        status=status, chosen=None, summary=None, refresh_seconds=30
    )
    assert ('hx-trigger="every 30s"' in html) is market_open
    assert ("Market open" in html) is market_open
