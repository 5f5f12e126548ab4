"""Wheels and trades through the HTTP API: the whole wheel life cycle with exact P&L,
rolls, closes, corrections and deletes, the filters of ``/trades``, and every error as
``application/problem+json``."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, get_args

import pytest
from api_responses import API, assert_problem, body
from httpx import Response
from litestar.testing import AsyncTestClient

from adapters.http.filters import TradeOutcome
from wheel_core.domain.enums import Outcome
from wheel_core.testing.fakes import FakeClock

PUT_EXPIRY = "2026-12-18"
CALL_EXPIRY = "2027-01-15"
AFTER_PUT_EXPIRY = datetime(2026, 12, 18, 21, 30, tzinfo=UTC)
"""16:30 in New York on the put's expiration day: the option has stopped trading."""
AFTER_CALL_EXPIRY = datetime(2027, 1, 15, 21, 30, tzinfo=UTC)


async def post_raw(api: AsyncTestClient, path: str, raw: str) -> Response:
    """POST JSON text as written, so ``2.00`` reaches the server as ``2.00``."""
    return await api.post(
        f"{API}{path}", content=raw.encode(), headers={"content-type": "application/json"}
    )


async def open_wheel(api: AsyncTestClient, symbol: str = "AAPL", **fields: Any) -> dict[str, Any]:
    response = await api.post(f"{API}/wheels", json={"symbol": symbol, **fields})
    assert response.status_code == 201, response.text
    wheel: dict[str, Any] = body(response)
    return wheel


async def sell_put(
    api: AsyncTestClient, wheel_id: int, expiration: str = PUT_EXPIRY, **fields: Any
) -> dict[str, Any]:
    payload = {
        "option_type": "put",
        "strike": "100",
        "expiration": expiration,
        "premium": "1.00",
        **fields,
    }
    response = await api.post(f"{API}/wheels/{wheel_id}/trades", json=payload)
    assert response.status_code == 201, response.text
    trade: dict[str, Any] = body(response)
    return trade


async def create_portfolio(api: AsyncTestClient, name: str) -> int:
    response = await api.post(f"{API}/portfolios", json={"name": name})
    assert response.status_code == 201, response.text
    portfolio_id: int = response.json()["id"]
    return portfolio_id


# ── the worked example of DESIGN §3 ──────────────────────────────────────────


async def test_a_full_wheel_cycle_realizes_the_worked_example_exactly(
    api: AsyncTestClient, api_clock: FakeClock
) -> None:
    wheel = await open_wheel(api, "AAPL", capital="30000")
    wheel_id = wheel["id"]
    assert wheel["state"] == "idle"
    assert wheel["allowed_actions"] == ["sell_put", "import_shares", "archive"]

    put = await post_raw(
        api,
        f"/wheels/{wheel_id}/trades",
        '{"option_type": "put", "strike": 100, "expiration": "2026-12-18", '
        '"premium": "2.00", "contracts": 3}',
    )
    assert put.status_code == 201, put.text
    assert '"premium":2.00,' in put.text
    assert '"total_premium":600.00' in put.text
    put_id = body(put)["id"]

    state = await api.get(f"{API}/wheels/{wheel_id}/state")
    assert state.status_code == 200
    assert body(state) == {
        "wheel_id": wheel_id,
        "symbol": "AAPL",
        "state": "put_open",
        "active": True,
        "allowed_actions": ["expire", "close", "roll", "assign"],
        "shares": 0,
        "open_trade": body(put),
    }

    api_clock.set(AFTER_PUT_EXPIRY)
    expired = await post_raw(api, f"/trades/{put_id}/expire", '{"price_at_expiry": 95}')
    assert expired.status_code == 200, expired.text
    assert body(expired)["outcome"] == "assigned"
    assert '"pnl":600.00' in expired.text

    holding = body(await api.get(f"{API}/wheels/{wheel_id}"))
    assert holding["state"] == "holding_shares"
    assert holding["shares"] == 300
    assert holding["cost_basis"] == 100
    assert holding["adjusted_cost_basis"] == Decimal("98.00")
    assert holding["allowed_actions"] == ["sell_call", "sell_shares", "archive"]

    call = await post_raw(
        api,
        f"/wheels/{wheel_id}/trades",
        '{"option_type": "call", "strike": 105, "expiration": "2027-01-15", '
        '"premium": 1.50, "contracts": 3}',
    )
    assert call.status_code == 201, call.text
    assert '"total_premium":450.00' in call.text
    call_id = body(call)["id"]

    api_clock.set(AFTER_CALL_EXPIRY)
    away = await post_raw(api, f"/trades/{call_id}/expire", '{"price_at_expiry": 110}')
    assert away.status_code == 200, away.text
    assert body(away)["outcome"] == "called_away"
    assert '"pnl":450.00' in away.text

    done = await api.get(f"{API}/wheels/{wheel_id}")
    assert done.status_code == 200
    # Money is a JSON number with exact digits, never a string or a float.
    assert '"total_premium":1050.00' in done.text
    assert '"realized_pnl":2550.00' in done.text
    final = body(done)
    assert final["state"] == "idle"
    assert final["shares"] == 0
    assert final["total_premium"] == Decimal("1050.00")
    assert final["realized_pnl"] == Decimal("2550.00")
    assert final["open_trade"] is None

    history = body(await api.get(f"{API}/wheels/{wheel_id}/history"))
    assert [t["id"] for t in history["trades"]] == [put_id, call_id]
    assert [t["outcome"] for t in history["trades"]] == ["assigned", "called_away"]
    assert history["wheel"]["realized_pnl"] == Decimal("2550.00")
    assert history["lots"] == []  # every share was called away
    [sale] = history["sales"]
    assert (sale["quantity"], sale["price"], sale["cost"]) == (300, 105, 30000)
    assert (sale["source"], sale["trade_id"]) == ("called_away", call_id)

    chains = body(await api.get(f"{API}/wheels/{wheel_id}/chains"))
    assert [(c["chain_id"], c["rolls"], c["realized_pnl"]) for c in chains] == [
        (put_id, 0, Decimal("600.00")),
        (call_id, 0, Decimal("450.00")),
    ]

    trades = body(await api.get(f"{API}/wheels/{wheel_id}/trades"))
    assert trades["total"] == 2
    assert sum(t["pnl"] for t in trades["items"]) == Decimal("1050.00")


