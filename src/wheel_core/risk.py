"""How close an open option is to being exercised, and how soon it expires.

Formulas (DESIGN §4, position status):

* **In the money**: a put when price < strike, a call when price > strike.
  Exactly at the strike neither is ITM — the outcome at expiry is ambiguous
  and the user states it — so the position is shown as at the money, OTM by 0 %.
* **Moneyness %**, signed so that positive means out of the money::

      put:  (price − strike) / strike × 100
      call: (strike − price) / strike × 100

  The denominator is the strike for both: it is the fixed number of the
  contract (the price moves), so the same trade keeps the same yardstick day
  after day, and "5 % OTM" reads as "the stock can fall (put) or rise (call)
  5 % of the strike before the option is ITM". Reported to 0.01 percentage
  points, half up, never as ``-0.00``.
* **Risk level**: HIGH when ITM; MEDIUM when OTM by 0 % up to and including
  ``medium_within_pct`` (default 5); LOW when OTM by more. The OTM band is
  judged on the moneyness as reported (two decimals), so the level a trader
  sees always agrees with the percentage printed beside it: 5.00 % is MEDIUM,
  5.01 % is LOW. ITM is judged on the exact prices, so a put 0.001 below its
  strike is HIGH even though its moneyness prints as 0.00.
* **Days to expiry**: calendar DTE is ``expiration − today`` in days; trading
  DTE is counted by the caller from the market calendar (the core has no
  calendar of its own). Both are floored at 0: they mean "days left to act",
  and a position past its expiration has none — ``past_expiration`` says that
  its outcome is waiting to be recorded.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import msgspec

from wheel_core.domain.checks import non_negative, positive
from wheel_core.domain.entities import Trade
from wheel_core.domain.enums import OptionType, RiskLevel
from wheel_core.domain.errors import ValidationError

_HUNDRED = Decimal(100)
_PCT_STEP = Decimal("0.01")


class RiskThresholds(msgspec.Struct, frozen=True, kw_only=True):
    """The user's settings for when a position deserves attention."""

    medium_within_pct: Decimal = Decimal(5)
    """A position OTM by at most this many percent (inclusive) is MEDIUM risk."""
    expiry_warning_trading_days: int = 2
    """A position with at most this many trading days left is flagged near expiry."""

    def __post_init__(self) -> None:
        non_negative(self.medium_within_pct, "medium_within_pct")
        if self.expiry_warning_trading_days < 0:
            raise ValidationError(
                "expiry_warning_trading_days must be 0 or more, "
                f"got {self.expiry_warning_trading_days}"
            )


class PositionRisk(msgspec.Struct, frozen=True, kw_only=True):
    """An open option's standing against the current price of its underlying.

    Field names match :class:`~wheel_core.domain.entities.Snapshot`, which
    stores the same figures each day.
    """

    trade_id: int | None
    symbol: str
    option_type: OptionType
    strike: Decimal
    expiration: date
    current_price: Decimal
    moneyness_pct: Decimal
    is_itm: bool
    dte_calendar: int
    dte_trading: int
    risk_level: RiskLevel
    near_expiry: bool
    past_expiration: bool


def is_itm(option_type: OptionType, strike: Decimal, price: Decimal) -> bool:
    if option_type is OptionType.PUT:
        return price < strike
    return price > strike


def moneyness_pct(option_type: OptionType, strike: Decimal, price: Decimal) -> Decimal:
    """Signed distance from the strike in percent of the strike; positive = OTM."""
    positive(strike, "strike")
    distance = price - strike if option_type is OptionType.PUT else strike - price
    pct = (distance * _HUNDRED / strike).quantize(_PCT_STEP, rounding=ROUND_HALF_UP)
    return pct.copy_abs() if pct.is_zero() else pct


def risk_level(
    option_type: OptionType,
    strike: Decimal,
    price: Decimal,
    thresholds: RiskThresholds | None = None,
) -> RiskLevel:
    if is_itm(option_type, strike, price):
        return RiskLevel.HIGH
    limit = (thresholds or RiskThresholds()).medium_within_pct
    if moneyness_pct(option_type, strike, price) <= limit:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def assess(
    trade: Trade,
    price: Decimal,
    today: date,
    trading_dte: int,
    thresholds: RiskThresholds | None = None,
) -> PositionRisk:
    """Risk of an open trade at ``price`` on ``today``.

    A closed trade is refused: its risk is over, and a figure for it would
    only mislead a monitor or a snapshot.
    """
    if not trade.is_open:
        raise ValidationError(f"trade {trade.id} is closed; only an open option has a risk")
    positive(price, "price")
    limits = thresholds or RiskThresholds()
    days_left = (trade.expiration - today).days
    dte_trading = max(trading_dte, 0)
    return PositionRisk(
        trade_id=trade.id,
        symbol=trade.symbol,
        option_type=trade.option_type,
        strike=trade.strike,
        expiration=trade.expiration,
        current_price=price,
        moneyness_pct=moneyness_pct(trade.option_type, trade.strike, price),
        is_itm=is_itm(trade.option_type, trade.strike, price),
        dte_calendar=max(days_left, 0),
        dte_trading=dte_trading,
        risk_level=risk_level(trade.option_type, trade.strike, price, limits),
        near_expiry=dte_trading <= limits.expiry_warning_trading_days,
        past_expiration=days_left < 0,
    )
