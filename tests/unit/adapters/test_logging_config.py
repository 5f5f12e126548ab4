"""The server's logs: JSON lines with level/logger/message, and no secret in any of them.

Each test installs the real configuration (``configure_logging``), points its
handler at a ``StringIO`` and puts the previous logging setup back afterwards.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from adapters.logging_config import (
    MASK,
    QUIET_LOGGERS,
    configure_logging,
    settings_secrets,
)
from adapters.settings import convert

API_TOKEN = "tok-9c1e7f2a5b6d8e"
APP_SECRET = "schwab-secret-Q8w2"
API_KEY = "schwab-key-Z3x7"
SECRETS = (API_TOKEN, APP_SECRET, API_KEY)

Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Every test changes the root logger; the next one (and pytest) get it back."""
    touched = ["", "litestar", "uvicorn", "uvicorn.error", "uvicorn.access", *QUIET_LOGGERS]
    saved = {
        name: (
            logging.getLogger(name).handlers[:],
            logging.getLogger(name).level,
            logging.getLogger(name).propagate,
        )
        for name in touched
    }
    yield
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


def capture(level: str, secrets: list[str | None]) -> io.StringIO:
    """Configure logging for real, then point its handler at a string buffer."""
    handler = configure_logging(level, secrets)
    stream = io.StringIO()
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    return stream


@pytest.fixture
def lines() -> Lines:
    """Logging configured with the three secrets; ``lines()`` is the output so far, parsed
    (and checked to hold none of the secrets)."""
    stream = capture("DEBUG", [*SECRETS, None, ""])

    def parsed() -> list[dict[str, Any]]:
        text = stream.getvalue()
        for secret in SECRETS:
            assert secret not in text
        return [json.loads(line) for line in text.splitlines()]

    return parsed


def test_every_line_is_json_with_level_logger_and_message(lines: Lines) -> None:
    logging.getLogger("adapters.test").info("hello %s", "world")
    logging.getLogger("adapters.test").warning("careful", extra={"wheel_id": 7})
    first, second = lines()
    assert first["level"] == "INFO"
    assert first["logger"] == "adapters.test"
    assert first["message"] == "hello world"
    assert "time" in first
    assert second["level"] == "WARNING"
    assert second["wheel_id"] == 7


@pytest.mark.parametrize("secret", SECRETS)
def test_a_secret_in_the_message_is_masked(lines: Lines, secret: str) -> None:
    logging.getLogger("adapters.test").info(f"configured with {secret}!")
    [line] = lines()
    assert line["message"] == f"configured with {MASK}!"


def test_a_secret_in_the_arguments_is_masked(lines: Lines) -> None:
    logging.getLogger("adapters.test").info(
        "token %s, settings %r", API_TOKEN, {"schwab": {"app_secret": APP_SECRET}}
    )
    [line] = lines()
    assert line["message"] == f"token {MASK}, settings {{'schwab': {{'app_secret': '{MASK}'}}}}"


def test_a_secret_in_an_exception_is_masked(lines: Lines) -> None:
    try:
        raise RuntimeError(f"login failed for key {API_KEY} with Bearer abc.def-123")
    except RuntimeError:
        logging.getLogger("adapters.test").exception("request failed")
    [line] = lines()
    assert line["message"] == "request failed"
    assert "RuntimeError: login failed for key *** with Bearer ***" in line["exc_info"]
    assert "abc.def-123" not in line["exc_info"]


def test_a_secret_in_extra_fields_and_stack_is_masked(lines: Lines) -> None:
    logging.getLogger("adapters.test").info(
        "called", extra={"headers": {"authorization": f"Bearer {API_TOKEN}"}}, stack_info=True
    )
    [line] = lines()
    assert line["headers"] == {"authorization": f"Bearer {MASK}"}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Authorization: Bearer eyJhbGciOi.J9.x-y_z", f"Authorization: Bearer {MASK}"),
        ("authorization: basic dXNlcjpwYXNz==", f"authorization: basic {MASK}"),
        (
            '{"access_token": "I0.b2F1dGgy", "refresh_token":"r3fr3sh", "expires_in": 1800}',
            f'{{"access_token": "{MASK}", "refresh_token":"{MASK}", "expires_in": 1800}}',
        ),
        ("{'id_token': 'abc'}", f"{{'id_token': '{MASK}'}}"),
        ("GET /callback?access_token=abc&x=1", f"GET /callback?access_token={MASK}&x=1"),
    ],
)
def test_credentials_not_configured_are_masked_by_shape(
    lines: Lines, message: str, expected: str
) -> None:
    logging.getLogger("schwab.client").warning(message)
    [line] = lines()
    assert line["message"] == expected


