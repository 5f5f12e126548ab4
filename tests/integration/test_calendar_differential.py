"""Our NYSE calendar against exchange_calendars' XNYS, 2000–2030: any drift in either shows.

exchange_calendars is a dev-only dependency (it needs pandas and numpy); the product
never imports it. Its calendar is built with an explicit end, since its default
horizon stops a year after today.

The two agree on every session, every early close and every open and close instant
in the window. Where they are one day allowed to differ, the day goes in
``KNOWN_DISAGREEMENTS`` with the reason, so that only *new* drift fails.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pytest

from adapters.market_data.calendar import NyseCalendar
from wheel_core.market import MarketSession

xcals = pytest.importorskip("exchange_calendars")

pytestmark = pytest.mark.filterwarnings(
    # exchange_calendars' own use of pandas 3.1 (not ours): a deprecation it has to fix.
    "ignore:Series.values returning an ndarray:DeprecationWarning"
)

START, END = date(2000, 1, 1), date(2030, 12, 31)

KNOWN_DISAGREEMENTS: Mapping[date, str] = {}
"""Days on which the two libraries legitimately differ, each with why. None in 2000–2030
today (outside it: 1994-02-11, a snowstorm close at 14:30 that only ``holidays`` has)."""

SPECIAL_CLOSURES = [
    date(2001, 9, 11),  # attacks on the World Trade Center, closed through the 14th
    date(2001, 9, 12),
    date(2001, 9, 13),
    date(2001, 9, 14),
    date(2004, 6, 11),  # national day of mourning, President Reagan
    date(2007, 1, 2),  # national day of mourning, President Ford
    date(2012, 10, 29),  # Hurricane Sandy, two days
    date(2012, 10, 30),
    date(2018, 12, 5),  # national day of mourning, President G. H. W. Bush
    date(2025, 1, 9),  # national day of mourning, President Carter (announced at short notice)
]
"""Closures no rule produces: each library lists them by hand, so they are the likeliest to
go missing from one of them. Both must have every one."""

Hours = tuple[datetime, datetime]


@pytest.fixture(scope="module")
def xnys() -> Any:
    return xcals.get_calendar("XNYS", start=START.isoformat(), end=END.isoformat())


@pytest.fixture(scope="module")
def theirs(xnys: Any) -> dict[date, Hours]:
    return {
        day.date(): (opens.to_pydatetime(), closes.to_pydatetime())
        for day, opens, closes in zip(xnys.sessions, xnys.opens, xnys.closes, strict=True)
    }


@pytest.fixture(scope="module")
def their_early_closes(xnys: Any) -> set[date]:
    return {day.date() for day in xnys.early_closes}


@pytest.fixture(scope="module")
def our_sessions() -> Sequence[MarketSession]:
    return NyseCalendar().sessions(START, END)


@pytest.fixture(scope="module")
def ours(our_sessions: Sequence[MarketSession]) -> dict[date, Hours]:
    return {s.day: (s.open, s.close) for s in our_sessions}


@pytest.fixture(scope="module")
def our_early_closes(our_sessions: Sequence[MarketSession]) -> set[date]:
    return {s.day for s in our_sessions if s.early_close}


def _unexpected(days: set[date]) -> list[date]:
    return sorted(days - KNOWN_DISAGREEMENTS.keys())


def test_the_same_session_days(ours: dict[date, Hours], theirs: dict[date, Hours]) -> None:
    assert _unexpected(ours.keys() - theirs.keys()) == [], "sessions only we have"
    assert _unexpected(theirs.keys() - ours.keys()) == [], "sessions only XNYS has"
    assert len(ours) > 7_700  # the window really was compared


def test_the_same_early_closes(our_early_closes: set[date], their_early_closes: set[date]) -> None:
    assert _unexpected(our_early_closes - their_early_closes) == [], "early closes only we have"
    assert _unexpected(their_early_closes - our_early_closes) == [], "early closes only XNYS has"
    assert len(our_early_closes) > 60


def test_the_same_open_and_close_instants(
    ours: dict[date, Hours], theirs: dict[date, Hours]
) -> None:
    """Compared in UTC, so DST switches and early-close times are checked too."""
    differing = {day for day in ours.keys() & theirs.keys() if ours[day] != theirs[day]}
    assert _unexpected(differing) == []


def test_special_closures_are_in_both(ours: dict[date, Hours], theirs: dict[date, Hours]) -> None:
    assert [day for day in SPECIAL_CLOSURES if day in ours] == []
    assert [day for day in SPECIAL_CLOSURES if day in theirs] == []
