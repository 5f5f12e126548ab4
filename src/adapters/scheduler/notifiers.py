"""The ``Notifier`` adapters: new alerts to the log (default) or to a webhook.

A notifier never raises into a job: an alert is already stored when it is delivered,
so a delivery that fails is logged and the job goes on. The webhook URL may carry a
token, so it is never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import msgspec
from tenacity import (
    AsyncRetrying,
    RetryError,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from wheel_core.domain.entities import Alert
from wheel_core.domain.enums import RiskLevel

log = logging.getLogger(__name__)

_LEVELS = {RiskLevel.LOW: logging.INFO, RiskLevel.MEDIUM: logging.WARNING}


class LogNotifier:
    """Each alert as one log line (WARNING, ERROR for HIGH), with its fields as extras."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._log = logger or logging.getLogger("wheel_strategy.alerts")

    async def notify(self, alert: Alert) -> None:
        self._log.log(
            _LEVELS.get(alert.level, logging.ERROR),
            "alert %s: %s",
            alert.kind,
            alert.message,
            extra={"alert": msgspec.to_builtins(alert)},
        )


class DeliveryError(Exception):
    """The webhook answered with a status worth retrying (5xx, 429)."""


class RefusedError(Exception):
    """The webhook refused the alert (4xx): trying again would not help."""


Sleep = Callable[[float], Awaitable[None]]


class WebhookNotifier:
    """POST each alert as JSON to a URL; retries connection errors, timeouts, 429 and 5xx
    with exponential backoff; gives up quietly (logged) after ``retries`` more tries.

    ``sleep`` and ``transport`` are for tests: no real waiting, no network.
    """

    def __init__(
        self,
        url: str | None,
        *,
        timeout: float = 10.0,
        retries: int = 3,
        sleep: Sleep | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._url = url
        self._timeout = timeout
        self._retries = retries
        self._sleep = sleep
        self._transport = transport
        self.delivered = 0
        self.failed = 0

    async def notify(self, alert: Alert) -> None:
        if not self._url:
            log.warning(
                "webhook notifier has no scheduler.webhook_url; alert %s not sent", alert.key
            )
            self.failed += 1
            return
        payload = msgspec.json.encode(alert)
        options: dict[str, Any] = {}
        if self._sleep is not None:
            options["sleep"] = self._sleep
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._retries + 1),
            wait=wait_exponential(multiplier=0.5, max=30),
            retry=retry_if_exception_type((httpx.TransportError, DeliveryError)),
            reraise=False,
            **options,
        )
        try:
            async with httpx.AsyncClient(
                timeout=self._timeout, transport=self._transport
            ) as client:
                async for attempt in retrying:
                    with attempt:
                        await self._post(client, payload)
        except RetryError as error:
            self.failed += 1
            cause = error.last_attempt.exception()
            log.error(
                "webhook delivery of alert %s failed after %d attempts: %s",
                alert.key,
                self._retries + 1,
                _safe(cause),
            )
        except (httpx.HTTPError, RefusedError) as error:
            self.failed += 1
            log.error("webhook delivery of alert %s failed: %s", alert.key, _safe(error))
        else:
            self.delivered += 1

    async def _post(self, client: httpx.AsyncClient, payload: bytes) -> None:
        assert self._url is not None
        response = await client.post(
            self._url, content=payload, headers={"content-type": "application/json"}
        )
        if response.status_code == 429 or response.status_code >= 500:
            raise DeliveryError(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise RefusedError(f"HTTP {response.status_code}")


def _safe(error: BaseException | None) -> str:
    """The error's kind and, for our own, its text; httpx's texts may quote the URL."""
    if error is None:
        return "unknown error"
    if isinstance(error, DeliveryError | RefusedError):
        return str(error)
    return type(error).__name__
