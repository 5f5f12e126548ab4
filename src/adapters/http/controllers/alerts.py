"""Alerts: what the risk monitor and plugins want a trader to look at, until acknowledged."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import Facade
from adapters.http.pagination import DEFAULT_LIMIT, Limit, Offset
from adapters.http.params import Id, WheelFilter
from adapters.wire import ALERT, ALERT_ACKNOWLEDGE, ALERTS, ALERTS_SCAN
from wheel_core.app.commands import RaiseAlert
from wheel_core.app.views import Page, RiskScan
from wheel_core.domain.entities import Alert
from wheel_core.domain.enums import RiskLevel
from wheel_core.ports import AlertQuery


class AlertController(ApiController):
    path = "/"
    tags = ["alerts"]

    @get(ALERTS)
    async def list_alerts(
        self,
        service: Facade,
        acknowledged: Annotated[
            bool | None,
            Parameter(description="true: acknowledged alerts only; false: the unacknowledged."),
        ] = None,
        kind: Annotated[
            str | None,
            Parameter(
                max_length=40,
                description="Only alerts of this kind: itm, risk, expiry, or a plugin's kind.",
            ),
        ] = None,
        wheel_id: WheelFilter = None,
        min_level: Annotated[
            RiskLevel | None,
            Parameter(description="Only alerts at this level or above."),
        ] = None,
        created_from: Annotated[
            date | None, Parameter(description="Raised on or after this day (UTC).")
        ] = None,
        created_to: Annotated[
            date | None, Parameter(description="Raised on or before this day (UTC).")
        ] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[Alert]:
        """Alerts newest first, filtered; ``total`` counts every match."""
        return await service.list_alerts(
            AlertQuery(
                acknowledged=acknowledged,
                kind=kind,
                wheel_id=wheel_id,
                min_level=min_level,
                created_from=created_from,
                created_to=created_to,
                offset=offset,
                limit=limit,
            )
        )

    @post(ALERTS, status_code=HTTP_200_OK)
    async def raise_alert(self, service: Facade, data: RaiseAlert) -> Alert | None:
        """Store an alert, unless one with the same ``key`` exists: then the answer is
        ``null`` (the condition was already raised)."""
        return await service.raise_alert(data)

    @post(ALERTS_SCAN, status_code=HTTP_200_OK)
    async def scan_risk(self, service: Facade) -> RiskScan:
        """Run the risk monitor now: the alerts it raised (conditions met for the first
        time), how many open options it checked, and the wheels whose market data failed."""
        return await service.monitor_risk()

    @get(ALERT)
    async def get_alert(self, service: Facade, alert_id: Id) -> Alert:
        """One alert."""
        return await service.get_alert(alert_id)

    @post(ALERT_ACKNOWLEDGE, status_code=HTTP_200_OK)
    async def acknowledge_alert(self, service: Facade, alert_id: Id) -> Alert:
        """Mark the alert seen; acknowledging it again keeps the first time."""
        return await service.acknowledge_alert(alert_id)