async def test_money_sent_as_a_json_number_keeps_its_digits(api: AsyncTestClient) -> None:
    wheel_id = (await open_wheel(api, capital="100000"))["id"]
    put = await post_raw(
        api,
        f"/wheels/{wheel_id}/trades",
        '{"option_type": "put", "strike": 100.10, "expiration": "2026-12-18", "premium": 1.1250}',
    )
    assert put.status_code == 201, put.text
    assert '"strike":100.10,' in put.text
    assert '"premium":1.1250,' in put.text


# ── rolls, closes, corrections, deletes ──────────────────────────────────────


async def test_a_roll_chains_its_legs_and_a_close_ends_the_chain(
    api: AsyncTestClient, api_clock: FakeClock
) -> None:
    wheel_id = (await open_wheel(api, "MSFT", capital="20000"))["id"]
    first = await sell_put(api, wheel_id, premium="1.00")
    assert first["chain_id"] == first["id"]
    assert first["rolled_from_id"] is None

    api_clock.advance(datetime(2026, 11, 25, 15, tzinfo=UTC) - api_clock.now())
    rolled = await post_raw(
        api,
        f"/trades/{first['id']}/roll",
        '{"close_price": 0.50, "strike": 95, "expiration": "2027-01-15", "premium": 1.20}',
    )
    assert rolled.status_code == 201, rolled.text
    second = body(rolled)
    assert second["id"] != first["id"]
    assert second["chain_id"] == first["id"]
    assert second["rolled_from_id"] == first["id"]
    assert second["is_open"] is True
    assert second["contracts"] == 1
    assert '"total_premium":120.00' in rolled.text

    old = await api.get(f"{API}/trades/{first['id']}")
    assert body(old)["outcome"] == "rolled"
    assert '"pnl":50.00' in old.text

    chains = body(await api.get(f"{API}/wheels/{wheel_id}/chains"))
    assert len(chains) == 1
    chain = chains[0]
    assert chain["chain_id"] == first["id"]
    assert chain["rolls"] == 1
    assert chain["is_open"] is True
    assert [leg["trade_id"] for leg in chain["legs"]] == [first["id"], second["id"]]
    assert chain["total_premium"] == Decimal("220.00")
    assert chain["realized_pnl"] == Decimal("50.00")

    # A leg that was rolled into another cannot be deleted: the chain would break.
    assert_problem(await api.delete(f"{API}/trades/{first['id']}"), 409, "rolled into")
    # Only the open leg can be rolled or ended.
    assert_problem(
        await api.post(f"{API}/trades/{first['id']}/close", json={"price": "0.10"}),
        409,
        "already ended",
    )

    closed = await post_raw(api, f"/trades/{second['id']}/close", '{"price": 0.40, "fees": 1.30}')
    assert closed.status_code == 200, closed.text
    assert body(closed)["outcome"] == "closed_early"
    assert body(closed)["close_price"] == Decimal("0.40")
    assert '"pnl":78.70' in closed.text  # 120 − 40 − 1.30
    assert body(await api.get(f"{API}/wheels/{wheel_id}/state"))["state"] == "idle"

    corrected = await api.patch(f"{API}/trades/{second['id']}", json={"premium": "1.25"})
    assert corrected.status_code == 200, corrected.text
    assert body(corrected)["premium"] == Decimal("1.25")
    assert '"pnl":83.70' in corrected.text

    chain = body(await api.get(f"{API}/wheels/{wheel_id}/chains"))[0]
    assert chain["is_open"] is False
    assert chain["outcome"] == "closed_early"
    assert chain["realized_pnl"] == Decimal("133.70")
    wheel = await api.get(f"{API}/wheels/{wheel_id}")
    assert '"realized_pnl":133.70' in wheel.text
    assert '"total_premium":225.00' in wheel.text


