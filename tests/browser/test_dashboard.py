"""The dashboard in a real browser against a real server: the worked example end to
end through the forms, a refused action's message, the page protections, the token
login and a cross-site post refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser_visit import Visit
from playwright.sync_api import Browser, Page, expect
from serve_process import TOKEN, running_server


@pytest.fixture
def visit(browser: Browser, screenshots: Path, tmp_path: Path) -> Iterator[Visit]:
    with running_server(tmp_path) as server:
        visitor = Visit(browser, server.base_url, screenshots)
        try:
            yield visitor
        finally:
            visitor.close()
        assert visitor.foreign == [], "a page reached beyond the server"


def submit(
    page: Page, form: str, fields: dict[str, str], selects: dict[str, str] | None = None
) -> None:
    scope = page.locator(form)
    for name, value in fields.items():
        scope.locator(f'[name="{name}"]').fill(value)
    for name, value in (selects or {}).items():
        scope.locator(f'select[name="{name}"]').select_option(value)
    scope.locator('button[type="submit"]').click()


def test_the_worked_example_through_the_forms(visit: Visit) -> None:
    page = visit.goto("/")
    expect(page.locator("#form-portfolio")).to_be_visible()
    visit.shoot("overview-empty")

    submit(page, "#form-portfolio", {"name": "ira", "capital": "50000"})
    visit.wait_for_path(r"/\?portfolio=\d+$")
    submit(page, "#form-wheel", {"symbol": "AAPL", "capital": "30000", "opened": "2025-09-01"})
    visit.wait_for_path(r"/wheels/\d+$")
    expect(page.locator("#wheel-state")).to_have_text("idle")

    # A call on an idle wheel: refused, the message beside the form, nothing written.
    submit(
        page,
        "#form-trade",
        {"strike": "105", "expiration": "2025-10-17", "premium": "1.50", "contracts": "3"},
        {"option_type": "call"},
    )
    expect(page.locator("#form-trade .refusal")).to_contain_text(
        "cannot sell call while the wheel is idle"
    )
    expect(page.locator('#form-trade [name="strike"]')).to_have_value("105")
    expect(page.locator("#history")).to_contain_text("No trade yet.")
    visit.shoot("wheel-refused")

    sell(page, "put", strike="100", expiration="2025-09-19", premium="2.00", opened="2025-09-02")
    expect(page.locator("#wheel-state")).to_have_text("put open")
    visit.shoot("wheel-put-open")
    expire(page, price="95", assigned="true", on="2025-09-19")
    expect(page.locator("#wheel-state")).to_have_text("holding shares")
    sell(page, "call", strike="105", expiration="2025-10-17", premium="1.50", opened="2025-09-22")
    expect(page.locator("#wheel-state")).to_have_text("call open")
    expire(page, price="110", assigned="true", on="2025-10-17")
    expect(page.locator("#wheel-state")).to_have_text("idle")
    expect(page.locator("#realized-pnl")).to_have_text("2,550.00")
    expect(page.locator("#history")).to_contain_text("called away")
    visit.shoot("wheel-done")

    page.locator("text=← Overview").click()
    expect(page.locator("#realized-pnl")).to_have_text("2,550.00")
    expect(page.locator("#positions")).to_contain_text("AAPL")
    expect(page.locator("#status-line")).to_contain_text("Prices simulated")
    visit.shoot("overview")


def sell(page: Page, kind: str, contracts: str = "3", **fields: str) -> None:
    submit(page, "#form-trade", {**fields, "contracts": contracts}, {"option_type": kind})
    expect(page.locator("#form-expire")).to_be_visible()


def expire(page: Page, *, price: str, assigned: str, on: str) -> None:
    submit(page, "#form-expire", {"price_at_expiry": price, "on": on}, {"assigned": assigned})
    expect(page.locator("#form-trade")).to_be_visible()


def test_a_phone_sees_the_positions_table_scroll_inside_its_box(visit: Visit) -> None:
    page = visit.goto("/")
    submit(page, "#form-portfolio", {"name": "ira", "capital": "50000"})
    visit.wait_for_path(r"/\?portfolio=\d+$")
    submit(page, "#form-wheel", {"symbol": "MSFT", "capital": "50000", "opened": "2025-09-01"})
    visit.wait_for_path(r"/wheels/\d+$")
    sell(
        page,
        "put",
        contracts="1",
        strike="400",
        expiration="2030-01-18",
        premium="5.00",
        opened="2025-09-02",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("text=← Overview").click()
    expect(page.locator("#positions")).to_contain_text("MSFT")
    page.wait_for_load_state("load")  # the stylesheet applied, or the width means nothing
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, f"the page scrolls sideways ({page_width} px)"
    scroller = page.locator(".table-scroll").first
    assert scroller.evaluate("box => box.scrollWidth > box.clientWidth")
    expect(page.locator("#positions")).to_contain_text(" risk")  # said in words too
    expect(page.locator("#positions")).to_contain_text("OTM")
    visit.shoot("overview-open-put")


def test_pages_forbid_framing_and_inline_scripts(visit: Visit) -> None:
    response = visit.page.goto(visit.base_url + "/")
    assert response is not None
    headers = response.headers
    assert headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]


def test_a_post_without_the_csrf_token_is_refused(tmp_path: Path) -> None:
    with running_server(tmp_path) as server, httpx.Client(base_url=server.base_url) as client:
        page = client.get("/")
        assert page.status_code == 200
        refused = client.post("/portfolios", data={"name": "forged", "capital": "1"})
        assert refused.status_code == 403
        assert "CSRF" in refused.text
        names = [p["name"] for p in client.get("/api/v1/portfolios").json()["items"]]
        assert "forged" not in names


def test_with_a_token_the_dashboard_asks_for_it_once(
    browser: Browser, screenshots: Path, tmp_path: Path
) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    env = {"WHEEL_STRATEGY_SERVER__API_TOKEN": TOKEN}
    with running_server(tmp_path, env=env, headers=bearer) as server:
        visit = Visit(browser, server.base_url, screenshots)
        try:
            page = visit.goto("/")
            visit.wait_for_path(r"/login$")
            visit.shoot("login")
            submit(page, "form", {"token": "not-the-token"})
            expect(page.locator(".refusal")).to_contain_text("not this server's API token")
            submit(page, "form", {"token": TOKEN})
            visit.wait_for_path(r"/$")
            expect(page.locator("#form-portfolio")).to_be_visible()
            [session] = [c for c in visit.context.cookies() if c["name"] == "wheel_session"]
            assert session["httpOnly"] and session["sameSite"] == "Strict"
            assert TOKEN not in session["value"]
            visit.goto("/openapi.json")  # the session opens pages, not the API
            assert "401" in page.content() or "unauthorized" in page.content()
        finally:
            visit.close()
        assert visit.foreign == []
