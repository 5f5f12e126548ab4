"""What every room of the app layer stands on: the ports, the settings and the clock's rules.

The use cases live in rooms that build on each other, each in its own module and
each using only what lies below it (composition, never inheritance)::

    service.py          WheelService: the facade callers construct; delegates to the rooms
    facade.py           WheelFacade: the Protocol, the one list of use cases
    monitoring.py       price refresh, risk alerts, watchlist, opportunity scans
    reports.py          performance, P&L history, roll chains, CSV exports
    positions.py        quotes and chains, where each wheel stands now, daily snapshots
    recommendations.py  strikes to sell next, for a wheel or a bare symbol
    bookkeeping.py      wheels, shares and trades (writes)
    portfolios.py       portfolios and their summaries
    context.py          AppContext (this module)
    lookups.py          finding stored things by id, name or symbol
    histories.py        the replayed Books kept between calls
    book.py             Book: one wheel's loaded history, and how a change applies to it
    failures.py         what a batch says about the wheel or symbol it went on without
    commands.py, views.py, config.py   the Structs the facade takes and answers, settings

A module imports only modules listed below it (``tests/unit/core/test_app_layers.py``
checks the layers): a room receives the context and the lower rooms it needs
(``Reports(context, positions)``), and never declares a method for another to provide.

:class:`AppContext` holds the unit-of-work factory, the clock, the market, the
calendar, the notifier (and the delivery of alerts to it), the core settings and
the kept histories. It is built once by :class:`~wheel_core.app.service.WheelService`
and handed to every room, so no room reaches for a port another room owns.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from wheel_core.app.config import CoreSettings
from wheel_core.app.histories import WheelHistories
from wheel_core.domain.checks import as_utc
from wheel_core.domain.entities import Alert
from wheel_core.domain.errors import MarketDataError
from wheel_core.domain.lifecycle import Holdings
from wheel_core.domain.rules import check_expiration_horizon, exchange_date
from wheel_core.ports import (
    Clock,
    MarketCalendar,
    MarketData,
    Notifier,
    UnitOfWork,
    UnitOfWorkFactory,
)

log = logging.getLogger(__name__)


@dataclass(eq=False, kw_only=True)
class AppContext:
    """The ports and settings the rooms share; see the module docstring.

    ``market`` and ``calendar`` may be ``None`` for a Python user who only keeps
    books: the use cases that need them then raise ``MarketDataError``.
    """

    uow: UnitOfWorkFactory
    clock: Clock
    market: MarketData | None = None
    calendar: MarketCalendar | None = None
    notifier: Notifier | None = None
    settings: CoreSettings = field(default_factory=CoreSettings)
    histories: WheelHistories = field(default_factory=WheelHistories)

    def write(self) -> UnitOfWork:
        """A unit of work for a use case that changes something; it commits or writes nothing."""
        return self.uow()

    def read(self) -> UnitOfWork:
        """A unit of work for a use case that only reads: it never waits for a writer."""
        return self.uow(read_only=True)

    def now(self, given: datetime | None = None) -> datetime:
        """``given`` in UTC, or the clock's now."""
        return as_utc(given) if given is not None else as_utc(self.clock.now())

    def today(self) -> date:
        """The exchange's date now: what 'today' means for expirations and snapshots."""
        return exchange_date(self.now())

    def event_time(self, given: datetime | None, holdings: Holdings) -> datetime:
        """When a new event happened: as given, or now — never before the wheel's last event
        when defaulted, so a clock a moment behind a recorded time cannot refuse it."""
        if given is not None:
            return as_utc(given)
        now = self.now()
        last = holdings.last_event_at
        return now if last is None else max(now, last)

    def check_horizon(self, expiration: date) -> None:
        """A new or corrected expiration is at most a few years ahead of today."""
        check_expiration_horizon(expiration, self.today())

    def require_market(self) -> MarketData:
        if self.market is None:
            raise MarketDataError("no market data provider is configured")
        return self.market

    def require_calendar(self) -> MarketCalendar:
        if self.calendar is None:
            raise MarketDataError("no market calendar is configured")
        return self.calendar

    async def deliver(self, alerts: list[Alert]) -> None:
        """Hand each new alert to the notifier, once, wherever it was raised (a job, a
        plugin, a manual scan): the key that de-duplicates alerts would stop a later
        delivery. Stored first, so a notifier that fails loses nothing but the message,
        and never fails the scan. All at once: a slow webhook costs one delivery's time,
        not one per alert."""
        notifier = self.notifier
        if notifier is None:
            return

        async def deliver(alert: Alert) -> None:
            try:
                await notifier.notify(alert)
            except Exception:
                log.exception("alert %s was stored but not delivered", alert.id)

        await asyncio.gather(*(deliver(alert) for alert in alerts))


__all__ = ["AppContext"]