async def test_a_correction_that_breaks_the_history_is_refused(api: AsyncTestClient) -> None:
    wheel_id = (await open_wheel(api, capital="10000"))["id"]
    trade = await sell_put(api, wheel_id)
    closed = await api.post(
        f"{API}/trades/{trade['id']}/close",
        json={"price": "0.20", "at": "2026-11-24T18:00:00Z"},
    )
    assert closed.status_code == 200, closed.text

    assert_problem(
        await api.patch(f"{API}/trades/{trade['id']}", json={"closed_at": "2026-11-20T18:00:00Z"}),
        409,
        "cannot close before it opens",
    )
    assert_problem(
        await api.patch(f"{API}/trades/{trade['id']}", json={"expiration": "2026-01-02"}),
        422,
        "before the trade opens",
    )
    assert_problem(
        await api.patch(f"{API}/trades/{trade['id']}", json={"strike": "-5"}), 400, "strike"
    )
    assert_problem(
        await api.patch(f"{API}/trades/{trade['id']}", json={"symbol": "X"}), 400, "symbol"
    )
    unchanged = body(await api.get(f"{API}/trades/{trade['id']}"))
    assert unchanged["closed_at"] == "2026-11-24T18:00:00Z"
    assert unchanged["expiration"] == PUT_EXPIRY


async def test_deleting_a_mistaken_trade_restores_the_wheel(api: AsyncTestClient) -> None:
    wheel_id = (await open_wheel(api, capital="10000"))["id"]
    trade = await sell_put(api, wheel_id)
    assert body(await api.get(f"{API}/wheels/{wheel_id}"))["state"] == "put_open"

    deleted = await api.delete(f"{API}/trades/{trade['id']}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert_problem(
        await api.get(f"{API}/trades/{trade['id']}"), 404, f"trade {trade['id']} not found"
    )
    wheel = body(await api.get(f"{API}/wheels/{wheel_id}"))
    assert wheel["state"] == "idle"
    assert wheel["total_premium"] == 0


async def test_early_assignment_needs_no_body_and_moves_to_shares(api: AsyncTestClient) -> None:
    wheel_id = (await open_wheel(api, capital="10000"))["id"]
    trade = await sell_put(api, wheel_id, premium="2.50")

    assigned = await api.post(f"{API}/trades/{trade['id']}/assign")
    assert assigned.status_code == 200, assigned.text
    assert body(assigned)["outcome"] == "assigned"
    assert '"pnl":250.00' in assigned.text
    wheel = body(await api.get(f"{API}/wheels/{wheel_id}"))
    assert (wheel["state"], wheel["shares"]) == ("holding_shares", 100)

    call = await api.post(
        f"{API}/wheels/{wheel_id}/trades",
        json={"option_type": "call", "strike": "104", "expiration": CALL_EXPIRY, "premium": "1"},
    )
    assert call.status_code == 201, call.text
    away = await api.post(
        f"{API}/trades/{body(call)['id']}/assign",
        json={"price": "106", "at": "2026-11-24T19:00:00Z"},
    )
    assert away.status_code == 200, away.text
    assert body(away)["outcome"] == "called_away"
    assert body(away)["price_at_expiry"] == 106
    final = await api.get(f"{API}/wheels/{wheel_id}")
    assert body(final)["state"] == "idle"
    assert '"realized_pnl":750.00' in final.text  # 250 + 100 premium, 400 on the shares


# ── the wheel's own rules, as 409 and 422 ────────────────────────────────────


async def test_a_call_on_an_idle_wheel_is_an_invalid_transition(api: AsyncTestClient) -> None:
    wheel_id = (await open_wheel(api, capital="10000"))["id"]
    refused = await api.post(
        f"{API}/wheels/{wheel_id}/trades",
        json={"option_type": "call", "strike": "105", "expiration": PUT_EXPIRY, "premium": "1"},
    )
    found = assert_problem(refused, 409, "cannot sell call while the wheel is idle")
    assert found["code"] == "invalid_transition"
    assert found["state"] == "idle"
    assert found["allowed_actions"] == ["sell_put", "import_shares", "archive"]
    assert body(await api.get(f"{API}/wheels/{wheel_id}/trades"))["total"] == 0


