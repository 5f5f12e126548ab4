"""Performance: the figures a trader checks by hand, per wheel, per symbol and in total."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wheel_core.domain.entities import ShareMove, Snapshot, Trade, Wheel
from wheel_core.domain.enums import OptionType, Outcome, ShareMoveKind, WheelState
from wheel_core.domain.errors import ValidationError
from wheel_core.domain.lifecycle import replay
from wheel_core.performance import (
    Period,
    PricedBook,
    aggregate,
    chain_pnl,
    pnl_history,
    wheel_performance,
)

D = Decimal
PUT, CALL = OptionType.PUT, OptionType.CALL
CREATED = datetime(2025, 12, 1, tzinfo=UTC)


def at(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def trade(
    id: int,
    option_type: OptionType,
    strike: str,
    premium: str,
    contracts: int,
    opened: date,
    expiration: date,
    *,
    closed: date | None = None,
    outcome: Outcome | None = None,
    close_price: str | None = None,
    fees: str = "0",
    wheel_id: int = 1,
    symbol: str = "AAPL",
    chain_id: int | None = None,
) -> Trade:
    return Trade(
        id=id,
        wheel_id=wheel_id,
        symbol=symbol,
        option_type=option_type,
        strike=D(strike),
        expiration=expiration,
        premium=D(premium),
        contracts=contracts,
        opened_at=at(opened),
        fees=D(fees),
        closed_at=at(closed, 21) if closed else None,
        outcome=outcome,
        close_price=D(close_price) if close_price is not None else None,
        chain_id=chain_id,
        rolled_from_id=chain_id,
    )


def book(
    trades: Sequence[Trade],
    moves: Sequence[ShareMove] = (),
    *,
    wheel_id: int = 1,
    symbol: str = "AAPL",
    portfolio_id: int = 1,
    price: str | None = None,
    marks: dict[int, Decimal] | None = None,
) -> PricedBook:
    wheel = Wheel(
        id=wheel_id,
        portfolio_id=portfolio_id,
        symbol=symbol,
        created_at=CREATED,
        updated_at=CREATED,
    )
    return PricedBook(
        wheel=wheel,
        trades=tuple(trades),
        holdings=replay(trades, moves),
        price=D(price) if price is not None else None,
        option_marks=marks or {},
    )


# DESIGN §3 worked example: 3 puts at 100 for 2.00, assigned at 95;
# 3 calls at 105 for 1.50, called away at 110.
WORKED_PUT = trade(
    1, PUT, "100", "2.00", 3, date(2026, 1, 2), date(2026, 1, 16),
    closed=date(2026, 1, 16), outcome=Outcome.ASSIGNED,
)  # fmt: skip
WORKED_CALL = trade(
    2, CALL, "105", "1.50", 3, date(2026, 1, 20), date(2026, 2, 6),
    closed=date(2026, 2, 6), outcome=Outcome.CALLED_AWAY,
)  # fmt: skip
TODAY = date(2026, 2, 20)


def worked_example() -> PricedBook:
    put = msgspec.structs.replace(WORKED_PUT, price_at_expiry=D(95))
    call = msgspec.structs.replace(WORKED_CALL, price_at_expiry=D(110))
    return book([put, call])


class TestWorkedExample:
    def test_premium_share_gain_and_realized_pnl(self) -> None:
        perf = wheel_performance(worked_example(), Period.ALL, TODAY)
        assert perf.total_premium == D("1050.00")  # 600 + 450
        assert perf.option_pnl == D("1050.00")
        assert perf.share_gain == D("1500.00")  # (105 − 100) × 300
        assert perf.realized_pnl == D("2550.00")
        assert perf.unrealized_pnl == D("0.00")
        assert str(perf.realized_pnl) == "2550.00"

    def test_replay_leaves_the_wheel_idle_with_one_sale(self) -> None:
        holdings = worked_example().holdings
        assert holdings.state is WheelState.IDLE
        assert holdings.shares == 0
        assert [sale.gain for sale in holdings.sales] == [D("1500.00")]

    def test_both_trades_win_and_every_put_and_call_ended_exercised(self) -> None:
        perf = wheel_performance(worked_example(), Period.ALL, TODAY)
        assert (perf.trades_closed, perf.wins, perf.win_rate) == (2, 2, D("1.0000"))
        assert (perf.puts_ended, perf.assigned, perf.assignment_rate) == (1, 1, D("1.0000"))
        assert (perf.calls_ended, perf.called_away, perf.call_away_rate) == (1, 1, D("1.0000"))

    def test_average_days_held(self) -> None:
        # Put: Jan 2 → Jan 16 = 14 days; call: Jan 20 → Feb 6 = 17 days.
        perf = wheel_performance(worked_example(), Period.ALL, TODAY)
        assert perf.average_days_held == D("15.5")

    def test_annualized_return_on_collateral(self) -> None:
        # Put collateral 100 × 300 = 30,000 for 14 days; the call covers shares
        # bought at 100: 30,000 for 17 days. 2,550 × 365 / 930,000 = 1.000806…
        perf = wheel_performance(worked_example(), Period.ALL, TODAY)
        assert perf.annualized_return_on_collateral == D("1.0008")


class TestOptionPnl:
    def test_buy_back_and_fees_come_off_the_premium(self) -> None:
        # 200 premium − 50 buy-back − 1.30 fees = 148.70
        closed = trade(
            1, PUT, "50", "2.00", 1, date(2026, 1, 5), date(2026, 1, 30),
            closed=date(2026, 1, 12), outcome=Outcome.CLOSED_EARLY,
            close_price="0.50", fees="1.30",
        )  # fmt: skip
        perf = wheel_performance(book([closed]), Period.ALL, TODAY)
        assert perf.option_pnl == D("148.70")
        assert perf.realized_pnl == D("148.70")
        assert perf.total_premium == D("200.00")

    def test_a_trade_bought_back_at_a_loss_is_not_a_win(self) -> None:
        loser = trade(
            1, PUT, "50", "1.00", 1, date(2026, 1, 5), date(2026, 1, 30),
            closed=date(2026, 1, 12), outcome=Outcome.CLOSED_EARLY, close_price="1.40",
        )  # fmt: skip
        perf = wheel_performance(book([loser]), Period.ALL, TODAY)
        assert perf.option_pnl == D("-40.00")
        assert (perf.wins, perf.win_rate) == (0, D("0.0000"))

    def test_a_trade_closed_for_exactly_its_premium_is_not_a_win(self) -> None:
        flat = trade(
            1, PUT, "50", "1.00", 1, date(2026, 1, 5), date(2026, 1, 30),
            closed=date(2026, 1, 12), outcome=Outcome.CLOSED_EARLY, close_price="1.00",
        )  # fmt: skip
        assert wheel_performance(book([flat]), Period.ALL, TODAY).wins == 0

    def test_a_same_day_trade_held_one_day(self) -> None:
        same_day = trade(
            1, PUT, "50", "1.00", 1, date(2026, 1, 5), date(2026, 1, 30),
            closed=date(2026, 1, 5), outcome=Outcome.CLOSED_EARLY, close_price="0.50",
        )  # fmt: skip
        perf = wheel_performance(book([same_day]), Period.ALL, TODAY)
        assert perf.average_days_held == D("1.0")
        # 50 × 365 / (5,000 × 1) = 3.65
        assert perf.annualized_return_on_collateral == D("3.6500")

    def test_with_no_closed_trades_rates_are_unknown_not_zero(self) -> None:
        open_put = trade(1, PUT, "50", "1.00", 1, date(2026, 2, 2), date(2026, 2, 27))
        perf = wheel_performance(book([open_put]), Period.ALL, TODAY)
        assert perf.trades_closed == 0
        assert perf.win_rate is None
        assert perf.assignment_rate is None
        assert perf.call_away_rate is None
        assert perf.average_days_held is None
        assert perf.annualized_return_on_collateral is None
        assert perf.total_premium == D("100.00")  # sold, so received


class TestRolls:
    def rolled_then_assigned(self) -> list[Trade]:
        # Leg 1: 2.00 premium, bought back at 3.00 to roll (−100).
        # Leg 2: 3.50 premium, assigned (+350).
        leg1 = trade(
            10, PUT, "100", "2.00", 1, date(2026, 1, 2), date(2026, 1, 16),
            closed=date(2026, 1, 15), outcome=Outcome.ROLLED, close_price="3.00",
        )  # fmt: skip
        leg2 = msgspec.structs.replace(
            trade(
                11, PUT, "95", "3.50", 1, date(2026, 1, 15), date(2026, 2, 13),
                closed=date(2026, 2, 13), outcome=Outcome.ASSIGNED, chain_id=10,
            ),
            opened_at=leg1.closed_at,
        )  # fmt: skip
        return [leg1, leg2]

    def test_every_leg_is_a_closed_trade_for_the_win_rate(self) -> None:
        perf = wheel_performance(book(self.rolled_then_assigned()), Period.ALL, TODAY)
        assert perf.option_pnl == D("250.00")
        assert (perf.trades_closed, perf.wins, perf.win_rate) == (2, 1, D("0.5000"))

    def test_a_rolled_leg_is_not_an_ended_put_for_the_assignment_rate(self) -> None:
        perf = wheel_performance(book(self.rolled_then_assigned()), Period.ALL, TODAY)
        assert (perf.puts_ended, perf.assigned, perf.assignment_rate) == (1, 1, D("1.0000"))

    def test_chain_pnl_adds_up_the_legs(self) -> None:
        [chain] = chain_pnl(self.rolled_then_assigned())
        assert chain.chain_id == 10
        assert chain.rolls == 1
        assert [leg.trade_id for leg in chain.legs] == [10, 11]
        assert [leg.pnl for leg in chain.legs] == [D("-100.00"), D("350.00")]
        assert chain.total_premium == D("550.00")
        assert chain.realized_pnl == D("250.00")
        assert not chain.is_open
        assert chain.outcome is Outcome.ASSIGNED


class TestChains:
    def test_a_never_rolled_trade_is_a_chain_of_one(self) -> None:
        [chain] = chain_pnl([WORKED_PUT])
        assert (chain.chain_id, chain.rolls, chain.realized_pnl) == (1, 0, D("600.00"))

    def test_an_open_last_leg_leaves_the_chain_open_and_unrealized(self) -> None:
        leg1 = trade(
            10, CALL, "105", "1.00", 1, date(2026, 1, 2), date(2026, 1, 16),
            closed=date(2026, 1, 15), outcome=Outcome.ROLLED, close_price="1.20",
        )  # fmt: skip
        leg2 = trade(11, CALL, "110", "1.60", 1, date(2026, 1, 15), date(2026, 2, 13), chain_id=10)
        [chain] = chain_pnl([leg2, leg1])  # order of input does not matter
        assert [leg.trade_id for leg in chain.legs] == [10, 11]
        assert chain.legs[1].pnl is None
        assert chain.is_open
        assert chain.outcome is None
        assert chain.realized_pnl == D("-20.00")
        assert chain.total_premium == D("260.00")

    def test_chains_are_ordered_by_their_first_opening(self) -> None:
        chains = chain_pnl([WORKED_CALL, WORKED_PUT])
        assert [chain.chain_id for chain in chains] == [1, 2]

    def test_unsaved_trades_are_refused(self) -> None:
        unsaved = msgspec.structs.replace(WORKED_PUT, id=None)
        with pytest.raises(ValidationError, match="no id"):
            chain_pnl([unsaved])


class TestUnrealized:
    def assigned_then_call_open(self) -> list[Trade]:
        call = trade(2, CALL, "105", "1.50", 3, date(2026, 2, 9), date(2026, 3, 6), fees="1.95")
        return [WORKED_PUT, call]

    def test_open_call_marked_and_shares_at_the_current_price(self) -> None:
        # Call: 450 premium − 0.80 × 300 − 1.95 fees = 208.05
        # Shares: (97.50 − 100) × 300 = −750
        marked = book(self.assigned_then_call_open(), price="97.50", marks={2: D("0.80")})
        perf = wheel_performance(marked, Period.ALL, TODAY)
        assert perf.unrealized_pnl == D("-541.95")
        assert perf.unpriced_positions == 0

    def test_positions_without_a_price_are_left_out_and_counted(self) -> None:
        perf = wheel_performance(book(self.assigned_then_call_open()), Period.ALL, TODAY)
        assert perf.unrealized_pnl == D("0.00")
        assert perf.unpriced_positions == 2

    def test_open_trades_do_not_count_as_realized(self) -> None:
        perf = wheel_performance(book(self.assigned_then_call_open()), Period.ALL, TODAY)
        assert perf.option_pnl == D("600.00")
        assert perf.total_premium == D("1050.00")


class TestCoveredCallCollateral:
    """A covered call's collateral is the purchase cost of the shares it covers."""

    def imported(self, day: date) -> ShareMove:
        return ShareMove(
            id=1,
            wheel_id=1,
            kind=ShareMoveKind.IMPORTED,
            quantity=200,
            price=D(50),
            at=at(day, 14),
        )

    def test_call_over_imported_shares_still_held(self) -> None:
        # 200 premium on 10,000 of shares for 10 days: 200 × 365 / 100,000 = 0.73
        call = trade(
            1, CALL, "55", "1.00", 2, date(2026, 1, 5), date(2026, 1, 15),
            closed=date(2026, 1, 15), outcome=Outcome.EXPIRED_WORTHLESS,
        )  # fmt: skip
        perf = wheel_performance(book([call], [self.imported(date(2026, 1, 2))]), Period.ALL, TODAY)
        assert perf.annualized_return_on_collateral == D("0.7300")

    def test_expired_call_takes_the_cost_of_the_shares_later_called_away(self) -> None:
        # Both calls cover 200 shares bought at 50 (10,000), 10 days each.
        # Realized: 200 + 100 premium + (55 − 50) × 200 = 1,300.
        # 1,300 × 365 / 200,000 = 2.3725
        first = trade(
            1, CALL, "55", "1.00", 2, date(2026, 1, 5), date(2026, 1, 15),
            closed=date(2026, 1, 15), outcome=Outcome.EXPIRED_WORTHLESS,
        )  # fmt: skip
        second = trade(
            2, CALL, "55", "0.50", 2, date(2026, 1, 20), date(2026, 1, 30),
            closed=date(2026, 1, 30), outcome=Outcome.CALLED_AWAY,
        )  # fmt: skip
        perf = wheel_performance(
            book([first, second], [self.imported(date(2026, 1, 2))]), Period.ALL, TODAY
        )
        assert perf.realized_pnl == D("1300.00")
        assert perf.annualized_return_on_collateral == D("2.3725")

    def test_after_assignment_it_is_the_assigning_put_strike(self) -> None:
        # The worked example's call: 300 shares × 100 (the put's strike), not
        # the 105 call strike nor the 95 price at assignment.
        call_only = wheel_performance(worked_example(), Period.DAYS_30, date(2026, 2, 15))
        # Period starts Jan 17: only the call (17 days) and the share sale count.
        # (450 + 1,500) × 365 / (30,000 × 17) = 1.3955…
        assert call_only.annualized_return_on_collateral == D("1.3956")


