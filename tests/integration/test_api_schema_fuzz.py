"""Schemathesis over the whole OpenAPI document: generated requests, seeded and bounded,
against the real app (real SQLite file, simulated market, fake clock).

On every response: no 5xx, only status codes and content types the document lists,
headers and bodies that match their schemas. A failure here means the server and its
published contract disagree.

Three of schemathesis' checks are left out, each for a reason of ours:

* ``positive_data_acceptance``: business rules refuse schema-valid requests by design —
  an expiration before today, shares without a cost basis, an action the wheel's state
  does not allow — and the schema cannot express them (they answer 409/422/400 with a
  problem that names the rule);
* ``negative_data_rejection``: Litestar converts request values leniently (``0`` for
  ``false``, ``"5"`` for ``5``), so a few schema-violating values are accepted;
* ``unsupported_method`` (the ``Allow`` header of OPTIONS): Litestar's automatic
  OPTIONS answer lists one handler's methods per path, and OPTIONS is not part of the API.

The schema is loaded when the module is collected (``schemathesis.pytest.from_fixture``
does not work with pytest 9.2), so the database lives in a temporary directory made
here; schemathesis keeps the app's lifespan open until the process ends.
"""

import tempfile
from pathlib import Path

import schemathesis
from api_moment import API_NOW
from dependency_injector import providers
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from adapters.container import build_container
from adapters.http.app import create_app
from adapters.settings import convert
from wheel_core.testing.fakes import FakeClock

_DIRECTORY = tempfile.TemporaryDirectory(prefix="wheel-fuzz-")
_container = build_container(convert({"database": {"url": str(Path(_DIRECTORY.name) / "f.db")}}))
_container.clock.override(providers.Object(FakeClock(API_NOW)))

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_container))

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_server_keeps_its_published_contract(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
