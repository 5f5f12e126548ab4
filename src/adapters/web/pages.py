"""The dashboard's pages: the overview (``/``) and one wheel (``/wheels/{id}``).

Each page reads only through the facade. The overview's body is also served alone
(``/partials/overview``) so HTMX can refresh it in place while the market is open.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.datastructures import State
from litestar.response import Template

from adapters.web.facade import Facade
from adapters.web.status import status_line
from wheel_core.domain.entities import Portfolio
from wheel_core.domain.enums import RiskLevel, RiskProfile
from wheel_core.ports import AlertQuery

REFRESH_SECONDS = 30
"""How often the overview refreshes itself while the market is open."""
ALERTS_SHOWN = 10


class Pages(Controller):
    @get("/")
    async def overview(
        self, service: Facade, state: State, portfolio: int | None = None
    ) -> Template:
        return Template("overview.html", context=await _overview(service, state, portfolio))

    @get("/partials/overview")
    async def overview_body(
        self, service: Facade, state: State, portfolio: int | None = None
    ) -> Template:
        return Template("_overview_body.html", context=await _overview(service, state, portfolio))

    @get("/wheels/{wheel_id:int}")
    async def wheel(self, service: Facade, wheel_id: int) -> Template:
        return Template("wheel.html", context=await wheel_context(service, wheel_id))


def _chosen(portfolios: list[Portfolio], wanted: int | None) -> Portfolio | None:
    """The portfolio asked for, else the default one, else the first (a GET writes nothing,
    so no default portfolio is created here)."""
    for portfolio in portfolios:
        if portfolio.id == wanted:
            return portfolio
    defaults = [p for p in portfolios if p.is_default]
    return next(iter(defaults or portfolios), None)


async def _overview(service: Facade, state: State, wanted: int | None) -> dict[str, Any]:
    portfolios = await service.list_portfolios()
    chosen = _chosen(portfolios, wanted)
    summary = positions = None
    alerts: list[Any] = []
    premiums: dict[int, Any] = {}
    if chosen is not None and chosen.id is not None:
        summary = await service.portfolio_summary(chosen.id)
        positions = await service.positions(portfolio_id=chosen.id)
        wheels = await service.list_wheels(portfolio_id=chosen.id)
        premiums = {w.id: w.open_trade.total_premium for w in wheels if w.open_trade}
        unread = await service.list_alerts(AlertQuery(acknowledged=False))
        ids = set(premiums) | {w.id for w in wheels}
        alerts = [a for a in unread.items if a.wheel_id is None or a.wheel_id in ids]
    rows = positions.positions if positions else []
    return {
        "portfolios": portfolios,
        "chosen": chosen,
        "summary": summary,
        "positions": rows,
        "premiums": premiums,
        "failures": positions.failures if positions else [],
        "at_risk": sum(1 for p in rows if p.risk_level is RiskLevel.HIGH),
        "open_positions": sum(1 for p in rows if p.option is not None or p.shares),
        "alerts": alerts[:ALERTS_SHOWN],
        "status": await status_line(state, rows),
        "refresh_seconds": REFRESH_SECONDS,
        "profiles": list(RiskProfile),
    }


async def wheel_context(service: Facade, wheel_id: int, **extra: Any) -> dict[str, Any]:
    """What the wheel page shows; ``extra`` carries a refused form's message and values."""
    history = await service.wheel_history(wheel_id)
    wheel = history.wheel
    position = await service.position_status(wheel_id) if wheel.active else None
    return {
        "wheel": wheel,
        "history": history,
        "position": position,
        "form_error": None,
        "form": None,
        "values": {},
        **extra,
    }