class TestPeriods:
    @pytest.mark.parametrize(
        ("period", "start"),
        [
            (Period.DAYS_30, date(2026, 3, 2)),
            (Period.DAYS_90, date(2026, 1, 1)),
            (Period.DAYS_365, date(2025, 4, 1)),
            (Period.ALL, None),
        ],
    )
    def test_a_period_ends_today_and_spans_its_days(self, period: Period, start: date) -> None:
        assert period.start(date(2026, 3, 31)) == start

    def test_periods_parse_from_what_users_type(self) -> None:
        assert [Period(v) for v in ("30", "90", "365", "all")] == list(Period)

    def test_a_closed_trade_counts_in_the_period_it_closed_in(self) -> None:
        # Jan 17 – Feb 15: the put closed Jan 16 (out), the call Feb 6 (in).
        perf = wheel_performance(worked_example(), Period.DAYS_30, date(2026, 2, 15))
        assert perf.option_pnl == D("450.00")
        assert perf.trades_closed == 1
        assert perf.assignment_rate is None
        assert perf.call_away_rate == D("1.0000")

    def test_share_gains_count_when_the_sale_happened(self) -> None:
        inside = wheel_performance(worked_example(), Period.DAYS_30, date(2026, 3, 7))
        outside = wheel_performance(worked_example(), Period.DAYS_30, date(2026, 3, 8))
        assert inside.share_gain == D("1500.00")  # Feb 6 is the first day of the window
        assert outside.share_gain == D("0.00")

    def test_premium_counts_when_the_option_was_sold(self) -> None:
        # Jan 17 – Feb 15: the call was sold Jan 20, the put Jan 2.
        perf = wheel_performance(worked_example(), Period.DAYS_30, date(2026, 2, 15))
        assert perf.total_premium == D("450.00")

    def test_unrealized_is_as_of_today_whatever_the_period(self) -> None:
        held = book([WORKED_PUT], price="110")
        perf = wheel_performance(held, Period.DAYS_30, date(2026, 12, 31))
        assert perf.unrealized_pnl == D("3000.00")  # (110 − 100) × 300
        assert perf.realized_pnl == D("0.00")


