"""Structured logs for the server and the headless scheduler: one JSON object per line
on stderr, secrets redacted.

Why JSON: the server runs unattended (a service, a container) and its logs are read
by tools more often than by people; one object per line with ``time``, ``level``,
``logger`` and ``message`` is what log shippers parse without a custom grammar.

Why a filter *and* a redacting formatter: a secret can reach a log line through the
message, its ``%`` arguments, an exception's text, a stack, or an ``extra=`` field;
the :class:`SecretFilter` on the handler rewrites all of those before formatting
(so any other handler sees the cleaned record too), and the formatter makes a last
literal pass over the finished line. Redacted are the configured secret values
(API token, Schwab app key and secret), ``Bearer``/``Basic`` credentials, and
``access_token``/``refresh_token``/``id_token`` values in JSON, reprs and query
strings.

Everything goes through the root logger: uvicorn is run with ``log_config=None`` so
its ``uvicorn.error`` and ``uvicorn.access`` loggers propagate here, and the
``litestar`` logger (which Litestar's default logging config detaches and points
at its own plain-text handler) is re-attached by :func:`configure_logging`.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pythonjsonlogger.json import JsonFormatter

if TYPE_CHECKING:
    from adapters.settings import Settings

MASK = "***"

QUIET_LOGGERS = ("schwab", "httpx", "httpcore", "authlib", "aiosqlite")
"""Loggers that print request details or bound SQL parameters at DEBUG/INFO (schwab-py
logs whole requests): kept at WARNING or above whatever the level asked for."""

RECLAIMED_LOGGERS = ("litestar", "uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
"""Loggers that frameworks give handlers of their own; ours must format them all."""

_STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))
) | {"message", "asctime", "taskName"}

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization header values, wherever they are printed.
    (re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*", re.IGNORECASE), rf"\1 {MASK}"),
    # OAuth tokens in JSON ("access_token": "…"), reprs ('refresh_token': '…')
    # and query strings (access_token=…).
    (
        re.compile(
            r"""((?:access|refresh|id)_token["']?\s*[:=]\s*["']?)[^"'&\s,;}]+""", re.IGNORECASE
        ),
        rf"\1{MASK}",
    ),
)


class Redactor:
    """Replaces secrets in text. Built once from the configured secret values."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        values = {secret for secret in secrets if secret}
        # Longest first, so a secret that contains another is masked whole.
        self._literals = sorted(values, key=len, reverse=True)
        # The same values as they appear inside a JSON string (quotes, backslashes escaped).
        escaped = {json.dumps(value)[1:-1] for value in values} - values
        self._escaped = sorted(escaped, key=len, reverse=True)

    def text(self, text: str) -> str:
        for secret in self._literals:
            text = text.replace(secret, MASK)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def output(self, line: str) -> str:
        """The last pass over a formatted line: literal and JSON-escaped secret values."""
        for secret in (*self._literals, *self._escaped):
            line = line.replace(secret, MASK)
        return line

    def value(self, value: Any) -> Any:
        """``value`` with every string inside it redacted (dicts, lists, tuples walked)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.value(item) for item in value)
        return value


class SecretFilter(logging.Filter):
    """Rewrites a record so that no secret survives into any field of it.

    The message is rendered (``msg % args``) and redacted, so arguments cannot
    smuggle a token past it; exception and stack text are rendered and redacted
    the same way. Nothing is dropped: the filter always returns ``True``.
    """

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redactor = redactor
        self._exceptions = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        redact = self._redactor
        if record.name == "uvicorn.access":
            _access_fields(record)
        if isinstance(record.msg, dict):
            record.msg = redact.value(record.msg)
        else:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):  # a bad format string must not lose the line
                message = f"{record.msg!s} {record.args!r}"
            record.msg = redact.text(message)
        record.args = None
        if record.exc_info:
            record.exc_text = self._exceptions.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact.text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact.text(record.stack_info)
        for key, value in list(vars(record).items()):
            if key not in _STANDARD_ATTRIBUTES:
                setattr(record, key, redact.value(value))
        # uvicorn adds an ANSI-coloured copy of its message: noise in JSON.
        record.__dict__.pop("color_message", None)
        return True


class RedactingJsonFormatter(JsonFormatter):
    """python-json-logger's formatter with a final literal pass for secret values."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            datefmt="%Y-%m-%dT%H:%M:%S%z",
        )
        self._redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self._redactor.output(super().format(record))


def configure_logging(level: str | int, secrets: Iterable[str | None]) -> logging.Handler:
    """Send every log record, as redacted JSON, to stderr at ``level``.

    Safe to call again (the handler it installed before is replaced). The app is built
    with ``logging_config=None``, so Litestar leaves this setup alone. Returns the
    handler, for tests and callers that need it.
    """
    numeric = logging.getLevelName(level.upper()) if isinstance(level, str) else level
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    redactor = Redactor(secrets)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingJsonFormatter(redactor))
    handler.addFilter(SecretFilter(redactor))
    handler.set_name("wheel-strategy-json")

    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(numeric)
    for name in RECLAIMED_LOGGERS:
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            logger.removeHandler(old)
        logger.propagate = True
        logger.disabled = False
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, numeric))
    return handler


def settings_secrets(settings: Settings) -> list[str]:
    """The secret values that are set: what :func:`configure_logging` masks."""
    from adapters.settings import secrets_of

    return list(secrets_of(settings).values())


def _access_fields(record: logging.LogRecord) -> None:
    """uvicorn's access line as fields too: ``client``, ``method``, ``path``, ``status``."""
    args = record.args
    if isinstance(args, tuple) and len(args) == 5:
        client, method, path, http_version, status = args
        record.client = client
        record.method = method
        record.path = path
        record.http_version = http_version
        record.status = status
