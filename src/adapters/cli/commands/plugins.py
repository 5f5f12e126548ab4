"""``wheel-strategy plugins``: what was found, whether each runs, and its config."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import msgspec
from cyclopts import App, Parameter

from adapters.cli.monitoring_tables import plugin_view, plugins_table
from adapters.cli.options import Globals
from adapters.cli.output import Output
from adapters.cli.runner import refuse_usage
from adapters.cli.scheduling import run_jobs

if TYPE_CHECKING:
    from adapters.scheduler.control import JobControl
    from adapters.scheduler.views import PluginView

app = App(
    name="plugins",
    help=(
        "Plugins: list, show, enable, disable, change their config.\n\n"
        "Example: `wheel-strategy plugins config premium_target target_pct=40`"
    ),
)

_VALUE = msgspec.json.Decoder(float_hook=Decimal)
"""Config values typed on the command line: numbers with a fraction stay exact."""

PluginName = Annotated[str, Parameter(help="The plugin's name, as `plugins list` shows it.")]


@app.default
@app.command(name="list")
def list_(*, options: Globals) -> None:
    """Every plugin found — loaded, disabled or failed to load, with the reason.

    Example: `wheel-strategy plugins`
    """

    async def work(jobs: JobControl) -> list[PluginView]:
        return await jobs.list_plugins()

    Output(options).result(run_jobs(options, work), plugins_table)


@app.command
def show(name: PluginName, /, *, options: Globals) -> None:
    """One plugin: status, reason and config with what each key means.

    Example: `wheel-strategy plugins show premium_target`
    """

    async def work(jobs: JobControl) -> PluginView:
        return await jobs.get_plugin(name)

    Output(options).result(run_jobs(options, work), plugin_view)


@app.command
def enable(name: PluginName, /, *, options: Globals) -> None:
    """Run a plugin on its schedule (also after it was disabled by a failure).

    Example: `wheel-strategy plugins enable earnings_alert`
    """
    _update(options, name, enabled=True)


@app.command
def disable(name: PluginName, /, *, options: Globals) -> None:
    """Stop running a plugin; its config is kept.

    Example: `wheel-strategy plugins disable volatility_spike`
    """
    _update(options, name, enabled=False)


@app.command
def config(
    name: PluginName,
    /,
    *settings: Annotated[
        str, Parameter(help="KEY=VALUE pairs; VALUE is read as JSON if it can be.")
    ],
    options: Globals,
) -> None:
    """Show a plugin's config, or change keys of it (validated against the plugin's schema).

    Example: `wheel-strategy plugins config premium_target target_pct=40`
    """
    if not settings:
        show(name, options=options)
        return
    _update(options, name, config=dict(_setting(text) for text in settings))


def _update(
    options: Globals,
    name: str,
    *,
    enabled: bool | None = None,
    config: dict[str, Any] | None = None,
) -> None:
    async def work(jobs: JobControl) -> PluginView:
        from adapters.scheduler.views import PluginUpdate

        return await jobs.update_plugin(name, PluginUpdate(enabled=enabled, config=config))

    Output(options).result(run_jobs(options, work), plugin_view)


def _setting(text: str) -> tuple[str, Any]:
    """``key=value``: numbers stay exact (``40.5`` is a Decimal), ``true``/``[..]`` are
    JSON, anything else is text."""
    key, sign, value = text.partition("=")
    if not sign or not key.strip():
        refuse_usage(f"invalid setting {text!r}: write KEY=VALUE, e.g. target_pct=40")
    try:
        parsed: Any = _VALUE.decode(value)
    except msgspec.DecodeError:
        parsed = value
    return key.strip(), parsed
