"""``wheel-strategy alerts``: what the risk monitor and the plugins raised, and acknowledging it."""

from __future__ import annotations

from typing import Annotated

from cyclopts import Parameter

from adapters.cli.monitoring_tables import alert_line, alerts_table, risk_scan_view
from adapters.cli.options import GlobalOptions, Globals
from adapters.cli.output import Output
from adapters.cli.runner import refuse_usage, run_with
from wheel_core.app.facade import WheelFacade
from wheel_core.app.views import Page, RiskScan
from wheel_core.domain.entities import Alert
from wheel_core.domain.enums import RiskLevel
from wheel_core.ports import AlertQuery


def alerts(
    *,
    ack: Annotated[
        int | None, Parameter(help="Acknowledge the alert with this ID (it stops showing).")
    ] = None,
    all_: Annotated[
        bool, Parameter(name="--all", help="Acknowledged alerts too, not only new ones.")
    ] = False,
    level: Annotated[
        RiskLevel | None, Parameter(help="Only alerts at this level or above.")
    ] = None,
    scan: Annotated[
        bool, Parameter(help="Run the risk monitor now and show only what it raised.")
    ] = False,
    limit: Annotated[int, Parameter(help="At most this many, newest first.")] = 50,
    options: Globals,
) -> None:
    """New alerts (ITM, risk level, near expiry, plugins), newest first; --ack ID
    acknowledges one.

    Example: `wheel-strategy alerts --level medium`, then `wheel-strategy alerts --ack 12`
    """
    if ack is not None and scan:
        refuse_usage("--ack and --scan are two commands: run them one after the other")
    if ack is not None:
        _acknowledge(options, ack)
    elif scan:
        _scan(options)
    else:
        _list(options, everything=all_, level=level, limit=limit)


def _acknowledge(options: GlobalOptions, alert_id: int) -> None:
    async def work(facade: WheelFacade) -> Alert:
        return await facade.acknowledge_alert(alert_id)

    Output(options).result(run_with(options, work), lambda a: f"Acknowledged {alert_line(a)}")


def _scan(options: GlobalOptions) -> None:
    async def work(facade: WheelFacade) -> RiskScan:
        return await facade.monitor_risk()

    Output(options).result(run_with(options, work), risk_scan_view)


def _list(options: GlobalOptions, *, everything: bool, level: RiskLevel | None, limit: int) -> None:
    async def work(facade: WheelFacade) -> Page[Alert]:
        unacknowledged = None if everything else False
        query = AlertQuery(acknowledged=unacknowledged, min_level=level, limit=limit)
        return await facade.list_alerts(query)

    title = "Alerts" if everything else "New alerts"
    Output(options).result(run_with(options, work), lambda page: alerts_table(page, title))
