"""Exact money and command validation at the core's edge."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wheel_core.app import CreatePortfolio, OpenWheel, RecordTrade, RollTrade
from wheel_core.domain.entities import Trade
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import ValidationError
from wheel_core.domain.money import cents
from wheel_core.ports import SnapshotQuery, TradeQuery
from wheel_core.testing.strategies import money


def test_cents_round_half_up_like_a_broker_statement() -> None:
    assert cents(Decimal("0.005")) == Decimal("0.01")
    assert cents(Decimal("2.675")) == Decimal("2.68")
    assert cents(Decimal("-0.005")) == Decimal("-0.01")
    assert cents(Decimal("1.004999")) == Decimal("1.00")


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9))
def test_cents_is_within_half_a_cent_and_idempotent(amount: Decimal) -> None:
    rounded = cents(amount)
    assert abs(rounded - amount) <= Decimal("0.005")
    assert cents(rounded) == rounded
    assert rounded.as_tuple().exponent == -2


@given(money("0.01", "50"), st.integers(1, 100))
def test_total_premium_is_exact(premium: Decimal, contracts: int) -> None:
    trade = Trade(
        wheel_id=1,
        symbol="X",
        option_type=OptionType.PUT,
        strike=Decimal(10),
        expiration=date(2026, 1, 16),
        premium=premium,
        contracts=contracts,
        opened_at=datetime(2026, 1, 5, 15, 0, tzinfo=UTC),
    )
    assert trade.total_premium == premium * 100 * contracts
    assert sum([trade.total_premium] * 3, Decimal(0)) == premium * 300 * contracts


def test_a_bad_body_names_the_field() -> None:
    body = b'{"option_type": "put", "strike": "-5", "expiration": "2026-01-16", "premium": "1"}'
    with pytest.raises(msgspec.ValidationError, match="strike must be greater than 0"):
        msgspec.json.decode(body, type=RecordTrade)


def test_json_numbers_decode_to_exact_decimals() -> None:
    body = b'{"option_type": "call", "strike": 105.1, "expiration": "2026-01-16", "premium": 0.1}'
    command = msgspec.json.decode(body, type=RecordTrade)
    assert command.strike == Decimal("105.1")
    assert command.premium == Decimal("0.1")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: CreatePortfolio(name="  "), "name must not be empty"),
        (lambda: CreatePortfolio(name="x", capital=Decimal(-1)), "capital must be 0 or more"),
        (lambda: OpenWheel(symbol="AAPL", shares=100), "cost_basis is required"),
        (lambda: OpenWheel(symbol="AAPL", shares=-100), "shares must be 0 or more"),
        (lambda: OpenWheel(symbol="$$$"), "symbol must be a ticker"),
        (
            lambda: RecordTrade(
                option_type=OptionType.PUT,
                strike=Decimal(100),
                expiration=date(2026, 1, 16),
                premium=Decimal(1),
                contracts=0,
            ),
            "contracts must be a whole number greater than 0",
        ),
        (
            lambda: RecordTrade(
                option_type=OptionType.PUT,
                strike=Decimal("NaN"),
                expiration=date(2026, 1, 16),
                premium=Decimal(1),
            ),
            "strike must be greater than 0",
        ),
        (
            lambda: RollTrade(
                close_price=Decimal(1),
                strike=Decimal(100),
                expiration=date(2026, 1, 16),
                premium=Decimal(1),
                close_fees=Decimal("-0.65"),
            ),
            "close_fees must be 0 or more",
        ),
        (
            lambda: RecordTrade(
                option_type=OptionType.PUT,
                strike=Decimal(100),
                expiration=date(2026, 1, 16),
                premium=Decimal(1),
                opened_at=datetime(2026, 1, 5, 10, 0),
            ),
            "opened_at must include a timezone",
        ),
    ],
)
def test_commands_refuse_values_that_can_never_be_valid(
    build: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        build()


def test_trade_queries_refuse_unknown_outcomes_and_bad_pages() -> None:
    with pytest.raises(ValidationError, match="outcome must be one of open, expired_worthless"):
        TradeQuery(outcome="won")
    with pytest.raises(ValidationError, match="limit must be 1 or more"):
        TradeQuery(limit=0)
    with pytest.raises(ValidationError, match="offset must be 0 or more"):
        SnapshotQuery(offset=-1)
    assert TradeQuery(outcome="open").outcome == "open"


def test_an_amount_beyond_any_price_is_refused() -> None:
    from wheel_core.app.commands import RecordTrade
    from wheel_core.domain.checks import MAX_AMOUNT
    from wheel_core.domain.errors import ValidationError as CoreValidationError

    with pytest.raises(CoreValidationError, match="strike must be at most"):
        RecordTrade(
            option_type=OptionType.PUT,
            strike=MAX_AMOUNT + 1,
            expiration=date(2026, 1, 16),
            premium=Decimal(1),
        )


def test_a_command_body_with_an_unknown_field_is_refused() -> None:
    import msgspec

    from wheel_core.app.commands import CreatePortfolio

    with pytest.raises(msgspec.ValidationError, match="unknown field `capitol`"):
        msgspec.json.decode(b'{"name": "x", "capitol": 5}', type=CreatePortfolio)
    with pytest.raises(msgspec.ValidationError, match=r"at `\$\.name`"):
        msgspec.json.decode(b'{"name": "   "}', type=CreatePortfolio)
