"""The facade Protocol and the service stay one surface: a method added to one and not
the other would leave the CLI's remote mode unable to do what direct mode does."""

from __future__ import annotations

import inspect

from wheel_core.app.facade import WheelFacade
from wheel_core.app.service import WheelService
from wheel_core.testing.fakes import FakeClock, InMemoryUnitOfWorkFactory


def _public_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_the_protocol_names_every_public_use_case_of_the_service() -> None:
    assert set(_public_methods(WheelFacade)) == set(_public_methods(WheelService))


def test_each_use_case_takes_the_same_parameters_in_both() -> None:
    service = _public_methods(WheelService)
    for name, signature in _public_methods(WheelFacade).items():
        assert list(signature.parameters) == list(service[name].parameters), name
        assert [p.kind for p in signature.parameters.values()] == [
            p.kind for p in service[name].parameters.values()
        ], name


def test_the_service_is_a_facade_to_the_type_checker(
    factory: InMemoryUnitOfWorkFactory, clock: FakeClock
) -> None:
    service = WheelService(factory, clock)
    facade: WheelFacade = service  # mypy checks every signature of the Protocol here
    assert facade is service
