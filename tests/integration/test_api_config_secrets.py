"""``/system/config`` when a secret is set whose value a rule judges (the webhook URL):
the redacted ``***`` is shown, never checked as a URL."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.container import Container, build_container
from adapters.http.app import create_app
from adapters.settings import convert
from wheel_core.testing.fakes import FakeClock

WEBHOOK = "https://hooks.example/services/T0KEN-SECRET-5e1f"


@pytest.fixture
def webhook_container(tmp_path: Path, api_clock: FakeClock) -> Container:
    container = build_container(
        convert(
            {
                "database": {"url": str(tmp_path / "api.db")},
                "server": {"scheduler": False},
                "scheduler": {"notifier": "webhook", "webhook_url": WEBHOOK},
            }
        )
    )
    container.clock.override(providers.Object(api_clock))
    return container


@pytest.fixture
async def webhook_api(webhook_container: Container) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(create_app(webhook_container)) as client:
        yield client


async def test_get_config_with_a_webhook_notifier_shows_the_url_redacted(
    webhook_api: AsyncTestClient,
) -> None:
    """Regression (#14): this was a 500."""
    response = await webhook_api.get("/api/v1/system/config")
    assert response.status_code == 200, response.text
    scheduler = response.json()["scheduler"]
    assert (scheduler["notifier"], scheduler["webhook_url"]) == ("webhook", "***")
    assert "T0KEN" not in response.text


async def test_patch_config_with_a_webhook_notifier_applies_and_answers(
    webhook_api: AsyncTestClient, webhook_container: Container
) -> None:
    """Regression (#14): the change was saved, then the answer was a 500."""
    change = {"market_data": {"seed": 9}}
    check = await webhook_api.post("/api/v1/system/config/validate", json=change)
    assert check.json() == {"valid": True, "error": None}
    response = await webhook_api.patch("/api/v1/system/config", json=change)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["settings"]["market_data"]["seed"] == 9
    assert body["settings"]["scheduler"]["webhook_url"] == "***"
    assert "T0KEN" not in response.text
    # The real URL is what the server keeps using.
    assert webhook_container.settings().scheduler.webhook_url == WEBHOOK
    shown = (await webhook_api.get("/api/v1/system/config")).json()
    assert shown["market_data"]["seed"] == 9
