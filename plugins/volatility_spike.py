"""Built-in plugin: a symbol's volatility jumps — realized or implied.

A wheel's strikes were chosen for the volatility of the day it opened; when realized
volatility over the last weeks jumps past the weeks before, or the options' implied
volatility jumps past what the stock has realized, the position is riskier than it
was sold for. Realized volatility is close-to-close log returns, annualized over 252
sessions; implied is the chain's at-the-money IV at the nearest expiration. One alert
per symbol and day.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Annotated

import msgspec

from adapters.scheduler import JobSchedule, Plugin, PluginContext
from wheel_core.domain.enums import RiskLevel
from wheel_core.domain.rules import exchange_date
from wheel_core.market import OptionChain, PriceBar

SESSIONS_A_YEAR = 252


class VolatilitySpikeConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    window_days: Annotated[int, msgspec.Meta(ge=5, le=120)] = 20
    """Sessions in each realized-volatility window (recent vs the one before)."""
    jump_pct: Annotated[
        Decimal, msgspec.Meta(extra_json_schema={"exclusiveMinimum": 0, "maximum": 1000})
    ] = Decimal(50)
    """A spike: the recent volatility exceeds the reference by at least this %."""

    def __post_init__(self) -> None:
        if not self.jump_pct.is_finite():  # NaN cannot even be compared
            raise ValueError(f"jump_pct must be a finite number, got {self.jump_pct}")
        if not 0 < self.jump_pct <= 1000:
            raise ValueError(f"jump_pct must be above 0 and at most 1000, got {self.jump_pct}")


def realized(closes: Sequence[Decimal]) -> float | None:
    """Annualized close-to-close volatility; ``None`` with fewer than 3 closes."""
    if len(closes) < 3:
        return None
    returns = [math.log(b / a) for a, b in itertools.pairwise(closes) if a > 0]
    return statistics.stdev(returns) * math.sqrt(SESSIONS_A_YEAR) if len(returns) > 1 else None


def at_the_money_iv(chain: OptionChain) -> float | None:
    if not chain.expirations:
        return None
    nearest = chain.expirations[0]
    quoted = [o for o in chain.options if o.expiration == nearest and o.implied_volatility]
    if not quoted:
        return None
    closest = min(quoted, key=lambda o: abs(o.strike - chain.underlying_price))
    return closest.implied_volatility


class VolatilitySpike(Plugin[VolatilitySpikeConfig]):
    name = "volatility_spike"
    description = "Alert when realized or implied volatility jumps past a threshold."
    version = "1.0.0"
    schedule = JobSchedule(
        cron="30 10 * * mon-fri", timezone="America/New_York", only_when="trading_day"
    )
    config_schema = VolatilitySpikeConfig

    async def execute(self, context: PluginContext[VolatilitySpikeConfig]) -> str:
        config = context.config
        today = exchange_date(context.now())
        symbols = sorted({w.symbol for w in await context.service.list_wheels(active=True)})
        span = timedelta(days=config.window_days * 3 + 10)  # two windows of sessions

        async def history_and_chain(symbol: str) -> tuple[list[PriceBar], OptionChain]:
            bars = await context.market.get_price_history(symbol, today - span, today)
            return bars, await context.market.get_chain(symbol)

        raised = 0
        async for symbol, (bars, chain) in context.fetch_each(symbols, history_and_chain):
            closes = [bar.close for bar in sorted(bars, key=lambda b: b.day)]
            window = config.window_days
            recent = realized(closes[-(window + 1) :])
            before = realized(closes[-(2 * window + 1) : -window])
            implied = at_the_money_iv(chain)
            factor = 1 + float(config.jump_pct) / 100
            reasons = []
            if recent is not None and before and recent >= before * factor:
                reasons.append(
                    f"realized {recent:.0%} vs {before:.0%} the {window} sessions before"
                )
            if implied is not None and recent and implied >= recent * factor:
                reasons.append(f"implied {implied:.0%} vs realized {recent:.0%}")
            if reasons:
                alert = await context.raise_alert(
                    key=f"volatility_spike:{symbol}:{today.isoformat()}",
                    message=f"{symbol}: volatility spike — {'; '.join(reasons)}",
                    level=RiskLevel.MEDIUM,
                )
                raised += alert is not None
        return f"checked {len(symbols)} symbols, {raised} spikes"
