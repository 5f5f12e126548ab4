"""Market data, daily snapshots and P&L history through the HTTP API.

The book is seeded through the service; the market is the simulated one at the
fake clock's Tue 2026-11-24 15:00 UTC (AAPL 261.73). Bodies are parsed with
``Decimal`` floats, so money is compared digit for digit.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from api_responses import API, assert_problem, body
from litestar.testing import AsyncTestClient

from adapters.container import Container
from wheel_core.app.commands import CloseTrade, CreatePortfolio, OpenWheel, RecordTrade
from wheel_core.domain.enums import OptionType
from wheel_core.testing.fakes import FakeClock


class Book(msgspec.Struct, frozen=True, kw_only=True):
    growth_id: int
    aapl: int
    """Default portfolio: a put at 260 sold for 5.80, OTM by 0.67 % → MEDIUM."""
    ko: int
    """Growth portfolio: a put closed for a loss of 50.00, now idle."""
    zzzzq: int
    """Default portfolio: a symbol the simulated market does not list."""


@pytest.fixture
async def book(api: AsyncTestClient, api_container: Container) -> Book:
    service = api_container.service()
    growth = await service.create_portfolio(CreatePortfolio(name="Growth"))
    assert growth.id is not None
    aapl = await service.open_wheel(OpenWheel(symbol="AAPL", capital=Decimal(30000)))
    await service.record_trade(
        aapl.id,
        RecordTrade(
            option_type=OptionType.PUT,
            strike=Decimal("260"),
            expiration=date(2026, 12, 4),
            premium=Decimal("5.80"),
        ),
    )
    ko = await service.open_wheel(
        OpenWheel(
            symbol="KO",
            portfolio_id=growth.id,
            capital=Decimal(10000),
            opened_at=datetime(2026, 11, 2, 15, tzinfo=UTC),
        )
    )
    lost = await service.record_trade(
        ko.id,
        RecordTrade(
            option_type=OptionType.PUT,
            strike=Decimal("70"),
            expiration=date(2026, 11, 20),
            premium=Decimal("1.00"),
            opened_at=datetime(2026, 11, 2, 15, tzinfo=UTC),
        ),
    )
    await service.close_trade(
        lost.id, CloseTrade(price=Decimal("1.50"), at=datetime(2026, 11, 16, 15, tzinfo=UTC))
    )
    zzzzq = await service.open_wheel(OpenWheel(symbol="ZZZZQ", capital=Decimal(10000)))
    return Book(growth_id=growth.id, aapl=aapl.id, ko=ko.id, zzzzq=zzzzq.id)


# ── market ───────────────────────────────────────────────────────────────────


async def test_quote_is_exact_and_marked_simulated(api: AsyncTestClient) -> None:
    response = await api.get(f"{API}/market/quotes/aapl")

    assert response.status_code == 200, response.text
    quote = body(response)
    assert quote["symbol"] == "AAPL"
    assert quote["price"] == Decimal("261.73")
    assert quote["bid"] == Decimal("261.70")
    assert quote["ask"] == Decimal("261.76")
    assert quote["simulated"] is True
    assert quote["stale"] is False
    assert quote["as_of"] == "2026-11-24T15:00:00Z"


async def test_chain_between_two_days(api: AsyncTestClient) -> None:
    response = await api.get(
        f"{API}/market/chains/AAPL", params={"from": "2026-12-04", "to": "2026-12-04"}
    )

    assert response.status_code == 200, response.text
    chain = body(response)
    assert chain["symbol"] == "AAPL"
    assert chain["underlying_price"] == Decimal("261.73")
    assert chain["simulated"] is True
    assert chain["stale"] is False
    assert {o["expiration"] for o in chain["options"]} == {"2026-12-04"}
    (put,) = [o for o in chain["options"] if o["option_type"] == "put" and o["strike"] == 260]
    assert (put["bid"], put["ask"]) == (Decimal("5.80"), Decimal("5.95"))
    assert {o["option_type"] for o in chain["options"]} == {"put", "call"}


async def test_whole_chain_lists_weeklies_and_monthlies(api: AsyncTestClient) -> None:
    chain = body(await api.get(f"{API}/market/chains/AAPL"))

    expirations = sorted({o["expiration"] for o in chain["options"]})
    assert len(expirations) > 8
    assert expirations[0] == "2026-11-27"


async def test_unlisted_symbols_are_404_problems(api: AsyncTestClient) -> None:
    for path in ("quotes", "chains"):
        problem = assert_problem(await api.get(f"{API}/market/{path}/ZZZZQ"), 404)
        assert problem["code"] == "symbol_not_found"
        assert "ZZZZQ" in problem["detail"]


async def test_unlisted_symbols_do_not_mark_market_data_down(api: AsyncTestClient) -> None:
    for _ in range(5):
        assert_problem(await api.get(f"{API}/market/quotes/ZZZZQ"), 404)
    health = body(await api.get(f"{API}/health"))
    assert (health["status"], health["market_data"]["status"]) == ("ok", "ok")
    assert health["market_data"]["last_error"] is None


async def test_bad_chain_dates_are_400(api: AsyncTestClient) -> None:
    problem = assert_problem(
        await api.get(f"{API}/market/chains/AAPL", params={"from": "soon"}), 400
    )
    assert "from" in problem["detail"]


# ── snapshots ────────────────────────────────────────────────────────────────


async def test_take_snapshot_records_every_listed_wheel(api: AsyncTestClient, book: Book) -> None:
    response = await api.post(f"{API}/snapshots")

    assert response.status_code == 201, response.text
    run = body(response)
    assert run["day"] == "2026-11-24"
    by_symbol = {s["symbol"]: s for s in run["snapshots"]}
    assert sorted(by_symbol) == ["AAPL", "KO"]
    aapl = by_symbol["AAPL"]
    assert aapl["wheel_id"] == book.aapl
    assert aapl["current_price"] == Decimal("261.73")
    assert aapl["state"] == "put_open"
    assert aapl["moneyness_pct"] == Decimal("0.67")
    assert aapl["risk_level"] == "medium"
    assert (aapl["dte_calendar"], aapl["dte_trading"]) == (10, 7)
    assert aapl["realized_pnl"] == Decimal("0.00")
    # sold for 580.00, marked at the 5.80/5.95 mid
    assert aapl["unrealized_pnl"] == Decimal("-7.50")
    ko = by_symbol["KO"]
    assert ko["state"] == "idle"
    assert ko["risk_level"] is None
    assert ko["realized_pnl"] == Decimal("-50.00")
    assert [(f["wheel_id"], f["symbol"]) for f in run["failures"]] == [(book.zzzzq, "ZZZZQ")]


async def test_a_second_snapshot_the_same_day_updates_instead_of_adding(
    api: AsyncTestClient, api_clock: FakeClock, book: Book
) -> None:
    first = body(await api.post(f"{API}/snapshots"))
    api_clock.advance(timedelta(hours=3))
    later_price = body(await api.get(f"{API}/market/quotes/AAPL"))["price"]
    second_response = await api.post(f"{API}/snapshots")

    assert second_response.status_code == 201
    second = body(second_response)
    assert second["day"] == first["day"] == "2026-11-24"
    assert sorted(s["id"] for s in second["snapshots"]) == sorted(
        s["id"] for s in first["snapshots"]
    )
    listed = body(await api.get(f"{API}/snapshots"))
    assert listed["total"] == 2
    (aapl,) = [s for s in listed["items"] if s["symbol"] == "AAPL"]
    assert later_price != Decimal("261.73")
    assert aapl["current_price"] == later_price
    assert aapl["created_at"] == "2026-11-24T18:00:00Z"


async def test_snapshots_filter_by_day_wheel_symbol_and_portfolio(
    api: AsyncTestClient, api_clock: FakeClock, book: Book
) -> None:
    await api.post(f"{API}/snapshots")
    api_clock.advance(timedelta(days=1))
    await api.post(f"{API}/snapshots")

    async def days(**params: Any) -> list[tuple[str, str]]:
        response = await api.get(f"{API}/snapshots", params=params)
        assert response.status_code == 200, response.text
        page = body(response)
        assert page["total"] == len(page["items"])
        return sorted((s["day"], s["symbol"]) for s in page["items"])

    assert len(await days()) == 4
    assert await days(day_from="2026-11-25") == [("2026-11-25", "AAPL"), ("2026-11-25", "KO")]
    assert await days(day_to="2026-11-24") == [("2026-11-24", "AAPL"), ("2026-11-24", "KO")]
    assert await days(day_from="2026-11-24", day_to="2026-11-24", symbol="KO") == [
        ("2026-11-24", "KO")
    ]
    assert await days(wheel_id=book.aapl) == [("2026-11-24", "AAPL"), ("2026-11-25", "AAPL")]
    assert await days(portfolio_id=book.growth_id) == [
        ("2026-11-24", "KO"),
        ("2026-11-25", "KO"),
    ]
    assert await days(day_from="2026-11-26") == []


async def test_snapshots_are_paginated(
    api: AsyncTestClient, api_clock: FakeClock, book: Book
) -> None:
    await api.post(f"{API}/snapshots")
    api_clock.advance(timedelta(days=1))
    await api.post(f"{API}/snapshots")

    everything = body(await api.get(f"{API}/snapshots"))["items"]
    page = body(await api.get(f"{API}/snapshots", params={"limit": 2, "offset": 1}))

    assert (page["total"], page["offset"], page["limit"]) == (4, 1, 2)
    assert [s["id"] for s in page["items"]] == [s["id"] for s in everything[1:3]]


async def test_latest_snapshots_are_one_per_wheel(
    api: AsyncTestClient, api_clock: FakeClock, book: Book
) -> None:
    await api.post(f"{API}/snapshots")
    api_clock.advance(timedelta(days=1))
    await api.post(f"{API}/snapshots", params={"portfolio_id": book.growth_id})

    latest = body(await api.get(f"{API}/snapshots/latest"))
    growth = body(await api.get(f"{API}/snapshots/latest", params={"portfolio_id": book.growth_id}))

    assert [(s["symbol"], s["day"]) for s in latest] == [
        ("AAPL", "2026-11-24"),
        ("KO", "2026-11-25"),
    ]
    assert [(s["symbol"], s["day"]) for s in growth] == [("KO", "2026-11-25")]


async def test_snapshot_of_one_portfolio(api: AsyncTestClient, book: Book) -> None:
    response = await api.post(f"{API}/snapshots", params={"portfolio_id": book.growth_id})

    assert response.status_code == 201, response.text
    run = body(response)
    assert [s["symbol"] for s in run["snapshots"]] == ["KO"]
    assert run["failures"] == []


async def test_snapshot_errors_are_problems(api: AsyncTestClient, book: Book) -> None:
    assert_problem(await api.post(f"{API}/snapshots", params={"portfolio_id": 9999}), 404)
    problem = assert_problem(await api.get(f"{API}/snapshots", params={"limit": 0}), 400)
    assert "limit" in problem["detail"]
    assert_problem(await api.get(f"{API}/snapshots", params={"limit": 501}), 400)
    assert_problem(await api.get(f"{API}/snapshots", params={"offset": -1}), 400)
    assert_problem(await api.get(f"{API}/snapshots", params={"day_from": "2026-13-01"}), 400)
    assert_problem(await api.get(f"{API}/snapshots", params={"wheel_id": "one"}), 400)


async def test_pnl_history_sums_the_snapshots_per_day(
    api: AsyncTestClient, api_clock: FakeClock, book: Book
) -> None:
    await api.post(f"{API}/snapshots")
    api_clock.advance(timedelta(days=1))
    await api.post(f"{API}/snapshots")

    response = await api.get(f"{API}/performance/history")

    assert response.status_code == 200, response.text
    history = body(response)
    assert [point["day"] for point in history] == ["2026-11-24", "2026-11-25"]
    first = history[0]
    assert first["wheels"] == 2
    assert first["realized_pnl"] == Decimal("-50.00")
    assert first["unrealized_pnl"] == Decimal("-7.50")
    assert first["total_pnl"] == Decimal("-57.50")
    for point in history:
        assert point["total_pnl"] == point["realized_pnl"] + point["unrealized_pnl"]

    growth = body(
        await api.get(
            f"{API}/performance/history",
            params={"portfolio_id": book.growth_id, "day_from": "2026-11-25"},
        )
    )
    assert growth == [
        {
            "day": "2026-11-25",
            "realized_pnl": Decimal("-50.00"),
            "unrealized_pnl": Decimal("0.00"),
            "total_pnl": Decimal("-50.00"),
            "wheels": 1,
        }
    ]
    assert body(await api.get(f"{API}/performance/history", params={"symbol": "AAPL"}))[0][
        "realized_pnl"
    ] == Decimal("0.00")