def simple_wheel(wheel_id: int, symbol: str, premium: str, *, portfolio_id: int = 1) -> PricedBook:
    """One put expired worthless: the wheel's realized P&L is its premium × 100."""
    put = trade(
        wheel_id * 10, PUT, "50", premium, 1, date(2026, 1, 5), date(2026, 1, 16),
        closed=date(2026, 1, 16), outcome=Outcome.EXPIRED_WORTHLESS,
        wheel_id=wheel_id, symbol=symbol,
    )  # fmt: skip
    return book([put], wheel_id=wheel_id, symbol=symbol, portfolio_id=portfolio_id)


class TestAggregate:
    def test_wheels_of_one_symbol_in_two_portfolios_are_one_row(self) -> None:
        books = [
            simple_wheel(1, "AAPL", "1.00", portfolio_id=1),
            simple_wheel(2, "AAPL", "0.50", portfolio_id=2),
            simple_wheel(3, "MSFT", "2.00", portfolio_id=1),
        ]
        report = aggregate(books, Period.ALL, TODAY)
        assert report.wheels == 3
        assert [(r.symbol, r.wheels, r.performance.realized_pnl) for r in report.by_symbol] == [
            ("AAPL", 2, D("150.00")),
            ("MSFT", 1, D("200.00")),
        ]
        assert report.total.realized_pnl == D("350.00")
        assert report.total.trades_closed == 3

    def test_best_and_worst_symbols_by_realized_pnl(self) -> None:
        books = [
            simple_wheel(1, "MSFT", "2.00"),
            simple_wheel(2, "AAPL", "0.50"),
            simple_wheel(3, "KO", "1.00"),
        ]
        report = aggregate(books, Period.ALL, TODAY)
        assert (report.best_symbol, report.worst_symbol) == ("MSFT", "AAPL")

    def test_ties_go_to_the_alphabetically_first_symbol(self) -> None:
        books = [simple_wheel(1, "MSFT", "1.00"), simple_wheel(2, "KO", "1.00")]
        report = aggregate(books, Period.ALL, TODAY)
        assert (report.best_symbol, report.worst_symbol) == ("KO", "KO")

    def test_a_symbol_with_nothing_realized_in_the_period_is_not_ranked(self) -> None:
        idle = book(
            [
                trade(
                    30,
                    PUT,
                    "50",
                    "1.00",
                    1,
                    date(2026, 2, 2),
                    date(2026, 2, 27),
                    wheel_id=3,
                    symbol="ZZZ",
                )
            ],
            wheel_id=3,
            symbol="ZZZ",
        )
        loser = book(
            [
                trade(
                    20, PUT, "50", "1.00", 1, date(2026, 1, 5), date(2026, 1, 30),
                    closed=date(2026, 1, 12), outcome=Outcome.CLOSED_EARLY, close_price="1.40",
                    wheel_id=2, symbol="KO",
                )
            ],
            wheel_id=2,
            symbol="KO",
        )  # fmt: skip
        report = aggregate([simple_wheel(1, "MSFT", "1.00"), idle, loser], Period.ALL, TODAY)
        assert [r.symbol for r in report.by_symbol] == ["KO", "MSFT", "ZZZ"]
        assert (report.best_symbol, report.worst_symbol) == ("MSFT", "KO")

    def test_no_wheels_gives_an_empty_report(self) -> None:
        report = aggregate([], Period.DAYS_90, TODAY)
        assert report.wheels == 0
        assert report.by_symbol == ()
        assert report.total.realized_pnl == D("0.00")
        assert report.best_symbol is None
        assert report.worst_symbol is None
        assert report.start == date(2025, 11, 23)

    def test_rates_in_total_come_from_counts_not_from_averaging_rows(self) -> None:
        # AAPL: 1 assignment in 1 put; MSFT: 0 in 3 → 1 in 4 = 25 %, not 50 %.
        msft = [
            trade(
                20 + i, PUT, "50", "1.00", 1, date(2026, 1, 5 + 7 * i), date(2026, 1, 9 + 7 * i),
                closed=date(2026, 1, 9 + 7 * i), outcome=Outcome.EXPIRED_WORTHLESS,
                wheel_id=2, symbol="MSFT",
            )
            for i in range(3)
        ]  # fmt: skip
        books = [book([WORKED_PUT]), book(msft, wheel_id=2, symbol="MSFT")]
        report = aggregate(books, Period.ALL, TODAY)
        assert report.total.assignment_rate == D("0.2500")


