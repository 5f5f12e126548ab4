"""What the storage suites share: the fixture to provide, one instant, and record builders.

:class:`StorageSuite` is the base of every unit-of-work suite in this package, so each
of them asks for the same ``uow_factory`` fixture and says so plainly when it is
missing. :data:`T0` is the one fixed instant the suites write (no test reads the real
clock); the builders make the smallest valid portfolio, wheel and trade.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from wheel_core.domain.entities import Portfolio, Trade, Wheel
from wheel_core.domain.enums import OptionType
from wheel_core.ports import UnitOfWork, UnitOfWorkFactory

T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


@pytest.mark.asyncio
class StorageSuite:
    """Asks for ``uow_factory``: a callable giving a fresh unit of work on one store."""

    @pytest.fixture
    def uow_factory(self) -> UnitOfWorkFactory:
        raise NotImplementedError("provide a uow_factory fixture for your adapter")


async def add_portfolio(uow: UnitOfWork, name: str = "main") -> Portfolio:
    return await uow.portfolios.add(Portfolio(name=name, created_at=T0))


async def add_wheel(uow: UnitOfWork, portfolio_id: int, symbol: str = "AAPL") -> Wheel:
    return await uow.wheels.add(
        Wheel(portfolio_id=portfolio_id, symbol=symbol, created_at=T0, updated_at=T0)
    )


def new_trade(wheel_id: int, symbol: str = "AAPL", **changes: object) -> Trade:
    """An open one-contract put on ``symbol``; ``changes`` override any field."""
    fields: dict[str, object] = {
        "wheel_id": wheel_id,
        "symbol": symbol,
        "option_type": OptionType.PUT,
        "strike": Decimal("100"),
        "expiration": date(2026, 1, 16),
        "premium": Decimal("2.00"),
        "contracts": 1,
        "opened_at": T0,
    }
    fields.update(changes)
    return Trade(**fields)  # type: ignore[arg-type]