async def test_trade_rules_refuse_with_a_clear_status(
    api: AsyncTestClient, api_clock: FakeClock
) -> None:
    wheel_id = (await open_wheel(api, capital="5000"))["id"]
    uncovered = {"option_type": "put", "strike": "100", "expiration": PUT_EXPIRY, "premium": "1"}
    assert_problem(
        await api.post(f"{API}/wheels/{wheel_id}/trades", json=uncovered),
        409,
        "cash-secured put needs 100",
    )
    assert_problem(
        await api.post(
            f"{API}/wheels/{wheel_id}/trades", json={**uncovered, "expiration": "2026-11-20"}
        ),
        422,
        "before the trade opens",
    )
    trade = await sell_put(api, wheel_id, allow_exceeding_capital=True)

    # A second option while one is open is a transition the state does not allow.
    assert_problem(
        await api.post(f"{API}/wheels/{wheel_id}/trades", json=uncovered), 409, "put_open"
    )
    # Before its expiration day an option cannot expire.
    assert_problem(
        await api.post(f"{API}/trades/{trade['id']}/expire", json={"price_at_expiry": "90"}),
        409,
        f"expires on {PUT_EXPIRY}",
    )
    api_clock.set(AFTER_PUT_EXPIRY)
    # Exactly at the strike, the user must say whether it was assigned.
    assert_problem(
        await api.post(f"{API}/trades/{trade['id']}/expire", json={"price_at_expiry": "100"}),
        422,
        "equals the strike",
    )
    worthless = await api.post(
        f"{API}/trades/{trade['id']}/expire", json={"price_at_expiry": "100", "assigned": False}
    )
    assert worthless.status_code == 200, worthless.text
    assert body(worthless)["outcome"] == "expired_worthless"
    assert_problem(
        await api.post(f"{API}/trades/{trade['id']}/expire", json={"price_at_expiry": "90"}),
        409,
        "cannot expire while the wheel is idle",
    )
    assert_problem(
        await api.post(
            f"{API}/trades/{trade['id']}/roll",
            json={"close_price": "0", "strike": "90", "expiration": CALL_EXPIRY, "premium": "1"},
        ),
        409,
        "cannot roll while the wheel is idle",
    )


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        (
            "/wheels/{id}/trades",
            {"option_type": "put", "strike": "-100", "expiration": PUT_EXPIRY, "premium": "1"},
            "strike",
        ),
        (
            "/wheels/{id}/trades",
            {
                "option_type": "put",
                "strike": "100",
                "expiration": PUT_EXPIRY,
                "premium": "1",
                "colour": "red",
            },
            "colour",
        ),
        (
            "/wheels/{id}/trades",
            {"option_type": "straddle", "strike": "100", "expiration": PUT_EXPIRY, "premium": "1"},
            "option_type",
        ),
        (
            "/wheels/{id}/trades",
            {
                "option_type": "put",
                "strike": "100",
                "expiration": PUT_EXPIRY,
                "premium": "1",
                "contracts": 0,
            },
            "contracts",
        ),
        ("/wheels/{id}/trades", {"option_type": "put", "strike": "100"}, "expiration"),
        (
            "/wheels/{id}/trades",
            {
                "option_type": "put",
                "strike": "100",
                "expiration": PUT_EXPIRY,
                "premium": "1",
                "opened_at": "2026-11-20T10:00:00",
            },
            "opened_at",
        ),
        ("/wheels/{id}/shares/import", {"shares": 0, "cost_basis": "50"}, "shares"),
        ("/wheels/{id}/shares/import", {"shares": 100, "cost_basis": "-1"}, "cost_basis"),
        ("/wheels/{id}/shares/sell", {"price": "0"}, "price"),
        ("/wheels", {"symbol": "not a symbol!"}, "symbol"),
        ("/wheels", {"symbol": "AAPL", "capital": "-1"}, "capital"),
        ("/wheels", {"symbol": "AAPL", "shares": 100}, "cost_basis"),
    ],
)
async def test_a_bad_body_is_a_400_naming_the_field(
    api: AsyncTestClient, path: str, payload: dict[str, Any], field: str
) -> None:
    wheel_id = (await open_wheel(api, "SPY", capital="100000"))["id"]
    found = assert_problem(await api.post(API + path.format(id=wheel_id), json=payload), 400, field)
    assert found["code"] == "invalid_request"
    assert body(await api.get(f"{API}/wheels/{wheel_id}/trades"))["total"] == 0


async def test_malformed_json_is_a_400(api: AsyncTestClient) -> None:
    wheel_id = (await open_wheel(api, capital="10000"))["id"]
    assert_problem(await post_raw(api, f"/wheels/{wheel_id}/trades", '{"option_type": "put",'), 400)
    assert_problem(await post_raw(api, "/trades/1/close", "[1, 2]"), 400)


