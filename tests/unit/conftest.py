"""Shared fixtures of the bookkeeping specifications: a fresh in-memory store, a frozen clock.

The clock starts on Monday 2026-01-05 at 10:00 in New York (15:00 UTC) and
moves only when a test moves it.
"""

import copy
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime

import pytest

from wheel_core.app.service import WheelService
from wheel_core.testing.fakes import FakeClock, InMemoryUnitOfWorkFactory


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 1, 5, 15, 0, tzinfo=UTC))


@pytest.fixture
def factory() -> InMemoryUnitOfWorkFactory:
    return InMemoryUnitOfWorkFactory()


@pytest.fixture
def books(factory: InMemoryUnitOfWorkFactory, clock: FakeClock) -> WheelService:
    return WheelService(factory, clock)


@pytest.fixture
def unchanged(
    factory: InMemoryUnitOfWorkFactory,
) -> Callable[[], AbstractContextManager[None]]:
    """``with unchanged(): ...`` fails unless the block leaves the store exactly as it was."""

    @contextmanager
    def check() -> Iterator[None]:
        store = factory.store
        tables, commits = copy.deepcopy(store.tables), store.commits
        yield
        assert store.commits == commits, "a refused request committed"
        assert store.tables == tables, "a refused request changed the store"

    return check
