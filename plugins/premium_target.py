"""Built-in plugin: an open option can be bought back for at most X % of its premium.

Most of a short option's premium is earned early; once it costs little to close, the
rest is small reward for the risk that remains, and closing frees the collateral for
the next trade. The buy-back price is the chain's mid; each trade is alerted once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec

from adapters.scheduler import JobSchedule, Plugin, PluginContext
from wheel_core.app.views import WheelView
from wheel_core.domain.enums import RiskLevel
from wheel_core.market import OptionChain


class PremiumTargetConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    target_pct: Annotated[
        Decimal, msgspec.Meta(extra_json_schema={"exclusiveMinimum": 0, "maximum": 100})
    ] = Decimal(50)
    """Alert when the mid is at most this % of the premium received per share."""

    def __post_init__(self) -> None:
        if not self.target_pct.is_finite():  # NaN cannot even be compared
            raise ValueError(f"target_pct must be a finite number, got {self.target_pct}")
        if not 0 < self.target_pct <= 100:
            raise ValueError(f"target_pct must be above 0 and at most 100, got {self.target_pct}")


class PremiumTarget(Plugin[PremiumTargetConfig]):
    name = "premium_target"
    description = "Alert when an open option can be bought back for ≤ target % of its premium."
    version = "1.0.0"
    schedule = JobSchedule(interval_minutes=30, only_when="market_open")
    config_schema = PremiumTargetConfig

    async def execute(self, context: PluginContext[PremiumTargetConfig]) -> str:
        target = context.config.target_pct
        wheels = [w for w in await context.service.list_wheels(active=True) if w.open_trade]
        raised = 0
        async for wheel, chain in context.fetch_each(wheels, lambda w: _chain(context, w)):
            trade = wheel.open_trade
            assert trade is not None
            listed = [
                o
                for o in chain.options
                if o.option_type == trade.option_type
                and o.strike == trade.strike
                and o.expiration == trade.expiration
            ]
            if not listed or trade.premium <= 0:
                continue
            mid = listed[0].mid
            if mid <= trade.premium * target / 100:
                share = (mid / trade.premium * 100).quantize(Decimal("0.1"))
                alert = await context.raise_alert(
                    key=f"premium_target:trade:{trade.id}",
                    message=(
                        f"{wheel.symbol} {trade.strike} {trade.option_type.value} "
                        f"{trade.expiration.isoformat()}: buy back at {mid:.2f}, {share}% of "
                        f"the {trade.premium} premium (target {target}%)"
                    ),
                    level=RiskLevel.LOW,
                    wheel_id=wheel.id,
                    trade_id=trade.id,
                )
                raised += alert is not None
        return f"checked {len(wheels)} open options, {raised} at target"


async def _chain(context: PluginContext[PremiumTargetConfig], wheel: WheelView) -> OptionChain:
    """The chain of the open option's expiration only: the one quote needed."""
    trade = wheel.open_trade
    assert trade is not None
    return await context.market.get_chain(
        wheel.symbol, from_date=trade.expiration, to_date=trade.expiration
    )
