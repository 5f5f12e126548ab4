"""Portfolios: creating, naming, the default one, deleting, and each one's summary.

The bookkeeping room for portfolios (see :mod:`wheel_core.app.context` for the
layout). Each use case opens its own unit of work, so a refused request writes
nothing. One portfolio is always the default: legacy data and symbol-only
commands land there.
"""

from __future__ import annotations

from decimal import Decimal

from wheel_core.app import lookups
from wheel_core.app.book import erase
from wheel_core.app.commands import CreatePortfolio, UpdatePortfolio
from wheel_core.app.context import AppContext
from wheel_core.app.views import PortfolioSummary
from wheel_core.domain.entities import Portfolio
from wheel_core.domain.errors import ConflictError, NotFoundError
from wheel_core.domain.money import cents
from wheel_core.ports import UnitOfWork


class Portfolios:
    """Portfolio use cases; see the module docstring."""

    def __init__(self, context: AppContext) -> None:
        self._context = context

    async def ensure_default_portfolio(self) -> Portfolio:
        """The default portfolio always exists; legacy data and symbol-only commands land there."""
        async with self._context.write() as uow:
            portfolio = await lookups.default_portfolio(uow, self._context.now())
            await uow.commit()
            return portfolio

    async def create_portfolio(self, command: CreatePortfolio) -> Portfolio:
        async with self._context.write() as uow:
            name = command.name.strip()
            if await uow.portfolios.get_by_name(name) is not None:
                raise ConflictError(f"a portfolio named {name!r} already exists")
            if command.is_default:
                await _clear_default(uow)
            portfolio = await uow.portfolios.add(
                Portfolio(
                    name=name,
                    description=command.description,
                    capital=command.capital,
                    is_default=command.is_default,
                    created_at=self._context.now(),
                )
            )
            await uow.commit()
            return portfolio

    async def list_portfolios(self) -> list[Portfolio]:
        async with self._context.read() as uow:
            return await uow.portfolios.list()

    async def get_portfolio(self, portfolio_id: int) -> Portfolio:
        async with self._context.read() as uow:
            return await lookups.portfolio(uow, portfolio_id)

    async def get_portfolio_by_name(self, name: str) -> Portfolio:
        async with self._context.read() as uow:
            portfolio = await uow.portfolios.get_by_name(name.strip())
            if portfolio is None:
                raise NotFoundError("portfolio", name)
            return portfolio

    async def update_portfolio(self, portfolio_id: int, command: UpdatePortfolio) -> Portfolio:
        async with self._context.write() as uow:
            portfolio = await lookups.portfolio(uow, portfolio_id)
            if command.name is not None and command.name.strip() != portfolio.name:
                name = command.name.strip()
                if await uow.portfolios.get_by_name(name) is not None:
                    raise ConflictError(f"a portfolio named {name!r} already exists")
                portfolio.name = name
            if command.description is not None:
                portfolio.description = command.description
            if command.capital is not None:
                portfolio.capital = command.capital
            if command.is_default is True and not portfolio.is_default:
                await _clear_default(uow)
                portfolio.is_default = True
            elif command.is_default is False and portfolio.is_default:
                raise ConflictError(
                    "one portfolio is always the default: make another one the default instead"
                )
            await uow.portfolios.update(portfolio)
            await uow.commit()
            return portfolio

    async def set_default_portfolio(self, portfolio_id: int) -> Portfolio:
        return await self.update_portfolio(portfolio_id, UpdatePortfolio(is_default=True))

    async def delete_portfolio(self, portfolio_id: int, *, cascade: bool = False) -> None:
        """Delete a portfolio; one that still has wheels is refused unless ``cascade``."""
        async with self._context.write() as uow:
            portfolio = await lookups.portfolio(uow, portfolio_id)
            if portfolio.is_default:
                raise ConflictError("the default portfolio cannot be deleted")
            wheels = await uow.wheels.list(portfolio_id=portfolio_id)
            if wheels and not cascade:
                raise ConflictError(
                    f"portfolio {portfolio.name!r} still has {len(wheels)} wheel(s); "
                    "archive or delete them first, or delete with cascade"
                )
            for wheel in wheels:
                await erase(uow, wheel)
            await uow.portfolios.delete(portfolio_id)
            await uow.commit()

    async def portfolio_summary(self, portfolio_id: int) -> PortfolioSummary:
        async with self._context.read() as uow:
            portfolio = await lookups.portfolio(uow, portfolio_id)
            books = await self._context.histories.books(uow, portfolio_id=portfolio_id)
            wheels = [book.wheel for book in books]
            trades = [trade for book in books for trade in book.trades]
            share_gain = sum((book.holdings.realized_share_gain for book in books), Decimal(0))
            closed = [t for t in trades if not t.is_open]
            return PortfolioSummary(
                portfolio=portfolio,
                wheels=len(wheels),
                active_wheels=sum(1 for w in wheels if w.active),
                open_trades=len(trades) - len(closed),
                capital_allocated=sum((w.capital for w in wheels if w.active), Decimal(0)),
                total_premium=cents(sum((t.total_premium for t in trades), Decimal(0))),
                realized_pnl=cents(sum((t.pnl for t in closed), Decimal(0)) + share_gain),
            )


async def _clear_default(uow: UnitOfWork) -> None:
    for portfolio in await uow.portfolios.list():
        if portfolio.is_default:
            portfolio.is_default = False
            await uow.portfolios.update(portfolio)


__all__ = ["Portfolios"]