@pytest.mark.parametrize(
    ("method", "path", "payload", "detail"),
    [
        ("GET", "/wheels/999", None, "wheel 999 not found"),
        ("PATCH", "/wheels/999", {"capital": "1"}, "wheel 999 not found"),
        ("DELETE", "/wheels/999", None, "wheel 999 not found"),
        ("POST", "/wheels/999/archive", None, "wheel 999 not found"),
        ("GET", "/wheels/999/state", None, "wheel 999 not found"),
        ("GET", "/wheels/999/history", None, "wheel 999 not found"),
        ("GET", "/wheels/999/chains", None, "wheel 999 not found"),
        (
            "POST",
            "/wheels/999/shares/import",
            {"shares": 100, "cost_basis": "10"},
            "wheel 999 not found",
        ),
        ("POST", "/wheels/999/shares/sell", {"price": "10"}, "wheel 999 not found"),
        ("GET", "/wheels/999/trades", None, "wheel 999 not found"),
        (
            "POST",
            "/wheels/999/trades",
            {"option_type": "put", "strike": "1", "expiration": PUT_EXPIRY, "premium": "0.1"},
            "wheel 999 not found",
        ),
        ("GET", "/portfolios/999/wheels", None, "portfolio 999 not found"),
        ("POST", "/portfolios/999/wheels", {"symbol": "AAPL"}, "portfolio 999 not found"),
        ("POST", "/wheels", {"symbol": "AAPL", "portfolio_id": 999}, "portfolio 999 not found"),
        ("GET", "/trades/999", None, "trade 999 not found"),
        ("PATCH", "/trades/999", {"fees": "1"}, "trade 999 not found"),
        ("DELETE", "/trades/999", None, "trade 999 not found"),
        ("POST", "/trades/999/expire", {"price_at_expiry": "1"}, "trade 999 not found"),
        ("POST", "/trades/999/close", {"price": "1"}, "trade 999 not found"),
        ("POST", "/trades/999/assign", {}, "trade 999 not found"),
        (
            "POST",
            "/trades/999/roll",
            {"close_price": "1", "strike": "1", "expiration": PUT_EXPIRY, "premium": "1"},
            "trade 999 not found",
        ),
    ],
)
async def test_unknown_ids_are_404_problems(
    api: AsyncTestClient, method: str, path: str, payload: dict[str, Any] | None, detail: str
) -> None:
    response = await api.request(method, API + path, json=payload)
    found = assert_problem(response, 404, detail)
    assert found["detail"] == detail
    assert found["code"] == "not_found"
    assert found["instance"] == API + path


# ── wheels ────────────────────────────────────────────────────────────────────


async def test_wheels_open_in_the_default_portfolio_or_the_one_in_the_path(
    api: AsyncTestClient,
) -> None:
    default = await open_wheel(api, "aapl")
    assert default["symbol"] == "AAPL"
    portfolios = (await api.get(f"{API}/portfolios")).json()["items"]
    assert default["portfolio_id"] == next(p["id"] for p in portfolios if p["is_default"])

    ira = await create_portfolio(api, "IRA")
    opened = await api.post(
        f"{API}/portfolios/{ira}/wheels",
        json={"symbol": "AAPL", "profile": "conservative", "capital": "12500.50"},
    )
    assert opened.status_code == 201, opened.text
    assert body(opened)["portfolio_id"] == ira
    assert body(opened)["profile"] == "conservative"
    assert '"capital":12500.50' in opened.text

    same = await api.post(
        f"{API}/portfolios/{ira}/wheels", json={"symbol": "MSFT", "portfolio_id": ira}
    )
    assert same.status_code == 201, same.text
    found = assert_problem(
        await api.post(
            f"{API}/portfolios/{ira}/wheels",
            json={"symbol": "NVDA", "portfolio_id": default["portfolio_id"]},
        ),
        422,
        f"path names portfolio {ira}",
    )
    assert found["code"] == "invalid"

    assert_problem(
        await api.post(f"{API}/portfolios/{ira}/wheels", json={"symbol": "AAPL"}),
        409,
        "AAPL already has an active wheel in portfolio 'IRA'",
    )
    by_body = await api.post(f"{API}/wheels", json={"symbol": "TSLA", "portfolio_id": ira})
    assert body(by_body)["portfolio_id"] == ira

    in_ira = body(await api.get(f"{API}/portfolios/{ira}/wheels"))
    assert in_ira["total"] == 3
    assert [w["symbol"] for w in in_ira["items"]] == ["AAPL", "MSFT", "TSLA"]
    paged = body(await api.get(f"{API}/portfolios/{ira}/wheels", params={"limit": 1, "offset": 2}))
    assert (paged["total"], paged["offset"], paged["limit"]) == (3, 2, 1)
    assert [w["symbol"] for w in paged["items"]] == ["TSLA"]


