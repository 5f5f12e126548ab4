"""Choosing the market-data provider at run time, and what /health says of it.

A change to a provider that cannot work is refused (422 naming what is missing); a
stored provider that stops working never stops the server from starting (it serves
from the simulated market, degraded, and says why); with Schwab, /health shows the
login's age. Real app, real SQLite file, fake clock; Schwab's token is a file in
``tmp_path`` and no request ever leaves the process (the live-hours source is a fake).
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from api_moment import API_NOW
from api_responses import PROBLEM
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.container import Container, build_container
from adapters.http.app import create_app
from adapters.persistence.migrate import upgrade
from adapters.settings import Layer, convert
from wheel_core.testing.fakes import FakeClock

SECRET_ACCESS = "SECRET-ACCESS-TOKEN-9d3c"
SECRET_REFRESH = "SECRET-REFRESH-TOKEN-71be"
APP_SECRET = "app-secret-never-shown-4e2a"


def token_file(path: Path, logged_in: datetime) -> Path:
    """A Schwab login as schwab-py saves it."""
    token = {
        "access_token": SECRET_ACCESS,
        "refresh_token": SECRET_REFRESH,
        "token_type": "Bearer",
        "expires_in": 1800,
        "scope": "api",
        "expires_at": int(logged_in.timestamp()) + 1800,
    }
    path.write_text(json.dumps({"creation_timestamp": int(logged_in.timestamp()), "token": token}))
    path.chmod(0o600)
    return path


class NoLiveHours:
    """Stands in for the Schwab provider at start (live market hours): no network."""

    async def session_on(self, day: date) -> None:
        return None


def container_of(tmp_path: Path, clock: FakeClock, extra: Layer | None = None) -> Container:
    layer: dict[str, Any] = {
        "database": {"url": str(tmp_path / "api.db")},
        "server": {"scheduler": False},
        **(extra or {}),
    }
    container = build_container(convert(layer))
    container.clock.override(providers.Object(clock))
    container.schwab_market.override(providers.Object(NoLiveHours()))
    return container


def schwab_keys(token_path: Path) -> Layer:
    return {
        "schwab": {"api_key": "app-key-1", "app_secret": APP_SECRET, "token_path": str(token_path)}
    }


@pytest.fixture
def keyed(tmp_path: Path, api_clock: FakeClock) -> tuple[Container, Path]:
    """An app whose Schwab keys are set and whose token file does not exist yet."""
    path = tmp_path / "schwab_token.json"
    container = container_of(tmp_path, api_clock, schwab_keys(path))
    return container, path


# ── PATCH refuses a provider that cannot work ─────────────────────────────


@pytest.mark.parametrize(
    ("keys", "missing"),
    [
        (False, "schwab.api_key and schwab.app_secret are not set"),
        (True, "no Schwab login found at"),
    ],
)
async def test_switching_to_schwab_without_a_login_is_refused_saying_what_is_missing(
    tmp_path: Path, api_clock: FakeClock, keys: bool, missing: str
) -> None:
    """Regression (#14): the change was accepted, every price then failed with 503, and
    the stored change stopped every later start."""
    path = tmp_path / "schwab_token.json"
    container = container_of(tmp_path, api_clock, schwab_keys(path) if keys else None)
    change = {"market_data": {"provider": "schwab"}}
    async with AsyncTestClient(create_app(container)) as client:
        check = (await client.post("/api/v1/system/config/validate", json=change)).json()
        response = await client.patch("/api/v1/system/config", json=change)
        shown = (await client.get("/api/v1/system/config")).json()
        quote = await client.get("/api/v1/market/quotes/AAPL")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["code"] == "invalid_setting"
    assert body["detail"].startswith("market_data.provider schwab cannot be used: ")
    assert missing in body["detail"]
    assert "wheel-strategy schwab login" in body["detail"]
    assert APP_SECRET not in response.text
    assert check["valid"] is False and missing in check["error"]
    assert shown["market_data"]["provider"] == "simulated"  # nothing applied…
    assert await container.operations().stored_settings() == {}  # …nor saved
    assert quote.status_code == 200, quote.text


async def test_switching_to_schwab_with_an_expired_login_is_refused(
    keyed: tuple[Container, Path], api_clock: FakeClock
) -> None:
    container, path = keyed
    token_file(path, API_NOW - timedelta(days=7, hours=1))
    async with AsyncTestClient(create_app(container)) as client:
        response = await client.patch(
            "/api/v1/system/config", json={"market_data": {"provider": "schwab"}}
        )
    assert response.status_code == 422
    assert "is 7 days old and its refresh token has expired" in response.json()["detail"]
    assert SECRET_REFRESH not in response.text and SECRET_ACCESS not in response.text


async def test_switching_to_schwab_with_a_login_is_taken_and_health_shows_its_age(
    keyed: tuple[Container, Path], api_clock: FakeClock
) -> None:
    container, path = keyed
    logged_in = API_NOW - timedelta(days=2, hours=12)
    token_file(path, logged_in)
    async with AsyncTestClient(create_app(container)) as client:
        response = await client.patch(
            "/api/v1/system/config", json={"market_data": {"provider": "schwab"}}
        )
        assert response.status_code == 200, response.text
        health = (await client.get("/api/v1/health")).json()
    assert await container.operations().stored_settings() == {"market_data": {"provider": "schwab"}}
    market = health["market_data"]
    assert market["provider"] == "schwab"
    assert market["schwab_login"] == {
        "status": "ok",
        "logged_in_at": logged_in.isoformat().replace("+00:00", "Z"),
        "age_days": 2.5,
        "expires_at": (logged_in + timedelta(days=7)).isoformat().replace("+00:00", "Z"),
        "error": None,
    }
    assert SECRET_REFRESH not in json.dumps(health)


# ── /health: the Schwab login's age ───────────────────────────────────────


@pytest.mark.parametrize(
    ("age", "login_status", "status"),
    [
        (timedelta(days=5, hours=23), "ok", "ok"),
        (timedelta(days=6), "expiring", "ok"),
        (timedelta(days=7), "expired", "degraded"),
    ],
)
async def test_health_shows_the_schwab_login_age_as_the_clock_moves(
    tmp_path: Path, api_clock: FakeClock, age: timedelta, login_status: str, status: str
) -> None:
    path = tmp_path / "schwab_token.json"
    token_file(path, API_NOW)
    extra = {**schwab_keys(path), "market_data": {"provider": "schwab"}}
    container = container_of(tmp_path, api_clock, extra)
    async with AsyncTestClient(create_app(container)) as client:
        api_clock.set(API_NOW + age)
        health = (await client.get("/api/v1/health")).json()
    login = health["market_data"]["schwab_login"]
    assert login["status"] == login_status
    assert login["age_days"] == round(age.total_seconds() / 86_400, 2)
    assert (health["status"], health["market_data"]["status"]) == (status, status)


async def test_health_says_the_schwab_login_is_missing(
    keyed: tuple[Container, Path], api_clock: FakeClock
) -> None:
    container, path = keyed
    token_file(path, API_NOW)
    async with AsyncTestClient(create_app(container)) as client:
        patched = await client.patch(
            "/api/v1/system/config", json={"market_data": {"provider": "schwab"}}
        )
        assert patched.status_code == 200, patched.text
        path.unlink()  # the user deleted the login while the server runs
        health = (await client.get("/api/v1/health")).json()
    login = health["market_data"]["schwab_login"]
    assert login["status"] == "missing"
    assert login["error"].startswith(f"no Schwab login found at {path}")
    assert health["status"] == "degraded"


async def test_health_has_no_schwab_login_on_the_simulated_market(
    tmp_path: Path, api_clock: FakeClock
) -> None:
    container = container_of(tmp_path, api_clock)
    async with AsyncTestClient(create_app(container)) as client:
        health = (await client.get("/api/v1/health")).json()
    assert health["status"] == "ok"
    assert health["market_data"]["schwab_login"] is None
    assert health["market_data"]["wanted_provider"] is None


# ── start: a stored provider that cannot work ─────────────────────────────


async def stored_schwab(container: Container) -> None:
    """What an earlier PATCH stored (or a login that has since gone)."""
    await upgrade(container.engine())
    await container.operations().save_settings({"market_data": {"provider": "schwab", "seed": 5}})
    await container.engine().dispose()


async def test_a_stored_provider_that_cannot_work_does_not_stop_the_start(
    keyed: tuple[Container, Path], api_clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Regression (#14): the start failed until an environment override. It now serves
    from the simulated market, says so in /health and in the log, keeps the rest of
    the stored change, and takes the provider back once the login works."""
    container, path = keyed
    await stored_schwab(container)
    caplog.set_level(logging.WARNING, logger="adapters.operations.service")
    async with AsyncTestClient(create_app(container)) as client:
        health = await client.get("/api/v1/health")
        quote = await client.get("/api/v1/market/quotes/AAPL")
        shown = (await client.get("/api/v1/system/config")).json()

        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "degraded"
        market = body["market_data"]
        assert (market["provider"], market["simulated"], market["status"]) == (
            "simulated",
            True,
            "degraded",
        )
        assert market["wanted_provider"] == "schwab"
        assert market["reason"].startswith(f"no Schwab login found at {path}")
        assert quote.status_code == 200, quote.text
        assert shown["market_data"] == {**shown["market_data"], "provider": "simulated", "seed": 5}
        [line] = [r.getMessage() for r in caplog.records if "stored market_data" in r.message]
        assert line.startswith("the stored market_data.provider schwab cannot be used (no Schwab")
        assert "serving prices from the simulated provider" in line
        assert APP_SECRET not in caplog.text

        # Logged in at last: the provider is chosen again, and health is clear.
        token_file(path, API_NOW)
        again = await client.patch(
            "/api/v1/system/config", json={"market_data": {"provider": "schwab"}}
        )
        assert again.status_code == 200, again.text
        after = (await client.get("/api/v1/health")).json()["market_data"]
    assert (after["provider"], after["wanted_provider"], after["reason"]) == ("schwab", None, None)
    assert after["schwab_login"]["status"] == "ok"


async def test_a_stored_provider_that_works_is_used_at_start(
    keyed: tuple[Container, Path], api_clock: FakeClock
) -> None:
    container, path = keyed
    token_file(path, API_NOW - timedelta(days=1))
    await stored_schwab(container)
    async with AsyncTestClient(create_app(container)) as client:
        health = (await client.get("/api/v1/health")).json()
    assert health["market_data"]["provider"] == "schwab"
    assert health["market_data"]["wanted_provider"] is None
    assert health["market_data"]["schwab_login"]["status"] == "ok"
