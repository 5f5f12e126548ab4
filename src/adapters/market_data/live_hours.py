"""Today's session from a live source, for the calendar: the broker knows of a closure
announced last night; the holidays package only with its next release."""

from __future__ import annotations

import logging
from datetime import date
from typing import Protocol

from adapters.market_data.calendar import NEW_YORK, NyseCalendar
from wheel_core.domain.errors import MarketDataError
from wheel_core.market import MarketSession
from wheel_core.ports import Clock

log = logging.getLogger(__name__)


class LiveHours(Protocol):
    """What the Schwab provider offers: its regular equity session on a day, or ``None``."""

    async def session_on(self, day: date) -> MarketSession | None: ...


async def adopt_live_session(source: LiveHours, calendar: NyseCalendar, clock: Clock) -> bool:
    """Make the live answer the calendar's truth for today; on failure keep the library's.

    Returns whether the live answer was adopted. Never raises for a provider failure:
    a broker that is down must not stop the server from starting.
    """
    today = clock.now().astimezone(NEW_YORK).date()
    try:
        session = await source.session_on(today)
        calendar.set_today_session(today, session)
    except (MarketDataError, ValueError) as error:
        log.warning("market hours for %s unavailable, using the NYSE calendar: %s", today, error)
        return False
    log.info("market hours for %s from the provider: %s", today, session or "closed")
    return True
