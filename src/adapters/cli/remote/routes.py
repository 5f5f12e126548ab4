"""Where each use case's request goes: the contract's route templates
(:mod:`adapters.wire`) filled with ids and tickers, and the query parameters a trade,
snapshot, alert or opportunity query becomes (named by the contract too).

Ids and tickers are checked here with the rules the service applies, so a value the
API would refuse as malformed (a 400 naming a parameter) fails instead exactly as
``WheelService`` fails on it: an id that names nothing is not found, a ticker that
is no ticker is a ``ValidationError`` with the core's message.
"""

from __future__ import annotations

from urllib.parse import quote

from adapters import wire
from adapters.cli.remote.client import Param
from wheel_core.domain.checks import MAX_ID, normalize_symbol
from wheel_core.domain.errors import NotFoundError
from wheel_core.ports import AlertQuery, OpportunityQuery, SnapshotQuery, TradeQuery


def trade_filters(query: TradeQuery) -> dict[str, Param]:
    """Every filter of ``query`` as the API's query parameters (paging apart)."""
    return {name: getattr(query, name) for name in wire.TRADE_FILTERS}


def snapshot_filters(query: SnapshotQuery) -> dict[str, Param]:
    return {name: getattr(query, name) for name in wire.SNAPSHOT_FILTERS}


def alert_filters(query: AlertQuery) -> dict[str, Param]:
    return {name: getattr(query, name) for name in wire.ALERT_FILTERS}


def opportunity_filters(query: OpportunityQuery) -> dict[str, Param]:
    """``unread`` is a flag the API reads as "only unread" when true; it is sent only then."""
    unread, *others = wire.OPPORTUNITY_FILTERS
    return {unread: True if query.unread_only else None} | {
        name: getattr(query, name) for name in others
    }


def checked_id(kind: str, key: int) -> int:
    """``key`` if the API can take it as an id; otherwise the not-found the service
    raises for an id that names nothing (the API would answer a 400 instead)."""
    if not 1 <= key <= MAX_ID:
        raise NotFoundError(kind, key)
    return key


def portfolio_path(portfolio_id: int, template: str = wire.PORTFOLIO) -> str:
    return wire.fill(template, portfolio_id=checked_id("portfolio", portfolio_id))


def wheel_path(wheel_id: int, template: str = wire.WHEEL) -> str:
    return wire.fill(template, wheel_id=checked_id("wheel", wheel_id))


def trade_path(trade_id: int, template: str = wire.TRADE) -> str:
    return wire.fill(template, trade_id=checked_id("trade", trade_id))


def alert_path(alert_id: int, template: str = wire.ALERT) -> str:
    return wire.fill(template, alert_id=checked_id("alert", alert_id))


def opportunity_path(opportunity_id: int, template: str = wire.OPPORTUNITY_READ) -> str:
    return wire.fill(template, opportunity_id=checked_id("opportunity", opportunity_id))


def symbol_path(template: str, symbol: str) -> str:
    """``template`` (a ``{symbol:path}`` route) for ``symbol``; see :func:`symbol_segment`."""
    return wire.fill(template, symbol=symbol_segment(symbol))


def symbol_segment(symbol: str) -> str:
    """The ticker as the last part of a path, refused as the service refuses it.

    A class-share ticker keeps its slash (``/market/quotes/BRK/B``): the server's
    symbol routes take the rest of the path. The ticker rules (each part starts with
    a letter or digit, one ``/`` at most, between two parts) leave nothing that a URL
    would resolve or merge on the way: no empty, ``.`` or ``..`` part.
    """
    return quote(normalize_symbol(symbol), safe="/")
