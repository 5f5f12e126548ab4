"""Recommendations: the next option to sell on a wheel, and why."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text

from adapters.cli.tables import (
    day,
    money,
    new_table,
    percent,
)
from wheel_core.app.views import (
    WheelRecommendation,
)


def recommendations_view(results: list[WheelRecommendation]) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for result in results:
        parts += recommendation_view(result)
    return parts


def recommendation_view(result: WheelRecommendation) -> list[RenderableType]:
    if result.error is not None or result.recommendation is None or result.state is None:
        # A wheel that no longer exists has no symbol: its id names it.
        return [Text(f"{result.symbol or f'wheel {result.wheel_id}'}: {result.error}", style="red")]
    rec = result.recommendation
    low, high = rec.sigma_band
    head = (
        f"{result.symbol} ({result.state.value}): sell {rec.option_type.value}s, "
        f"{rec.profile.value} {low}–{high}σ, spot {money(rec.spot)}, "
        f"volatility {percent(rec.volatility)} ({rec.volatility_method})"
    )
    parts: list[RenderableType] = [head]
    if rec.refusal is not None:
        parts.append(Text(f"  no recommendation: {rec.refusal.message}", style="yellow"))
    if rec.candidates:
        table = new_table(
            None,
            "Strike",
            "Expiration",
            "DTE",
            "Premium",
            "P(ITM)",
            "Delta",
            "Yield/yr",
            "Contracts",
            "Total",
            "Warnings",
            money_columns=[
                "Strike",
                "DTE",
                "Premium",
                "P(ITM)",
                "Delta",
                "Yield/yr",
                "Contracts",
                "Total",
            ],
        )
        for c in rec.candidates:
            table.add_row(
                money(c.strike),
                day(c.expiration),
                str(c.dte),
                money(c.premium),
                percent(c.probability_itm),
                f"{c.delta:.2f}",
                percent(c.annualized_yield),
                str(c.contracts),
                money(c.total_premium),
                "; ".join(w.message for w in c.warnings),
            )
        parts.append(table)
    elif rec.refusal is None:
        why = ", ".join(f"{rule}: {count}" for rule, count in rec.rejections.items() if count)
        parts.append(
            f"  no strike passed the filters ({rec.considered} considered; {why or 'none listed'})"
        )
    parts += [f"  note: {note}" for note in rec.notes]
    return parts
