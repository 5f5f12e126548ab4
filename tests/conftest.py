"""Fixtures shared by every test directory.

``sql_engine`` is an engine on an empty, migrated database: a SQLite file
always, and PostgreSQL too when ``WHEEL_TEST_POSTGRES_URL`` names one (e.g.
``postgresql+asyncpg://postgres@127.0.0.1:55432/wheel_test``; install the
``postgres`` extra). CI machines have no PostgreSQL server, so it is opt-in;
when given, the same tests run on it unchanged — which is how "a PostgreSQL
URL is a configuration change" is checked.
"""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import create_engine, upgrade

POSTGRES_URL = os.environ.get("WHEEL_TEST_POSTGRES_URL")
DATABASES = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture(params=DATABASES)
async def blank_sql_engine(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty database, before any migration."""
    if request.param == "sqlite":
        engine = create_engine(tmp_path / "test.db")
    else:
        assert POSTGRES_URL is not None
        engine = create_engine(POSTGRES_URL)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    yield engine
    await engine.dispose()


@pytest.fixture
async def sql_engine(blank_sql_engine: AsyncEngine) -> AsyncEngine:
    """An engine on an empty, migrated database."""
    await upgrade(blank_sql_engine)
    return blank_sql_engine
