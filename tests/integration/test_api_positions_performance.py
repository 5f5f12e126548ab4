"""Positions, recommendations and performance through the HTTP API.

The book is seeded through the service (the wheel and trade endpoints are tested
elsewhere); the market is the simulated one at the fake clock's Tue 2026-11-24
15:00 UTC, where AAPL is 261.73, MSFT 516.29 and KO 66.41. Bodies are parsed with
``Decimal`` floats, so money is compared digit for digit.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from api_responses import API, assert_problem, body
from litestar.testing import AsyncTestClient

from adapters.container import Container
from wheel_core.app.commands import CloseTrade, CreatePortfolio, OpenWheel, RecordTrade
from wheel_core.domain.enums import OptionType
from wheel_core.export import PERFORMANCE_COLUMNS, TOTAL_ROW, TRADE_COLUMNS


class Book(msgspec.Struct, frozen=True, kw_only=True):
    """Ids of the seeded book."""

    growth_id: int
    aapl: int
    """Default portfolio: a put at 260, OTM by 0.67 % → MEDIUM."""
    ko: int
    """Default portfolio: a put lost 50.00 (closed), then a put at 70, ITM → HIGH."""
    jnj: int
    """Default portfolio: idle, so recommendations are for puts."""
    zzzzq: int
    """Default portfolio: a symbol the simulated market does not list."""
    msft: int
    """Growth portfolio: a put closed early for 697.40, then a put at 480, OTM by 7.56 % → LOW."""
    msft_closed_trade: int


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC)


@pytest.fixture
async def book(api: AsyncTestClient, api_container: Container) -> Book:
    service = api_container.service()
    growth = await service.create_portfolio(CreatePortfolio(name="Growth"))
    assert growth.id is not None
    past = at(date(2026, 9, 30))

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

    ko = await service.open_wheel(OpenWheel(symbol="KO", capital=Decimal(10000), opened_at=past))
    lost = await service.record_trade(
        ko.id,
        RecordTrade(
            option_type=OptionType.PUT,
            strike=Decimal("70"),
            expiration=date(2026, 11, 20),
            premium=Decimal("1.00"),
            opened_at=at(date(2026, 11, 2)),
        ),
    )
    await service.close_trade(lost.id, CloseTrade(price=Decimal("1.50"), at=at(date(2026, 11, 16))))
    await service.record_trade(
        ko.id,
        RecordTrade(
            option_type=OptionType.PUT,
            strike=Decimal("70"),
            expiration=date(2026, 12, 18),
            premium=Decimal("4.00"),
        ),
    )

    jnj = await service.open_wheel(OpenWheel(symbol="JNJ", capital=Decimal(40000)))
    zzzzq = await service.open_wheel(OpenWheel(symbol="ZZZZQ", capital=Decimal(10000)))

    msft = await service.open_wheel(
        OpenWheel(symbol="MSFT", portfolio_id=growth.id, capital=Decimal(100000), opened_at=past)
    )
    won = await service.record_trade(
        msft.id,
        RecordTrade(
            option_type=OptionType.PUT,
            strike=Decimal("480"),
            expiration=date(2026, 11, 20),
            premium=Decimal("4.00"),
            contracts=2,
            fees=Decimal("1.30"),
            opened_at=at(date(2026, 10, 1)),
        ),
    )
    await service.close_trade(
        won.id,
        CloseTrade(price=Decimal("0.50"), fees=Decimal("1.30"), at=at(date(2026, 11, 20))),
    )
    await service.record_trade(
        msft.id,
        RecordTrade(
            option_type=OptionType.PUT,
            strike=Decimal("480"),
            expiration=date(2026, 12, 18),
            premium=Decimal("3.00"),
        ),
    )
    return Book(
        growth_id=growth.id,
        aapl=aapl.id,
        ko=ko.id,
        jnj=jnj.id,
        zzzzq=zzzzq.id,
        msft=msft.id,
        msft_closed_trade=won.id,
    )


# ── positions ────────────────────────────────────────────────────────────────


async def test_wheel_position_has_exact_money_risk_and_the_simulated_mark(
    api: AsyncTestClient, book: Book
) -> None:
    response = await api.get(f"{API}/wheels/{book.aapl}/position")

    assert response.status_code == 200, response.text
    position = body(response)
    assert position["symbol"] == "AAPL"
    assert position["state"] == "put_open"
    assert position["price"] == Decimal("261.73")
    assert position["simulated"] is True
    assert position["stale"] is False
    assert position["risk_level"] == "medium"
    option = position["option"]
    assert option["strike"] == Decimal("260")
    assert option["moneyness_pct"] == Decimal("0.67")
    assert option["is_itm"] is False
    assert option["dte_calendar"] == 10
    assert option["dte_trading"] == 7  # Thanksgiving 11-26 is closed
    # the 260 put of 12-04 is 5.80 bid / 5.95 ask: mid 5.875, sold for 580.00
    assert position["option_mark"] == Decimal("5.875")
    assert position["unrealized_option_pnl"] == Decimal("-7.50")
    assert '"price":261.73' in response.text  # an exact JSON number, not a string


async def test_positions_list_every_active_wheel_and_keep_the_failures(
    api: AsyncTestClient, book: Book
) -> None:
    response = await api.get(f"{API}/positions")

    assert response.status_code == 200, response.text
    report = body(response)
    by_symbol = {p["symbol"]: p for p in report["positions"]}
    assert sorted(by_symbol) == ["AAPL", "JNJ", "KO", "MSFT"]
    assert by_symbol["AAPL"]["risk_level"] == "medium"
    assert by_symbol["KO"]["risk_level"] == "high"
    assert by_symbol["KO"]["option"]["moneyness_pct"] == Decimal("-5.13")
    assert by_symbol["KO"]["option"]["is_itm"] is True
    assert by_symbol["MSFT"]["risk_level"] == "low"
    assert by_symbol["MSFT"]["option"]["moneyness_pct"] == Decimal("7.56")
    assert by_symbol["JNJ"]["option"] is None
    assert by_symbol["JNJ"]["risk_level"] is None
    assert all(p["simulated"] is True for p in report["positions"])
    assert [(f["wheel_id"], f["symbol"]) for f in report["failures"]] == [(book.zzzzq, "ZZZZQ")]
    assert "not listed" in report["failures"][0]["error"]


async def test_positions_filter_by_portfolio(api: AsyncTestClient, book: Book) -> None:
    nested = await api.get(f"{API}/portfolios/{book.growth_id}/positions")
    queried = await api.get(f"{API}/positions", params={"portfolio_id": book.growth_id})

    assert nested.status_code == queried.status_code == 200
    assert body(nested) == body(queried)
    assert [p["symbol"] for p in body(nested)["positions"]] == ["MSFT"]
    assert body(nested)["failures"] == []


async def test_positions_at_risk_default_to_medium_and_above(
    api: AsyncTestClient, book: Book
) -> None:
    default = body(await api.get(f"{API}/positions/at-risk"))
    high = body(await api.get(f"{API}/positions/at-risk", params={"min_risk": "high"}))
    low = body(await api.get(f"{API}/positions/at-risk", params={"min_risk": "low"}))

    assert sorted(p["symbol"] for p in default["positions"]) == ["AAPL", "KO"]
    assert [p["symbol"] for p in high["positions"]] == ["KO"]
    assert sorted(p["symbol"] for p in low["positions"]) == ["AAPL", "KO", "MSFT"]
    assert [f["symbol"] for f in default["failures"]] == ["ZZZZQ"]


async def test_positions_at_risk_in_one_portfolio(api: AsyncTestClient, book: Book) -> None:
    response = await api.get(
        f"{API}/positions/at-risk", params={"portfolio_id": book.growth_id, "min_risk": "low"}
    )

    assert [p["symbol"] for p in body(response)["positions"]] == ["MSFT"]


async def test_position_errors_are_problems(api: AsyncTestClient, book: Book) -> None:
    assert_problem(await api.get(f"{API}/wheels/9999/position"), 404)
    assert_problem(await api.get(f"{API}/portfolios/9999/positions"), 404)
    assert_problem(await api.get(f"{API}/positions", params={"portfolio_id": 9999}), 404)
    problem = assert_problem(
        await api.get(f"{API}/positions/at-risk", params={"min_risk": "extreme"}), 400
    )
    assert "min_risk" in problem["detail"]
    assert_problem(await api.get(f"{API}/wheels/{book.zzzzq}/position"), 404)


# ── recommendations ──────────────────────────────────────────────────────────


async def test_recommendation_for_an_idle_wheel_offers_puts(
    api: AsyncTestClient, book: Book
) -> None:
    response = await api.get(f"{API}/wheels/{book.jnj}/recommendations", params={"max_dte": 30})

    assert response.status_code == 200, response.text
    answer = body(response)
    assert answer["wheel_id"] == book.jnj
    assert answer["error"] is None
    recommendation = answer["recommendation"]
    assert recommendation["option_type"] == "put"
    assert recommendation["simulated"] is True
    assert recommendation["candidates"]
    latest = date(2026, 11, 24).toordinal() + 30
    for candidate in recommendation["candidates"]:
        assert date.fromisoformat(candidate["expiration"]).toordinal() <= latest
        assert candidate["strike"] < recommendation["spot"]


async def test_recommendation_errors_are_problems(api: AsyncTestClient, book: Book) -> None:
    assert_problem(await api.get(f"{API}/wheels/9999/recommendations"), 404)
    conflict = assert_problem(await api.get(f"{API}/wheels/{book.aapl}/recommendations"), 409)
    assert "open put" in conflict["detail"]
    assert_problem(
        await api.get(f"{API}/wheels/{book.jnj}/recommendations", params={"max_dte": 0}), 400
    )
    assert_problem(await api.get(f"{API}/wheels/{book.zzzzq}/recommendations"), 404)


async def test_batch_recommendations_report_failures_per_wheel(
    api: AsyncTestClient, book: Book
) -> None:
    response = await api.post(f"{API}/recommendations/batch", json={"max_dte": 30})

    assert response.status_code == 200, response.text
    results = {r["symbol"]: r for r in body(response)}
    # only idle wheels (or ones holding shares) are recommended for when none are named
    assert sorted(results) == ["JNJ", "ZZZZQ"]
    assert results["JNJ"]["error"] is None
    assert results["JNJ"]["recommendation"]["candidates"]
    assert results["ZZZZQ"]["recommendation"] is None
    assert "not listed" in results["ZZZZQ"]["error"]


async def test_batch_recommendations_for_named_wheels(api: AsyncTestClient, book: Book) -> None:
    response = await api.post(
        f"{API}/recommendations/batch", json={"wheel_ids": [book.jnj, book.aapl, book.zzzzq]}
    )

    assert response.status_code == 200, response.text
    results = body(response)
    assert [r["wheel_id"] for r in results] == [book.jnj, book.aapl, book.zzzzq]
    assert results[0]["recommendation"] is not None
    assert "open put" in results[1]["error"]
    assert results[1]["state"] == "put_open"
    assert "not listed" in results[2]["error"]


async def test_batch_recommendations_refuse_bad_bodies(api: AsyncTestClient, book: Book) -> None:
    assert_problem(await api.post(f"{API}/recommendations/batch", json={"wheels": [1]}), 400)
    assert_problem(await api.post(f"{API}/recommendations/batch", json={"max_dte": 0}), 400)
    assert_problem(await api.post(f"{API}/recommendations/batch", json={"wheel_ids": ["one"]}), 400)
    assert_problem(await api.post(f"{API}/recommendations/batch", json={"wheel_ids": [2**70]}), 400)


async def test_a_batch_naming_a_missing_wheel_reports_it_in_its_place(
    api: AsyncTestClient, book: Book
) -> None:
    response = await api.post(
        f"{API}/recommendations/batch", json={"wheel_ids": [9999, book.jnj, book.aapl]}
    )

    assert response.status_code == 200, response.text
    missing, jnj, aapl = body(response)
    assert missing == {
        "wheel_id": 9999,
        "symbol": None,
        "state": None,
        "recommendation": None,
        "error": "wheel 9999 not found",
    }
    assert jnj["symbol"] == "JNJ"
    assert jnj["recommendation"]["candidates"]
    assert "open put" in aapl["error"]


# ── performance ──────────────────────────────────────────────────────────────


async def test_portfolio_performance_over_each_period(api: AsyncTestClient, book: Book) -> None:
    totals = {}
    for period in ("30", "90", "365", "all"):
        response = await api.get(
            f"{API}/portfolios/{book.growth_id}/performance", params={"period": period}
        )
        assert response.status_code == 200, response.text
        report = body(response)
        assert report["period"] == period
        assert report["as_of"] == "2026-11-24"
        totals[period] = report["total"]

    # the closed put: 2 × 4.00 × 100 = 800.00 − 2 × 0.50 × 100 − 2 × 1.30 fees = 697.40
    for total in totals.values():
        assert total["realized_pnl"] == Decimal("697.40")
        assert total["option_pnl"] == Decimal("697.40")
        assert total["trades_closed"] == 1
        assert total["wins"] == 1
        assert total["win_rate"] == Decimal("1.0000")
        assert total["assignment_rate"] == Decimal("0.0000")
        assert total["average_days_held"] == Decimal("50.0")
        # 697.40 / (48,000 × 2 × 50 days) × 365
        assert total["annualized_return_on_collateral"] == Decimal("0.0530")
    # premium counts when sold: the 10-01 put is outside the last 30 days
    assert totals["30"]["total_premium"] == Decimal("300.00")
    assert totals["90"]["total_premium"] == Decimal("1100.00")
    assert totals["all"]["total_premium"] == Decimal("1100.00")


async def test_wheel_performance_marks_the_open_put_like_its_position(
    api: AsyncTestClient, book: Book
) -> None:
    report = body(await api.get(f"{API}/wheels/{book.msft}/performance"))
    position = body(await api.get(f"{API}/wheels/{book.msft}/position"))

    assert report["wheels"] == 1
    assert report["total"]["unrealized_pnl"] == position["unrealized_option_pnl"]
    assert report["total"]["unpriced_positions"] == 0
    assert [row["symbol"] for row in report["by_symbol"]] == ["MSFT"]


async def test_overall_performance_adds_every_portfolio(api: AsyncTestClient, book: Book) -> None:
    response = await api.get(f"{API}/performance", params={"period": "30"})

    assert response.status_code == 200, response.text
    report = body(response)
    assert report["wheels"] == 5
    # MSFT won 697.40; KO lost 100.00 − 150.00 = −50.00
    assert report["total"]["realized_pnl"] == Decimal("647.40")
    assert report["total"]["trades_closed"] == 2
    assert report["total"]["win_rate"] == Decimal("0.5000")
    # sold in the window: AAPL 580 + KO 100 + KO 400 + MSFT 300
    assert report["total"]["total_premium"] == Decimal("1380.00")
    assert report["best_symbol"] == "MSFT"
    assert report["worst_symbol"] == "KO"
    assert report["start"] == "2026-10-26"


async def test_symbol_performance_names_best_and_worst(api: AsyncTestClient, book: Book) -> None:
    response = await api.get(f"{API}/performance/symbols", params={"period": "90"})

    assert response.status_code == 200, response.text
    report = body(response)
    assert report["best_symbol"] == "MSFT"
    assert report["worst_symbol"] == "KO"
    rows = {row["symbol"]: row for row in report["symbols"]}
    assert sorted(rows) == ["AAPL", "JNJ", "KO", "MSFT", "ZZZZQ"]
    assert rows["KO"]["performance"]["realized_pnl"] == Decimal("-50.00")
    assert rows["MSFT"]["performance"]["realized_pnl"] == Decimal("697.40")

    growth = body(
        await api.get(f"{API}/performance/symbols", params={"portfolio_id": book.growth_id})
    )
    assert growth["best_symbol"] == growth["worst_symbol"] == "MSFT"


async def test_performance_errors_are_problems(api: AsyncTestClient, book: Book) -> None:
    for path in ("/performance", "/performance/symbols", "/export/performance.csv"):
        problem = assert_problem(await api.get(f"{API}{path}", params={"period": "7"}), 400)
        assert "period" in problem["detail"]
    assert_problem(
        await api.get(f"{API}/portfolios/{book.growth_id}/performance", params={"period": "7"}),
        400,
    )
    assert_problem(await api.get(f"{API}/wheels/9999/performance"), 404)
    assert_problem(await api.get(f"{API}/portfolios/9999/performance"), 404)


async def test_period_choices_are_in_the_openapi_schema(api: AsyncTestClient) -> None:
    schema = (await api.get("/openapi.json")).json()

    parameters = schema["paths"][f"{API}/performance"]["get"]["parameters"]
    (period,) = [p for p in parameters if p["name"] == "period"]
    assert period["schema"]["allOf"] == [{"$ref": "#/components/schemas/Period"}]
    assert schema["components"]["schemas"]["Period"]["enum"] == ["30", "90", "365", "all"]


# ── CSV exports ──────────────────────────────────────────────────────────────


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text)))


async def test_trades_csv_is_a_streamed_attachment(api: AsyncTestClient, book: Book) -> None:
    response = await api.get(f"{API}/export/trades.csv")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="trades.csv"'
    rows = csv_rows(response)
    assert rows[0] == list(TRADE_COLUMNS)
    assert len(rows) == 1 + 5
    closed = {row[0]: dict(zip(TRADE_COLUMNS, row, strict=True)) for row in rows[1:]}[
        str(book.msft_closed_trade)
    ]
    assert closed["symbol"] == "MSFT"
    assert closed["total_premium"] == "800.00"
    assert closed["pnl"] == "697.40"
    assert closed["outcome"] == "closed_early"


async def test_trades_csv_takes_the_trade_list_filters(api: AsyncTestClient, book: Book) -> None:
    async def count(**params: Any) -> int:
        response = await api.get(f"{API}/export/trades.csv", params=params)
        assert response.status_code == 200, response.text
        rows = csv_rows(response)
        assert rows[0] == list(TRADE_COLUMNS)
        return len(rows) - 1

    assert await count(symbol="MSFT") == 2
    assert await count(wheel_id=book.ko) == 2
    assert await count(portfolio_id=book.growth_id) == 2
    assert await count(outcome="closed_early") == 2
    assert await count(outcome="open") == 3
    assert await count(option_type="call") == 0
    assert await count(opened_from="2026-11-24") == 3
    assert await count(opened_to="2026-11-23") == 2
    assert await count(opened_from="2026-10-02", opened_to="2026-11-23") == 1


async def test_trades_csv_refuses_bad_filters(api: AsyncTestClient, book: Book) -> None:
    assert_problem(await api.get(f"{API}/export/trades.csv", params={"outcome": "won"}), 400)
    assert_problem(await api.get(f"{API}/export/trades.csv", params={"option_type": "x"}), 400)
    assert_problem(
        await api.get(f"{API}/export/trades.csv", params={"opened_from": "yesterday"}), 400
    )


async def test_performance_csv_has_a_row_per_symbol_and_a_total(
    api: AsyncTestClient, book: Book
) -> None:
    response = await api.get(
        f"{API}/export/performance.csv", params={"period": "30", "portfolio_id": book.growth_id}
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == ('attachment; filename="performance-30.csv"')
    rows = csv_rows(response)
    assert rows[0] == list(PERFORMANCE_COLUMNS)
    table = {row[0]: dict(zip(PERFORMANCE_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert sorted(table) == sorted(["MSFT", TOTAL_ROW])
    assert table[TOTAL_ROW]["realized_pnl"] == "697.40"
    assert table[TOTAL_ROW]["total_premium"] == "300.00"
    assert table["MSFT"]["wheels"] == "1"
