"""Where the database lives: the platform's user data directory unless told otherwise."""

from pathlib import Path

import platformdirs
import pytest

from adapters.persistence import create_engine, database_url, default_database_path
from adapters.persistence.database import sqlite_path


def test_the_default_file_is_in_the_user_data_directory() -> None:
    expected = Path(platformdirs.user_data_dir("wheel-strategy", appauthor=False))
    assert default_database_path() == expected / "wheel_strategy.db"
    assert database_url() == f"sqlite+aiosqlite:///{expected / 'wheel_strategy.db'}"


def test_a_path_becomes_an_absolute_sqlite_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert database_url("trades.db") == f"sqlite+aiosqlite:///{tmp_path / 'trades.db'}"


def test_a_url_is_used_as_given() -> None:
    url = "postgresql+asyncpg://wheel@127.0.0.1:5432/wheel"
    assert database_url(url) == url
    assert sqlite_path(url) is None
    assert sqlite_path("sqlite+aiosqlite:///:memory:") is None


async def test_the_parent_directory_is_created(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "w.db"
    engine = create_engine(target)
    assert target.parent.is_dir()
    await engine.dispose()