async def test_wheels_starting_from_shares_and_share_moves(api: AsyncTestClient) -> None:
    owned = await open_wheel(api, "KO", shares=200, cost_basis="50.25")
    assert (owned["state"], owned["shares"], owned["cost_basis"]) == (
        "holding_shares",
        200,
        Decimal("50.25"),
    )

    wheel_id = (await open_wheel(api, "PEP"))["id"]
    assert_problem(
        await api.post(f"{API}/wheels/{wheel_id}/shares/sell", json={"price": "10"}),
        409,
        "cannot sell shares while the wheel is idle",
    )
    imported = await api.post(
        f"{API}/wheels/{wheel_id}/shares/import", json={"shares": 200, "cost_basis": "50"}
    )
    assert imported.status_code == 200, imported.text
    assert (body(imported)["state"], body(imported)["shares"]) == ("holding_shares", 200)
    assert_problem(
        await api.post(
            f"{API}/wheels/{wheel_id}/shares/import", json={"shares": 100, "cost_basis": "1"}
        ),
        409,
        "cannot import shares while the wheel is holding_shares",
    )

    sold = await post_raw(api, f"/wheels/{wheel_id}/shares/sell", '{"price": 55, "fees": 1.00}')
    assert sold.status_code == 200, sold.text
    assert body(sold)["state"] == "idle"
    assert body(sold)["shares"] == 0
    assert '"realized_pnl":999.00' in sold.text  # (55 − 50) × 200 − 1

    history = body(await api.get(f"{API}/wheels/{wheel_id}/history"))
    assert [m["kind"] for m in history["share_moves"]] == ["imported", "sold"]
    assert history["trades"] == []


async def test_updating_archiving_and_deleting_a_wheel(api: AsyncTestClient) -> None:
    wheel_id = (await open_wheel(api, "AMD", capital="1000"))["id"]
    updated = await api.patch(f"{API}/wheels/{wheel_id}", json={"capital": "15000.75"})
    assert updated.status_code == 200, updated.text
    assert '"capital":15000.75' in updated.text
    assert body(updated)["profile"] == "moderate"
    profiled = body(await api.patch(f"{API}/wheels/{wheel_id}", json={"profile": "aggressive"}))
    assert (profiled["profile"], profiled["capital"]) == ("aggressive", Decimal("15000.75"))
    assert_problem(await api.patch(f"{API}/wheels/{wheel_id}", json={"profile": "reckless"}), 400)
    assert_problem(
        await api.patch(f"{API}/wheels/{wheel_id}", json={"capital": "-1"}), 400, "capital"
    )
    assert_problem(
        await api.patch(f"{API}/wheels/{wheel_id}", json={"state": "idle"}), 400, "state"
    )

    trade = await sell_put(api, wheel_id)
    assert_problem(
        await api.post(f"{API}/wheels/{wheel_id}/archive"),
        409,
        "cannot archive while the wheel is put_open",
    )
    await api.delete(f"{API}/trades/{trade['id']}")

    archived = await api.post(f"{API}/wheels/{wheel_id}/archive")
    assert archived.status_code == 200, archived.text
    assert body(archived)["active"] is False
    assert body(archived)["allowed_actions"] == []
    state = body(await api.get(f"{API}/wheels/{wheel_id}/state"))
    assert (state["active"], state["allowed_actions"]) == (False, [])
    assert_problem(await api.post(f"{API}/wheels/{wheel_id}/archive"), 409, "archived")
    assert_problem(await sell_put_response(api, wheel_id), 409, "archived")

    # An archived symbol can be wheeled again.
    again = await open_wheel(api, "AMD")
    assert again["id"] != wheel_id

    deleted = await api.delete(f"{API}/wheels/{wheel_id}")
    assert deleted.status_code == 204
    assert_problem(await api.get(f"{API}/wheels/{wheel_id}"), 404, f"wheel {wheel_id} not found")


async def sell_put_response(api: AsyncTestClient, wheel_id: int) -> Response:
    return await api.post(
        f"{API}/wheels/{wheel_id}/trades",
        json={"option_type": "put", "strike": "1", "expiration": PUT_EXPIRY, "premium": "0.1"},
    )


async def test_deleting_a_wheel_deletes_its_trades(api: AsyncTestClient) -> None:
    wheel_id = (await open_wheel(api, capital="10000"))["id"]
    trade = await sell_put(api, wheel_id)
    assert (await api.delete(f"{API}/wheels/{wheel_id}")).status_code == 204
    assert_problem(await api.get(f"{API}/trades/{trade['id']}"), 404)
    assert body(await api.get(f"{API}/trades"))["total"] == 0


async def test_a_wheel_with_rolled_trades_is_deleted_with_its_whole_chain(
    api: AsyncTestClient,
) -> None:
    """The newer leg of a roll refers to the older one; deleting oldest first broke that."""
    wheel_id = (await open_wheel(api, capital="10000"))["id"]
    first = await sell_put(api, wheel_id)
    rolled = await api.post(
        f"{API}/trades/{first['id']}/roll",
        json={"close_price": "0.30", "strike": "95", "expiration": "2027-01-15", "premium": "1.10"},
    )
    assert rolled.status_code == 201, rolled.text
    assert (await api.delete(f"{API}/wheels/{wheel_id}")).status_code == 204
    assert body(await api.get(f"{API}/trades"))["total"] == 0


