"""Monitoring through the HTTP API: price refresh, risk alerts, the watchlist and
opportunities, on the real app (SQLite file, simulated market, fake clock at Tue
2026-11-24 15:00 UTC, where AAPL is 261.73 and KO 66.41)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from api_responses import API, assert_problem, body
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.container import Container
from wheel_core.app.commands import OpenWheel, RecordTrade
from wheel_core.domain.enums import OptionType
from wheel_core.testing.fakes import RecordingNotifier


class Book(msgspec.Struct, frozen=True, kw_only=True):
    aapl: int
    aapl_trade: int
    """A put at 260 expiring 2026-12-04: OTM by 0.67 % → MEDIUM."""
    ko: int
    ko_trade: int
    """A put at 70 expiring 2026-11-27 (after Thanksgiving, an early close): ITM → HIGH,
    two trading days left → near expiry."""
    jnj: int
    """Idle, with capital: the scan recommends puts for it."""
    zzzzq: int
    """A put on a symbol the simulated market does not list."""


async def put(service: Any, wheel_id: int, strike: str, expiration: date) -> int:
    trade = await service.record_trade(
        wheel_id,
        RecordTrade(
            option_type=OptionType.PUT,
            strike=Decimal(strike),
            expiration=expiration,
            premium=Decimal("1.00"),
            allow_exceeding_capital=True,
        ),
    )
    trade_id: int = trade.id
    return trade_id


@pytest.fixture
async def book(api: AsyncTestClient, api_container: Container) -> Book:
    service = api_container.service()
    aapl = await service.open_wheel(OpenWheel(symbol="AAPL", capital=Decimal(30000)))
    ko = await service.open_wheel(OpenWheel(symbol="KO", capital=Decimal(10000)))
    jnj = await service.open_wheel(OpenWheel(symbol="JNJ", capital=Decimal(50000)))
    zzzzq = await service.open_wheel(OpenWheel(symbol="ZZZZQ", capital=Decimal(10000)))
    await put(service, zzzzq.id, "10", date(2026, 12, 18))
    return Book(
        aapl=aapl.id,
        aapl_trade=await put(service, aapl.id, "260", date(2026, 12, 4)),
        ko=ko.id,
        ko_trade=await put(service, ko.id, "70", date(2026, 11, 27)),
        jnj=jnj.id,
        zzzzq=zzzzq.id,
    )


# ── price refresh ─────────────────────────────────────────────────────────────


async def test_refresh_quotes_every_active_symbol(api: AsyncTestClient, book: Book) -> None:
    response = await api.post(f"{API}/positions/refresh")
    assert response.status_code == 200, response.text
    refresh = body(response)
    assert refresh["as_of"] == "2026-11-24T15:00:00Z"
    assert refresh["symbols"] == ["AAPL", "JNJ", "KO", "ZZZZQ"]
    assert refresh["refreshed"] == 3
    [failure] = refresh["failures"]
    assert failure["symbol"] == "ZZZZQ"
    assert "ZZZZQ" in failure["error"]


# ── alerts ────────────────────────────────────────────────────────────────────


async def test_the_risk_scan_raises_each_condition_once(api: AsyncTestClient, book: Book) -> None:
    response = await api.post(f"{API}/alerts/scan")
    assert response.status_code == 200, response.text
    scan = body(response)
    assert scan["checked"] == 2
    assert sorted(a["key"] for a in scan["alerts"]) == sorted(
        [
            f"risk:medium:trade:{book.aapl_trade}",
            f"itm:trade:{book.ko_trade}",
            f"risk:high:trade:{book.ko_trade}",
            f"expiry:trade:{book.ko_trade}",
        ]
    )
    expiry = next(a for a in scan["alerts"] if a["kind"] == "expiry")
    assert expiry["message"] == (
        "KO put 70 expires in 2 trading days (2026-11-27); in the money by 5.13 %"
    )
    assert expiry["level"] == "high"
    assert [(f["wheel_id"], f["symbol"]) for f in scan["failures"]] == [(book.zzzzq, "ZZZZQ")]

    again = body(await api.post(f"{API}/alerts/scan"))
    assert (again["checked"], again["alerts"]) == (2, [])


@pytest.fixture
def delivered(api_container: Container) -> RecordingNotifier:
    """The notifier the app's service delivers through (set before the app starts)."""
    notifier = RecordingNotifier()
    api_container.notifier.override(providers.Object(notifier))
    return notifier


async def test_alerts_raised_by_hand_are_delivered_once(
    delivered: RecordingNotifier, api: AsyncTestClient, book: Book
) -> None:
    scan = body(await api.post(f"{API}/alerts/scan"))
    assert sorted(a.key for a in delivered.sent) == sorted(a["key"] for a in scan["alerts"])
    await api.post(f"{API}/alerts/scan")
    raised = {"kind": "note", "key": "note:1", "message": "look at KO"}
    assert body(await api.post(f"{API}/alerts", json=raised))["key"] == "note:1"
    assert body(await api.post(f"{API}/alerts", json=raised)) is None  # known: not raised
    assert len(delivered.sent) == len(scan["alerts"]) + 1
    assert delivered.sent[-1].message == "look at KO"


