"""The Schwab token file: private from birth, readable by schwab-py, aged by the login.

No network: the login test replaces only authlib's code-for-token exchange and
the prompt; schwab-py's own flow and token format run for real.
"""

import json
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import platformdirs
import pytest
import schwab.auth
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from schwab.client import AsyncClient, Client

from adapters.market_data.errors import AuthenticationError
from adapters.market_data.schwab_auth import (
    ensure_private,
    load_client,
    login,
    refresh_token_expiring,
    token_age,
    token_path,
    write_token,
)

SECRET = "SECRET-ACCESS-TOKEN-abc123"
LOGGED_IN = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
TOKEN = {
    "access_token": SECRET,
    "refresh_token": "SECRET-REFRESH-TOKEN",
    "id_token": "id",
    "token_type": "Bearer",
    "expires_in": 1800,
    "scope": "api",
    "expires_at": int(LOGGED_IN.timestamp()) + 1800,
}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def saved(path: Path, created: datetime = LOGGED_IN, token: Any = TOKEN) -> Path:
    """A token file as schwab-py writes it, world-readable as a careless umask leaves it."""
    path.write_text(json.dumps({"creation_timestamp": int(created.timestamp()), "token": token}))
    path.chmod(0o644)
    return path


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The worst umask: anything not made private explicitly would be 0666."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


# -- where and how ---------------------------------------------------------------------------


def test_the_token_lives_in_the_user_data_dir() -> None:
    expected = Path(platformdirs.user_data_dir("wheel-strategy", appauthor=False))
    assert token_path() == expected / "schwab_token.json"


@pytest.mark.usefixtures("open_umask")
def test_ensure_private_creates_the_file_and_its_folder_private(tmp_path: Path) -> None:
    path = ensure_private(tmp_path / "data" / "schwab_token.json")
    assert path.read_bytes() == b""
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_ensure_private_tightens_an_existing_file_and_keeps_it(tmp_path: Path) -> None:
    path = saved(tmp_path / "token.json")
    before = path.read_bytes()
    ensure_private(path)
    assert mode(path) == 0o600 and path.read_bytes() == before


