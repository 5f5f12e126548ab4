"""The published OpenAPI document and the server agree, item by item (what the schema
fuzz test found, each pinned by a plain test): integer bounds, JSON types in bodies,
integers written with a point, optional bodies, OPTIONS, ticker paths."""

import re
from typing import Any

import pytest
from api_responses import API, assert_problem, body
from litestar.testing import AsyncTestClient

from wheel_core.domain.checks import MAX_ID, SYMBOL_PATTERN

METHODS = {"get", "put", "post", "delete", "patch"}


async def _document(api: AsyncTestClient) -> dict[str, Any]:
    document: dict[str, Any] = (await api.get("/openapi.json")).json()
    return document


def _bounds(node: Any, where: str = "") -> list[tuple[str, str, Any]]:
    """Every numeric bound of an integer schema in the document."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(node, dict):
        integer = node.get("type") == "integer" or {"type": "integer"} in node.get("oneOf", [])
        for key, value in node.items():
            if integer and key in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}:
                found.append((where, key, value))
            found += _bounds(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += _bounds(item, f"{where}/{index}")
    return found


def _parameter(document: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any]:
    operation = document["paths"][path][method]
    parameter: dict[str, Any] = next(p for p in operation["parameters"] if p["name"] == name)
    return parameter


async def test_integer_bounds_are_written_as_the_integers_the_server_enforces(
    api: AsyncTestClient,
) -> None:
    document = await _document(api)
    bounds = _bounds(document)
    assert len(bounds) > 50
    assert [b for b in bounds if type(b[2]) is not int] == []
    trade_id = _parameter(document, f"{API}/trades/{{trade_id}}", "get", "trade_id")["schema"]
    assert (trade_id["minimum"], trade_id["maximum"]) == (1, MAX_ID)
    offset = _parameter(document, f"{API}/trades", "get", "offset")["schema"]
    assert (offset["minimum"], offset["maximum"]) == (0, MAX_ID)


async def test_the_largest_documented_id_is_served_and_the_next_is_refused(
    api: AsyncTestClient,
) -> None:
    assert_problem(await api.get(f"{API}/trades/{MAX_ID}"), 404)
    assert_problem(await api.get(f"{API}/trades/{MAX_ID + 1}"), 400, "trade_id")


async def test_an_integer_written_with_a_point_is_taken_as_that_integer(
    api: AsyncTestClient,
) -> None:
    changed = await api.patch(f"{API}/jobs/opportunity_scan", json={"interval_minutes": 523.0})
    assert changed.status_code == 200, changed.text
    assert changed.json()["interval_minutes"] == 523
    problem = assert_problem(
        await api.patch(f"{API}/jobs/opportunity_scan", json={"interval_minutes": 523.5}), 400
    )
    assert problem["errors"][0]["field"] == "interval_minutes"
    assert (await api.get(f"{API}/jobs/opportunity_scan")).json()["interval_minutes"] == 523


async def test_an_amount_keeps_its_digits_when_integers_with_a_point_are_read(
    api: AsyncTestClient,
) -> None:
    created = await api.post(f"{API}/portfolios", json={"name": "points", "capital": 5000.0})
    assert created.status_code == 201, created.text
    assert '"capital":5000.0' in created.text
    assert body(created)["capital"].as_tuple().exponent == -1


@pytest.mark.parametrize(
    ("path", "sent", "field"),
    [
        ("/portfolios", {"name": "lax", "is_default": 0}, "is_default"),
        ("/portfolios", {"name": "lax", "capital": True}, "capital"),
        ("/portfolios", {"name": 5}, "name"),
        ("/wheels", {"symbol": "AAPL", "opened_at": 0}, "opened_at"),
        ("/wheels", {"symbol": "AAPL", "shares": "100", "cost_basis": 50}, "shares"),
    ],
)
async def test_a_body_value_of_another_json_type_is_refused_and_nothing_is_written(
    api: AsyncTestClient, path: str, sent: dict[str, Any], field: str
) -> None:
    before = (await api.get(f"{API}{path}")).json()
    problem = assert_problem(await api.post(f"{API}{path}", json=sent), 400, field)
    assert problem["code"] == "invalid_request"
    assert [(e["field"], e["source"]) for e in problem["errors"]] == [(field, "body")]
    assert (await api.get(f"{API}{path}")).json() == before


async def test_a_flag_given_as_a_number_is_refused(api: AsyncTestClient) -> None:
    problem = assert_problem(
        await api.patch(f"{API}/plugins/premium_target", json={"enabled": 0}), 400, "enabled"
    )
    assert problem["errors"][0]["message"] == "Expected `bool | null`, got `int`"
    assert (await api.get(f"{API}/plugins/premium_target")).json()["enabled"] is True


async def test_a_body_the_handler_can_go_without_is_documented_as_optional(
    api: AsyncTestClient,
) -> None:
    document = await _document(api)
    assign = document["paths"][f"{API}/trades/{{trade_id}}/assign"]["post"]
    assert assign["requestBody"]["required"] is False
    for item in document["paths"].values():
        for method in METHODS & item.keys():
            request_body = item[method].get("requestBody")
            if request_body is None:
                continue
            schema = request_body["content"]["application/json"]["schema"]
            may_be_null = {"type": "null"} in schema.get("oneOf", [])
            assert request_body["required"] is not may_be_null, item[method]["operationId"]


async def test_options_lists_every_method_the_path_serves(api: AsyncTestClient) -> None:
    document = await _document(api)
    for path, item in document["paths"].items():
        answered = await api.options(re.sub(r"\{[^}]+\}", "1", path))
        assert answered.status_code == 204, path
        served = {method.upper() for method in METHODS & item.keys()} | {"OPTIONS"}
        assert set(answered.headers["allow"].split(", ")) == served, path


async def test_a_ticker_in_the_path_is_documented_with_the_ticker_pattern(
    api: AsyncTestClient,
) -> None:
    document = await _document(api)
    for path, method in [
        (f"{API}/market/quotes/{{symbol}}", "get"),
        (f"{API}/market/chains/{{symbol}}", "get"),
        (f"{API}/watchlist/{{symbol}}", "delete"),
    ]:
        assert _parameter(document, path, method, "symbol")["schema"]["pattern"] == SYMBOL_PATTERN
    assert (await api.get(f"{API}/market/quotes/BRK/B")).status_code in {200, 404}
