"""``wheel-strategy db ...``: the direct-mode database file — upgrade it, import the legacy one.

Both commands need the database file itself, so both refuse remote mode (exit 2): a
server migrates its own database when it starts, and the legacy import must hold the
target's write lock and back the file up, which only this machine's process can do.

Both go through the operations service the container builds (``adapters/operations``):
this module parses, reports progress and draws the tables, and never imports
persistence. The container is imported inside the commands, as in every command
module, so ``--help`` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cyclopts import App, Parameter
from rich.console import JustifyMethod, RenderableType
from rich.table import Table

from adapters.cli.options import GlobalOptions, Globals, UsageError
from adapters.cli.output import Output
from adapters.cli.runner import refuse_usage, run
from adapters.cli.tables import NONE, day, money, option_label

if TYPE_CHECKING:
    from adapters.operations import DatabaseUpgrade, LegacyImport, Operations
    from adapters.operations.views import LegacyImportReport
    from wheel_core.app.views import TradeView

app = App(name="db", help="Upgrade the database, import the legacy tool's trades.db.")

LEGACY_FILE = Path("~/.wheel_strategy/trades.db")
"""Where the legacy tool kept its SQLite file."""
ZONEINFO_MARKER = "zoneinfo/"


# --- db upgrade ------------------------------------------------------------------------


@app.command
def upgrade(*, options: Globals) -> None:
    """Migrate the database to the current schema; prints the revision before → after.

    Every direct-mode command already does this on opening the database; run it on
    its own to upgrade ahead of time (e.g. after installing a new version). In
    remote mode the server upgrades its own database when it starts.

    Example: `wheel-strategy --db ~/wheel.db db upgrade`
    """
    _refuse_remote(options, "db upgrade", "the server upgrades its own database when it starts")

    async def work() -> DatabaseUpgrade:
        async with _operations(options) as operations:
            return await operations.upgrade_database()

    Output(options).result(run(options, work), _upgrade_line)


def _upgrade_line(done: DatabaseUpgrade) -> str:
    before = done.before or "empty"
    if done.before == done.after:
        return f"{done.database}: already at revision {done.after}"
    return f"{done.database}: revision {before} → {done.after}"


# --- db import-legacy ------------------------------------------------------------------


@app.command(name="import-legacy")
def import_legacy(
    path: Annotated[
        Path,
        Parameter(help="The legacy tool's SQLite file."),
    ] = LEGACY_FILE,
    /,
    *,
    timezone: Annotated[
        str | None,
        Parameter(
            help=(
                "IANA zone the legacy tool's naive timestamps are read in, e.g. "
                "America/New_York. [default: this machine's local zone]"
            )
        ),
    ] = None,
    backup_dir: Annotated[
        Path | None,
        Parameter(help="Where both backups go. [default: `backups/` next to the database]"),
    ] = None,
    options: Globals,
) -> None:
    """Import the legacy tool's trades.db into the default portfolio, then show the check.

    Both files are backed up first; the legacy file is only ever read. Every row is
    converted and replayed before anything is written, written in one transaction,
    read back and compared with the file, and committed only if all of it agrees — a
    refused or corrupted file leaves the database exactly as it was. Running it again
    imports only what is new.

    The legacy tool wrote local times without a zone; they are read in this machine's
    local zone unless `--timezone` names the zone the legacy tool ran in. Give the
    same zone on every run: a row read in another zone counts as changed (and is
    reported, not overwritten).

    The report lists the counts, the premium per symbol, the open positions, every
    amount that was not a whole number of cents and what was stored, and the rows
    taken in with a caveat. `--json` prints the report alone.

    Example: `wheel-strategy db import-legacy ~/old/trades.db --timezone America/New_York`
    """
    _refuse_remote(options, "db import-legacy", "the import needs the database file")
    zone = _zone(timezone)
    source = path.expanduser()
    output = Output(options)

    async def work() -> LegacyImport:
        return await _import(options, output, source, zone, backup_dir)

    result = run(options, work)
    output.result(result.report, lambda _: _import_tables(result))


async def _import(
    options: GlobalOptions, output: Output, source: Path, zone: tzinfo, backup_dir: Path | None
) -> LegacyImport:
    async with _operations(options) as operations:
        with _Bar(output) as bar:
            return await operations.import_legacy(
                source, backup_dir=backup_dir, naive_timezone=zone, progress=bar
            )


@asynccontextmanager
async def _operations(options: GlobalOptions) -> AsyncIterator[Operations]:
    """The operations service over the direct-mode database; its engine closed after."""
    from adapters.cli.session import local_settings
    from adapters.container import build_container, stop

    container = build_container(local_settings(options))
    try:
        yield container.operations()
    finally:
        await stop(container)


class _Bar:
    """The importer's ``progress(done, total)`` drawn with :meth:`Output.progress`.

    The importer knows the total only once it has read the file, so the bar opens at
    its first report rather than before the import starts.
    """

    def __init__(self, output: Output) -> None:
        self._output = output
        self._stack = ExitStack()
        self._advance: Callable[[], None] | None = None
        self._done = 0

    def __enter__(self) -> _Bar:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def __call__(self, done: int, total: int) -> None:
        if self._advance is None:
            self._advance = self._stack.enter_context(
                self._output.progress("Importing legacy rows", total)
            )
        for _ in range(done - self._done):
            self._advance()
        self._done = max(done, self._done)


def _zone(name: str | None) -> tzinfo:
    if name is not None:
        try:
            return ZoneInfo(name.strip())
        except (ZoneInfoNotFoundError, ValueError):
            refuse_usage(f"--timezone {name!r} is not a known IANA time zone (e.g. Europe/Paris)")
    return local_zone()


def local_zone() -> tzinfo:
    """This machine's zone, with its daylight-saving rules when they can be found.

    ``TZ`` first, then the zone ``/etc/localtime`` links to; failing both, the current
    UTC offset (right for every timestamp only where the offset never changes).
    """
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        target = ""
    if ZONEINFO_MARKER in target:
        candidates.append(target.rsplit(ZONEINFO_MARKER, 1)[1])
    for key in candidates:
        if key and not key.startswith("/"):
            try:
                return ZoneInfo(key)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    fixed = datetime.now().astimezone().tzinfo
    assert fixed is not None
    return fixed


def _import_tables(result: LegacyImport) -> Iterator[RenderableType]:
    report = result.report
    yield f"Legacy file {report.source} (backed up to {report.source_backup})"
    if report.target_backup:
        yield f"Database backed up to {report.target_backup}"
    if report.already_imported:
        yield "Everything in this file was imported before: nothing new to import."
    yield (
        f"{report.naive_timestamps} timestamps without a zone were read in "
        f"{report.assumed_timezone}."
    )
    yield _counts_table(report)
    yield _premium_table(report)
    yield _open_table(result.open_positions)
    yield _roundings_table(report)
    yield _findings_table(report)


def _table(
    title: str, *columns: str, right: tuple[str, ...] = (), wrap: tuple[str, ...] = ()
) -> Table:
    """Money right-aligned; only the ``wrap`` columns (free text) may wrap, never an id."""
    table = Table(
        title=title, title_justify="left", show_edge=False, pad_edge=False, min_width=len(title)
    )
    for column in columns:
        justify: JustifyMethod = "right" if column in right else "left"
        table.add_column(column, justify=justify, no_wrap=column not in wrap)
    return table


def _counts_table(report: LegacyImportReport) -> Table:
    table = _table(
        "Rows", "Table", "Imported", "Already there", right=("Imported", "Already there")
    )
    table.add_row("wheels", str(report.wheels_imported), str(report.wheels_skipped))
    table.add_row("trades", str(report.trades_imported), str(report.trades_skipped))
    table.add_row("share moves", str(report.share_moves_imported), NONE)
    table.add_row("snapshots", str(report.snapshots_imported), str(report.snapshots_skipped))
    return table


def _premium_table(report: LegacyImportReport) -> Table:
    table = _table("Premium per symbol", "Symbol", "Premium", right=("Premium",))
    for symbol, premium in sorted(report.premium_by_symbol.items()):
        table.add_row(symbol, money(premium))
    return table


def _open_table(trades: list[TradeView]) -> Table:
    table = _table(
        f"Open positions ({len(trades)})",
        "Symbol",
        "Option",
        "Opened",
        "Premium",
        right=("Premium",),
    )
    for trade in sorted(trades, key=lambda t: t.symbol):
        table.add_row(
            trade.symbol, option_label(trade), day(trade.opened_at), money(trade.total_premium)
        )
    return table


def _roundings_table(report: LegacyImportReport) -> Table:
    table = _table(
        f"Amounts not in whole cents ({len(report.rounding_adjustments)})",
        "Row",
        "Column",
        "Legacy value",
        "Stored",
        right=("Stored",),
    )
    for item in report.rounding_adjustments:
        table.add_row(f"{item.table} {item.row_id}", item.column, item.original, str(item.stored))
    return table


def _findings_table(report: LegacyImportReport) -> Table:
    table = _table(f"Flagged rows ({len(report.findings)})", "Row", "Kind", "Why", wrap=("Why",))
    for finding in report.findings:
        table.add_row(f"{finding.table} {finding.row_id}", finding.kind.value, finding.message)
    return table


def _refuse_remote(options: GlobalOptions, command: str, why: str) -> None:
    try:
        remote = options.remote
    except UsageError as error:
        refuse_usage(str(error))
    if remote:
        refuse_usage(
            f"{command} works on the database file, not on a server: {why}; "
            "run it with --direct-mode (and --db FILE) on the server's machine"
        )
