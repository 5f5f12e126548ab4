"""The Schwab OAuth token file: where it lives, who may read it, how old it is.

schwab-py keeps the token as JSON — ``{"creation_timestamp": <epoch seconds>,
"token": {access_token, refresh_token, …}}`` — and rewrites it whenever it
refreshes the access token (which lives 30 minutes); ``creation_timestamp`` stays
the time of the login. Schwab's refresh token dies about 7 days after that
login, and only a new interactive login brings it back, so the scheduler
warns at 6 days (:func:`refresh_token_expiring`).

The file is a bearer credential for the account: it is kept 0600, written
through a temporary 0600 file and an atomic rename (a crash mid-refresh must
not leave half a token), and never logged — our messages name the path only.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, overload

import httpx
import msgspec
import schwab.auth  # type: ignore[import-untyped]
from authlib.common.errors import AuthlibBaseError  # type: ignore[import-untyped]
from platformdirs import user_data_dir

from adapters.market_data.errors import AuthenticationError
from adapters.market_data.schwab import LOGIN_COMMAND, SchwabClient

APP_NAME = "wheel-strategy"
TOKEN_FILENAME = "schwab_token.json"
PRIVATE = 0o600
REFRESH_TOKEN_LIFETIME = timedelta(days=7)
"""What Schwab documents; the real expiry may come a little sooner or later."""
WARN_AFTER = timedelta(days=6)


def token_path() -> Path:
    """The default token file, next to the database in the user data directory."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / TOKEN_FILENAME


def configured_token_path(configured: str | None) -> Path:
    """``schwab.token_path`` when set, else the default (:func:`token_path`)."""
    return Path(configured).expanduser() if configured else token_path()


def ensure_private(path: Path) -> Path:
    """Create ``path`` (and its directory, 0700) if missing, and make it 0600.

    Creating it empty with the right mode first means no moment exists in which
    the token is on disk with the umask's permissions.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE))
    os.chmod(path, PRIVATE)
    return path


@overload
def load_client(
    api_key: str, app_secret: str, token_path: Path, *, asyncio: Literal[True] = True
) -> SchwabClient: ...
@overload
def load_client(
    api_key: str, app_secret: str, token_path: Path, *, asyncio: Literal[False]
) -> Any: ...
def load_client(api_key: str, app_secret: str, token_path: Path, *, asyncio: bool = True) -> Any:
    """A schwab-py client over the token at ``token_path``, refreshing into it.

    This is ``schwab.auth.client_from_token_file`` with our writer: it reads the
    same file the same way, but each refreshed token is written privately and
    atomically (:func:`write_token`) instead of with ``open(path, "w")``.
    A missing or unreadable file is an :class:`AuthenticationError` saying to log in.
    """
    if not token_path.is_file():
        raise AuthenticationError(f"no Schwab login found at {token_path}; run `{LOGIN_COMMAND}`")
    ensure_private(token_path)
    try:
        return schwab.auth.client_from_access_functions(
            api_key,
            app_secret,
            lambda: _read_token(token_path),
            _writer(token_path),
            asyncio=asyncio,
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise AuthenticationError(
            f"the Schwab login at {token_path} cannot be used ({type(error).__name__}); "
            f"run `{LOGIN_COMMAND}`"
        ) from None


def token_age(path: Path, now: datetime) -> timedelta:
    """How long ago the login behind the token file happened (refreshes don't count)."""
    try:
        created = _read_token(path).get("creation_timestamp")
    except FileNotFoundError:
        raise AuthenticationError(
            f"no Schwab login found at {path}; run `{LOGIN_COMMAND}`"
        ) from None
    except (OSError, ValueError) as error:
        raise AuthenticationError(
            f"the Schwab login at {path} cannot be read ({type(error).__name__}); "
            f"run `{LOGIN_COMMAND}`"
        ) from None
    if isinstance(created, bool) or not isinstance(created, int | float):
        raise AuthenticationError(
            f"the Schwab login at {path} has no creation time; run `{LOGIN_COMMAND}`"
        )
    return now - datetime.fromtimestamp(created, UTC)


def refresh_token_expiring(path: Path, now: datetime, warn_after: timedelta = WARN_AFTER) -> bool:
    """Whether the login is old enough to warn about (Schwab ends it after ~7 days).

    A missing or unreadable file raises :class:`AuthenticationError`, whose message
    already says what to do.
    """
    return token_age(path, now) >= warn_after


class LoginAge(msgspec.Struct, frozen=True, kw_only=True):
    """How old the Schwab login behind a token file is, and what that means."""

    logged_in_at: datetime
    age: timedelta
    expires_at: datetime
    """About when Schwab ends the refresh token (``REFRESH_TOKEN_LIFETIME`` after login)."""
    status: Literal["ok", "expiring", "expired"]
    """``expiring`` from ``WARN_AFTER`` on; ``expired`` once the lifetime has passed."""


def login_age(path: Path, now: datetime) -> LoginAge:
    """The login's age and state; :class:`AuthenticationError` (saying what to do) when
    the file is missing, unreadable or has no creation time."""
    age = token_age(path, now)
    logged_in_at = now - age
    if age >= REFRESH_TOKEN_LIFETIME:
        status: Literal["ok", "expiring", "expired"] = "expired"
    elif age >= WARN_AFTER:
        status = "expiring"
    else:
        status = "ok"
    return LoginAge(
        logged_in_at=logged_in_at,
        age=age,
        expires_at=logged_in_at + REFRESH_TOKEN_LIFETIME,
        status=status,
    )


def login_problem(path: Path, now: datetime) -> str | None:
    """Why the login at ``path`` cannot serve prices now (``None``: it can): missing,
    unreadable, or older than Schwab's refresh-token lifetime. Names the path, never
    the token."""
    try:
        age = login_age(path, now)
    except AuthenticationError as error:
        return str(error)
    if age.status == "expired":
        return (
            f"the Schwab login at {path} is {age.age.days} days old and its refresh token "
            f"has expired; run `{LOGIN_COMMAND}`"
        )
    return None


def login(api_key: str, app_secret: str, callback_url: str, token_path: Path) -> None:
    """Log in to Schwab interactively and save the token at ``token_path`` (0600).

    schwab-py's manual flow: it prints the authorization URL, the user logs in in
    any browser and pastes back the URL Schwab redirected to; the code in it is
    exchanged for a token. Nothing is written unless that exchange succeeds.
    """
    try:
        schwab.auth.client_from_manual_flow(
            api_key, app_secret, callback_url, str(token_path), token_write_func=_writer(token_path)
        )
    except (AuthlibBaseError, httpx.HTTPError, ValueError) as error:
        raise AuthenticationError(
            f"the Schwab login did not complete ({type(error).__name__}); check the app key, "
            f"the secret and the callback URL, then run `{LOGIN_COMMAND}` again"
        ) from None


def write_token(path: Path, token: object) -> None:
    """Replace the token file atomically with a 0600 file holding ``token`` as JSON."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            os.chmod(temporary, PRIVATE)  # mkstemp's default already; said out loud
            json.dump(token, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _writer(path: Path) -> Callable[..., None]:
    """schwab-py's ``token_write_func``: called with the token and keyword extras."""

    def write(token: object, *args: object, **kwargs: object) -> None:
        write_token(path, token)

    return write


def _read_token(path: Path) -> dict[str, Any]:
    """The token file's JSON object, read as schwab-py's own loader reads it."""
    with path.open("rb") as file:
        token = json.load(file)
    if not isinstance(token, dict):
        raise ValueError("the token file does not hold a JSON object")
    return token
