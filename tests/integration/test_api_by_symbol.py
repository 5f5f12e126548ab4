"""The by-symbol reads: a wheel, or its position, found by symbol and portfolio name in
one request, as the CLI addresses wheels; a missing portfolio or wheel is a 404 problem."""

from typing import Any

from api_responses import API, assert_problem, body
from litestar.testing import AsyncTestClient


async def open_wheel(api: AsyncTestClient, symbol: str, **fields: Any) -> dict[str, Any]:
    response = await api.post(f"{API}/wheels", json={"symbol": symbol, **fields})
    assert response.status_code == 201, response.text
    wheel: dict[str, Any] = body(response)
    return wheel


async def test_a_wheel_is_found_by_symbol_in_the_default_portfolio(api: AsyncTestClient) -> None:
    wheel = await open_wheel(api, "AAPL", capital="30000")
    found = await api.get(f"{API}/wheels/by-symbol/aapl")
    assert found.status_code == 200, found.text
    assert body(found) == wheel
    assert body(await api.get(f"{API}/wheels/{wheel['id']}")) == wheel  # ids still route


async def test_a_wheel_is_found_in_the_portfolio_named(api: AsyncTestClient) -> None:
    created = await api.post(f"{API}/portfolios", json={"name": "growth"})
    growth = created.json()["id"]
    await open_wheel(api, "MSFT")
    theirs = await open_wheel(api, "MSFT", portfolio_id=growth)
    found = await api.get(f"{API}/wheels/by-symbol/MSFT", params={"portfolio": "growth"})
    assert body(found)["id"] == theirs["id"]


async def test_a_class_share_keeps_its_slash(api: AsyncTestClient) -> None:
    wheel = await open_wheel(api, "BRK/B")
    found = await api.get(f"{API}/wheels/by-symbol/BRK/B")
    assert body(found)["id"] == wheel["id"]
    position = await api.get(f"{API}/positions/by-symbol/brk/b")
    # Routed as the one ticker BRK/B, which the simulated market does not list.
    problem = assert_problem(position, 404, "symbol 'BRK/B' is not listed")
    assert problem["code"] == "symbol_not_found"


async def test_an_archived_wheel_answers_only_when_asked_for(api: AsyncTestClient) -> None:
    wheel = await open_wheel(api, "KO")
    archived = await api.post(f"{API}/wheels/{wheel['id']}/archive")
    assert archived.status_code == 200, archived.text
    missing = await api.get(f"{API}/wheels/by-symbol/KO")
    problem = assert_problem(missing, 404, "active wheel 'KO in default' not found")
    assert problem["code"] == "not_found"
    found = await api.get(f"{API}/wheels/by-symbol/KO", params={"include_archived": "true"})
    assert body(found)["id"] == wheel["id"]
    assert body(found)["active"] is False


async def test_the_position_of_a_wheel_found_by_symbol(api: AsyncTestClient) -> None:
    wheel = await open_wheel(api, "AAPL")
    position = await api.get(f"{API}/positions/by-symbol/AAPL", params={"portfolio": "default"})
    assert position.status_code == 200, position.text
    assert body(position) == body(await api.get(f"{API}/wheels/{wheel['id']}/position"))


async def test_a_missing_portfolio_or_wheel_is_a_404_problem(api: AsyncTestClient) -> None:
    await open_wheel(api, "AAPL")
    for path in ("/wheels/by-symbol/AAPL", "/positions/by-symbol/AAPL"):
        nope = await api.get(f"{API}{path}", params={"portfolio": "nope"})
        problem = assert_problem(nope, 404, "portfolio 'nope' not found")
        assert problem["code"] == "not_found"
    for path in ("/wheels/by-symbol/MSFT", "/positions/by-symbol/MSFT"):
        missing = await api.get(f"{API}{path}")
        problem = assert_problem(missing, 404, "active wheel 'MSFT in default' not found")
        assert problem["code"] == "not_found"


async def test_a_malformed_ticker_is_refused_by_the_core(api: AsyncTestClient) -> None:
    refused = await api.get(f"{API}/wheels/by-symbol/A$PL")
    assert assert_problem(refused, 422)["code"] == "invalid"
    nothing = await api.get(f"{API}/wheels/by-symbol")
    assert assert_problem(nothing, 404)["code"] == "not_found"
