"""Watching the Schwab login: one alert, a day before its refresh token lapses.

Schwab ends a login's refresh token about 7 days after the login; from then on every
price is stale until someone runs ``wheel-strategy schwab login`` again, and nothing
fails loudly. So from day 6 (``WARN_AFTER``) one alert is raised per login — its key
is the login's creation time, so a check every hour still tells the trader once, and
a new login is watched afresh. It is stored like every alert and delivered through
the notifier (the log or the webhook).

The check is a job of its own (:func:`schwab_login_job`) running at every hour of
every day, not only when the market is open: a login made on a Monday morning
reaches day 6 on a Sunday.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from adapters.scheduler.jobs import Job, JobFailedError
from adapters.scheduler.schedules import JobSchedule
from adapters.settings import Settings
from wheel_core.app.commands import RaiseAlert
from wheel_core.domain.entities import Alert
from wheel_core.domain.enums import RiskLevel
from wheel_core.ports import Clock

log = logging.getLogger(__name__)

SCHWAB_LOGIN_WATCH = "schwab_login_watch"
ALERT_KIND = "schwab_login"
DEFAULT_SCHEDULE = JobSchedule(interval_minutes=60, only_when="always")
"""Hourly, whatever the market does: the alert comes at most an hour after day 6 begins."""


class AlertRaiser(Protocol):
    """The one use case the watch needs (``WheelService`` has it)."""

    async def raise_alert(self, command: RaiseAlert) -> Alert | None: ...


def alert_key(logged_in_at: datetime) -> str:
    """One key per login: the login's creation time, in whole seconds."""
    return f"{ALERT_KIND}:{int(logged_in_at.timestamp())}"


async def watch_schwab_login(settings: Settings, now: datetime, alerts: AlertRaiser) -> str:
    """Raise the expiry alert when Schwab is the provider and its login is 6 days old
    or more (unless this login's alert exists); return what was found, for the run's
    summary. A missing or unreadable login is a :class:`JobFailedError` saying to log in.
    """
    if settings.market_data.provider != "schwab":
        return "market data is not from Schwab: no login to watch"
    from adapters.market_data.errors import AuthenticationError
    from adapters.market_data.schwab import LOGIN_COMMAND
    from adapters.market_data.schwab_auth import configured_token_path, login_age

    try:
        age = login_age(configured_token_path(settings.schwab.token_path), now)
    except AuthenticationError as error:
        raise JobFailedError(str(error)) from None
    days = age.age.total_seconds() / 86_400
    if age.status == "ok":
        return f"the Schwab login is {days:.1f} days old; it ends about {_when(age.expires_at)}"
    alert = await alerts.raise_alert(
        RaiseAlert(
            kind=ALERT_KIND,
            key=alert_key(age.logged_in_at),
            level=RiskLevel.HIGH,
            message=(
                f"The Schwab login of {_when(age.logged_in_at)} is {days:.1f} days old and "
                f"{'has ended' if age.status == 'expired' else 'ends'} about "
                f"{_when(age.expires_at)}: run `{LOGIN_COMMAND}`, or every price goes stale."
            ),
        )
    )
    if alert is None:
        return f"the Schwab login is {days:.1f} days old; already alerted"
    log.warning("the Schwab login is %.1f days old: alert raised", days)
    return f"the Schwab login is {days:.1f} days old; alert raised"


def schwab_login_job(
    settings: Callable[[], Settings], clock: Clock, service: Callable[[], AlertRaiser]
) -> Job:
    """The watch as a scheduler job; settings and service are asked for on each run
    (a ``PATCH /system/config`` may have changed the provider since)."""

    async def watch() -> str:
        return await watch_schwab_login(settings(), clock.now(), service())

    return Job(
        name=SCHWAB_LOGIN_WATCH,
        description="Alert once when the Schwab login nears the end of its 7 days.",
        kind="core",
        default=DEFAULT_SCHEDULE,
        action=watch,
    )


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
