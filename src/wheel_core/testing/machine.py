"""The stateful wheel machine: random event sequences through the facade, invariants after each.

:class:`WheelLifecycleMachine` is a hypothesis ``RuleBasedStateMachine``. Each
step draws an arbitrary event — allowed or not — applies it through
:class:`~wheel_core.app.WheelService`, and compares the outcome with a small
independent model of the wheel written in plain arithmetic:

* an event the model allows must succeed; one it forbids must be refused with a
  ``DomainError`` and leave the store exactly as it was;
* after every step the DESIGN invariants hold: shares ≥ 0 and a multiple of
  100 while an option is open, at most one open option, puts cash-secured,
  calls covered, realized P&L = closed trades' option P&L + share gains (to
  the cent, as the model computes it), and replaying the stored history
  rebuilds the stored wheel.

To run it against a real adapter, subclass and override :meth:`make_uow_factory`
(and :meth:`snapshot_store` if your store cannot be compared by value).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from wheel_core.app.commands import OpenWheel
from wheel_core.app.service import WheelService
from wheel_core.domain.entities import ShareMove, Trade, Wheel
from wheel_core.domain.enums import OptionType, WheelState
from wheel_core.domain.errors import DomainError
from wheel_core.domain.lifecycle import replay
from wheel_core.domain.money import CONTRACT_MULTIPLIER, cents
from wheel_core.ports import TradeQuery, UnitOfWorkFactory
from wheel_core.testing.driver import apply_event
from wheel_core.testing.fakes.clock import FakeClock
from wheel_core.testing.fakes.unit_of_work import InMemoryUnitOfWorkFactory
from wheel_core.testing.strategies import (
    Assign,
    Close,
    Expire,
    ImportShares,
    Roll,
    SellCall,
    SellPut,
    SellShares,
    Wait,
    WheelEvent,
    wheel_events,
)

CAPITAL = Decimal(50_000)
R = TypeVar("R")


class WheelModel:
    """What a trader with a notebook expects, independent of the core's code."""

    def __init__(self, capital: Decimal) -> None:
        self.capital = capital
        self.state = WheelState.IDLE
        self.shares = 0
        self.share_cost = Decimal(0)
        """Total purchase cost of the shares held."""
        self.open: tuple[OptionType, Decimal, Decimal, int] | None = None
        """(type, strike, premium, contracts) of the open option."""
        self.option_pnl = Decimal(0)
        self.share_gain = Decimal(0)

    def accepts(self, event: WheelEvent) -> bool:
        match event:
            case Wait():
                return True
            case SellPut():
                collateral = event.strike * CONTRACT_MULTIPLIER * event.contracts
                return self.state is WheelState.IDLE and collateral <= self.capital
            case SellCall():
                return (
                    self.state is WheelState.HOLDING_SHARES
                    and event.contracts <= self.shares // CONTRACT_MULTIPLIER
                )
            case ImportShares():
                return self.state is WheelState.IDLE
            case SellShares():
                return self.state is WheelState.HOLDING_SHARES
            case Roll():
                if self.open is None:
                    return False
                option_type, _, _, contracts = self.open
                collateral = event.strike * CONTRACT_MULTIPLIER * contracts
                return option_type is OptionType.CALL or collateral <= self.capital
            case Expire() | Close() | Assign():
                return self.open is not None
        return False  # pragma: no cover

    def apply(self, event: WheelEvent) -> None:
        match event:
            case SellPut():
                self.open = (OptionType.PUT, event.strike, event.premium, event.contracts)
                self.state = WheelState.PUT_OPEN
            case SellCall():
                self.open = (OptionType.CALL, event.strike, event.premium, event.contracts)
                self.state = WheelState.CALL_OPEN
            case ImportShares():
                self.shares, self.share_cost = event.shares, event.cost_basis * event.shares
                self.state = WheelState.HOLDING_SHARES
            case SellShares():
                self.share_gain += event.price * self.shares - self.share_cost
                self.shares, self.share_cost = 0, Decimal(0)
                self.state = WheelState.IDLE
            case Roll():
                assert self.open is not None
                option_type, _, premium, contracts = self.open
                self.option_pnl += (premium - event.close_price) * CONTRACT_MULTIPLIER * contracts
                self.open = (option_type, event.strike, event.premium, contracts)
            case Close():
                self._end(buyback=event.price, exercised=False)
            case Assign():
                self._end(buyback=Decimal(0), exercised=True)
            case Expire():
                assert self.open is not None
                option_type, strike, _, _ = self.open
                itm = (
                    event.price < strike if option_type is OptionType.PUT else event.price > strike
                )
                self._end(
                    buyback=Decimal(0), exercised=event.assigned if event.price == strike else itm
                )

    def _end(self, *, buyback: Decimal, exercised: bool) -> None:
        assert self.open is not None
        option_type, strike, premium, contracts = self.open
        self.option_pnl += (premium - buyback) * CONTRACT_MULTIPLIER * contracts
        self.open = None
        moved = contracts * CONTRACT_MULTIPLIER
        if exercised and option_type is OptionType.PUT:
            self.shares += moved
            self.share_cost += strike * moved
        elif exercised:
            average = self.share_cost / self.shares
            self.share_gain += (strike - average) * moved
            self.share_cost -= average * moved
            self.shares -= moved
        self.state = WheelState.HOLDING_SHARES if self.shares else WheelState.IDLE

    @property
    def realized(self) -> Decimal:
        return self.option_pnl + self.share_gain


