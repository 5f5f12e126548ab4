"""Whole event sequences through the facade: valid ones are all accepted, arbitrary ones
are accepted or refused cleanly, and the stored wheel always equals its replayed history."""

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from wheel_core.app import OpenWheel, WheelService
from wheel_core.domain.errors import DomainError
from wheel_core.domain.lifecycle import replay
from wheel_core.ports import TradeQuery
from wheel_core.testing.driver import apply_event
from wheel_core.testing.fakes import FakeClock, InMemoryUnitOfWorkFactory
from wheel_core.testing.strategies import (
    WheelEvent,
    arbitrary_event_sequences,
    valid_event_sequences,
)

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


async def drive(events: list[WheelEvent]) -> tuple[int, int, bool]:
    """Apply ``events``; return (accepted, refused, stored wheel == replayed history)."""
    factory = InMemoryUnitOfWorkFactory()
    clock = FakeClock(datetime(2026, 1, 5, 15, 0, tzinfo=UTC))
    service = WheelService(factory, clock)
    wheel = await service.open_wheel(OpenWheel(symbol="SEQ", capital=Decimal(1_000_000)))
    accepted = refused = 0
    for event in events:
        try:
            await apply_event(service, clock, wheel.id, event)
            accepted += 1
        except DomainError:
            refused += 1
    async with factory() as uow:
        stored = await uow.wheels.get(wheel.id)
        trades = await uow.trades.list(TradeQuery(wheel_id=wheel.id))
        moves = await uow.share_moves.list_for_wheel(wheel.id)
    assert stored is not None
    rebuilt = replay(trades, moves)
    same = (rebuilt.state, rebuilt.shares, rebuilt.cost_basis) == (
        stored.state,
        stored.shares,
        stored.cost_basis,
    )
    return accepted, refused, same


@PROPERTY
@given(valid_event_sequences())
def test_every_valid_sequence_is_accepted(events: list[WheelEvent]) -> None:
    accepted, refused, same = asyncio.run(drive(events))
    assert (accepted, refused) == (len(events), 0)
    assert same


@PROPERTY
@given(arbitrary_event_sequences())
def test_arbitrary_sequences_are_accepted_or_refused_cleanly(events: list[WheelEvent]) -> None:
    accepted, refused, same = asyncio.run(drive(events))
    assert accepted + refused == len(events)
    assert same