class TestPnlHistory:
    def snap(
        self, wheel_id: int, day: date, realized: str, unrealized: str, hour: int = 21
    ) -> Snapshot:
        return Snapshot(
            wheel_id=wheel_id,
            symbol="AAPL",
            day=day,
            current_price=D(100),
            state=WheelState.PUT_OPEN,
            created_at=at(day, hour),
            realized_pnl=D(realized),
            unrealized_pnl=D(unrealized),
        )

    def test_sums_wheels_per_day_in_date_order(self) -> None:
        day1, day2 = date(2026, 1, 5), date(2026, 1, 6)
        points = pnl_history(
            [
                self.snap(1, day2, "600", "-50"),
                self.snap(1, day1, "600", "-100"),
                self.snap(2, day1, "0", "120.50"),
            ]
        )
        assert [
            (p.day, p.realized_pnl, p.unrealized_pnl, p.total_pnl, p.wheels) for p in points
        ] == [
            (day1, D("600.00"), D("20.50"), D("620.50"), 2),
            (day2, D("600.00"), D("-50.00"), D("550.00"), 1),
        ]

    def test_the_last_snapshot_of_a_day_wins(self) -> None:
        day = date(2026, 1, 5)
        points = pnl_history(
            [self.snap(1, day, "0", "999", hour=22), self.snap(1, day, "0", "10", hour=20)]
        )
        assert [(p.unrealized_pnl, p.wheels) for p in points] == [(D("999.00"), 1)]

    def test_no_snapshots_no_history(self) -> None:
        assert pnl_history([]) == []


