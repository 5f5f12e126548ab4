"""Parameter types shared by the controllers."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

from wheel_core.domain.checks import MAX_ID, SYMBOL_PATTERN
from wheel_core.domain.enums import OptionType

__all__ = [
    "MAX_ID",
    "Id",
    "IncludeArchived",
    "OptionTypeFilter",
    "PortfolioFilter",
    "PortfolioName",
    "SymbolFilter",
    "TickerPath",
    "WheelFilter",
    "ticker_of",
]

Id = Annotated[int, Parameter(ge=1, le=MAX_ID)]

TickerPath = Annotated[
    str,
    Parameter(
        description="A ticker; a class share keeps its slash (BRK/B).",
        schema_extra={"pattern": SYMBOL_PATTERN},
    ),
]
"""A ``{symbol:path}`` parameter. The pattern is only documented (the core checks the
ticker, 422): Litestar would test it against the value with its leading slash."""


def ticker_of(path: str) -> str:
    """The ticker of a ``{symbol:path}`` parameter, which Litestar hands over with the
    leading slash of its segment. Tickers are taken as the rest of the path because a
    class-share ticker holds a slash of its own (``BRK/B``), and the server decodes
    ``%2F`` before it routes, so no encoding could keep it in one segment."""
    return path.removeprefix("/")


PortfolioName = Annotated[
    str | None,
    Parameter(description="The portfolio's name; the default portfolio when absent."),
]
"""How the by-symbol reads name a portfolio, as the CLI's ``--portfolio`` does. Not
bounded: a name that names nothing is the core's 404, as in direct mode."""

IncludeArchived = Annotated[
    bool,
    Parameter(description="With no active wheel on the symbol, answer its latest archived wheel."),
]


PortfolioFilter = Annotated[
    int | None,
    Parameter(ge=1, le=MAX_ID, description="Only what belongs to this portfolio's wheels."),
]
"""The ``portfolio_id`` query filter every list and report takes (absent: every portfolio)."""

WheelFilter = Annotated[
    int | None, Parameter(ge=1, le=MAX_ID, description="Only what belongs to this wheel.")
]
"""The ``wheel_id`` query filter."""

SymbolFilter = Annotated[
    str | None, Parameter(pattern=SYMBOL_PATTERN, description="Only what is on this symbol.")
]
"""The ``symbol`` query filter."""

OptionTypeFilter = Annotated[OptionType | None, Parameter(description="Only puts or only calls.")]
"""The ``option_type`` query filter."""
