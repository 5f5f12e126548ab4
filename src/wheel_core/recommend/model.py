"""What a recommendation takes and gives: the request, its settings, the candidates, the
refusal, and the named codes (filter rules, warnings, refusals) they carry.

Plain frozen Structs with no behaviour beyond ``Recommendation.best``, kept apart from
the rules so the app layer and the wire can read the types without the engine.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

import msgspec

from wheel_core.domain.enums import OptionType, RiskProfile
from wheel_core.domain.money import ZERO
from wheel_core.market import CorporateEvents, OptionChain

YIELD_QUANTUM = Decimal("0.0001")
"""Annualized yields are fractions rounded to one basis point (0.0749 = 7.49 % a year)."""


class FilterRule(StrEnum):
    """The named rules a listed strike must pass, in the order they are applied."""

    DTE_WINDOW = "dte_window"
    BID_POSITIVE = "bid_positive"
    VALID_QUOTE = "valid_quote"
    SIGMA_BAND = "sigma_band"
    COST_BASIS = "cost_basis"
    SIZING = "sizing"
    LIQUIDITY = "liquidity"
    EVENTS = "events"


class WarningCode(StrEnum):
    HIGH_PROBABILITY_ITM = "high_probability_itm"
    EARNINGS_BEFORE_EXPIRY = "earnings_before_expiry"
    EX_DIVIDEND_BEFORE_EXPIRY = "ex_dividend_before_expiry"
    THIN_MARKET = "thin_market"
    BELOW_COST_BASIS = "below_cost_basis"


class RefusalCode(StrEnum):
    STALE_CHAIN = "stale_chain"
    STALE_QUOTE = "stale_quote"
    EMPTY_CHAIN = "empty_chain"


class RecommendationSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Tunable thresholds; the defaults suit a weekly-to-monthly wheel.

    Thin markets and corporate events are warnings by default, because a
    trader may still want the trade; ``reject_thin_markets``,
    ``avoid_earnings`` and ``avoid_ex_dividends`` turn them into filter rules.
    ``rate`` and ``dividend_yield`` are continuously compounded per year; the
    caller passes current values (0 slightly overstates put P(ITM) and
    understates call P(ITM)).
    """

    min_dte: int = 7
    max_dte: int = 45
    p_itm_warning: float = 0.30
    max_spread_fraction: Decimal = Decimal("0.25")
    """Widest acceptable (ask − bid) / mid before a market counts as thin."""
    min_open_interest: int = 100
    rate: float = 0.0
    dividend_yield: float = 0.0
    reject_thin_markets: bool = False
    avoid_earnings: bool = False
    avoid_ex_dividends: bool = False


class RecommendationRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Everything one recommendation depends on.

    The caller decides ``option_type`` from the wheel's state: a put when the
    wheel is idle, a call when it holds shares. ``capital`` sizes puts (cash
    securing them); ``shares`` and ``cost_basis`` size and guard calls.
    ``spot_stale`` is set when the spot came from a quote served stale.
    """

    symbol: str
    option_type: OptionType
    chain: OptionChain
    spot: Decimal
    volatility: float
    volatility_method: str
    profile: RiskProfile
    today: date
    capital: Decimal = ZERO
    shares: int = 0
    cost_basis: Decimal | None = None
    allow_below_cost_basis: bool = False
    spot_stale: bool = False
    events: CorporateEvents | None = None
    settings: RecommendationSettings = msgspec.field(default_factory=RecommendationSettings)


class CandidateWarning(msgspec.Struct, frozen=True, kw_only=True):
    code: WarningCode
    message: str


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    """One sellable option with the numbers a trader checks before selling it.

    ``premium`` is the bid: what a market sell order gets, so yields are not
    flattered by a mid that may never fill. ``annualized_yield`` is
    ``premium / basis × 365 / dte`` where the basis per share is the strike
    for a put (the cash it ties up) and the purchase cost basis for a call
    (spot when no cost basis is known), matching DESIGN §4's collateral.
    ``collateral`` is ``strike × 100 × contracts`` for a put and
    ``basis × 100 × contracts`` for a call (the shares the calls cover).
    """

    symbol: str
    option_type: OptionType
    strike: Decimal
    expiration: date
    dte: int
    bid: Decimal
    ask: Decimal
    mid: Decimal
    premium: Decimal
    probability_itm: float
    delta: float
    sigma_distance: float
    target_strike: Decimal
    annualized_yield: Decimal
    contracts: int
    collateral: Decimal
    total_premium: Decimal
    open_interest: int
    warnings: tuple[CandidateWarning, ...] = ()


class Refusal(msgspec.Struct, frozen=True, kw_only=True):
    code: RefusalCode
    message: str


class Recommendation(msgspec.Struct, frozen=True, kw_only=True):
    """The answer, including why strikes were dropped or why nothing was tried.

    ``rejections`` maps every rule's name (a :class:`FilterRule` value), in
    rule order, to the number of strikes it rejected; it is empty when the
    request was refused before any rule ran. ``considered`` is the
    number of listed options of the requested type.
    """

    symbol: str
    option_type: OptionType
    profile: RiskProfile
    sigma_band: tuple[Decimal, Decimal]
    spot: Decimal
    volatility: float
    volatility_method: str
    today: date
    candidates: tuple[Candidate, ...] = ()
    considered: int = 0
    rejections: dict[str, int] = msgspec.field(default_factory=dict)
    refusal: Refusal | None = None
    notes: tuple[str, ...] = ()
    simulated: bool = False

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


class BatchResult(msgspec.Struct, frozen=True, kw_only=True):
    """One request's outcome in :func:`recommend_many`: a recommendation or the error it hit."""

    symbol: str
    recommendation: Recommendation | None = None
    error: str | None = None
    error_kind: str | None = None