# --- properties -------------------------------------------------------------

BASE = date(2025, 1, 6)
cents_amount = st.integers(min_value=1, max_value=2_000).map(lambda c: D(c) / 100)
fees_amount = st.integers(min_value=0, max_value=500).map(lambda c: D(c) / 100)


@st.composite
def wheel_books(draw: st.DrawFn, wheel_id: int) -> PricedBook:
    """A valid wheel history: puts, rolls, assignments, calls, call-aways, maybe an open option."""
    symbol = draw(st.sampled_from(["AAPL", "KO", "MSFT"]))
    trades: list[Trade] = []
    day = BASE + timedelta(days=draw(st.integers(0, 30)))
    holding = 0
    next_id = wheel_id * 1000

    def position(kind: OptionType, contracts: int, ends: list[Outcome]) -> Outcome:
        """One position through its rolls; returns how its last leg ended."""
        nonlocal day, next_id
        opened_at, chain_id, previous = at(day, 14), None, None
        while True:
            outcome = draw(st.sampled_from([*ends, Outcome.ROLLED]))
            closed = opened_at.date() + timedelta(days=draw(st.integers(0, 20)))
            closed_at = max(at(closed, 20), opened_at)
            next_id += 1
            bought_back = outcome in (Outcome.CLOSED_EARLY, Outcome.ROLLED)
            trades.append(
                Trade(
                    id=next_id,
                    wheel_id=wheel_id,
                    symbol=symbol,
                    option_type=kind,
                    strike=D(draw(st.integers(10, 300))),
                    expiration=closed,
                    premium=draw(cents_amount),
                    contracts=contracts,
                    opened_at=opened_at,
                    fees=draw(fees_amount),
                    closed_at=closed_at,
                    outcome=outcome,
                    close_price=draw(cents_amount) if bought_back else None,
                    chain_id=chain_id,
                    rolled_from_id=previous,
                )
            )
            if outcome is not Outcome.ROLLED:
                day = closed + timedelta(days=1)
                return outcome
            chain_id, previous, opened_at = chain_id or next_id, next_id, closed_at

    for _ in range(draw(st.integers(0, 6))):
        if holding == 0:
            contracts = draw(st.integers(1, 5))
            ends = [Outcome.EXPIRED_WORTHLESS, Outcome.CLOSED_EARLY, Outcome.ASSIGNED]
            if position(PUT, contracts, ends) is Outcome.ASSIGNED:
                holding = contracts
        else:
            ends = [Outcome.EXPIRED_WORTHLESS, Outcome.CLOSED_EARLY, Outcome.CALLED_AWAY]
            if position(CALL, holding, ends) is Outcome.CALLED_AWAY:
                holding = 0
    if draw(st.booleans()):
        next_id += 1
        trades.append(
            Trade(
                id=next_id,
                wheel_id=wheel_id,
                symbol=symbol,
                option_type=CALL if holding else PUT,
                strike=D(draw(st.integers(10, 300))),
                expiration=day + timedelta(days=30),
                premium=draw(cents_amount),
                contracts=holding or 1,
                opened_at=at(day, 14),
                fees=draw(fees_amount),
            )
        )
    marks = {t.id: draw(cents_amount) for t in trades if t.is_open and t.id and draw(st.booleans())}
    price = draw(st.one_of(st.none(), cents_amount))
    return book(
        trades, wheel_id=wheel_id, symbol=symbol, price=str(price) if price else None, marks=marks
    )


