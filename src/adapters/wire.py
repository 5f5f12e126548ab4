"""The HTTP API's contract, written once for both ends of the wire.

The HTTP adapter's controllers decorate their handlers with these route templates,
and the CLI's remote client fills the same templates to call them; the prefix, the
page limits, the filter names and the one problem code that is not a domain error's
live here too. Domain error codes are not here: each error class carries its own
(:mod:`wheel_core.domain.errors`).

Written by hand rather than generated from the OpenAPI document: the templates *are*
the controllers' routes, so there is nothing to regenerate and nothing to drift; a
generated client would need a build step (or the CLI loading the Litestar app, which
it must not import), and the answers are already typed by the core's own Structs on
both sides. ``tests/integration/test_api_schema_agreement.py`` checks the document
against the app; ``tests/unit/adapters/test_wire_contract.py`` checks this module against both.

A template is Litestar's: ``{name:type}``; :func:`fill` puts values in for a client.
A ``{symbol:path}`` takes the rest of the path, because a class-share ticker keeps
its slash (``BRK/B``), so nothing may follow it in a route.
"""

from __future__ import annotations

import re

API_PREFIX = "/api/v1"
MAX_LIMIT = 500
"""The most items one page of a list holds; longer lists take several requests."""
DEFAULT_LIMIT = 100
"""The page size when a request names none."""

INVALID_REQUEST = "invalid_request"
"""The problem code of a request whose shape the API refused (a 400), field by field."""

# ── routes, under API_PREFIX ──────────────────────────────────────────────────

HEALTH = "/health"
SYSTEM_INFO = "/system/info"
SYSTEM_CONFIG = "/system/config"
SYSTEM_CONFIG_VALIDATE = "/system/config/validate"

PORTFOLIOS = "/portfolios"
PORTFOLIO = "/portfolios/{portfolio_id:int}"
PORTFOLIO_SUMMARY = PORTFOLIO + "/summary"
PORTFOLIO_WHEELS = PORTFOLIO + "/wheels"
PORTFOLIO_POSITIONS = PORTFOLIO + "/positions"
PORTFOLIO_PERFORMANCE = PORTFOLIO + "/performance"

WHEELS = "/wheels"
WHEEL = "/wheels/{wheel_id:int}"
WHEEL_BY_SYMBOL = "/wheels/by-symbol/{symbol:path}"
"""The wheel on a symbol in a portfolio named by the query (``portfolio``,
``include_archived``); ``by-symbol`` is no integer, so it never meets :data:`WHEEL`."""
WHEEL_STATE = WHEEL + "/state"
WHEEL_HISTORY = WHEEL + "/history"
WHEEL_ARCHIVE = WHEEL + "/archive"
WHEEL_SHARES_IMPORT = WHEEL + "/shares/import"
WHEEL_SHARES_SELL = WHEEL + "/shares/sell"
WHEEL_CHAINS = WHEEL + "/chains"
WHEEL_TRADES = WHEEL + "/trades"
WHEEL_POSITION = WHEEL + "/position"
WHEEL_PERFORMANCE = WHEEL + "/performance"
WHEEL_RECOMMENDATIONS = WHEEL + "/recommendations"

TRADES = "/trades"
TRADE = "/trades/{trade_id:int}"
TRADE_EXPIRE = TRADE + "/expire"
TRADE_CLOSE = TRADE + "/close"
TRADE_ASSIGN = TRADE + "/assign"
TRADE_ROLL = TRADE + "/roll"

QUOTE = "/market/quotes/{symbol:path}"
CHAIN = "/market/chains/{symbol:path}"

POSITIONS = "/positions"
POSITIONS_AT_RISK = "/positions/at-risk"
POSITIONS_REFRESH = "/positions/refresh"
POSITION_BY_SYMBOL = "/positions/by-symbol/{symbol:path}"
"""The position of the active wheel on a symbol (query: ``portfolio``). Not
``/wheels/by-symbol/{symbol}/position``: the symbol takes the rest of the path."""

SNAPSHOTS = "/snapshots"
SNAPSHOTS_LATEST = "/snapshots/latest"

PERFORMANCE = "/performance"
PERFORMANCE_SYMBOLS = "/performance/symbols"
PERFORMANCE_HISTORY = "/performance/history"
EXPORT_TRADES_CSV = "/export/trades.csv"
EXPORT_PERFORMANCE_CSV = "/export/performance.csv"

RECOMMENDATIONS_BATCH = "/recommendations/batch"

ALERTS = "/alerts"
ALERTS_SCAN = "/alerts/scan"
ALERT = "/alerts/{alert_id:int}"
ALERT_ACKNOWLEDGE = ALERT + "/acknowledge"

WATCHLIST = "/watchlist"
WATCHLIST_SCAN = "/watchlist/scan"
WATCHLIST_SYMBOL = "/watchlist/{symbol:path}"

OPPORTUNITIES = "/opportunities"
OPPORTUNITIES_UNREAD_COUNT = "/opportunities/unread-count"
OPPORTUNITIES_READ_ALL = "/opportunities/read-all"
OPPORTUNITY_READ = "/opportunities/{opportunity_id:int}/read"

JOBS = "/jobs"
JOB_RUNS = "/jobs/runs"
JOB = "/jobs/{name:str}"
JOB_RUN = JOB + "/run"

PLUGINS = "/plugins"
PLUGIN = "/plugins/{name:str}"

# ── query parameters ──────────────────────────────────────────────────────────

TRADE_FILTERS = (
    "wheel_id",
    "portfolio_id",
    "symbol",
    "option_type",
    "outcome",
    "is_open",
    "opened_from",
    "opened_to",
)
"""The trade list's and the trades CSV's filters; each is also a ``TradeQuery`` field."""
SNAPSHOT_FILTERS = ("wheel_id", "portfolio_id", "symbol", "day_from", "day_to")
"""The snapshot list's and the P&L history's filters; each is also a ``SnapshotQuery`` field."""
ALERT_FILTERS = ("acknowledged", "kind", "wheel_id", "min_level", "created_from", "created_to")
"""The alert list's filters; each is also an ``AlertQuery`` field."""
OPPORTUNITY_FILTERS = ("unread", "symbol", "source", "option_type")
"""The opportunity list's filters (``unread`` is ``OpportunityQuery.unread_only``)."""
PAGING = ("limit", "offset")
BY_SYMBOL = ("portfolio", "include_archived")
"""The by-symbol reads' query: the portfolio's name (the default one when absent), and
whether an archived wheel may answer when no active one does."""

_PLACEHOLDER = re.compile(r"\{(?P<name>\w+)(?::\w+)?\}")


def fill(template: str, **values: object) -> str:
    """``template`` with each ``{name:type}`` replaced by ``values[name]``, as given: the
    caller checks and quotes it (an id in range, a ticker as a path)."""

    def value(match: re.Match[str]) -> str:
        return str(values[match["name"]])

    return _PLACEHOLDER.sub(value, template)


def placeholders(template: str) -> tuple[str, ...]:
    """The names ``template`` takes, in order."""
    return tuple(match["name"] for match in _PLACEHOLDER.finditer(template))