class WheelLifecycleMachine(RuleBasedStateMachine):
    """Random wheel histories through the facade; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.clock = FakeClock(datetime(2026, 1, 5, 15, 0, tzinfo=UTC))
        self.uow = self.make_uow_factory()
        self.service = WheelService(self.uow, self.clock)
        self.model = WheelModel(CAPITAL)
        wheel = self.run(self.service.open_wheel(OpenWheel(symbol="WHL", capital=CAPITAL)))
        self.wheel_id = wheel.id

    def make_uow_factory(self) -> UnitOfWorkFactory:
        self.store_factory = InMemoryUnitOfWorkFactory()
        return self.store_factory

    def snapshot_store(self) -> object:
        """A value that changes whenever anything is written: here, the store's commit count
        (every write of the facade is one commit, and uncommitted work is discarded)."""
        return self.store_factory.store.commits

    def run(self, coroutine: Coroutine[Any, Any, R]) -> R:
        return self.loop.run_until_complete(coroutine)

    def teardown(self) -> None:
        self.loop.close()

    @rule(event=wheel_events())
    def step(self, event: WheelEvent) -> None:
        expected = self.model.accepts(event)
        before = self.snapshot_store()
        try:
            self.run(apply_event(self.service, self.clock, self.wheel_id, event))
        except DomainError as error:
            assert not expected, f"{event!r} was refused ({error}) but should be allowed"
            assert self.snapshot_store() == before, f"refused {event!r} still wrote"
            assert error.message
            return
        assert expected, f"{event!r} was accepted but should be refused in {self.model.state}"
        self.model.apply(event)

    @invariant()
    def matches_model_and_invariants(self) -> None:
        wheel = self.run(self.service.get_wheel(self.wheel_id))
        model = self.model
        assert wheel.state is model.state
        assert wheel.shares == model.shares >= 0
        if wheel.state in (WheelState.PUT_OPEN, WheelState.CALL_OPEN):
            assert wheel.shares % CONTRACT_MULTIPLIER == 0
            assert wheel.open_trade is not None
            if wheel.open_trade.option_type is OptionType.PUT:
                collateral = (
                    wheel.open_trade.strike * CONTRACT_MULTIPLIER * wheel.open_trade.contracts
                )
                assert collateral <= wheel.capital
            else:
                assert wheel.open_trade.contracts * CONTRACT_MULTIPLIER <= wheel.shares
        trades = self.run(self.service.list_trades(TradeQuery(wheel_id=self.wheel_id))).items
        assert sum(1 for t in trades if t.is_open) <= 1
        closed_pnl = sum((t.pnl for t in trades if t.pnl is not None), Decimal(0))
        history = self.run(self.service.wheel_history(self.wheel_id))
        share_gain = sum((s.gain for s in history.sales), Decimal(0))
        assert wheel.realized_pnl == cents(closed_pnl + share_gain) == cents(model.realized)

    @invariant()
    def replay_rebuilds_the_stored_wheel(self) -> None:
        async def load() -> tuple[Wheel | None, list[Trade], list[ShareMove]]:
            async with self.uow() as uow:
                return (
                    await uow.wheels.get(self.wheel_id),
                    await uow.trades.list(TradeQuery(wheel_id=self.wheel_id)),
                    await uow.share_moves.list_for_wheel(self.wheel_id),
                )

        wheel, trades, moves = self.run(load())
        assert wheel is not None
        rebuilt = replay(trades, moves)
        assert (rebuilt.state, rebuilt.shares, rebuilt.cost_basis) == (
            wheel.state,
            wheel.shares,
            wheel.cost_basis,
        )
