"""What callers ask the core to do: one msgspec Struct per use case input.

These are the request bodies of the HTTP API and what the CLI builds from its
flags. ``__post_init__`` refuses values that can never be valid, so a bad body
fails at decoding with the field named, before any use case runs. Fields that
are ``None`` in an update mean "leave as is".
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from wheel_core.domain.checks import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_AMOUNT,
    MAX_DECIMAL_PLACES,
    MAX_ID,
    SYMBOL_PATTERN,
    aware,
    entered_amount,
    in_date_range,
    no_control_characters,
    non_negative,
    normalize_symbol,
    positive,
    positive_int,
    record_id,
    visible_name,
)
from wheel_core.domain.enums import OptionType, RiskLevel, RiskProfile
from wheel_core.domain.errors import ValidationError
from wheel_core.domain.money import ZERO
from wheel_core.domain.rules import MAX_EXPIRATION_YEARS

# Field types that carry their bounds into the JSON schema. msgspec enforces the
# ``Meta`` constraints of ints and strings when decoding; it cannot bound a Decimal
# or a date, so those bounds are schema text and ``__post_init__`` enforces them.
_PLACES = f"at most {MAX_DECIMAL_PLACES} decimal places"
_STEP = float(Decimal(1).scaleb(-MAX_DECIMAL_PLACES))
Amount = Annotated[
    Decimal,
    msgspec.Meta(
        description=f"0 or more, at most {int(MAX_AMOUNT)}, {_PLACES}.",
        extra_json_schema={"minimum": 0, "maximum": int(MAX_AMOUNT), "multipleOf": _STEP},
    ),
]
PositiveAmount = Annotated[
    Decimal,
    msgspec.Meta(
        description=f"More than 0, at most {int(MAX_AMOUNT)}, {_PLACES}.",
        extra_json_schema={
            "exclusiveMinimum": 0,
            "maximum": int(MAX_AMOUNT),
            "multipleOf": _STEP,
        },
    ),
]
Contracts = Annotated[int, msgspec.Meta(ge=1, le=100_000)]
Shares = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]
"""Multiples of 100 are checked by the wheel rules, not here."""
NAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
"""For the schema: no control character, something besides spaces. The core also
refuses names of invisible characters only (zero-width spaces), which no portable
pattern can say."""
Name = Annotated[
    str,
    msgspec.Meta(
        pattern=r"\S",
        max_length=200,
        description="At least one visible character; no control characters.",
        extra_json_schema={"pattern": NAME_PATTERN},
    ),
]
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
"""For the schema: free text holds no control character but tabs and line breaks."""
Text = Annotated[
    str,
    msgspec.Meta(
        max_length=2000,
        description="Free text: no control characters but tabs and line breaks.",
        extra_json_schema={"pattern": TEXT_PATTERN},
    ),
]
Symbol = Annotated[str, msgspec.Meta(pattern=SYMBOL_PATTERN)]
Instant = Annotated[
    datetime,
    msgspec.Meta(
        tz=True,
        description=(
            "With a timezone; from 1970-01-01T00:00:00Z up to (not including) 2100-01-01T00:00:00Z."
        ),
        extra_json_schema={"pattern": r"^(19[7-9][0-9]|20[0-9][0-9])-"},
    ),
]
Expiration = Annotated[
    date,
    msgspec.Meta(
        description=(
            f"From {EARLIEST_DATE} to {LATEST_DATE}, and at most {MAX_EXPIRATION_YEARS} "
            "years after today (longer than any listed LEAPS)."
        ),
        extra_json_schema={"pattern": r"^(19[7-9][0-9]|20[0-9][0-9])-"},
    ),
]
Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]


def _amount(command: msgspec.Struct, field: str, *, above_zero: bool = False) -> None:
    """Check an amount or price field (if given) and keep its canonical form: see
    :func:`~wheel_core.domain.checks.entered_amount`. A command is frozen; this runs in
    ``__post_init__``, before anyone holds it."""
    value = getattr(command, field)
    if value is None:
        return
    (positive if above_zero else non_negative)(value, field)
    msgspec.structs.force_setattr(command, field, entered_amount(value, field))


class CreatePortfolio(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    description: Text = ""
    capital: Amount = ZERO
    is_default: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("name must not be empty")
        visible_name(self.name, "name")
        no_control_characters(self.description, "description", line_breaks=True)
        _amount(self, "capital")


class UpdatePortfolio(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name | None = None
    description: Text | None = None
    capital: Amount | None = None
    is_default: bool | None = None

    def __post_init__(self) -> None:
        if self.name is not None:
            if not self.name.strip():
                raise ValidationError("name must not be empty")
            visible_name(self.name, "name")
        if self.description is not None:
            no_control_characters(self.description, "description", line_breaks=True)
        _amount(self, "capital")


class OpenWheel(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Start wheeling a symbol; with ``shares`` it starts from shares already owned."""

    symbol: Symbol
    portfolio_id: Id | None = None
    """``None`` opens the wheel in the default portfolio."""
    profile: RiskProfile = RiskProfile.MODERATE
    capital: Amount = ZERO
    shares: Shares = 0
    cost_basis: PositiveAmount | None = None
    opened_at: Instant | None = None

    def __post_init__(self) -> None:
        normalize_symbol(self.symbol)
        if self.portfolio_id is not None:
            record_id(self.portfolio_id, "portfolio_id")
        _amount(self, "capital")
        aware(self.opened_at, "opened_at")
        if self.shares < 0:
            raise ValidationError(f"shares must be 0 or more, got {self.shares}")
        if self.shares and self.cost_basis is None:
            raise ValidationError("cost_basis is required when starting with shares")
        _amount(self, "cost_basis", above_zero=True)


