"""Schemathesis over the whole OpenAPI document, with every check it has: generated
requests, seeded and bounded, against the real app (real SQLite file, simulated market,
fake clock, background jobs off).

Two tests:

* every operation on its own — the examples, coverage and fuzzing phases, positive and
  negative data (``max_examples`` bounds the fuzzing phase; the coverage phase draws a
  fixed set of boundary cases from the schema);
* sequences of operations chained by the links schemathesis infers from the document
  (a created portfolio's ``id`` fed to ``GET /portfolios/{portfolio_id}`` …), so
  operations are also reached with ids that exist.

On every response: no 5xx; only status codes, content types, headers and bodies the
document lists; a request the schema refuses is refused, and one it accepts is not
refused as malformed; ``OPTIONS`` lists every method of the path; and every 4xx/5xx is
problem+json whose ``status`` is the response's.

One widening of schemathesis' defaults, for a reason of ours: a schema-valid request
may be answered **422** (``positive_data_acceptance``). Business rules refuse such
requests by design — an expiration before today, shares without a cost basis, a setting
key that does not exist — and the schema cannot express them; they answer 422 (or 409,
404) with a problem naming the rule. **400** stays a failure: it says the request was
malformed, which a schema-valid request is not.

The schema is loaded when the module is collected (``schemathesis.pytest.from_fixture``
does not work with pytest 9.2), so the database lives in a temporary directory made
here; schemathesis keeps the app's lifespan open until the process ends.

Run time on the development machine (2 shared cores): about 60 s for both when the
machine is quiet (about 40 s for the 74 operations, 5,191 cases; 20 s for 30 linked
scenarios, 212 calls), up to 3 minutes when the other cores are busy.
"""

import itertools
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from api_moment import API_NOW
from dependency_injector import providers
from hypothesis import HealthCheck, settings
from litestar import Litestar
from schemathesis.checks import CheckContext
from schemathesis.core.transport import Response
from schemathesis.python.asgi import shutdown_lifespans

from adapters.container import build_container
from adapters.http.app import create_app
from adapters.settings import convert
from wheel_core.testing.fakes import FakeClock

_DIRECTORY = tempfile.TemporaryDirectory(prefix="wheel-fuzz-")
_databases = itertools.count()


def fresh_app() -> Litestar:
    """The app over a database of its own (background jobs off, the fake clock)."""
    database = Path(_DIRECTORY.name) / f"fuzz-{next(_databases)}.db"
    container = build_container(
        convert({"database": {"url": str(database)}, "server": {"scheduler": False}})
    )
    container.clock.override(providers.Object(FakeClock(API_NOW)))
    return create_app(container)


ACCEPTED_FOR_VALID_DATA = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
"""Schemathesis' default for ``positive_data_acceptance`` plus 422 (see the docstring);
a 5xx is reported by ``not_a_server_error`` instead."""

CONFIG = schemathesis.Config.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_FOR_VALID_DATA}}}
)

schema = schemathesis.openapi.from_asgi("/openapi.json", fresh_app(), config=CONFIG)


def errors_are_problems(ctx: CheckContext, response: Response, case: schemathesis.Case) -> None:
    """Every error, documented or not (a 405, a 404 of the router), is problem+json."""
    if response.status_code < 400:
        return
    media_type = response.headers.get("content-type", [""])[0].split(";")[0]
    assert media_type == "application/problem+json", (
        f"{response.status_code} answered as {media_type!r}, not problem+json"
    )
    body: Any = response.json()
    assert body.get("status") == response.status_code, f"problem status {body.get('status')}"
    assert body.get("code"), "a problem without a code"


EXTRA_CHECKS = [errors_are_problems]

INVISIBLE_ONLY = "must contain a visible character"


def refused_as_invisible(response: Response) -> bool:
    """The core refuses a name made only of invisible characters (zero-width, a soft
    hyphen, unassigned code points). "A visible character" has no regex that Python's
    ``re`` (which generates the fuzz data) and ECMAScript read alike, so the schema says
    it in words; a 400 for that one rule, and only it, is not a breach of the contract."""
    if response.status_code != 400:
        return False
    errors = response.json().get("errors") or []
    return bool(errors) and all(INVISIBLE_ONLY in str(e.get("message")) for e in errors)


SETTINGS = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@schema.parametrize()
@SETTINGS
def test_each_operation_keeps_the_published_contract(case: schemathesis.Case) -> None:
    response = case.call()
    if refused_as_invisible(response):
        assert response.headers["content-type"][0].startswith("application/problem+json")
        return
    case.validate_response(response, additional_checks=EXTRA_CHECKS)


class LinkedOperations(schema.as_state_machine()):  # type: ignore[misc]
    """Each scenario runs on an app and database of its own: Hypothesis replays a
    scenario's choices to explore and shrink, and on a database the earlier scenarios
    wrote to, the replay would take other turns (a name already taken, an id missing)."""

    def setup(self) -> None:
        self.app = fresh_app()

    def teardown(self) -> None:
        shutdown_lifespans()  # closes this scenario's database; the next call reopens others

    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
        return {"app": self.app}

    def validate_response(
        self,
        response: Response,
        case: schemathesis.Case,
        additional_checks: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if refused_as_invisible(response):
            return
        super().validate_response(
            response, case, additional_checks=[*(additional_checks or []), *EXTRA_CHECKS], **kwargs
        )


TestLinkedOperationsKeepTheContract = LinkedOperations.TestCase
TestLinkedOperationsKeepTheContract.settings = settings(
    SETTINGS, max_examples=30, stateful_step_count=6
)
