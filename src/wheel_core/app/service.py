"""The one driving port's implementation: :class:`WheelService`, the facade callers build.

The HTTP controllers, the CLI, the scheduler's jobs and Python users all call
:class:`WheelService`; what they may ask is the
:class:`~wheel_core.app.facade.WheelFacade` Protocol. The service holds no use case
of its own: it builds the :class:`~wheel_core.app.context.AppContext` and the
rooms on it, lower rooms first, and hands each facade method to the room that
owns it (see :mod:`wheel_core.app.context` for the rooms)::

    Portfolios(context)  Bookkeeping(context)  Positions(context)
    Recommendations(context)  Reports(context, positions)
    Monitoring(context, positions, recommendations)

Each method is one line, ``name = _room("room", Room.name)``: the signature and
docstring are the room's, written once. ``tests/unit/core/test_facade.py`` checks
that the service offers exactly the Protocol's methods.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MethodType
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from wheel_core.app.bookkeeping import Bookkeeping
from wheel_core.app.config import CoreSettings
from wheel_core.app.context import AppContext
from wheel_core.app.monitoring import Monitoring
from wheel_core.app.portfolios import Portfolios
from wheel_core.app.positions import Positions
from wheel_core.app.recommendations import Recommendations
from wheel_core.app.reports import Reports
from wheel_core.ports import Clock, MarketCalendar, MarketData, Notifier, UnitOfWorkFactory

P = ParamSpec("P")
R = TypeVar("R")
Room = TypeVar("Room")


class _room(Generic[Room, P, R]):  # noqa: N801 - reads as a function where it is used
    """A facade method that is ``method`` of the room the service keeps at ``attribute``:
    typed as the room's method (mypy checks the service against the Protocol with it)."""

    def __init__(self, attribute: str, method: Callable[Concatenate[Room, P], R]) -> None:
        self._attribute = attribute
        self._method = method

    @overload
    def __get__(self, instance: None, owner: type) -> Callable[Concatenate[Room, P], R]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> Callable[P, R]: ...
    def __get__(self, instance: object | None, owner: type) -> Any:
        """On the class, the room's method itself (its signature and docstring, for a
        reader or ``inspect``); on a service, that method bound to the service's room."""
        if instance is None:
            return self._method
        return MethodType(self._method, getattr(instance, self._attribute))


