"""The scheduler lease's contract, held by the in-memory fake and by the SQL lease on a
SQLite file (and on PostgreSQL when ``WHEEL_TEST_POSTGRES_URL`` names one).

Each contender is what a process would be: for SQL, a lease over an engine of its
own on the same database, so a race between contenders is a race between
connections, decided by the database alone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import create_engine
from adapters.persistence.lease import SqlSchedulerLease
from adapters.persistence.tables import scheduler_lease
from adapters.scheduler.lease import InMemoryLease, LeaseView, SchedulerLease

T0 = datetime(2027, 1, 11, 15, 0, 0, 250_000, tzinfo=UTC)
TTL = timedelta(seconds=30)
A, B = "host-a:101:aaaa", "host-b:202:bbbb"

Contenders = Callable[[], SchedulerLease]
"""Each call: the lease as one more process sees it (one shared lease underneath)."""


@pytest.fixture(params=["memory", "sql"])
async def contender(
    request: pytest.FixtureRequest, sql_engine: AsyncEngine
) -> AsyncIterator[Contenders]:
    if request.param == "memory":
        shared = InMemoryLease()
        yield lambda: shared
        return
    url = sql_engine.url.render_as_string(hide_password=False)
    engines: list[AsyncEngine] = []

    def another() -> SchedulerLease:
        engines.append(create_engine(url))
        return SqlSchedulerLease(engines[-1])

    try:
        yield another
    finally:
        for each in engines:
            await each.dispose()


async def test_a_free_lease_goes_to_the_first_contender(contender: Contenders) -> None:
    lease = contender()
    assert await lease.current() == LeaseView(), "the lease starts free"
    view = await lease.acquire_or_renew(A, T0, TTL)
    assert view == LeaseView(holder=A, expires_at=T0 + TTL, acquired_at=T0, renewed_at=T0)
    assert view.leader_at(T0) == A
    assert await contender().current() == view, "every process reads the same lease"


async def test_the_holder_renews_keeping_when_it_took_the_lease(contender: Contenders) -> None:
    lease = contender()
    await lease.acquire_or_renew(A, T0, TTL)
    later = T0 + TTL / 3
    view = await lease.acquire_or_renew(A, later, TTL)
    assert view == LeaseView(holder=A, expires_at=later + TTL, acquired_at=T0, renewed_at=later)


async def test_a_running_lease_is_not_taken(contender: Contenders) -> None:
    leader, standby = contender(), contender()
    taken = await leader.acquire_or_renew(A, T0, TTL)
    just_before = T0 + TTL - timedelta(microseconds=1)
    seen = await standby.acquire_or_renew(B, just_before, TTL)
    assert seen == taken, "the standby reads the leader and changes nothing"
    assert seen.leader_at(just_before) == A


async def test_a_lapsed_lease_is_taken_over_from_the_moment_it_expires(
    contender: Contenders,
) -> None:
    leader, standby = contender(), contender()
    await leader.acquire_or_renew(A, T0, TTL)
    expiry = T0 + TTL
    assert (await leader.current()).leader_at(expiry) is None, "lapsed at its expiry"
    view = await standby.acquire_or_renew(B, expiry, TTL)
    assert view == LeaseView(
        holder=B, expires_at=expiry + TTL, acquired_at=expiry, renewed_at=expiry
    )
    late = await leader.acquire_or_renew(A, expiry + timedelta(seconds=1), TTL)
    assert late.holder == B, "the old leader, back late, finds it taken"


async def test_a_released_lease_is_free_at_once_and_only_its_holder_releases(
    contender: Contenders,
) -> None:
    leader, standby = contender(), contender()
    await leader.acquire_or_renew(A, T0, TTL)
    await standby.release(B)
    assert (await leader.current()).holder == A, "a process that holds nothing frees nothing"
    await leader.release(A)
    assert await standby.current() == LeaseView()
    view = await standby.acquire_or_renew(B, T0 + timedelta(seconds=1), TTL)
    assert view.holder == B, "taken at the next beat, not after the lease would have lapsed"


@pytest.mark.parametrize("contenders", [2, 5])
async def test_of_contenders_racing_for_a_lapsed_lease_exactly_one_wins(
    contender: Contenders, contenders: int
) -> None:
    """Every round the lease lapses and all contend at the same instant, each over its
    own connection; each round has one winner and every contender reads that winner."""
    leases = [contender() for _ in range(contenders)]
    names = [f"host:{300 + i}:{i:04x}" for i in range(contenders)]
    await leases[0].acquire_or_renew("host:1:gone", T0, TTL)
    for round_ in range(1, 6):
        now = T0 + round_ * TTL
        seen = await asyncio.gather(
            *(
                lease.acquire_or_renew(name, now, TTL)
                for lease, name in zip(leases, names, strict=True)
            )
        )
        winners = [name for name, view in zip(names, seen, strict=True) if view.holder == name]
        assert len(winners) == 1, (round_, seen)
        assert {view.holder for view in seen} == set(winners), "all read the one winner"
        assert all(view.expires_at == now + TTL for view in seen)


async def test_the_sql_lease_row_is_made_again_if_it_was_deleted(sql_engine: AsyncEngine) -> None:
    async with sql_engine.begin() as connection:
        await connection.execute(delete(scheduler_lease))
    lease = SqlSchedulerLease(sql_engine)
    assert await lease.current() == LeaseView()
    view = await lease.acquire_or_renew(A, T0, TTL)
    assert view.holder == A
    assert (await lease.acquire_or_renew(B, T0, TTL)).holder == A, "and it is A's"
