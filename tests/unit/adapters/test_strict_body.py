"""Bodies read strictly: JSON types must match, integral numbers count as integers where
an integer is expected, and nothing else changes (an amount keeps its digits)."""

import time
from decimal import Decimal

import pytest
from litestar.exceptions import ValidationException

from adapters.http.controllers.recommendations import BatchRecommendations
from adapters.http.strict_body import read_strictly
from adapters.settings import JobOverride
from wheel_core.app.commands import AssignTrade, CreatePortfolio, RecordTrade


def test_an_integral_number_is_an_integer_where_one_is_expected() -> None:
    read = read_strictly({"interval_minutes": Decimal("523.0")}, JobOverride)
    assert read.interval_minutes == 523
    assert type(read.interval_minutes) is int


def test_the_items_of_a_list_of_integers_are_read_alike() -> None:
    read = read_strictly({"wheel_ids": [Decimal("75.0"), 15655]}, BatchRecommendations)
    assert read.wheel_ids == [75, 15655]


def test_an_amount_keeps_the_digits_it_was_sent_with() -> None:
    raw = {
        "option_type": "put",
        "strike": Decimal("100.0"),
        "expiration": "2026-12-18",
        "premium": Decimal("2.00"),
        "contracts": Decimal("3.0"),
    }
    read = read_strictly(raw, RecordTrade)
    assert (str(read.strike), str(read.premium), read.contracts) == ("100.0", "2.00", 3)


def test_a_fraction_where_an_integer_is_expected_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationException) as refused:
        read_strictly({"interval_minutes": Decimal("523.5")}, JobOverride)
    assert refused.value.extra == [
        {
            "message": "Expected `int | null`, got `decimal`",
            "key": "interval_minutes",
            "source": "body",
        }
    ]


def test_a_huge_exponent_is_refused_without_building_the_integer() -> None:
    started = time.perf_counter()
    with pytest.raises(ValidationException):
        read_strictly({"interval_minutes": Decimal("1E+100000000")}, JobOverride)
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"enabled": 0}, "enabled"),
        ({"enabled": "true"}, "enabled"),
        ({"interval_minutes": "5"}, "interval_minutes"),
        ({"timeout_seconds": True}, "timeout_seconds"),
    ],
)
def test_a_value_of_another_json_type_is_refused(raw: dict[str, object], key: str) -> None:
    with pytest.raises(ValidationException) as refused:
        read_strictly(raw, JobOverride)
    assert refused.value.extra[0]["key"] == key  # type: ignore[index]


def test_an_optional_body_may_be_null() -> None:
    assert read_strictly(None, AssignTrade | None) is None
    assert read_strictly({}, AssignTrade | None) == AssignTrade()


def test_a_rule_the_body_breaks_is_reported_against_the_body() -> None:
    with pytest.raises(ValidationException) as refused:
        read_strictly({"name": "x", "capital": Decimal("-1")}, CreatePortfolio)
    assert refused.value.extra[0]["key"] == "data"  # type: ignore[index]
