"""Finding stored things inside a use case's unit of work: by id, by name, by symbol.

Each lookup raises the domain's ``NotFoundError`` for what is not there, so every
room says "not found" the same way. The queries' symbols are tickers
(:func:`ticker_query`): "aapl" finds AAPL's trades and snapshots.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

import msgspec

from wheel_core.app.book import Book
from wheel_core.app.histories import WheelHistories
from wheel_core.domain.checks import normalize_symbol
from wheel_core.domain.entities import DEFAULT_PORTFOLIO, Portfolio, Trade, Wheel
from wheel_core.domain.errors import NotFoundError
from wheel_core.ports import SnapshotQuery, TradeQuery, UnitOfWork

Q = TypeVar("Q", TradeQuery, SnapshotQuery)


def ticker_query(query: Q) -> Q:
    """The query with its symbol as a ticker, as list_wheels and find_wheel take it:
    "aapl" finds AAPL's trades and snapshots; text that is no ticker is refused."""
    if query.symbol is None:
        return query
    return msgspec.structs.replace(query, symbol=normalize_symbol(query.symbol))


async def portfolio(uow: UnitOfWork, portfolio_id: int) -> Portfolio:
    found = await uow.portfolios.get(portfolio_id)
    if found is None:
        raise NotFoundError("portfolio", portfolio_id)
    return found


async def trade(uow: UnitOfWork, trade_id: int) -> Trade:
    found = await uow.trades.get(trade_id)
    if found is None:
        raise NotFoundError("trade", trade_id)
    return found


async def default_portfolio(uow: UnitOfWork, now: datetime) -> Portfolio:
    """The default portfolio, marked or created (at ``now``) if need be: it always exists."""
    found = await existing_default(uow)
    if found is None:
        return await uow.portfolios.add(
            Portfolio(name=DEFAULT_PORTFOLIO, is_default=True, created_at=now)
        )
    if not found.is_default:
        found.is_default = True
        await uow.portfolios.update(found)
    return found


async def existing_default(uow: UnitOfWork) -> Portfolio | None:
    """The default portfolio if it exists yet, found by reading only: the one marked
    default, else the one named ``default`` (not marked yet: a legacy import's)."""
    portfolios = await uow.portfolios.list()
    marked = [p for p in portfolios if p.is_default]
    named = [p for p in portfolios if p.name == DEFAULT_PORTFOLIO]
    return next(iter(marked or named), None)


async def portfolio_named(uow: UnitOfWork, name: str | None) -> Portfolio | None:
    """The portfolio a symbol-addressed command means, read only: ``name`` (a missing
    one is ``NotFoundError``), else the default one if it exists yet."""
    if name is None:
        return await existing_default(uow)
    found = await uow.portfolios.get_by_name(name.strip())
    if found is None:
        raise NotFoundError("portfolio", name.strip())
    return found


async def wheel_by_symbol(
    uow: UnitOfWork, symbol: str, portfolio: str | None, include_archived: bool
) -> Wheel:
    """The wheel on the ticker ``symbol`` in the portfolio named ``portfolio`` (the
    default one when ``None``): the active one, else with ``include_archived`` the latest
    archived. Never writes: a missing default portfolio is a missing wheel."""
    found = await portfolio_named(uow, portfolio)
    kind = "wheel" if include_archived else "active wheel"
    where = f"{symbol} in {found.name if found is not None else DEFAULT_PORTFOLIO}"
    if found is None or found.id is None:
        raise NotFoundError(kind, where)
    wheel = await uow.wheels.find_active(found.id, symbol)
    if wheel is None and include_archived:
        archived = await uow.wheels.list(portfolio_id=found.id, symbol=symbol)
        wheel = archived[-1] if archived else None
    if wheel is None or wheel.id is None:
        raise NotFoundError(kind, where)
    return wheel


async def books(
    histories: WheelHistories,
    uow: UnitOfWork,
    *,
    portfolio_id: int | None,
    active: bool | None,
) -> list[Book]:
    """The kept books of a portfolio's wheels (every portfolio's when ``None``); an
    unknown portfolio is ``NotFoundError``, not an empty list."""
    if portfolio_id is not None:
        await portfolio(uow, portfolio_id)
    return await histories.books(uow, portfolio_id=portfolio_id, active=active)


__all__ = [
    "books",
    "default_portfolio",
    "portfolio",
    "portfolio_named",
    "ticker_query",
    "trade",
    "wheel_by_symbol",
]
