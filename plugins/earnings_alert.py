"""Built-in plugin: an earnings date (or, for a covered call, an ex-dividend date) falls
before an open option's expiry.

Earnings move the underlying by more than its volatility says, so a short option held
through them carries a risk its premium may not pay for; an ex-dividend date before a
covered call's expiry invites early assignment. Each (trade, date) is alerted once.
"""

from __future__ import annotations

from datetime import date

import msgspec

from adapters.scheduler import JobSchedule, Plugin, PluginContext
from wheel_core.domain.enums import OptionType, RiskLevel
from wheel_core.domain.rules import exchange_date


class EarningsAlertConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    ex_dividends: bool = True
    """Also alert on an ex-dividend date before a covered call's expiry."""


class EarningsAlert(Plugin[EarningsAlertConfig]):
    name = "earnings_alert"
    description = "Alert when earnings (or a call's ex-dividend date) fall before expiry."
    version = "1.0.0"
    schedule = JobSchedule(
        cron="0 9 * * mon-fri", timezone="America/New_York", only_when="trading_day"
    )
    config_schema = EarningsAlertConfig

    async def execute(self, context: PluginContext[EarningsAlertConfig]) -> str:
        today = exchange_date(context.now())
        wheels = [w for w in await context.service.list_wheels(active=True) if w.open_trade]
        raised = 0
        fetches = context.fetch_each(wheels, lambda w: context.market.get_events(w.symbol))
        async for wheel, events in fetches:
            trade = wheel.open_trade
            assert trade is not None
            dates: list[tuple[str, date]] = [("earnings", d) for d in events.earnings]
            if context.config.ex_dividends and trade.option_type == OptionType.CALL:
                dates += [("ex-dividend", d) for d in events.ex_dividends]
            for what, day in dates:
                if today <= day <= trade.expiration:
                    alert = await context.raise_alert(
                        key=f"earnings:trade:{trade.id}:{what}:{day.isoformat()}",
                        message=(
                            f"{wheel.symbol}: {what} on {day.isoformat()}, before the "
                            f"{trade.strike} {trade.option_type.value} expiring "
                            f"{trade.expiration.isoformat()}"
                        ),
                        level=RiskLevel.MEDIUM,
                        wheel_id=wheel.id,
                        trade_id=trade.id,
                    )
                    raised += alert is not None
        return f"checked {len(wheels)} open options, {raised} new alerts" + (
            f", {fetches.failed} without market data" if fetches.failed else ""
        )
