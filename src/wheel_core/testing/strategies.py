"""Hypothesis strategies for the wheel's domain.

Use them to test an adapter or plugin with the same kinds of data the core's
own properties use: tickers, exact money, option chains, trades, and
sequences of wheel events — valid ones (each allowed by the state the
previous ones led to) and arbitrary ones (which the core must refuse cleanly).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import msgspec
from hypothesis import strategies as st

from wheel_core.domain.enums import OptionType, Outcome, RiskProfile, WheelState
from wheel_core.domain.money import CONTRACT_MULTIPLIER
from wheel_core.market import OptionChain, OptionQuote

COMMON_SYMBOLS = ("AAPL", "MSFT", "SPY", "QQQ", "AMD", "F", "T", "KO", "BRK.B", "SOFI")


def symbols() -> st.SearchStrategy[str]:
    """Well-known tickers and random 1–5 letter ones."""
    return st.one_of(
        st.sampled_from(COMMON_SYMBOLS),
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=5),
    )


def money(
    min_value: Decimal | int | str = "0.01",
    max_value: Decimal | int | str = "10000",
    places: int = 2,
) -> st.SearchStrategy[Decimal]:
    """Exact amounts with ``places`` decimals — never a float."""
    return st.decimals(
        min_value=Decimal(min_value),
        max_value=Decimal(max_value),
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


def strikes(min_value: str = "1", max_value: str = "500") -> st.SearchStrategy[Decimal]:
    """Strikes on the half-dollar grid most equity options list."""
    low, high = int(Decimal(min_value) * 2), int(Decimal(max_value) * 2)
    return st.integers(low, high).map(lambda n: Decimal(n) / 2)


def premiums() -> st.SearchStrategy[Decimal]:
    return money("0.01", "25.00")


def aware_datetimes(
    start: datetime = datetime(2015, 1, 1, tzinfo=UTC),
    end: datetime = datetime(2035, 1, 1, tzinfo=UTC),
) -> st.SearchStrategy[datetime]:
    """UTC instants to the second (as brokers stamp them)."""
    span = int((end - start).total_seconds())
    return st.integers(0, span).map(lambda s: start + timedelta(seconds=s))


def option_chains(
    symbol: str = "TEST",
    spot: Decimal = Decimal(100),
    today: date = date(2026, 1, 5),
) -> st.SearchStrategy[OptionChain]:
    """Plausible chains around ``spot``: weekly expirations, sane bids below asks."""

    @st.composite
    def build(draw: st.DrawFn) -> OptionChain:
        weeks = draw(st.lists(st.integers(1, 8), min_size=1, max_size=4, unique=True))
        step = Decimal(1) if spot < 200 else Decimal(5)
        offsets = draw(st.lists(st.integers(-15, 15), min_size=1, max_size=12, unique=True))
        first_friday = today + timedelta(days=(4 - today.weekday()) % 7)
        options = []
        for week in sorted(weeks):
            expiration = first_friday + timedelta(weeks=week - 1)
            for offset in sorted(offsets):
                strike = spot + step * offset
                if strike <= 0:
                    continue
                for option_type in OptionType:
                    bid = draw(money("0.00", "20.00"))
                    spread = draw(money("0.01", "1.00"))
                    options.append(
                        OptionQuote(
                            option_type=option_type,
                            strike=strike,
                            expiration=expiration,
                            bid=bid,
                            ask=bid + spread,
                            implied_volatility=draw(st.floats(0.05, 1.5)),
                            volume=draw(st.integers(0, 5000)),
                            open_interest=draw(st.integers(0, 20000)),
                        )
                    )
        return OptionChain(
            symbol=symbol,
            underlying_price=spot,
            as_of=datetime.combine(today, datetime.min.time(), tzinfo=UTC),
            options=tuple(options),
            simulated=True,
        )

    return build()


# ── wheel events ─────────────────────────────────────────────────────────


class SellPut(msgspec.Struct, frozen=True, tag=True):
    strike: Decimal
    premium: Decimal
    contracts: int
    days_to_expiry: int


class SellCall(msgspec.Struct, frozen=True, tag=True):
    strike: Decimal
    premium: Decimal
    contracts: int
    days_to_expiry: int


class Expire(msgspec.Struct, frozen=True, tag=True):
    """Expiry at ``price``; ``assigned`` settles a price exactly at the strike."""

    price: Decimal
    assigned: bool


class Close(msgspec.Struct, frozen=True, tag=True):
    price: Decimal


class Assign(msgspec.Struct, frozen=True, tag=True):
    pass


class Roll(msgspec.Struct, frozen=True, tag=True):
    close_price: Decimal
    strike: Decimal
    premium: Decimal
    days_to_expiry: int


class ImportShares(msgspec.Struct, frozen=True, tag=True):
    shares: int
    cost_basis: Decimal


class SellShares(msgspec.Struct, frozen=True, tag=True):
    price: Decimal


class Wait(msgspec.Struct, frozen=True, tag=True):
    days: int


WheelEvent = SellPut | SellCall | Expire | Close | Assign | Roll | ImportShares | SellShares | Wait


def _contracts() -> st.SearchStrategy[int]:
    return st.integers(1, 5)


def wheel_events() -> st.SearchStrategy[WheelEvent]:
    """Any single event, whatever the state: the core must accept or refuse it cleanly."""
    dte = st.integers(0, 60)
    return st.one_of(
        st.builds(SellPut, strikes("5", "200"), premiums(), _contracts(), dte),
        st.builds(SellCall, strikes("5", "200"), premiums(), _contracts(), dte),
        st.builds(Expire, strikes("5", "200"), st.booleans()),
        st.builds(Close, money("0.00", "25.00")),
        st.just(Assign()),
        st.builds(Roll, money("0.00", "25.00"), strikes("5", "200"), premiums(), dte),
        st.builds(
            ImportShares,
            st.integers(1, 5).map(lambda n: n * CONTRACT_MULTIPLIER),
            money("1", "200"),
        ),
        st.builds(SellShares, money("1", "200")),
        st.builds(Wait, st.integers(1, 30)),
    )


def arbitrary_event_sequences(max_size: int = 30) -> st.SearchStrategy[list[WheelEvent]]:
    """Random events in random order: most are refused by the state machine."""
    return st.lists(wheel_events(), max_size=max_size)


def valid_event_sequences(max_size: int = 30) -> st.SearchStrategy[list[WheelEvent]]:
    """Events each allowed by the state the previous ones lead to (puts cash-secured by
    1,000,000 of capital; calls covered by the shares held)."""

    @st.composite
    def build(draw: st.DrawFn) -> list[WheelEvent]:
        state, shares = WheelState.IDLE, 0
        open_strike, open_type, open_contracts = Decimal(0), OptionType.PUT, 0
        events: list[WheelEvent] = []
        for _ in range(draw(st.integers(0, max_size))):
            event: WheelEvent
            if state is WheelState.IDLE:
                event = draw(
                    st.one_of(
                        st.builds(
                            SellPut,
                            strikes("5", "200"),
                            premiums(),
                            _contracts(),
                            st.integers(0, 60),
                        ),
                        st.builds(
                            ImportShares,
                            st.integers(1, 5).map(lambda n: n * 100),
                            money("1", "200"),
                        ),
                    )
                )
            elif state is WheelState.HOLDING_SHARES:
                event = draw(
                    st.one_of(
                        st.builds(
                            SellCall,
                            strikes("5", "200"),
                            premiums(),
                            st.integers(1, shares // 100),
                            st.integers(0, 60),
                        ),
                        st.builds(SellShares, money("1", "200")),
                    )
                )
            else:
                event = draw(
                    st.one_of(
                        st.builds(Expire, strikes("5", "200"), st.booleans()),
                        st.builds(Close, money("0.00", "25.00")),
                        st.just(Assign()),
                        st.builds(
                            Roll,
                            money("0.00", "25.00"),
                            strikes("5", "200"),
                            premiums(),
                            st.integers(0, 60),
                        ),
                    )
                )
            state, shares, open_strike, open_type, open_contracts = _step(
                event, state, shares, open_strike, open_type, open_contracts
            )
            events.append(event)
            if draw(st.booleans()):
                events.append(Wait(draw(st.integers(1, 20))))
        return events

    return build()


def _step(
    event: WheelEvent,
    state: WheelState,
    shares: int,
    strike: Decimal,
    option_type: OptionType,
    contracts: int,
) -> tuple[WheelState, int, Decimal, OptionType, int]:
    """Where a valid event leads, for generating the next one."""
    match event:
        case SellPut():
            return WheelState.PUT_OPEN, shares, event.strike, OptionType.PUT, event.contracts
        case SellCall():
            return WheelState.CALL_OPEN, shares, event.strike, OptionType.CALL, event.contracts
        case ImportShares():
            return WheelState.HOLDING_SHARES, event.shares, strike, option_type, contracts
        case SellShares():
            return WheelState.IDLE, 0, strike, option_type, contracts
        case Roll():
            return state, shares, event.strike, option_type, contracts
        case Close():
            outcome = Outcome.CLOSED_EARLY
        case Assign():
            outcome = Outcome.ASSIGNED
        case Expire():
            itm = event.price < strike if option_type is OptionType.PUT else event.price > strike
            outcome = (
                Outcome.ASSIGNED
                if (event.assigned if event.price == strike else itm)
                else (Outcome.EXPIRED_WORTHLESS)
            )
        case _:
            return state, shares, strike, option_type, contracts
    moved = contracts * CONTRACT_MULTIPLIER if outcome is Outcome.ASSIGNED else 0
    if option_type is OptionType.PUT:
        new_shares = shares + moved
        return (
            (WheelState.HOLDING_SHARES if new_shares else WheelState.IDLE),
            new_shares,
            strike,
            option_type,
            contracts,
        )
    new_shares = shares - moved
    return (
        (WheelState.HOLDING_SHARES if new_shares else WheelState.IDLE),
        new_shares,
        strike,
        option_type,
        contracts,
    )


def risk_profiles() -> st.SearchStrategy[RiskProfile]:
    return st.sampled_from(list(RiskProfile))
