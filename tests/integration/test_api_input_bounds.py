"""A single request must not hurt every user (issue #14), through the real app.

Values that entered before the bounds (a strike of ``1E-400``, an expiration in 9998
or 9999) are written into the database file directly, as an old database holds them:
reads must not break on them, and one wheel that cannot be evaluated is reported
while the others are listed and the jobs go on.
"""

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from api_responses import API, PROBLEM, assert_problem, body
from httpx import Response
from litestar.testing import AsyncTestClient

from adapters.container import Container
from wheel_core.sessions import COUNTED_DAYS, weekdays_between

TODAY = date(2026, 11, 24)
"""The exchange date of the integration tests' clock (``api_moment.API_NOW``)."""


async def post_raw(api: AsyncTestClient, path: str, raw: bytes) -> Response:
    return await api.post(f"{API}{path}", content=raw, headers={"content-type": "application/json"})


async def open_put(api: AsyncTestClient, symbol: str, **trade: Any) -> tuple[int, int]:
    """(wheel id, trade id) of a new wheel with one open put."""
    wheel = await api.post(f"{API}/wheels", json={"symbol": symbol, "capital": "100000"})
    assert wheel.status_code == 201, wheel.text
    wheel_id = wheel.json()["id"]
    payload = {
        "option_type": "put",
        "strike": "100",
        "expiration": "2026-12-18",
        "premium": "1.00",
        **trade,
    }
    sold = await api.post(f"{API}/wheels/{wheel_id}/trades", json=payload)
    assert sold.status_code == 201, sold.text
    return wheel_id, sold.json()["id"]


def store(database: Path, trade_id: int, **columns: str) -> None:
    """Write a trade's columns as a database from before the bounds could hold them."""
    with sqlite3.connect(database) as connection:
        assignments = ", ".join(f"{name} = ?" for name in columns)
        connection.execute(
            f"UPDATE trades SET {assignments} WHERE id = ?",
            (*columns.values(), trade_id),
        )


@pytest.fixture
def database(tmp_path: Path, api_container: Container) -> Path:
    return tmp_path / "api.db"  # the file api_container's settings name


# ── dates ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("expiration", ["9998-12-31", "9999-12-31", "2100-01-01"])
async def test_an_expiration_past_the_century_is_a_400_naming_the_field(
    api: AsyncTestClient, expiration: str
) -> None:
    wheel_id, _ = await open_put(api, "AAPL")
    await api.post(f"{API}/trades/1/close", json={"price": "0.50"})
    response = await api.post(
        f"{API}/wheels/{wheel_id}/trades",
        json={"option_type": "put", "strike": "100", "expiration": expiration, "premium": "1"},
    )
    problem = assert_problem(response, 400, "expiration must be from 1970-01-01 to 2099-12-31")
    assert [e["field"] for e in problem["errors"]] == ["expiration"]


async def test_an_expiration_more_than_five_years_ahead_is_refused(api: AsyncTestClient) -> None:
    wheel = (await api.post(f"{API}/wheels", json={"symbol": "AAPL", "capital": "1e5"})).json()
    trade = {"option_type": "put", "strike": "100", "premium": "1"}
    late = await api.post(
        f"{API}/wheels/{wheel['id']}/trades", json={**trade, "expiration": "2031-11-25"}
    )
    assert_problem(late, 422, "expiration must be at most 5 years ahead (on or before 2031-11-24)")
    # The furthest LEAPS listed today (January 2029) is well inside the horizon.
    leaps = await api.post(
        f"{API}/wheels/{wheel['id']}/trades", json={**trade, "expiration": "2029-01-19"}
    )
    assert leaps.status_code == 201, leaps.text


@pytest.mark.parametrize(
    "instant", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2100-01-01T00:00:00Z"]
)
async def test_an_instant_outside_1970_to_2100_is_a_400_whatever_its_offset(
    api: AsyncTestClient, instant: str
) -> None:
    response = await api.post(f"{API}/wheels", json={"symbol": "AAPL", "opened_at": instant})
    problem = assert_problem(response, 400, "opened_at must be from 1970-01-01T00:00:00Z")
    assert [e["field"] for e in problem["errors"]] == ["opened_at"]
    assert (await api.get(f"{API}/wheels")).json()["total"] == 0


async def test_far_expirations_stored_before_the_bound_do_not_break_reads_or_jobs(
    api: AsyncTestClient, database: Path
) -> None:
    healthy, _ = await open_put(api, "AAPL")
    far, far_trade = await open_put(api, "MSFT")
    farthest, farthest_trade = await open_put(api, "KO")
    store(database, far_trade, expiration="9998-12-31")
    store(database, farthest_trade, expiration="9999-12-31")

    response = await api.get(f"{API}/positions")
    assert response.status_code == 200, response.text
    report = body(response)
    assert report["failures"] == []
    options = {p["wheel_id"]: p["option"] for p in report["positions"]}
    assert set(options) == {healthy, far, farthest}
    edge = date.fromordinal(TODAY.toordinal() + COUNTED_DAYS)
    far_dte = options[far]["dte_trading"]
    # Exact sessions up to the counted edge, then weekdays in closed form.
    assert far_dte > weekdays_between(edge, date(9998, 12, 31))
    assert options[farthest]["dte_trading"] == far_dte + weekdays_between(
        date(9998, 12, 31), date(9999, 12, 31)
    )

    for path in (
        "/positions/at-risk",
        f"/wheels/{far}/position",
        f"/wheels/{farthest}/position",
        "/portfolios/1/positions",
    ):
        read = await api.get(f"{API}{path}")
        assert read.status_code == 200, (path, read.text)
    assert (await api.post(f"{API}/alerts/scan")).status_code == 200

    for job in ("risk_monitor", "daily_snapshot"):
        run = body(await api.post(f"{API}/jobs/{job}/run"))
        assert run["status"] == "success", run
    latest = body(await api.get(f"{API}/snapshots/latest"))
    assert {s["wheel_id"] for s in latest} == {healthy, far, farthest}


