"""How the background work reads in a terminal: alerts, the watchlist, opportunities,
jobs, their runs and plugins.

As in :mod:`adapters.cli.tables`, every renderer takes the Struct ``--json`` prints.
Times of alerts, runs and opportunities are shown to the minute in UTC, since that is
when things happened, not which trading day they belong to.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import msgspec
from rich.console import RenderableType
from rich.text import Text

from adapters.cli.tables import NONE, RISK_STYLES, day, money, new_table, percent
from wheel_core.app.views import OpportunityScan, Page, RiskScan
from wheel_core.domain.entities import Alert, Opportunity, WatchlistEntry

if TYPE_CHECKING:
    from adapters.scheduler.history import JobRunView
    from adapters.scheduler.lease import LeaseView
    from adapters.scheduler.views import JobView, PluginView

RUN_STYLES = {
    "success": "green",
    "failure": "bold red",
    "timeout": "bold red",
    "skipped_market_closed": "dim",
    "running": "yellow",
}
_JSON = msgspec.json.Encoder(decimal_format="number")
PLUGIN_STYLES = {"enabled": "green", "disabled": "yellow", "failed": "bold red"}


def moment(when: datetime | None) -> str:
    """``2026-11-25 14:30Z``: UTC to the minute."""
    return NONE if when is None else when.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ")


# --- alerts ----------------------------------------------------------------------------


def alerts_table(alerts: Page[Alert], title: str = "Alerts") -> list[RenderableType]:
    if not alerts.items:
        return [f"{title}: none."]
    table = new_table(
        f"{title} ({alerts.total})", "ID", "Raised", "Level", "Kind", "Message", "Acknowledged",
        money_columns=["ID"],
    )  # fmt: skip
    for alert in alerts.items:
        table.add_row(
            str(alert.id),
            moment(alert.created_at),
            Text(alert.level.value.upper(), style=RISK_STYLES[alert.level]),
            alert.kind,
            alert.message,
            moment(alert.acknowledged_at) if alert.acknowledged_at else "",
        )
    return [table]


def alert_line(alert: Alert) -> str:
    state = f"acknowledged {moment(alert.acknowledged_at)}" if alert.acknowledged_at else "new"
    return f"Alert {alert.id} [{alert.level.value.upper()}] {alert.message} ({state})"


def risk_scan_view(scan: RiskScan) -> list[RenderableType]:
    lines: list[RenderableType] = [
        f"Checked {scan.checked} open option(s): {len(scan.alerts)} new alert(s)."
    ]
    lines += [alert_line(alert) for alert in scan.alerts]
    lines += [f"{failure.symbol}: {failure.error}" for failure in scan.failures]
    return lines


# --- watchlist and opportunities -------------------------------------------------------


def watchlist_table(entries: list[WatchlistEntry]) -> list[RenderableType]:
    if not entries:
        return ["Watchlist: empty. Add a symbol with `wheel-strategy watchlist add SYMBOL`."]
    table = new_table(f"Watchlist ({len(entries)})", "Symbol", "Added", "Note")
    for entry in entries:
        table.add_row(entry.symbol, day(entry.added_at), entry.note)
    return [table]


def watch_line(entry: WatchlistEntry) -> str:
    note = f" ({entry.note})" if entry.note else ""
    return f"Watching {entry.symbol}{note} since {day(entry.added_at)}"


def opportunities_table(
    opportunities: Page[Opportunity], title: str = "Opportunities"
) -> list[RenderableType]:
    if not opportunities.items:
        return [f"{title}: none."]
    table = new_table(
        f"{title} ({opportunities.total})",
        "ID", "Symbol", "Side", "Strike", "Expiration", "Premium", "P(ITM)", "Yield/yr",
        "Found", "Source", "Read",
        money_columns=["ID", "Strike", "Premium", "P(ITM)", "Yield/yr"],
    )  # fmt: skip
    for found in opportunities.items:
        table.add_row(
            str(found.id),
            found.symbol,
            found.option_type.value,
            money(found.strike),
            day(found.expiration),
            money(found.premium),
            percent(found.probability_itm),
            percent(found.annualized_yield),
            moment(found.found_at),
            found.source.value,
            "" if found.read_at is None else "read",
            style="bold" if found.read_at is None else None,
        )
    return [table]


def opportunity_line(found: Opportunity) -> str:
    return (
        f"Opportunity {found.id}: sell {found.symbol} {found.option_type.value} "
        f"{money(found.strike)} exp {day(found.expiration)} for {money(found.premium)} "
        f"(P(ITM) {percent(found.probability_itm)}, {percent(found.annualized_yield)}/yr)"
    )


def opportunity_scan_view(scan: OpportunityScan) -> list[RenderableType]:
    lines: list[RenderableType] = [
        f"Scan: {len(scan.found)} new opportunit{'y' if len(scan.found) == 1 else 'ies'}, "
        f"{scan.updated} updated" + (f", {scan.expired} expired removed." if scan.expired else ".")
    ]
    lines += [opportunity_line(found) for found in scan.found]
    lines += [f"{failure.symbol}: {failure.error}" for failure in scan.failures]
    return lines


# --- jobs and plugins ------------------------------------------------------------------


def _status(status: str, styles: dict[str, str]) -> Text:
    return Text(status, style=styles.get(status, ""))


def jobs_table(jobs: list[JobView], leader: LeaseView | None = None) -> list[RenderableType]:
    table = new_table(
        f"Jobs ({len(jobs)})", "Job", "Kind", "Enabled", "Schedule", "Next run", "Last run",
        "Last status",
    )  # fmt: skip
    for job in jobs:
        last = job.last_run
        table.add_row(
            job.name,
            job.kind,
            "yes" if job.enabled else "no",
            job.schedule,
            moment(job.next_run_at),
            NONE if last is None else moment(last.started_at),
            NONE if last is None else _status(last.status, RUN_STYLES),
        )
    return [table] if leader is None else [table, leader_line(leader)]


def leader_line(leader: LeaseView) -> str:
    """Which process runs the jobs on their schedule: only one does at a time."""
    if leader.holder is None:
        return "No process runs the jobs on their schedule now (none holds the scheduler lease)."
    until = NONE if leader.expires_at is None else f"{leader.expires_at.astimezone(UTC):%H:%M:%SZ}"
    return f"Run on schedule by {leader.holder} (its lease runs to {until} unless renewed)."


def job_view(job: JobView) -> list[RenderableType]:
    table = new_table(None, "Setting", "Value")
    table.add_row("Description", job.description)
    table.add_row("Kind", job.kind)
    table.add_row("Enabled", "yes" if job.enabled else "no")
    table.add_row("Schedule", job.schedule)
    table.add_row("Runs when", job.only_when.replace("_", " "))
    table.add_row("Time zone", job.timezone)
    table.add_row("Timeout", f"{job.timeout_seconds} s")
    table.add_row("Next run", moment(job.next_run_at))
    table.add_row("Running now", "yes" if job.running else "no")
    parts: list[RenderableType] = [f"Job {job.name}", table]
    if job.last_run is not None:
        parts.append(f"Last run: {run_line(job.last_run)}")
    return parts


def runs_table(runs: Page[JobRunView]) -> list[RenderableType]:
    if not runs.items:
        return ["Job runs: none."]
    table = new_table(
        f"Job runs ({runs.total})", "ID", "Job", "Trigger", "Started", "Seconds", "Status",
        "Summary or error",
        money_columns=["ID", "Seconds"],
    )  # fmt: skip
    for run in runs.items:
        table.add_row(
            str(run.id),
            run.job,
            run.trigger,
            moment(run.started_at),
            NONE if run.duration_seconds is None else f"{run.duration_seconds:.3f}",
            _status(run.status, RUN_STYLES),
            run.error or run.summary or "",
        )
    return [table]


def run_line(run: JobRunView) -> str:
    seconds = "" if run.duration_seconds is None else f" in {run.duration_seconds:.3f} s"
    detail = run.error or run.summary
    return (
        f"Run {run.id} of {run.job} ({run.trigger}) at {moment(run.started_at)}: "
        f"{run.status}{seconds}" + (f" — {detail}" if detail else "")
    )


def plugins_table(plugins: list[PluginView]) -> list[RenderableType]:
    if not plugins:
        return ["Plugins: none found (see docs/plugins.md to write one)."]
    table = new_table(
        f"Plugins ({len(plugins)})", "Plugin", "Version", "Status", "Description", "Reason",
        "Source",
    )  # fmt: skip
    for plugin in plugins:
        table.add_row(
            plugin.name,
            plugin.version,
            _status(plugin.status, PLUGIN_STYLES),
            plugin.description,
            plugin.reason or "",
            plugin.source,
        )
    return [table]


def plugin_view(plugin: PluginView) -> list[RenderableType]:
    head = f"Plugin {plugin.name} {plugin.version}: {plugin.status}"
    if plugin.reason:
        head += f" ({plugin.reason})"
    parts: list[RenderableType] = [head, plugin.description]
    properties: dict[str, Any] = plugin.config_schema.get("properties", {})
    described = any("description" in about for about in properties.values())
    table = new_table("Config", "Key", "Value", "Type", *(["About"] if described else []))
    for key in sorted({*plugin.config, *properties}):
        about = properties.get(key, {})
        row = [key, _config_value(plugin.config.get(key)), str(about.get("type", ""))]
        table.add_row(*row, *([str(about.get("description", ""))] if described else []))
    parts.append(table if table.row_count else "Config: none.")
    return parts


def _config_value(value: object) -> str:
    """A config value as the user would type it back (JSON for anything but text)."""
    if value is None:
        return NONE
    if isinstance(value, str):
        return value
    return _JSON.encode(value).decode()