async def test_alerts_are_listed_with_filters_and_acknowledged(
    api: AsyncTestClient, book: Book
) -> None:
    await api.post(f"{API}/alerts/scan")

    listed = body(await api.get(f"{API}/alerts"))
    assert (listed["total"], listed["offset"], listed["limit"]) == (4, 0, 100)
    high = body(await api.get(f"{API}/alerts", params={"min_level": "high"}))
    assert sorted(a["kind"] for a in high["items"]) == ["expiry", "itm", "risk"]
    by_wheel = body(await api.get(f"{API}/alerts", params={"wheel_id": book.aapl, "kind": "risk"}))
    [medium] = by_wheel["items"]
    assert medium["level"] == "medium"
    assert medium["trade_id"] == book.aapl_trade
    paged = body(await api.get(f"{API}/alerts", params={"limit": 1, "offset": 3}))
    assert (len(paged["items"]), paged["total"]) == (1, 4)
    today = {"created_from": "2026-11-24", "created_to": "2026-11-24"}
    assert body(await api.get(f"{API}/alerts", params=today))["total"] == 4
    later = {"created_from": "2026-11-25"}
    assert body(await api.get(f"{API}/alerts", params=later))["total"] == 0

    assert body(await api.get(f"{API}/alerts/{medium['id']}")) == medium
    done = await api.post(f"{API}/alerts/{medium['id']}/acknowledge")
    assert done.status_code == 200, done.text
    assert body(done)["acknowledged_at"] == "2026-11-24T15:00:00Z"
    assert body(await api.post(f"{API}/alerts/{medium['id']}/acknowledge")) == body(done)
    open_ones = body(await api.get(f"{API}/alerts", params={"acknowledged": "false"}))
    assert open_ones["total"] == 3
    seen = body(await api.get(f"{API}/alerts", params={"acknowledged": "true"}))
    assert [a["id"] for a in seen["items"]] == [medium["id"]]


@pytest.mark.parametrize(
    "params",
    [{"min_level": "extreme"}, {"limit": 0}, {"wheel_id": 0}, {"created_from": "yesterday"}],
)
async def test_bad_alert_filters_are_a_400(api: AsyncTestClient, params: dict[str, Any]) -> None:
    assert_problem(await api.get(f"{API}/alerts", params=params), 400)


async def test_unknown_alerts_are_a_404(api: AsyncTestClient) -> None:
    assert_problem(await api.get(f"{API}/alerts/999"), 404, "alert 999 not found")
    assert_problem(await api.post(f"{API}/alerts/999/acknowledge"), 404, "alert 999 not found")
    assert_problem(await api.get(f"{API}/alerts/0"), 400)


async def test_an_alert_is_raised_once_per_key(api: AsyncTestClient, book: Book) -> None:
    alert = {
        "kind": "earnings",
        "key": f"earnings:trade:{book.aapl_trade}",
        "message": "AAPL reports on 2026-12-01, before the put expires",
        "trade_id": book.aapl_trade,
    }
    first = await api.post(f"{API}/alerts", json=alert)
    assert first.status_code == 200, first.text
    raised = body(first)
    assert (raised["wheel_id"], raised["level"], raised["acknowledged_at"]) == (
        book.aapl,
        "medium",
        None,
    )
    second = await api.post(f"{API}/alerts", json=alert)
    assert second.status_code == 200
    assert second.json() is None
    assert_problem(
        await api.post(f"{API}/alerts", json={**alert, "key": "k:2", "wheel_id": 999}),
        404,
        "wheel 999 not found",
    )
    assert_problem(
        await api.post(f"{API}/alerts", json={**alert, "key": "k:3", "wheel_id": book.ko}),
        422,
        f"belongs to wheel {book.aapl}",
    )
    for bad in ({**alert, "kind": "k" * 41}, {**alert, "colour": "red"}, {"kind": "x"}):
        assert_problem(await api.post(f"{API}/alerts", json=bad), 400)


# ── watchlist ─────────────────────────────────────────────────────────────────


async def test_the_watchlist_adds_lists_and_removes_symbols(api: AsyncTestClient) -> None:
    added = await api.post(f"{API}/watchlist", json={"symbol": "msft", "note": "on a dip"})
    assert added.status_code == 201, added.text
    assert body(added) == {
        "symbol": "MSFT",
        "added_at": "2026-11-24T15:00:00Z",
        "note": "on a dip",
        "id": body(added)["id"],
    }
    await api.post(f"{API}/watchlist", json={"symbol": "KO"})
    listed = body(await api.get(f"{API}/watchlist"))
    assert [e["symbol"] for e in listed["items"]] == ["KO", "MSFT"]
    assert listed["total"] == 2
    assert body(await api.get(f"{API}/watchlist", params={"limit": 1, "offset": 1}))["items"][0][
        "symbol"
    ] == ("MSFT")

    assert_problem(
        await api.post(f"{API}/watchlist", json={"symbol": "MSFT"}),
        409,
        "MSFT is already on the watchlist",
    )
    assert_problem(await api.post(f"{API}/watchlist", json={"symbol": "no way!"}), 400)
    assert_problem(await api.post(f"{API}/watchlist", json={"symbol": "KO", "x": 1}), 400)

    removed = await api.delete(f"{API}/watchlist/msft")
    assert removed.status_code == 204
    assert_problem(
        await api.delete(f"{API}/watchlist/MSFT"), 404, "watchlist symbol 'MSFT' not found"
    )
    assert_problem(await api.delete(f"{API}/watchlist/$$"), 422, "symbol must be a ticker")
    assert [e["symbol"] for e in body(await api.get(f"{API}/watchlist"))["items"]] == ["KO"]


