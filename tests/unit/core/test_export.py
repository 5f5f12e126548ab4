"""CSV export: exact numbers, ISO dates, one line at a time."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

from wheel_core.domain.entities import Trade, Wheel
from wheel_core.domain.enums import OptionType, Outcome
from wheel_core.domain.lifecycle import replay
from wheel_core.export import PERFORMANCE_COLUMNS, TRADE_COLUMNS, performance_csv, trades_csv
from wheel_core.performance import PerformanceReport, Period, PricedBook, aggregate

D = Decimal
OPENED = datetime(2026, 1, 2, 15, 0, tzinfo=UTC)
CLOSED = datetime(2026, 1, 16, 21, 0, tzinfo=UTC)

ASSIGNED_PUT = Trade(
    id=1,
    wheel_id=4,
    symbol="AAPL",
    option_type=OptionType.PUT,
    strike=D("100"),
    expiration=date(2026, 1, 16),
    premium=D("2.00"),
    contracts=3,
    opened_at=OPENED,
    fees=D("1.95"),
    closed_at=CLOSED,
    outcome=Outcome.ASSIGNED,
    price_at_expiry=D("95"),
)
OPEN_CALL = Trade(
    id=2,
    wheel_id=4,
    symbol="AAPL",
    option_type=OptionType.CALL,
    strike=D("105"),
    expiration=date(2026, 2, 6),
    premium=D("1.5"),
    contracts=3,
    opened_at=datetime(2026, 1, 20, 15, 0, tzinfo=UTC),
)


def parse(lines: list[str]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO("".join(lines))))


class TestTradesCsv:
    def test_header_names_every_column(self) -> None:
        header = next(trades_csv([]))
        assert header == ",".join(TRADE_COLUMNS) + "\n"
        for column in ("id", "symbol", "type", "strike", "expiration", "premium", "contracts"):
            assert column in TRADE_COLUMNS
        for column in ("fees", "total_premium", "close_price", "pnl", "opened_at", "closed_at"):
            assert column in TRADE_COLUMNS
        assert "outcome" in TRADE_COLUMNS
        assert "chain" in TRADE_COLUMNS

    def test_one_line_per_trade_after_the_header(self) -> None:
        lines = list(trades_csv([ASSIGNED_PUT, OPEN_CALL]))
        assert len(lines) == 3
        assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)

    def test_a_closed_trade_with_exact_amounts_and_iso_dates(self) -> None:
        [row] = parse(list(trades_csv([ASSIGNED_PUT])))
        assert row == {
            "id": "1",
            "wheel_id": "4",
            "symbol": "AAPL",
            "type": "put",
            "strike": "100",
            "expiration": "2026-01-16",
            "premium": "2.00",
            "contracts": "3",
            "fees": "1.95",
            "total_premium": "600.00",
            "close_price": "",
            "price_at_expiry": "95",
            "pnl": "598.05",
            "opened_at": "2026-01-02T15:00:00+00:00",
            "closed_at": "2026-01-16T21:00:00+00:00",
            "outcome": "assigned",
            "chain": "1",
            "rolled_from": "",
        }

    def test_an_open_trade_has_no_close_and_no_pnl_yet(self) -> None:
        [row] = parse(list(trades_csv([OPEN_CALL])))
        assert (row["closed_at"], row["outcome"], row["pnl"]) == ("", "", "")
        assert row["total_premium"] == "450.0"  # 1.5 × 300, as exact as its inputs

    def test_decimals_never_print_in_exponent_form(self) -> None:
        tiny = Trade(
            id=3,
            wheel_id=4,
            symbol="AAPL",
            option_type=OptionType.PUT,
            strike=D("1E+2"),
            expiration=date(2026, 1, 16),
            premium=D("5E-3"),
            contracts=1,
            opened_at=OPENED,
        )
        [row] = parse(list(trades_csv([tiny])))
        assert (row["strike"], row["premium"], row["total_premium"]) == ("100", "0.005", "0.500")

    def test_a_rolled_leg_names_its_chain_and_predecessor(self) -> None:
        leg = Trade(
            id=9,
            wheel_id=4,
            symbol="AAPL",
            option_type=OptionType.PUT,
            strike=D("95"),
            expiration=date(2026, 2, 13),
            premium=D("3.50"),
            contracts=1,
            opened_at=CLOSED,
            chain_id=1,
            rolled_from_id=1,
        )
        [row] = parse(list(trades_csv([leg])))
        assert (row["chain"], row["rolled_from"]) == ("1", "1")

    def test_symbols_with_commas_or_quotes_are_quoted(self) -> None:
        odd = Trade(
            id=3,
            wheel_id=4,
            symbol='A,"B"',
            option_type=OptionType.PUT,
            strike=D(1),
            expiration=date(2026, 1, 16),
            premium=D(1),
            contracts=1,
            opened_at=OPENED,
        )
        [row] = parse(list(trades_csv([odd])))
        assert row["symbol"] == 'A,"B"'

    def test_lines_are_produced_lazily(self) -> None:
        def endless() -> Iterator[Trade]:
            while True:
                yield ASSIGNED_PUT

        lines = trades_csv(endless())
        assert next(lines).startswith("id,")
        assert next(lines).startswith("1,")


def report_for_two_symbols() -> PerformanceReport:
    created = datetime(2025, 12, 1, tzinfo=UTC)
    books = []
    for wheel_id, symbol, premium in ((1, "MSFT", "2.00"), (2, "AAPL", "0.50")):
        put = Trade(
            id=wheel_id,
            wheel_id=wheel_id,
            symbol=symbol,
            option_type=OptionType.PUT,
            strike=D(50),
            expiration=date(2026, 1, 16),
            premium=D(premium),
            contracts=1,
            opened_at=OPENED,
            closed_at=CLOSED,
            outcome=Outcome.EXPIRED_WORTHLESS,
        )
        wheel = Wheel(
            id=wheel_id, portfolio_id=1, symbol=symbol, created_at=created, updated_at=created
        )
        books.append(PricedBook(wheel=wheel, trades=(put,), holdings=replay([put])))
    return aggregate(books, Period.ALL, date(2026, 2, 1))


class TestPerformanceCsv:
    def test_one_row_per_symbol_then_the_total(self) -> None:
        rows = parse(list(performance_csv(report_for_two_symbols())))
        assert [(r["symbol"], r["wheels"], r["realized_pnl"]) for r in rows] == [
            ("AAPL", "1", "50.00"),
            ("MSFT", "1", "200.00"),
            ("(total)", "2", "250.00"),
        ]

    def test_columns_are_the_performance_figures(self) -> None:
        header = next(performance_csv(report_for_two_symbols()))
        assert header == ",".join(PERFORMANCE_COLUMNS) + "\n"
        assert PERFORMANCE_COLUMNS[:4] == ("symbol", "wheels", "total_premium", "realized_pnl")

    def test_rates_are_fractions_and_missing_rates_are_empty(self) -> None:
        [aapl, _, _] = parse(list(performance_csv(report_for_two_symbols())))
        assert aapl["win_rate"] == "1.0000"
        assert aapl["assignment_rate"] == "0.0000"
        assert aapl["call_away_rate"] == ""
        assert aapl["average_days_held"] == "14.0"
