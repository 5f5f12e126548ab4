"""Rules that apply to new events only.

Replay (:mod:`wheel_core.domain.lifecycle`) checks what every history must
satisfy. These checks are stricter and apply when a user records something
now: imported legacy rows that break them are kept as they are.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from wheel_core.domain.entities import Trade, Wheel
from wheel_core.domain.enums import OptionType, Outcome
from wheel_core.domain.errors import RuleViolationError, ValidationError
from wheel_core.domain.lifecycle import Holdings
from wheel_core.domain.money import CONTRACT_MULTIPLIER

EXCHANGE_TZ = ZoneInfo("America/New_York")
"""US equity options expire and are dated in exchange time."""

EXPIRY_TIME = time(16, 0)


def exchange_date(at: datetime) -> date:
    return at.astimezone(EXCHANGE_TZ).date()


def expiration_close(expiration: date) -> datetime:
    """The moment an option stops trading: 16:00 New York on its expiration date."""
    return datetime.combine(expiration, EXPIRY_TIME, tzinfo=EXCHANGE_TZ)


def check_new_trade(
    wheel: Wheel, holdings: Holdings, trade: Trade, *, allow_exceeding_capital: bool
) -> None:
    """A newly sold option: dated after the wheel's last event, expiring after it opens,
    and (for a put) cash-secured by the wheel's capital unless the user overrides."""
    if holdings.last_event_at is not None and trade.opened_at < holdings.last_event_at:
        raise RuleViolationError(
            f"a new trade cannot open before the wheel's last recorded event "
            f"({holdings.last_event_at.isoformat()})"
        )
    check_expiration(trade)
    if trade.option_type is OptionType.PUT and not allow_exceeding_capital:
        collateral = trade.strike * CONTRACT_MULTIPLIER * trade.contracts
        if collateral > wheel.capital:
            raise RuleViolationError(
                f"a cash-secured put needs {collateral} of collateral but the wheel has "
                f"{wheel.capital} of capital; raise the capital or allow exceeding it"
            )


def check_expiration(trade: Trade) -> None:
    """An option cannot expire before the day it was sold (in exchange time)."""
    if trade.expiration < exchange_date(trade.opened_at):
        raise ValidationError(
            f"expiration {trade.expiration} is before the trade opens "
            f"({exchange_date(trade.opened_at)})"
        )


MAX_EXPIRATION_YEARS = 5
"""How far ahead an option may expire. LEAPS are listed up to about three years out
(January expirations, added each autumn); five years leaves room for any listing and
still bounds what the calendar computes for a position (trading days to expiry)."""


def latest_expiration(today: date) -> date:
    """The last expiration a trade entered ``today`` may have (29 February → 28th)."""
    year = today.year + MAX_EXPIRATION_YEARS
    if (today.month, today.day) == (2, 29):
        return date(year, 2, 28)
    return today.replace(year=year)


def check_expiration_horizon(expiration: date, today: date) -> None:
    if expiration > latest_expiration(today):
        raise ValidationError(
            f"expiration must be at most {MAX_EXPIRATION_YEARS} years ahead "
            f"(on or before {latest_expiration(today)}), got {expiration}"
        )


def check_closing_time(trade: Trade, at: datetime) -> None:
    if at < trade.opened_at:
        raise ValidationError(
            f"trade {trade.id} cannot end before it opened ({trade.opened_at.isoformat()})"
        )


def expiry_outcome(trade: Trade, price: Decimal, assigned: bool | None) -> Outcome:
    """What expiry at ``price`` did to the option.

    A put is in the money below its strike, a call above it. Exactly at the
    strike the broker may or may not have exercised it, so the user must say.
    An explicit ``assigned`` wins over the price: the user has the statement.
    """
    itm = price < trade.strike if trade.option_type is OptionType.PUT else price > trade.strike
    if assigned is None:
        if price == trade.strike:
            raise ValidationError(
                f"the price {price} equals the strike: say whether the option was assigned "
                "(assigned=true/false)"
            )
        assigned = itm
    if not assigned:
        return Outcome.EXPIRED_WORTHLESS
    return Outcome.ASSIGNED if trade.option_type is OptionType.PUT else Outcome.CALLED_AWAY


def check_expiry_date(trade: Trade, at: datetime) -> None:
    if exchange_date(at) < trade.expiration:
        raise RuleViolationError(
            f"the option expires on {trade.expiration}; before then, close it or record an "
            "early assignment"
        )