async def test_listing_wheels_filters_by_portfolio_symbol_status_and_state(
    api: AsyncTestClient,
) -> None:
    ira = await create_portfolio(api, "IRA")
    aapl = await open_wheel(api, "AAPL", capital="10000")
    await sell_put(api, aapl["id"])
    msft = await open_wheel(api, "MSFT", portfolio_id=ira)
    await open_wheel(api, "AAPL", portfolio_id=ira)
    old = await open_wheel(api, "KO")
    assert (await api.post(f"{API}/wheels/{old['id']}/archive")).status_code == 200

    async def symbols(**params: Any) -> tuple[int, list[tuple[str, int]]]:
        response = await api.get(f"{API}/wheels", params=params)
        assert response.status_code == 200, response.text
        page = body(response)
        return page["total"], [(w["symbol"], w["portfolio_id"]) for w in page["items"]]

    default = aapl["portfolio_id"]
    assert await symbols() == (3, [("AAPL", default), ("MSFT", ira), ("AAPL", ira)])
    assert await symbols(portfolio_id=ira) == (2, [("MSFT", ira), ("AAPL", ira)])
    assert await symbols(symbol="aapl") == (2, [("AAPL", default), ("AAPL", ira)])
    assert await symbols(status="archived") == (1, [("KO", default)])
    assert (await symbols(status="all"))[0] == 4
    assert await symbols(state="put_open") == (1, [("AAPL", default)])
    assert await symbols(state="idle", portfolio_id=ira) == (2, [("MSFT", ira), ("AAPL", ira)])
    assert await symbols(limit=1, offset=1) == (3, [("MSFT", ira)])
    assert msft["state"] == "idle"

    archived_in_ira = body(
        await api.get(f"{API}/portfolios/{ira}/wheels", params={"status": "archived"})
    )
    assert archived_in_ira["total"] == 0

    assert_problem(await api.get(f"{API}/wheels", params={"status": "gone"}), 400, "status")
    assert_problem(await api.get(f"{API}/wheels", params={"symbol": "no such!"}), 400, "symbol")
    assert_problem(await api.get(f"{API}/wheels", params={"state": "flying"}), 400, "state")
    assert_problem(await api.get(f"{API}/wheels", params={"limit": 0}), 400, "limit")
    assert_problem(await api.get(f"{API}/wheels", params={"limit": 501}), 400, "limit")
    assert_problem(await api.get(f"{API}/wheels", params={"offset": -1}), 400, "offset")


# ── /trades: filters and pagination ──────────────────────────────────────────