class UpdateWheel(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    profile: RiskProfile | None = None
    capital: Amount | None = None

    def __post_init__(self) -> None:
        _amount(self, "capital")


class RecordTrade(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Sell a put (idle wheel) or a covered call (wheel holding shares)."""

    option_type: OptionType
    strike: PositiveAmount
    expiration: Expiration
    premium: Amount
    """Per share, as quoted."""
    contracts: Contracts = 1
    fees: Amount = ZERO
    opened_at: Instant | None = None
    """Defaults to now; give a past time to backfill history."""
    allow_exceeding_capital: bool = False
    """Sell a put whose collateral exceeds the wheel's capital (not cash-secured)."""

    def __post_init__(self) -> None:
        _amount(self, "strike", above_zero=True)
        in_date_range(self.expiration, "expiration")
        _amount(self, "premium")
        positive_int(self.contracts, "contracts")
        _amount(self, "fees")
        aware(self.opened_at, "opened_at")


class ExpireTrade(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The option reached expiration; the underlying's price decides the outcome."""

    price_at_expiry: PositiveAmount
    assigned: bool | None = None
    """Required when the price equals the strike; otherwise it overrides the price's verdict."""
    at: Instant | None = None

    def __post_init__(self) -> None:
        _amount(self, "price_at_expiry", above_zero=True)
        aware(self.at, "at")


class CloseTrade(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Buy the option back before expiry."""

    price: Amount
    """Buy-back price per share."""
    fees: Amount = ZERO
    at: Instant | None = None

    def __post_init__(self) -> None:
        _amount(self, "price")
        _amount(self, "fees")
        aware(self.at, "at")


class AssignTrade(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Early assignment (put) or early call-away (call), recorded as its own event."""

    at: Instant | None = None
    price: PositiveAmount | None = None
    """The underlying's price at assignment, kept for the record."""

    def __post_init__(self) -> None:
        aware(self.at, "at")
        _amount(self, "price", above_zero=True)


class RollTrade(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Buy the open option back and sell a new one of the same type, as one step."""

    close_price: Amount
    strike: PositiveAmount
    expiration: Expiration
    premium: Amount
    contracts: Contracts | None = None
    """Defaults to the closed leg's contracts."""
    close_fees: Amount = ZERO
    fees: Amount = ZERO
    at: Instant | None = None
    allow_exceeding_capital: bool = False

    def __post_init__(self) -> None:
        _amount(self, "close_price")
        _amount(self, "strike", above_zero=True)
        in_date_range(self.expiration, "expiration")
        _amount(self, "premium")
        if self.contracts is not None:
            positive_int(self.contracts, "contracts")
        _amount(self, "close_fees")
        _amount(self, "fees")
        aware(self.at, "at")


class CorrectTrade(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Fix a typo in a recorded trade; refused if the corrected history would not replay."""

    strike: PositiveAmount | None = None
    expiration: Expiration | None = None
    premium: Amount | None = None
    contracts: Contracts | None = None
    fees: Amount | None = None
    opened_at: Instant | None = None
    closed_at: Instant | None = None
    close_price: Amount | None = None
    price_at_expiry: PositiveAmount | None = None

    def __post_init__(self) -> None:
        _amount(self, "strike", above_zero=True)
        in_date_range(self.expiration, "expiration")
        _amount(self, "premium")
        if self.contracts is not None:
            positive_int(self.contracts, "contracts")
        _amount(self, "fees")
        _amount(self, "close_price")
        _amount(self, "price_at_expiry", above_zero=True)
        aware(self.opened_at, "opened_at")
        aware(self.closed_at, "closed_at")


class ImportShares(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Bring shares already owned into an idle wheel, with their purchase cost."""

    shares: Annotated[int, msgspec.Meta(ge=1, le=10_000_000)]
    cost_basis: PositiveAmount
    at: Instant | None = None

    def __post_init__(self) -> None:
        positive_int(self.shares, "shares")
        _amount(self, "cost_basis", above_zero=True)
        aware(self.at, "at")


class SellShares(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Sell the whole share holding, ending the wheel's cycle."""

    price: PositiveAmount
    fees: Amount = ZERO
    at: Instant | None = None

    def __post_init__(self) -> None:
        _amount(self, "price", above_zero=True)
        _amount(self, "fees")
        aware(self.at, "at")


AlertKindText = Annotated[
    str, msgspec.Meta(pattern=r"\S", max_length=40, extra_json_schema={"pattern": NAME_PATTERN})
]
"""``itm``, ``risk``, ``expiry`` from the risk monitor; a plugin's name for its alerts."""
AlertKey = Annotated[
    str, msgspec.Meta(pattern=r"\S", max_length=200, extra_json_schema={"pattern": NAME_PATTERN})
]
Note = Annotated[str, msgspec.Meta(max_length=500, extra_json_schema={"pattern": TEXT_PATTERN})]


class RaiseAlert(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An alert a plugin (or anything outside the risk monitor) wants stored and delivered.

    ``key`` names the condition, e.g. ``earnings:trade:42``: an alert whose key is
    already stored is not raised again, so a plugin may run every few minutes and
    still tell the trader once.
    """

    kind: AlertKindText
    key: AlertKey
    message: Annotated[
        str,
        msgspec.Meta(
            pattern=r"\S",
            max_length=2000,
            extra_json_schema={
                "pattern": TEXT_PATTERN.removesuffix("*$")
                + r"*[^\s\x00-\x1f\x7f-\x9f]"
                + TEXT_PATTERN.removeprefix("^")
            },
        ),
    ]
    level: RiskLevel = RiskLevel.MEDIUM
    wheel_id: Id | None = None
    trade_id: Id | None = None

    def __post_init__(self) -> None:
        # msgspec enforces the Meta bounds when decoding a body; a plugin builds this in
        # Python, so the bounds the database relies on are checked here too.
        if not self.kind.strip() or len(self.kind) > 40:
            raise ValidationError(
                f"kind must be 1-40 characters, not only spaces, got {self.kind!r}"
            )
        if not self.key.strip() or len(self.key) > 200:
            raise ValidationError("key must be 1-200 characters, not only spaces")
        if not self.message.strip() or len(self.message) > 2000:
            raise ValidationError("message must be 1-2000 characters, not only spaces")
        visible_name(self.kind, "kind")
        visible_name(self.key, "key")
        no_control_characters(self.message, "message", line_breaks=True)
        for field in ("wheel_id", "trade_id"):
            value = getattr(self, field)
            if value is not None:
                record_id(value, field)


class AddToWatchlist(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Watch a symbol: the opportunity scan recommends puts on it with the default profile."""

    symbol: Symbol
    note: Note = ""

    def __post_init__(self) -> None:
        normalize_symbol(self.symbol)
        if len(self.note) > 500:
            raise ValidationError(f"note must be at most 500 characters, got {len(self.note)}")
        no_control_characters(self.note, "note", line_breaks=True)