class WheelService:
    """Every use case of wheel-strategy; see the module docstring.

    ``market`` and ``calendar`` may be left out by a Python user who only keeps
    books; the use cases that need them then raise ``MarketDataError``.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        *,
        market: MarketData | None = None,
        calendar: MarketCalendar | None = None,
        settings: CoreSettings | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        self.context = AppContext(
            uow=uow,
            clock=clock,
            market=market,
            calendar=calendar,
            notifier=notifier,
            settings=settings or CoreSettings(),
        )
        self._portfolios = Portfolios(self.context)
        self._bookkeeping = Bookkeeping(self.context)
        self._positions = Positions(self.context)
        self._recommendations = Recommendations(self.context)
        self._reports = Reports(self.context, self._positions)
        self._monitoring = Monitoring(self.context, self._positions, self._recommendations)

    @property
    def settings(self) -> CoreSettings:
        return self.context.settings

    # --- portfolios ---------------------------------------------------------------
    ensure_default_portfolio = _room("_portfolios", Portfolios.ensure_default_portfolio)
    create_portfolio = _room("_portfolios", Portfolios.create_portfolio)
    list_portfolios = _room("_portfolios", Portfolios.list_portfolios)
    get_portfolio = _room("_portfolios", Portfolios.get_portfolio)
    get_portfolio_by_name = _room("_portfolios", Portfolios.get_portfolio_by_name)
    update_portfolio = _room("_portfolios", Portfolios.update_portfolio)
    set_default_portfolio = _room("_portfolios", Portfolios.set_default_portfolio)
    delete_portfolio = _room("_portfolios", Portfolios.delete_portfolio)
    portfolio_summary = _room("_portfolios", Portfolios.portfolio_summary)

    # --- wheels and shares --------------------------------------------------------
    open_wheel = _room("_bookkeeping", Bookkeeping.open_wheel)
    get_wheel = _room("_bookkeeping", Bookkeeping.get_wheel)
    find_wheel = _room("_bookkeeping", Bookkeeping.find_wheel)
    wheel_by_symbol = _room("_bookkeeping", Bookkeeping.wheel_by_symbol)
    list_wheels = _room("_bookkeeping", Bookkeeping.list_wheels)
    update_wheel = _room("_bookkeeping", Bookkeeping.update_wheel)
    archive_wheel = _room("_bookkeeping", Bookkeeping.archive_wheel)
    delete_wheel = _room("_bookkeeping", Bookkeeping.delete_wheel)
    wheel_history = _room("_bookkeeping", Bookkeeping.wheel_history)
    import_shares = _room("_bookkeeping", Bookkeeping.import_shares)
    sell_shares = _room("_bookkeeping", Bookkeeping.sell_shares)

    # --- trades -------------------------------------------------------------------
    record_trade = _room("_bookkeeping", Bookkeeping.record_trade)
    get_trade = _room("_bookkeeping", Bookkeeping.get_trade)
    list_trades = _room("_bookkeeping", Bookkeeping.list_trades)
    expire_trade = _room("_bookkeeping", Bookkeeping.expire_trade)
    close_trade = _room("_bookkeeping", Bookkeeping.close_trade)
    assign_trade = _room("_bookkeeping", Bookkeeping.assign_trade)
    roll_trade = _room("_bookkeeping", Bookkeeping.roll_trade)
    correct_trade = _room("_bookkeeping", Bookkeeping.correct_trade)
    delete_trade = _room("_bookkeeping", Bookkeeping.delete_trade)

    # --- market, positions, snapshots ---------------------------------------------
    quote = _room("_positions", Positions.quote)
    chain = _room("_positions", Positions.chain)
    position_status = _room("_positions", Positions.position_status)
    position_by_symbol = _room("_positions", Positions.position_by_symbol)
    positions = _room("_positions", Positions.positions)
    take_snapshot = _room("_positions", Positions.take_snapshot)
    list_snapshots = _room("_positions", Positions.list_snapshots)
    latest_snapshots = _room("_positions", Positions.latest_snapshots)

    # --- performance and exports --------------------------------------------------
    performance = _room("_reports", Reports.performance)
    pnl_history = _room("_reports", Reports.pnl_history)
    roll_chains = _room("_reports", Reports.roll_chains)
    export_trades_csv = _room("_reports", Reports.export_trades_csv)
    export_performance_csv = _room("_reports", Reports.export_performance_csv)

    # --- recommendations ----------------------------------------------------------
    recommend = _room("_recommendations", Recommendations.recommend)
    recommend_batch = _room("_recommendations", Recommendations.recommend_batch)

    # --- monitoring: prices, alerts, watchlist, opportunities ---------------------
    refresh_prices = _room("_monitoring", Monitoring.refresh_prices)
    monitor_risk = _room("_monitoring", Monitoring.monitor_risk)
    raise_alert = _room("_monitoring", Monitoring.raise_alert)
    list_alerts = _room("_monitoring", Monitoring.list_alerts)
    get_alert = _room("_monitoring", Monitoring.get_alert)
    acknowledge_alert = _room("_monitoring", Monitoring.acknowledge_alert)
    watchlist = _room("_monitoring", Monitoring.watchlist)
    add_to_watchlist = _room("_monitoring", Monitoring.add_to_watchlist)
    remove_from_watchlist = _room("_monitoring", Monitoring.remove_from_watchlist)
    scan_opportunities = _room("_monitoring", Monitoring.scan_opportunities)
    list_opportunities = _room("_monitoring", Monitoring.list_opportunities)
    unread_opportunities = _room("_monitoring", Monitoring.unread_opportunities)
    mark_opportunity_read = _room("_monitoring", Monitoring.mark_opportunity_read)
    mark_all_opportunities_read = _room("_monitoring", Monitoring.mark_all_opportunities_read)


__all__ = ["WheelService"]
