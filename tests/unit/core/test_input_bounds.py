"""The bounds the core puts on what enters it (issue #14): amounts with at most four
decimal places and no sign on zero, instants in [1970, 2100) whatever their offset,
expirations at most five years ahead, names that show something and hold no control
character. The commands refuse at decoding, so the API, the CLI and a Python user all
meet the same rule with the field named."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal as D

import msgspec
import pytest

from wheel_core.app import (
    AddToWatchlist,
    CloseTrade,
    CorrectTrade,
    CreatePortfolio,
    OpenWheel,
    RaiseAlert,
    RecordTrade,
    RollTrade,
    UpdatePortfolio,
    WheelService,
)
from wheel_core.domain.checks import MAX_DECIMAL_PLACES, entered_amount
from wheel_core.domain.enums import OptionType
from wheel_core.domain.errors import ValidationError
from wheel_core.domain.rules import latest_expiration
from wheel_core.testing.fakes import FakeClock, InMemoryUnitOfWorkFactory

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def put(**fields: object) -> RecordTrade:
    given: dict[str, object] = {
        "option_type": OptionType.PUT,
        "strike": D("100"),
        "expiration": date(2026, 12, 18),
        "premium": D("1.00"),
        **fields,
    }
    return RecordTrade(**given)  # type: ignore[arg-type]


def decode_put(text: str) -> RecordTrade:
    """As the API decodes a body: numbers with a point are ``Decimal``s."""
    return msgspec.json.Decoder(RecordTrade, float_hook=D).decode(text.encode())


# ── amounts and prices ────────────────────────────────────────────────────────


@pytest.mark.parametrize("strike", ["1e-400", "0.00001", "100.12345", "1E-5"])
def test_a_price_with_more_than_four_decimal_places_is_refused(strike: str) -> None:
    with pytest.raises(msgspec.ValidationError, match="strike must have at most 4 decimal"):
        decode_put(
            f'{{"option_type": "put", "strike": {strike}, "expiration": "2026-12-18", '
            '"premium": 1}'
        )


@pytest.mark.parametrize("field", ["strike", "premium", "fees"], ids=["strike", "premium", "fees"])
def test_every_amount_of_a_command_is_bounded_in_places(field: str) -> None:
    with pytest.raises(ValidationError, match=f"^{field} must have at most 4 decimal places"):
        put(**{field: D("1.00001")})


@pytest.mark.parametrize(
    "build",
    [
        lambda v: CloseTrade(price=v),
        lambda v: OpenWheel(symbol="AAPL", capital=v),
        lambda v: CreatePortfolio(name="p", capital=v),
        lambda v: RollTrade(
            close_price=D(1), strike=D(90), expiration=date(2027, 1, 15), premium=D(1), close_fees=v
        ),
        lambda v: CorrectTrade(close_price=v),
    ],
    ids=["close", "open_wheel", "portfolio", "roll", "correct"],
)
def test_the_other_commands_bound_their_amounts_too(build: Callable[[D], object]) -> None:
    with pytest.raises(ValidationError, match="at most 4 decimal places"):
        build(D("0.00001"))


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("-0.0", "0.0"),
        ("-0", "0"),
        ("1E+2", "100"),
        ("2.00", "2.00"),
        ("2.50000000", "2.5000"),
        ("0.0001", "0.0001"),
        ("999999999999.9999", "999999999999.9999"),
    ],
)
def test_amounts_keep_their_digits_in_canonical_form(given: str, kept: str) -> None:
    stored = entered_amount(D(given), "premium")
    assert str(stored) == kept
    assert not stored.is_signed()


def test_negative_zero_is_stored_without_its_sign() -> None:
    trade = decode_put(
        '{"option_type": "put", "strike": 1E+2, "expiration": "2026-12-18", "premium": -0.0}'
    )
    assert str(trade.premium) == "0.0"
    assert str(trade.strike) == "100"
    assert MAX_DECIMAL_PLACES == 4


def test_a_refused_number_is_not_echoed_in_full() -> None:
    with pytest.raises(ValidationError) as refused:
        put(strike=D("0." + "0" * 400 + "1"))
    assert len(str(refused.value)) < 120


# ── instants and dates ────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "instant",
    [
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(-timedelta(hours=14))),
        datetime(1, 1, 1, 0, 0, 0, tzinfo=timezone(timedelta(hours=14))),
        datetime(2100, 1, 1, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(1970, 1, 1, 0, 59, tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_instants_outside_1970_to_2100_are_refused_whatever_their_offset(
    instant: datetime,
) -> None:
    with pytest.raises(ValidationError, match=r"^opened_at must be from 1970-01-01"):
        put(opened_at=instant)


def test_instants_at_the_edges_of_the_range_are_taken() -> None:
    put(opened_at=datetime(1970, 1, 1, tzinfo=UTC))
    put(opened_at=datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC))
    put(opened_at=datetime(2099, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=14))))


@pytest.mark.parametrize("expiration", [date(9998, 12, 31), date(2100, 1, 1), date(1969, 12, 31)])
def test_an_expiration_outside_the_century_is_refused_at_decoding(expiration: date) -> None:
    with pytest.raises(ValidationError, match=r"^expiration must be from 1970-01-01 to 2099"):
        put(expiration=expiration)
    with pytest.raises(ValidationError, match=r"^expiration must be from"):
        CorrectTrade(expiration=expiration)


def test_the_latest_expiration_is_five_years_after_today() -> None:
    assert latest_expiration(date(2026, 11, 24)) == date(2031, 11, 24)
    assert latest_expiration(date(2028, 2, 29)) == date(2033, 2, 28)


async def test_an_expiration_more_than_five_years_ahead_is_refused_by_the_use_cases() -> None:
    service = WheelService(InMemoryUnitOfWorkFactory(), FakeClock(NOW))
    wheel = await service.open_wheel(OpenWheel(symbol="AAPL", capital=D(100_000)))
    with pytest.raises(ValidationError, match=r"^expiration must be at most 5 years ahead"):
        await service.record_trade(wheel.id, put(expiration=date(2031, 11, 25)))
    trade = await service.record_trade(wheel.id, put(expiration=date(2031, 11, 24)))
    with pytest.raises(ValidationError, match=r"^expiration must be at most 5 years ahead"):
        await service.correct_trade(trade.id, CorrectTrade(expiration=date(2035, 1, 19)))
    with pytest.raises(ValidationError, match=r"^expiration must be at most 5 years ahead"):
        await service.roll_trade(
            trade.id,
            RollTrade(close_price=D(1), strike=D(90), expiration=date(2040, 1, 20), premium=D(1)),
        )


# ── names and text ────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        ("\x00", "not contain control characters"),
        ("\x00\x00\x00", "not contain control characters"),
        ("main\x00", "not contain control characters"),
        ("a\tb", "not contain control characters"),
        ("\x1b[31mred", "not contain control characters"),
        ("\u200b", "contain a visible character"),
        ("\u200b\u200c\u200d\u2060\ufeff", "contain a visible character"),
        ("\u00a0\u3000", "not be empty"),
    ],
)
def test_a_name_must_show_something_and_hold_no_control_character(name: str, refusal: str) -> None:
    with pytest.raises(ValidationError, match=f"^name must {refusal}"):
        CreatePortfolio(name=name)
    with pytest.raises(ValidationError, match=f"^name must {refusal}"):
        UpdatePortfolio(name=name)


@pytest.mark.parametrize("name", ["Roth IRA", "Ünïcødé", "年金", "e\u0301", "$"])
def test_names_in_any_script_are_taken(name: str) -> None:
    assert CreatePortfolio(name=name).name == name


def test_free_text_may_break_lines_but_holds_no_other_control_character() -> None:
    CreatePortfolio(name="p", description="line one\nline two\ttabbed")
    AddToWatchlist(symbol="AAPL", note="earnings\r\nsoon")
    with pytest.raises(ValidationError, match=r"^description must not contain control"):
        CreatePortfolio(name="p", description="nul\x00")
    with pytest.raises(ValidationError, match=r"^note must not contain control"):
        AddToWatchlist(symbol="AAPL", note="bell\x07")
    with pytest.raises(ValidationError, match=r"^key must contain a visible character"):
        RaiseAlert(kind="earnings", key="\u200b", message="m")
    with pytest.raises(ValidationError, match=r"^message must not contain control"):
        RaiseAlert(kind="earnings", key="k", message="m\x00")