@st.composite
def many_books(draw: st.DrawFn) -> list[PricedBook]:
    count = draw(st.integers(0, 6))
    return [draw(wheel_books(wheel_id)) for wheel_id in range(1, count + 1)]


MONEY = ("total_premium", "realized_pnl", "option_pnl", "share_gain", "unrealized_pnl")
COUNTS = (
    "trades_closed", "wins", "puts_ended", "assigned", "calls_ended", "called_away",
    "unpriced_positions",
)  # fmt: skip


@given(many_books(), st.sampled_from(list(Period)), st.integers(0, 200))
def test_aggregate_totals_are_the_sums_of_the_wheels(
    books: list[PricedBook], period: Period, offset: int
) -> None:
    today = BASE + timedelta(days=offset)
    report = aggregate(books, period, today)
    wheels = [wheel_performance(b, period, today) for b in books]
    for name in (*MONEY, *COUNTS):
        total = getattr(report.total, name)
        assert total == sum((getattr(w, name) for w in wheels), type(total)(0)), name
        assert total == sum(
            (getattr(r.performance, name) for r in report.by_symbol), type(total)(0)
        ), name
    assert report.wheels == sum(r.wheels for r in report.by_symbol) == len(books)


@given(many_books())
def test_decimal_totals_are_exact(books: list[PricedBook]) -> None:
    """Summed as fractions, by hand's rules, the totals match to the last cent and beyond."""
    trades = [t for b in books for t in b.trades]
    premium = sum((Fraction(t.premium) * 100 * t.contracts for t in trades), Fraction(0))
    option_pnl = sum(
        (
            (Fraction(t.premium) - Fraction(t.close_price or 0)) * 100 * t.contracts
            - Fraction(t.fees)
            for t in trades
            if not t.is_open
        ),
        Fraction(0),
    )
    total = aggregate(books, Period.ALL, BASE).total
    assert Fraction(total.total_premium) == premium
    assert Fraction(total.option_pnl) == option_pnl
    assert total.realized_pnl == total.option_pnl + total.share_gain
    assert sum((c.realized_pnl for c in chain_pnl(trades)), D(0)) == total.option_pnl
    assert total.total_premium.as_tuple().exponent == -2