async def test_a_wheel_that_cannot_be_evaluated_is_reported_and_the_rest_listed(
    api: AsyncTestClient, database: Path
) -> None:
    healthy, _ = await open_put(api, "AAPL")
    broken, broken_trade = await open_put(api, "JNJ")
    store(database, broken_trade, strike="1E-400")

    report = body(await api.get(f"{API}/positions"))
    assert [p["wheel_id"] for p in report["positions"]] == [healthy]
    (failure,) = report["failures"]
    assert (failure["wheel_id"], failure["symbol"]) == (broken, "JNJ")
    assert "could not be evaluated (InvalidOperation)" in failure["error"]
    at_risk = await api.get(f"{API}/positions/at-risk")
    assert at_risk.status_code == 200, at_risk.text

    one = await api.get(f"{API}/wheels/{broken}/position")
    assert_problem(one, 422, "the JNJ wheel (id 2) could not be evaluated")

    for job, done in (("risk_monitor", "checked 1 positions"), ("daily_snapshot", "1 snapshot")):
        run = body(await api.post(f"{API}/jobs/{job}/run"))
        assert run["status"] == "success", run
        assert run["summary"].startswith(done), run
        assert "1 failed (JNJ: " in run["summary"], run
    latest = body(await api.get(f"{API}/snapshots/latest"))
    assert [s["wheel_id"] for s in latest] == [healthy]


# ── amounts ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'"strike": 1e-400, "premium": 1', "strike"),
        (b'"strike": 100, "premium": 1.00001', "premium"),
        (b'"strike": 100.12345, "premium": 1', "strike"),
        (b'"strike": 100, "premium": 1, "fees": 0.000001', "fees"),
    ],
)
async def test_an_amount_with_more_than_four_decimal_places_is_a_400_naming_it(
    api: AsyncTestClient, raw: bytes, field: str
) -> None:
    wheel = (await api.post(f"{API}/wheels", json={"symbol": "AAPL", "capital": "1e5"})).json()
    response = await post_raw(
        api,
        f"/wheels/{wheel['id']}/trades",
        b'{"option_type": "put", "expiration": "2026-12-18", ' + raw + b"}",
    )
    problem = assert_problem(response, 400, f"{field} must have at most 4 decimal places")
    assert [e["field"] for e in problem["errors"]] == [field]
    assert (await api.get(f"{API}/trades")).json()["total"] == 0


async def test_negative_zero_is_stored_as_zero(api: AsyncTestClient) -> None:
    wheel = (await api.post(f"{API}/wheels", json={"symbol": "AAPL", "capital": "1e5"})).json()
    response = await post_raw(
        api,
        f"/wheels/{wheel['id']}/trades",
        b'{"option_type": "put", "strike": 1E+2, "expiration": "2026-12-18", '
        b'"premium": 1.5, "fees": -0.0}',
    )
    assert response.status_code == 201, response.text
    assert '"fees":0.0,' in response.text
    assert '"strike":100,' in response.text
    stored = (await api.get(f"{API}/trades/{response.json()['id']}")).text
    assert '"fees":0.0,' in stored and "-0" not in stored


# ── bodies ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (b"[" * 1000 + b"]" * 1000, "nested too deeply"),
        (b'{"a":' * 5000 + b"1" + b"}" * 5000, "nested too deeply"),
        (b'{"symbol": "AA\xffPL"}', "not valid UTF-8"),
        (b'{"symbol": "\xc3"}', "not valid UTF-8"),
    ],
    ids=["arrays", "objects", "bad-byte", "cut-sequence"],
)
async def test_a_body_too_deep_or_not_utf8_is_a_400_problem(
    api: AsyncTestClient, raw: bytes, detail: str
) -> None:
    response = await post_raw(api, "/wheels", raw)
    assert response.headers["content-type"].startswith(PROBLEM)
    assert_problem(response, 400, detail)
    assert (await api.get(f"{API}/wheels")).json()["total"] == 0


# ── names ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        ("\u0000", "must not contain control characters"),
        ("\u0000\u0000", "must not contain control characters"),
        ("IRA\u0000", "must not contain control characters"),
        ("\u200b\u200b", "must contain a visible character"),
        ("\ufeff\u2060", "must contain a visible character"),
    ],
)
async def test_a_name_of_nothing_visible_or_with_control_characters_is_a_400(
    api: AsyncTestClient, name: str, detail: str
) -> None:
    created = await api.post(f"{API}/portfolios", json={"name": name})
    assert_problem(created, 400, f"name {detail}")
    renamed = await api.patch(f"{API}/portfolios/1", json={"name": name})
    assert_problem(renamed, 400, f"name {detail}")
    listed = (await api.get(f"{API}/portfolios")).json()["items"]
    assert [p["name"] for p in listed] == ["default"]
