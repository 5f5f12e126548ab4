"""``wheel-strategy alerts``: what the risk monitor and the plugins raised, and acknowledging it."""

from __future__ import annotations

from typing import Annotated

from cyclopts import Parameter

from adapters.cli.monitoring_tables import alert_line, alerts_table, risk_scan_view
from adapters.cli.options import Globals
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
    output = Output(options)
    if ack is not None:
        alert_id = ack

        async def acknowledge(facade: WheelFacade) -> Alert:
            return await facade.acknowledge_alert(alert_id)

        output.result(run_with(options, acknowledge), lambda a: f"Acknowledged {alert_line(a)}")
        return
    if scan:

        async def monitor(facade: WheelFacade) -> RiskScan:
            return await facade.monitor_risk()

        output.result(run_with(options, monitor), risk_scan_view)
        return

    async def listed(facade: WheelFacade) -> Page[Alert]:
        query = AlertQuery(acknowledged=None if all_ else False, min_level=level, limit=limit)
        return await facade.list_alerts(query)

    title = "Alerts" if all_ else "New alerts"
    output.result(run_with(options, listed), lambda page: alerts_table(page, title))
