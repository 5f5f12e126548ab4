"""Notifiers: the log by default; the webhook POSTs JSON, retries with backoff (no real
waiting: the sleep is injected), and never raises into the job."""

import json
import logging
from datetime import UTC, datetime

import httpx
import pytest

from adapters.container import build_notifier
from adapters.scheduler.notifiers import LogNotifier, WebhookNotifier
from adapters.settings import SchedulerSettings, SettingsError, convert
from wheel_core.domain.entities import Alert
from wheel_core.domain.enums import RiskLevel

ALERT = Alert(
    kind="risk",
    key="itm:trade:1",
    message="AAPL 180 put is in the money",
    level=RiskLevel.HIGH,
    created_at=datetime(2026, 11, 24, 16, tzinfo=UTC),
    trade_id=1,
    id=5,
)
SECRET_URL = "https://hooks.example/T0KEN-SECRET"


def _notifier(
    statuses: list[int], waits: list[float], retries: int = 3
) -> tuple[WebhookNotifier, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status = statuses[min(len(seen), len(statuses)) - 1]
        if status == 0:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(status)

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    notifier = WebhookNotifier(
        SECRET_URL, retries=retries, sleep=sleep, transport=httpx.MockTransport(answer)
    )
    return notifier, seen


async def test_the_webhook_posts_the_alert_as_json() -> None:
    waits: list[float] = []
    notifier, seen = _notifier([204], waits)
    await notifier.notify(ALERT)
    assert notifier.delivered == 1
    body = json.loads(seen[0].content)
    assert body["key"] == "itm:trade:1"
    assert body["level"] == "high"
    assert seen[0].headers["content-type"] == "application/json"
    assert waits == []


async def test_the_webhook_retries_with_exponential_backoff() -> None:
    waits: list[float] = []
    notifier, seen = _notifier([503, 0, 429, 200], waits)
    await notifier.notify(ALERT)
    assert len(seen) == 4
    assert notifier.delivered == 1
    assert waits == [0.5, 1.0, 2.0]


async def test_a_webhook_that_never_answers_is_logged_not_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    waits: list[float] = []
    notifier, seen = _notifier([500], waits, retries=2)
    await notifier.notify(ALERT)
    assert len(seen) == 3
    assert notifier.failed == 1
    assert "failed after 3 attempts: HTTP 500" in caplog.text
    assert "T0KEN" not in caplog.text  # the URL may hold a secret


async def test_a_refusal_is_not_retried() -> None:
    waits: list[float] = []
    notifier, seen = _notifier([404], waits)
    await notifier.notify(ALERT)
    assert (len(seen), notifier.failed, waits) == (1, 1, [])


async def test_the_log_notifier_logs_each_alert(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="wheel_strategy.alerts"):
        await LogNotifier().notify(ALERT)
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "alert risk: AAPL 180 put is in the money"


def test_settings_choose_the_notifier() -> None:
    assert isinstance(build_notifier(SchedulerSettings()), LogNotifier)
    chosen = build_notifier(SchedulerSettings(notifier="webhook", webhook_url=SECRET_URL))
    assert isinstance(chosen, WebhookNotifier)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (None, "needs webhook_url"),
        ("hooks.example/T0KEN-SECRET", "needs webhook_url"),
        ("ftp://hooks.example/T0KEN-SECRET", "needs webhook_url"),
        ("https://hooks.example:9x/T0KEN-SECRET", "webhook_url is not a valid URL"),
    ],
)
def test_the_webhook_notifier_without_a_usable_url_fails_at_start(
    url: str | None, reason: str
) -> None:
    layer = {"scheduler": {"notifier": "webhook", "webhook_url": url}}
    with pytest.raises(SettingsError, match=reason) as refused:
        convert({k: {n: v for n, v in s.items() if v is not None} for k, s in layer.items()})
    assert "T0KEN" not in str(refused.value), "the URL may hold a token: never repeated"
    assert "scheduler" in str(refused.value)