async def test_a_class_share_ticker_is_the_rest_of_the_path(api: AsyncTestClient) -> None:
    await api.post(f"{API}/watchlist", json={"symbol": "brk/b"})
    await api.post(f"{API}/watchlist", json={"symbol": "B"})

    assert (await api.delete(f"{API}/watchlist/BRK/B")).status_code == 204
    assert [e["symbol"] for e in body(await api.get(f"{API}/watchlist"))["items"]] == ["B"]
    # Reaches the market, which does not list it: the domain's 404, not the router's.
    assert_problem(await api.get(f"{API}/market/quotes/BRK/B"), 404, "BRK/B")
    assert_problem(await api.get(f"{API}/market/chains/brk/b"), 404, "BRK/B")


# ── opportunities ─────────────────────────────────────────────────────────────


async def test_scans_find_opportunities_once_and_refresh_them(
    api: AsyncTestClient, book: Book
) -> None:
    await api.post(f"{API}/watchlist", json={"symbol": "MSFT"})
    await api.post(f"{API}/watchlist", json={"symbol": "ZZZZQ"})

    response = await api.post(f"{API}/watchlist/scan")
    assert response.status_code == 200, response.text
    scan = body(response)
    found = scan["found"]
    assert found, scan
    assert {o["symbol"] for o in found} == {"JNJ", "MSFT"}
    assert {(o["source"], o["wheel_id"]) for o in found if o["symbol"] == "JNJ"} == {
        ("wheel", book.jnj)
    }
    assert {(o["source"], o["wheel_id"]) for o in found if o["symbol"] == "MSFT"} == {
        ("watchlist", None)
    }
    for opportunity in found:
        assert opportunity["option_type"] == "put"
        assert isinstance(opportunity["premium"], Decimal)
        assert isinstance(opportunity["annualized_yield"], Decimal)
        assert opportunity["found_at"] == opportunity["last_seen_at"] == "2026-11-24T15:00:00Z"
        assert opportunity["read_at"] is None
    assert scan["updated"] == 0
    assert [f["symbol"] for f in scan["failures"]] == ["ZZZZQ"]

    again = body(await api.post(f"{API}/watchlist/scan"))
    assert (again["found"], again["updated"]) == ([], len(found))
    listed = body(await api.get(f"{API}/opportunities", params={"limit": 500}))
    assert listed["total"] == len(found)
    assert body(await api.get(f"{API}/opportunities/unread-count")) == {"unread": len(found)}


async def test_opportunities_are_filtered_and_read(api: AsyncTestClient, book: Book) -> None:
    await api.post(f"{API}/watchlist", json={"symbol": "MSFT"})
    found = body(await api.post(f"{API}/watchlist/scan"))["found"]
    msft = [o for o in found if o["symbol"] == "MSFT"]

    watch = body(await api.get(f"{API}/opportunities", params={"source": "watchlist"}))
    assert [o["id"] for o in watch["items"]] == [o["id"] for o in msft]
    assert body(await api.get(f"{API}/opportunities", params={"symbol": "msft"}))["total"] == len(
        msft
    )
    calls = body(await api.get(f"{API}/opportunities", params={"option_type": "call"}))
    assert calls["total"] == 0

    target = msft[0]
    read = await api.post(f"{API}/opportunities/{target['id']}/read")
    assert read.status_code == 200, read.text
    assert body(read)["read_at"] == "2026-11-24T15:00:00Z"
    assert body(await api.post(f"{API}/opportunities/{target['id']}/read")) == body(read)
    unread = body(await api.get(f"{API}/opportunities", params={"unread": "true"}))
    assert unread["total"] == len(found) - 1
    assert target["id"] not in [o["id"] for o in unread["items"]]

    marked = await api.post(f"{API}/opportunities/read-all")
    assert marked.status_code == 200
    assert body(marked) == {"marked": len(found) - 1}
    assert body(await api.post(f"{API}/opportunities/read-all")) == {"marked": 0}
    assert body(await api.get(f"{API}/opportunities/unread-count")) == {"unread": 0}

    assert_problem(
        await api.post(f"{API}/opportunities/999/read"), 404, "opportunity 999 not found"
    )
    for params in ({"source": "nowhere"}, {"symbol": "$"}, {"option_type": "straddle"}):
        assert_problem(await api.get(f"{API}/opportunities", params=params), 400)
