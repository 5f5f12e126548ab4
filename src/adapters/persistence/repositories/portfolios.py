"""The portfolio and wheel repositories (wheels carry the revision of their history)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from adapters.persistence import tables
from adapters.persistence.repositories.base import SqlRepository
from wheel_core.domain.entities import Portfolio, Wheel
from wheel_core.domain.errors import ConflictError


class SqlPortfolioRepository(SqlRepository):
    table, what = tables.portfolios, "portfolio"

    async def add(self, portfolio: Portfolio) -> Portfolio:
        if await self.get_by_name(portfolio.name) is not None:
            raise ConflictError(f"a portfolio named {portfolio.name!r} already exists")
        return await self._insert(portfolio)

    async def get(self, portfolio_id: int) -> Portfolio | None:
        return await self._get(Portfolio, portfolio_id)

    async def get_by_name(self, name: str) -> Portfolio | None:
        found = await self._all(Portfolio, select(self.table).where(self.table.c.name == name))
        return found[0] if found else None

    async def list(self) -> list[Portfolio]:
        return await self._all(Portfolio, select(self.table).order_by(self.table.c.id))

    async def update(self, portfolio: Portfolio) -> None:
        await self._update(portfolio)

    async def delete(self, portfolio_id: int) -> None:
        await self._delete(portfolio_id)


class SqlWheelRepository(SqlRepository):
    table, what = tables.wheels, "wheel"

    async def add(self, wheel: Wheel) -> Wheel:
        return await self._insert(wheel)

    async def get(self, wheel_id: int) -> Wheel | None:
        return await self._get(Wheel, wheel_id)

    async def find_active(self, portfolio_id: int, symbol: str) -> Wheel | None:
        found = await self.list(portfolio_id=portfolio_id, symbol=symbol, active=True)
        return found[0] if found else None

    async def list(
        self,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = None,
    ) -> list[Wheel]:
        statement = self._filtered(select(self.table), portfolio_id, symbol, active)
        return await self._all(Wheel, statement)

    async def revisions(
        self,
        *,
        portfolio_id: int | None = None,
        symbol: str | None = None,
        active: bool | None = None,
    ) -> dict[int, int]:
        c = self.table.c
        statement = self._filtered(select(c.id, c.revision), portfolio_id, symbol, active)
        rows = (await self._connection.execute(statement)).all()
        return {int(wheel_id): int(revision) for wheel_id, revision in rows}

    def _filtered(
        self,
        statement: Select[Any],
        portfolio_id: int | None,
        symbol: str | None,
        active: bool | None,
    ) -> Select[Any]:
        c = self.table.c
        if portfolio_id is not None:
            statement = statement.where(c.portfolio_id == portfolio_id)
        if symbol is not None:
            statement = statement.where(c.symbol == symbol)
        if active is not None:
            statement = statement.where(c.active == active)
        return statement.order_by(c.id)

    async def update(self, wheel: Wheel) -> None:
        await self._update(wheel)

    async def delete(self, wheel_id: int) -> None:
        await self._delete(wheel_id)