async def test_trades_filter_and_page_across_wheels_and_portfolios(api: AsyncTestClient) -> None:
    ira = await create_portfolio(api, "IRA")
    aapl = (await open_wheel(api, "AAPL", capital="10000", opened_at="2026-11-01T15:00:00Z"))["id"]
    first = await sell_put(
        api, aapl, expiration="2026-11-06", opened_at="2026-11-02T15:00:00Z", premium="0.50"
    )
    expired = await api.post(
        f"{API}/trades/{first['id']}/expire",
        json={"price_at_expiry": "120", "at": "2026-11-06T21:00:00Z"},
    )
    assert body(expired)["outcome"] == "expired_worthless"
    second = await sell_put(
        api, aapl, expiration="2026-11-13", opened_at="2026-11-10T15:00:00Z", premium="0.60"
    )
    expired = await api.post(
        f"{API}/trades/{second['id']}/expire",
        json={"price_at_expiry": "130", "at": "2026-11-13T21:00:00Z"},
    )
    assert body(expired)["outcome"] == "expired_worthless"
    third = await sell_put(api, aapl, opened_at="2026-11-20T15:00:00Z")

    msft = (await open_wheel(api, "MSFT", portfolio_id=ira, shares=100, cost_basis="400"))["id"]
    call = await api.post(
        f"{API}/wheels/{msft}/trades",
        json={"option_type": "call", "strike": "420", "expiration": PUT_EXPIRY, "premium": "3"},
    )
    assert call.status_code == 201, call.text
    fourth = body(call)

    async def ids(**params: Any) -> tuple[int, list[int]]:
        response = await api.get(f"{API}/trades", params=params)
        assert response.status_code == 200, response.text
        page = body(response)
        return page["total"], [t["id"] for t in page["items"]]

    every = [first["id"], second["id"], third["id"], fourth["id"]]
    assert await ids() == (4, every)
    assert await ids(wheel_id=aapl) == (3, every[:3])
    assert await ids(wheel_id=msft) == (1, every[3:])
    assert await ids(portfolio_id=ira) == (1, every[3:])
    assert await ids(symbol="aapl") == (3, every[:3])
    assert await ids(option_type="call") == (1, every[3:])
    assert await ids(option_type="put") == (3, every[:3])
    assert await ids(outcome="open") == (2, every[2:])
    assert await ids(outcome="expired_worthless") == (2, every[:2])
    assert await ids(outcome="assigned") == (0, [])
    assert await ids(is_open="true") == (2, every[2:])
    assert await ids(is_open="false") == (2, every[:2])
    assert await ids(opened_from="2026-11-10") == (3, every[1:])
    assert await ids(opened_to="2026-11-10") == (2, every[:2])
    assert await ids(opened_from="2026-11-10", opened_to="2026-11-10") == (1, [second["id"]])
    assert await ids(symbol="AAPL", is_open="false", opened_from="2026-11-05") == (
        1,
        [second["id"]],
    )

    page = body(await api.get(f"{API}/trades", params={"limit": 2, "offset": 1}))
    assert (page["total"], page["offset"], page["limit"]) == (4, 1, 2)
    assert [t["id"] for t in page["items"]] == every[1:3]
    assert await ids(limit=2, offset=3) == (4, every[3:])
    assert await ids(offset=10) == (4, [])
    wheel_page = body(await api.get(f"{API}/wheels/{aapl}/trades", params={"limit": 1}))
    assert (wheel_page["total"], [t["id"] for t in wheel_page["items"]]) == (3, [first["id"]])

    listed = await api.get(f"{API}/trades", params={"wheel_id": aapl, "is_open": "false"})
    assert '"total_premium":50.00' in listed.text
    assert '"pnl":60.00' in listed.text

    assert_problem(await api.get(f"{API}/trades", params={"outcome": "lost"}), 400, "outcome")
    assert_problem(await api.get(f"{API}/trades", params={"outcome": ""}), 400, "outcome")
    assert_problem(await api.get(f"{API}/trades", params={"symbol": "no such!"}), 400, "symbol")
    assert_problem(
        await api.get(f"{API}/trades", params={"option_type": "straddle"}), 400, "option_type"
    )
    assert_problem(
        await api.get(f"{API}/trades", params={"opened_from": "yesterday"}), 400, "opened_from"
    )
    assert_problem(await api.get(f"{API}/trades", params={"wheel_id": "x"}), 400, "wheel_id")
    assert_problem(await api.get(f"{API}/trades", params={"limit": 0}), 400, "limit")
    assert_problem(await api.get(f"{API}/trades", params={"limit": 501}), 400, "limit")
    assert_problem(await api.get(f"{API}/trades", params={"offset": -1}), 400, "offset")


async def test_wheel_and_trade_routes_are_documented(api: AsyncTestClient) -> None:
    schema = (await api.get("/openapi.json")).json()
    paths = schema["paths"]
    expected = {
        f"{API}/wheels": {"get", "post"},
        f"{API}/portfolios/{{portfolio_id}}/wheels": {"get", "post"},
        f"{API}/wheels/{{wheel_id}}": {"get", "patch", "delete"},
        f"{API}/wheels/{{wheel_id}}/archive": {"post"},
        f"{API}/wheels/{{wheel_id}}/state": {"get"},
        f"{API}/wheels/{{wheel_id}}/history": {"get"},
        f"{API}/wheels/{{wheel_id}}/shares/import": {"post"},
        f"{API}/wheels/{{wheel_id}}/shares/sell": {"post"},
        f"{API}/wheels/{{wheel_id}}/chains": {"get"},
        f"{API}/wheels/{{wheel_id}}/trades": {"get", "post"},
        f"{API}/trades": {"get"},
        f"{API}/trades/{{trade_id}}": {"get", "patch", "delete"},
        f"{API}/trades/{{trade_id}}/expire": {"post"},
        f"{API}/trades/{{trade_id}}/close": {"post"},
        f"{API}/trades/{{trade_id}}/roll": {"post"},
        f"{API}/trades/{{trade_id}}/assign": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            assert paths[path][method]["description"], f"{method} {path}"
    trade_filters = {p["name"] for p in paths[f"{API}/trades"]["get"]["parameters"]}
    assert trade_filters >= {
        "wheel_id",
        "portfolio_id",
        "symbol",
        "option_type",
        "outcome",
        "is_open",
        "opened_from",
        "opened_to",
        "limit",
        "offset",
    }
    wheel_filters = {p["name"] for p in paths[f"{API}/wheels"]["get"]["parameters"]}
    assert wheel_filters >= {"portfolio_id", "symbol", "status", "state", "limit", "offset"}


def test_the_outcome_filter_offers_every_outcome_and_open() -> None:
    assert set(get_args(TradeOutcome)) == {"open", *(o.value for o in Outcome)}
