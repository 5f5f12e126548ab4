"""Where each use case's request goes: paths with their ids and tickers, and the query
parameters a trade or snapshot query becomes.

Ids and tickers are checked here with the rules the service applies, so a value the
API would refuse as malformed (a 400 naming a parameter) fails instead exactly as
``WheelService`` fails on it: an id that names nothing is not found, a ticker that
is no ticker is a ``ValidationError`` with the core's message.
"""

from __future__ import annotations

from urllib.parse import quote

from adapters.cli.remote.client import Param
from wheel_core.domain.checks import MAX_ID, normalize_symbol
from wheel_core.domain.errors import NotFoundError
from wheel_core.ports import AlertQuery, OpportunityQuery, SnapshotQuery, TradeQuery


def trade_filters(query: TradeQuery) -> dict[str, Param]:
    """Every filter of ``query`` as the API's query parameters (paging apart)."""
    return {
        "wheel_id": query.wheel_id,
        "portfolio_id": query.portfolio_id,
        "symbol": query.symbol,
        "option_type": query.option_type,
        "outcome": query.outcome,
        "is_open": query.is_open,
        "opened_from": query.opened_from,
        "opened_to": query.opened_to,
    }


def snapshot_filters(query: SnapshotQuery) -> dict[str, Param]:
    return {
        "wheel_id": query.wheel_id,
        "portfolio_id": query.portfolio_id,
        "symbol": query.symbol,
        "day_from": query.day_from,
        "day_to": query.day_to,
    }


def alert_filters(query: AlertQuery) -> dict[str, Param]:
    return {
        "acknowledged": query.acknowledged,
        "kind": query.kind,
        "wheel_id": query.wheel_id,
        "min_level": query.min_level,
        "created_from": query.created_from,
        "created_to": query.created_to,
    }


def opportunity_filters(query: OpportunityQuery) -> dict[str, Param]:
    return {
        "unread": True if query.unread_only else None,
        "symbol": query.symbol,
        "source": query.source,
        "option_type": query.option_type,
    }


def checked_id(kind: str, key: int) -> int:
    """``key`` if the API can take it as an id; otherwise the not-found the service
    raises for an id that names nothing (the API would answer a 400 instead)."""
    if not 1 <= key <= MAX_ID:
        raise NotFoundError(kind, key)
    return key


def portfolio_path(portfolio_id: int) -> str:
    return f"/portfolios/{checked_id('portfolio', portfolio_id)}"


def wheel_path(wheel_id: int) -> str:
    return f"/wheels/{checked_id('wheel', wheel_id)}"


def trade_path(trade_id: int) -> str:
    return f"/trades/{checked_id('trade', trade_id)}"


def alert_path(alert_id: int) -> str:
    return f"/alerts/{checked_id('alert', alert_id)}"


def opportunity_path(opportunity_id: int) -> str:
    return f"/opportunities/{checked_id('opportunity', opportunity_id)}"


def symbol_segment(symbol: str) -> str:
    """The ticker as the last part of a path, refused as the service refuses it.

    A class-share ticker keeps its slash (``/market/quotes/BRK/B``): the server's
    symbol routes take the rest of the path. The ticker rules (each part starts with
    a letter or digit, one ``/`` at most, between two parts) leave nothing that a URL
    would resolve or merge on the way: no empty, ``.`` or ``..`` part.
    """
    return quote(normalize_symbol(symbol), safe="/")