def test_a_secret_that_needs_json_escaping_is_masked() -> None:
    tricky = 'a"b\\c-secret'
    stream = capture("INFO", [tricky])
    logging.getLogger("adapters.test").info("value %s", tricky)
    text = stream.getvalue()
    assert json.dumps(tricky)[1:-1] not in text
    assert json.loads(text)["message"] == f"value {MASK}"


def test_uvicorn_access_lines_are_json_with_fields(lines: Lines) -> None:
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:5000",
        "GET",
        f"/api/v1/portfolios?access_token={API_TOKEN}",
        "1.1",
        200,
    )
    [line] = lines()
    assert line["logger"] == "uvicorn.access"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["path"] == f"/api/v1/portfolios?access_token={MASK}"


def test_framework_loggers_are_reattached_to_the_json_handler(lines: Lines) -> None:
    litestar = logging.getLogger("litestar")
    assert litestar.propagate
    assert litestar.handlers == []
    litestar.error("boom with %s", API_TOKEN)
    [line] = lines()
    assert line["logger"] == "litestar"
    assert line["message"] == f"boom with {MASK}"


def test_chatty_client_loggers_stay_at_warning(lines: Lines) -> None:
    for name in QUIET_LOGGERS:
        assert logging.getLogger(name).getEffectiveLevel() >= logging.WARNING
    logging.getLogger("schwab").debug("GET https://api.schwabapi.com/... with headers")
    logging.getLogger("httpx").info("HTTP Request: GET https://api.schwabapi.com")
    assert lines() == []


def test_configuring_again_replaces_the_handler(lines: Lines) -> None:
    handler = configure_logging("WARNING", SECRETS)
    root = logging.getLogger()
    assert root.handlers == [handler]
    assert root.level == logging.WARNING


def test_an_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="LOUD"):
        configure_logging("LOUD", [])


def test_the_secrets_of_settings_are_the_configured_secret_keys() -> None:
    settings = convert(
        {
            "server": {"api_token": API_TOKEN},
            "schwab": {"api_key": API_KEY, "app_secret": APP_SECRET},
        }
    )
    assert sorted(settings_secrets(settings)) == sorted(SECRETS)
    assert settings_secrets(convert({})) == []


async def test_the_webhook_url_never_reaches_the_server_log() -> None:
    """The server's logging at DEBUG, a webhook notifier delivering, failing on the
    network, giving up on 503s and refused: its URL (a secret, it may hold a token)
    appears in no line, neither from httpx nor from the notifier — and where some code
    does print it, the configured secret is masked."""
    from datetime import UTC, datetime

    import httpx

    from adapters.scheduler.notifiers import WebhookNotifier
    from wheel_core.domain.entities import Alert
    from wheel_core.domain.enums import RiskLevel

    url = "https://hooks.example/services/T0KEN-webhook-7d"
    settings = convert({"scheduler": {"notifier": "webhook", "webhook_url": url}})
    stream = capture("DEBUG", settings_secrets(settings))
    answers = iter([200, "down", "down", 503, 503, 404])

    def answer(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        if status == "down":
            raise httpx.ConnectError(f"cannot reach {request.url}", request=request)
        return httpx.Response(status)

    async def no_wait(_: float) -> None:
        return None

    notifier = WebhookNotifier(
        settings.scheduler.webhook_url,
        retries=1,
        sleep=no_wait,
        transport=httpx.MockTransport(answer),
    )
    alert = Alert(
        kind="risk",
        key="itm:trade:1",
        message="ITM",
        level=RiskLevel.HIGH,
        created_at=datetime(2026, 11, 24, 16, tzinfo=UTC),
    )
    for _ in range(4):
        await notifier.notify(alert)
    logging.getLogger("adapters.test").warning("posting to %s", url)

    assert (notifier.delivered, notifier.failed) == (1, 3)
    text = stream.getvalue()
    assert "T0KEN" not in text
    messages = [json.loads(line)["message"] for line in text.splitlines()]
    assert messages == [
        "webhook delivery of alert itm:trade:1 failed after 2 attempts: ConnectError",
        "webhook delivery of alert itm:trade:1 failed after 2 attempts: HTTP 503",
        "webhook delivery of alert itm:trade:1 failed: HTTP 404",
        f"posting to {MASK}",
    ]
