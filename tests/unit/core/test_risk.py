"""Position risk: moneyness, ITM, days to expiry and the risk level a trader sees."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import msgspec
import pytest

from wheel_core.domain.entities import Trade
from wheel_core.domain.enums import OptionType, Outcome, RiskLevel
from wheel_core.domain.errors import ValidationError
from wheel_core.risk import (
    RiskThresholds,
    assess,
    is_itm,
    moneyness_pct,
    risk_level,
)

PUT, CALL = OptionType.PUT, OptionType.CALL
D = Decimal


def put_trade(strike: str = "100", expiration: date = date(2026, 1, 16)) -> Trade:
    return Trade(
        id=7,
        wheel_id=1,
        symbol="AAPL",
        option_type=PUT,
        strike=D(strike),
        expiration=expiration,
        premium=D("2.00"),
        contracts=3,
        opened_at=datetime(2026, 1, 2, 15, 0, tzinfo=UTC),
    )


class TestInTheMoney:
    def test_a_put_is_itm_when_the_price_is_below_the_strike(self) -> None:
        assert is_itm(PUT, D(100), D("99.99"))
        assert not is_itm(PUT, D(100), D("100.01"))

    def test_a_call_is_itm_when_the_price_is_above_the_strike(self) -> None:
        assert is_itm(CALL, D(105), D("105.01"))
        assert not is_itm(CALL, D(105), D("104.99"))

    @pytest.mark.parametrize("option_type", [PUT, CALL])
    def test_exactly_at_the_strike_is_not_itm(self, option_type: OptionType) -> None:
        assert not is_itm(option_type, D(100), D(100))


class TestMoneyness:
    def test_put_ten_percent_above_its_strike_is_ten_percent_otm(self) -> None:
        assert moneyness_pct(PUT, D(100), D(110)) == D("10.00")

    def test_put_below_its_strike_is_negative(self) -> None:
        assert moneyness_pct(PUT, D(100), D(95)) == D("-5.00")

    def test_call_below_its_strike_is_otm(self) -> None:
        # (105 − 100) / 105 = 4.7619…%: the strike is the denominator.
        assert moneyness_pct(CALL, D(105), D(100)) == D("4.76")

    def test_call_above_its_strike_is_negative(self) -> None:
        assert moneyness_pct(CALL, D(100), D(110)) == D("-10.00")

    def test_is_reported_to_two_decimals_half_up(self) -> None:
        assert moneyness_pct(PUT, D(100), D("105.005")) == D("5.01")
        assert moneyness_pct(PUT, D(100), D("105.004")) == D("5.00")
        assert str(moneyness_pct(PUT, D(100), D(110))) == "10.00"

    def test_a_hair_itm_prints_as_zero_not_minus_zero(self) -> None:
        assert str(moneyness_pct(PUT, D(100), D("99.999"))) == "0.00"

    def test_a_zero_strike_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="strike"):
            moneyness_pct(PUT, D(0), D(10))


class TestRiskLevel:
    def test_itm_is_high(self) -> None:
        assert risk_level(PUT, D(100), D("99.99")) is RiskLevel.HIGH
        assert risk_level(CALL, D(100), D("100.01")) is RiskLevel.HIGH

    def test_at_the_strike_is_medium(self) -> None:
        assert risk_level(PUT, D(100), D(100)) is RiskLevel.MEDIUM

    def test_otm_by_exactly_five_percent_is_medium(self) -> None:
        assert risk_level(PUT, D(100), D(105)) is RiskLevel.MEDIUM
        assert risk_level(CALL, D(100), D(95)) is RiskLevel.MEDIUM

    def test_otm_by_more_than_five_percent_is_low(self) -> None:
        assert risk_level(PUT, D(100), D("105.01")) is RiskLevel.LOW
        assert risk_level(CALL, D(100), D("94.99")) is RiskLevel.LOW

    def test_the_band_is_judged_on_the_moneyness_as_printed(self) -> None:
        # 5.004 % prints as 5.00 %, so it is MEDIUM like the number beside it.
        assert risk_level(PUT, D(100), D("105.004")) is RiskLevel.MEDIUM
        assert risk_level(PUT, D(100), D("105.005")) is RiskLevel.LOW

    def test_a_hair_itm_is_high_although_it_prints_as_zero(self) -> None:
        assert risk_level(PUT, D(100), D("99.999")) is RiskLevel.HIGH

    def test_the_band_is_a_setting(self) -> None:
        wide = RiskThresholds(medium_within_pct=D(10))
        assert risk_level(PUT, D(100), D(108), wide) is RiskLevel.MEDIUM
        assert risk_level(PUT, D(100), D(108)) is RiskLevel.LOW


class TestThresholds:
    def test_defaults(self) -> None:
        limits = RiskThresholds()
        assert limits.medium_within_pct == D(5)
        assert limits.expiry_warning_trading_days == 2

    def test_negative_settings_are_refused_when_decoded(self) -> None:
        with pytest.raises(msgspec.ValidationError, match="medium_within_pct"):
            msgspec.convert({"medium_within_pct": "-1"}, RiskThresholds)
        with pytest.raises(msgspec.ValidationError, match="expiry_warning_trading_days"):
            msgspec.convert({"expiry_warning_trading_days": -1}, RiskThresholds)


class TestAssess:
    def test_reports_every_figure_of_an_open_put(self) -> None:
        risk = assess(put_trade(), D("102.50"), today=date(2026, 1, 9), trading_dte=5)
        assert risk.trade_id == 7
        assert risk.symbol == "AAPL"
        assert risk.moneyness_pct == D("2.50")
        assert not risk.is_itm
        assert risk.dte_calendar == 7
        assert risk.dte_trading == 5
        assert risk.risk_level is RiskLevel.MEDIUM
        assert not risk.near_expiry
        assert not risk.past_expiration

    def test_near_expiry_within_two_trading_days(self) -> None:
        trade = put_trade()
        assert assess(trade, D(120), date(2026, 1, 14), trading_dte=2).near_expiry
        assert not assess(trade, D(120), date(2026, 1, 13), trading_dte=3).near_expiry

    def test_expiration_day_has_zero_days_left(self) -> None:
        risk = assess(put_trade(), D(120), date(2026, 1, 16), trading_dte=0)
        assert (risk.dte_calendar, risk.dte_trading) == (0, 0)
        assert risk.near_expiry
        assert not risk.past_expiration

    def test_past_expiration_floors_days_at_zero_and_says_so(self) -> None:
        risk = assess(put_trade(), D(120), date(2026, 1, 19), trading_dte=-1)
        assert (risk.dte_calendar, risk.dte_trading) == (0, 0)
        assert risk.past_expiration

    def test_itm_put_is_high_risk(self) -> None:
        risk = assess(put_trade(), D(95), date(2026, 1, 9), trading_dte=5)
        assert risk.is_itm
        assert risk.moneyness_pct == D("-5.00")
        assert risk.risk_level is RiskLevel.HIGH

    def test_uses_the_given_thresholds(self) -> None:
        limits = RiskThresholds(medium_within_pct=D(1), expiry_warning_trading_days=5)
        risk = assess(put_trade(), D("102.50"), date(2026, 1, 9), trading_dte=5, thresholds=limits)
        assert risk.risk_level is RiskLevel.LOW
        assert risk.near_expiry

    def test_a_closed_trade_has_no_risk(self) -> None:
        closed = msgspec.structs.replace(
            put_trade(),
            outcome=Outcome.EXPIRED_WORTHLESS,
            closed_at=datetime(2026, 1, 16, 21, 0, tzinfo=UTC),
        )
        with pytest.raises(ValidationError, match="closed"):
            assess(closed, D(120), date(2026, 1, 16), trading_dte=0)
