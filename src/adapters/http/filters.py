"""Query filters shared by the endpoints that list or export the same rows.

Each is a Litestar dependency whose parameters are the query string: the trade list
and the trade CSV export take one set of filters, the snapshot list and the P&L
history another, so a filter documented, bounded or validated once is so everywhere.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from litestar.di import Provide
from litestar.params import Parameter

from adapters.http.params import (
    OptionTypeFilter,
    PortfolioFilter,
    SymbolFilter,
    WheelFilter,
)
from wheel_core.ports import SnapshotQuery, TradeQuery

TradeOutcome = Literal[
    "open", "expired_worthless", "assigned", "called_away", "closed_early", "rolled"
]
"""An :class:`~wheel_core.domain.enums.Outcome` value, or ``open`` for trades still open."""


def trade_filters(
    wheel_id: WheelFilter = None,
    portfolio_id: PortfolioFilter = None,
    symbol: SymbolFilter = None,
    option_type: OptionTypeFilter = None,
    outcome: Annotated[
        TradeOutcome | None,
        Parameter(description="How the trade ended, or open for trades still open."),
    ] = None,
    is_open: Annotated[
        bool | None,
        Parameter(description="true: open trades only; false: ended trades only."),
    ] = None,
    opened_from: Annotated[
        date | None, Parameter(description="Opened on or after this day (UTC).")
    ] = None,
    opened_to: Annotated[
        date | None, Parameter(description="Opened on or before this day (UTC).")
    ] = None,
) -> TradeQuery:
    return TradeQuery(
        wheel_id=wheel_id,
        portfolio_id=portfolio_id,
        symbol=symbol,
        option_type=option_type,
        outcome=outcome,
        is_open=is_open,
        opened_from=opened_from,
        opened_to=opened_to,
    )


def snapshot_filters(
    wheel_id: WheelFilter = None,
    portfolio_id: PortfolioFilter = None,
    symbol: SymbolFilter = None,
    day_from: Annotated[date | None, Parameter(description="Taken on or after this day.")] = None,
    day_to: Annotated[date | None, Parameter(description="Taken on or before this day.")] = None,
) -> SnapshotQuery:
    return SnapshotQuery(
        wheel_id=wheel_id,
        portfolio_id=portfolio_id,
        symbol=symbol,
        day_from=day_from,
        day_to=day_to,
    )


TRADE_FILTERS = {"trade_filters": Provide(trade_filters, sync_to_thread=False)}
SNAPSHOT_FILTERS = {"snapshot_filters": Provide(snapshot_filters, sync_to_thread=False)}