@pytest.mark.usefixtures("open_umask")
def test_write_token_replaces_the_file_atomically_and_privately(tmp_path: Path) -> None:
    path = saved(tmp_path / "token.json")
    write_token(path, {"creation_timestamp": 1, "token": {"access_token": "new"}})
    assert mode(path) == 0o600
    assert json.loads(path.read_text())["token"] == {"access_token": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["token.json"]


def test_a_failed_write_leaves_the_old_token_and_no_debris(tmp_path: Path) -> None:
    path = saved(tmp_path / "token.json")
    before = path.read_bytes()
    with pytest.raises(TypeError):
        write_token(path, {"not": object()})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["token.json"]


# -- loading ---------------------------------------------------------------------------------


async def test_load_client_reads_the_token_and_makes_the_file_private(tmp_path: Path) -> None:
    path = saved(tmp_path / "token.json")
    client = load_client("app-key", "app-secret", path)
    assert isinstance(client, AsyncClient)
    assert mode(path) == 0o600
    assert client.session.token["access_token"] == SECRET
    assert isinstance(load_client("app-key", "app-secret", path, asyncio=False), Client)
    await client.close_async_session()


@pytest.mark.usefixtures("open_umask")
async def test_a_refreshed_token_is_written_privately_and_keeps_the_login_time(
    tmp_path: Path,
) -> None:
    """What authlib calls after a refresh, with schwab-py's metadata wrapper around ours."""
    path = saved(tmp_path / "token.json")
    client = load_client("app-key", "app-secret", path)
    path.unlink()  # even if the file vanished, the rewrite must not use the umask
    await client.session.update_token({**TOKEN, "access_token": "fresh"}, refresh_token="r")
    written = json.loads(path.read_text())
    assert written["creation_timestamp"] == int(LOGGED_IN.timestamp())
    assert written["token"]["access_token"] == "fresh"
    assert mode(path) == 0o600
    await client.close_async_session()


def test_a_missing_token_says_to_log_in(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    with pytest.raises(AuthenticationError, match="run `wheel-strategy schwab login`") as raised:
        load_client("app-key", "app-secret", path)
    assert str(path) in raised.value.message
    assert not path.exists()


@pytest.mark.parametrize(
    "content",
    [
        "",
        '{"token": {"access_token": "' + SECRET,
        json.dumps({"access_token": SECRET}),  # an old token without schwab-py's metadata
        json.dumps([SECRET]),
    ],
    ids=["empty", "truncated", "legacy", "not-an-object"],
)
def test_an_unusable_token_says_to_log_in_and_quotes_nothing(tmp_path: Path, content: str) -> None:
    path = tmp_path / "token.json"
    path.write_text(content)
    with pytest.raises(AuthenticationError, match="wheel-strategy schwab login") as raised:
        load_client("app-key", "app-secret", path)
    assert SECRET not in raised.value.message and "app-secret" not in raised.value.message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


# -- age -------------------------------------------------------------------------------------


def test_token_age_counts_from_the_login(tmp_path: Path) -> None:
    path = saved(tmp_path / "token.json")
    assert token_age(path, LOGGED_IN + timedelta(days=2, hours=3)) == timedelta(days=2, hours=3)


def test_the_warning_starts_at_six_days(tmp_path: Path) -> None:
    path = saved(tmp_path / "token.json")
    assert not refresh_token_expiring(path, LOGGED_IN + timedelta(days=6, seconds=-1))
    assert refresh_token_expiring(path, LOGGED_IN + timedelta(days=6))
    assert refresh_token_expiring(path, LOGGED_IN + timedelta(days=9))
    assert refresh_token_expiring(path, LOGGED_IN + timedelta(days=5), timedelta(days=5))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "no Schwab login found"),
        ("{oops", "cannot be read"),
        (json.dumps({"token": TOKEN}), "has no creation time"),
        (json.dumps({"creation_timestamp": "yesterday"}), "has no creation time"),
    ],
)
def test_an_ageless_token_says_to_log_in(tmp_path: Path, content: str | None, words: str) -> None:
    path = tmp_path / "token.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(AuthenticationError, match=words) as raised:
        refresh_token_expiring(path, LOGGED_IN)
    assert "wheel-strategy schwab login" in raised.value.message


# -- login -----------------------------------------------------------------------------------


class ExchangeFails(OAuth2Client):
    def fetch_token(self, *args: Any, **kwargs: Any) -> Any:
        raise OAuthError("invalid_grant", f"code rejected for {SECRET}")


class ExchangeWorks(OAuth2Client):
    def fetch_token(self, *args: Any, **kwargs: Any) -> Any:
        return dict(TOKEN)


@pytest.fixture
def pasted_redirect(monkeypatch: pytest.MonkeyPatch) -> None:
    """The user pastes the URL Schwab redirected to (schwab-py prompts with ``input``)."""
    monkeypatch.setattr("builtins.input", lambda prompt="": "https://127.0.0.1:8182/?code=C0DE")


@pytest.mark.usefixtures("open_umask", "pasted_redirect")
def test_login_writes_a_private_token_that_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(schwab.auth, "OAuth2Client", ExchangeWorks)
    path = tmp_path / "data" / "schwab_token.json"
    login("app-key", "app-secret", "https://127.0.0.1:8182", path)
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    written = json.loads(path.read_text())
    assert written["token"]["access_token"] == SECRET
    assert isinstance(written["creation_timestamp"], int)
    assert SECRET not in capsys.readouterr().out
    assert isinstance(load_client("app-key", "app-secret", path, asyncio=False), Client)


@pytest.mark.usefixtures("pasted_redirect")
def test_a_failed_login_writes_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schwab.auth, "OAuth2Client", ExchangeFails)
    path = saved(tmp_path / "token.json")
    before = path.read_bytes()
    with pytest.raises(AuthenticationError, match="did not complete") as raised:
        login("app-key", "app-secret", "https://127.0.0.1:8182", path)
    assert SECRET not in raised.value.message and "app-secret" not in raised.value.message
    assert path.read_bytes() == before
