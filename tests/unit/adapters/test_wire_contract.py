"""The wire contract is one: the HTTP adapter's routes, filters and problem codes are the
ones ``adapters.wire`` and the domain errors declare, and the remote client reads them back."""

import inspect
from pathlib import Path

import pytest

from adapters import wire
from adapters.cli.remote.errors import RemoteInvalidTransitionError, RemoteNotFoundError
from adapters.cli.remote.problems import error_for
from adapters.container import build_container
from adapters.http.app import create_app
from adapters.http.filters import snapshot_filters, trade_filters
from adapters.http.problems import STATUS_OF_CODE
from adapters.market_data.errors import SymbolNotFoundError
from adapters.settings import convert
from wheel_core.domain import errors
from wheel_core.domain.errors import (
    ERROR_CLASSES,
    ConflictError,
    DomainError,
    MarketDataError,
    error_class,
)
from wheel_core.ports import AlertQuery, OpportunityQuery, SnapshotQuery, TradeQuery


def _templates() -> set[str]:
    return {
        value
        for name, value in vars(wire).items()
        if name.isupper() and isinstance(value, str) and value.startswith("/")
    } - {wire.API_PREFIX}


def test_every_route_of_the_app_is_a_template_of_the_contract(tmp_path: Path) -> None:
    settings = {"database": {"url": str(tmp_path / "api.db")}, "server": {"scheduler": False}}
    app = create_app(build_container(convert(settings)))
    served = {
        route.path_format.removeprefix(wire.API_PREFIX)
        for route in app.routes
        if route.path.startswith(wire.API_PREFIX)
    }
    documented = {
        template.replace(":int}", "}").replace(":str}", "}").replace(":path}", "}")
        for template in _templates()
    }
    assert served == documented


def test_filters_are_named_by_the_contract_and_are_query_fields() -> None:
    assert tuple(inspect.signature(trade_filters).parameters) == wire.TRADE_FILTERS
    assert tuple(inspect.signature(snapshot_filters).parameters) == wire.SNAPSHOT_FILTERS
    for names, query in [
        (wire.TRADE_FILTERS, TradeQuery),
        (wire.SNAPSHOT_FILTERS, SnapshotQuery),
        (wire.ALERT_FILTERS, AlertQuery),
        (wire.OPPORTUNITY_FILTERS[1:], OpportunityQuery),
    ]:
        assert set(names) <= set(query.__struct_fields__)


def test_fill_puts_values_into_a_template() -> None:
    assert wire.fill(wire.WHEEL_HISTORY, wheel_id=7) == "/wheels/7/history"
    assert wire.fill(wire.QUOTE, symbol="BRK/B") == "/market/quotes/BRK/B"
    assert wire.placeholders(wire.JOB_RUN) == ("name",)


def test_every_core_error_has_its_own_code_and_a_status() -> None:
    kinds = [k for k in vars(errors).values() if isinstance(k, type) and issubclass(k, DomainError)]
    assert {kind.code for kind in kinds} == {c for c, k in ERROR_CLASSES.items() if k.code == c}
    for code, kind in ERROR_CLASSES.items():
        assert error_class(code) is kind
    assert set(STATUS_OF_CODE) <= set(ERROR_CLASSES)
    assert error_class("invalid_request") is None


def test_an_adapter_error_s_own_code_is_known_to_the_core_as_a_narrower_kind() -> None:
    assert error_class(SymbolNotFoundError.code) is MarketDataError
    assert STATUS_OF_CODE[SymbolNotFoundError.code] == 404


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("not_found", RemoteNotFoundError),
        ("invalid_transition", RemoteInvalidTransitionError),
        ("conflict", ConflictError),
        ("symbol_not_found", MarketDataError),
    ],
)
def test_the_remote_client_raises_the_class_the_code_names(
    code: str, kind: type[Exception]
) -> None:
    content = f'{{"status": 409, "detail": "no", "code": "{code}"}}'.encode()
    error = error_for(409, content, url="http://x", token_sent=False)
    assert type(error) is kind
