"""Every implementation of the driving port offers exactly the
:class:`~wheel_core.app.facade.WheelFacade` Protocol: the Protocol is the one list of
use cases, and the service and the remote client are checked against it (method
names, parameter names, kinds and defaults), so neither keeps a list of its own."""

from __future__ import annotations

import inspect

import pytest

from adapters.cli.remote.service import RemoteWheelService
from wheel_core.app.facade import WheelFacade
from wheel_core.app.service import WheelService
from wheel_core.testing.fakes import FakeClock, InMemoryUnitOfWorkFactory


def _use_cases(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def _shape(signature: inspect.Signature) -> list[tuple[str, object, object]]:
    """What a caller relies on: each parameter's name, kind and default."""
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


IMPLEMENTATIONS = [WheelService, RemoteWheelService]


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS, ids=lambda cls: cls.__name__)
def test_an_implementation_offers_exactly_the_protocols_use_cases(implementation: type) -> None:
    assert set(_use_cases(implementation)) == set(_use_cases(WheelFacade))


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS, ids=lambda cls: cls.__name__)
def test_each_use_case_is_called_the_same_way_on_every_implementation(
    implementation: type,
) -> None:
    offered = _use_cases(implementation)
    for name, signature in _use_cases(WheelFacade).items():
        assert _shape(offered[name]) == _shape(signature), name


def test_a_use_case_of_the_service_is_its_rooms_async_method(
    factory: InMemoryUnitOfWorkFactory, clock: FakeClock
) -> None:
    """The service hands each use case to a room: on a service it is still an async
    method, with its name and the room's docstring (what jobs, plugins and ``help()`` see)."""
    service = WheelService(factory, clock)
    for name in _use_cases(WheelFacade):
        method = getattr(service, name)
        assert inspect.iscoroutinefunction(method), name
        assert method.__name__ == name
        assert method.__doc__ == getattr(WheelService, name).__doc__
