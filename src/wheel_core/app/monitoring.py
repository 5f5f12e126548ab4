"""Watching the book between the trader's visits: prices, risk alerts, the watchlist and
the opportunities found on it.

These are the use cases the scheduler's jobs call (price refresh, risk monitor,
opportunity scan) and the ones a trader uses to read what they found. The top room
of the app layer (see :mod:`wheel_core.app.context` for the layout): it is given the
context (market, notifier and the delivery of alerts), the positions room (for the
risk scan) and the recommendations room (for the opportunity scan). Like every
market use case, it fetches market data *outside* any unit of work and reports a
symbol or wheel that failed beside the others' results.

Decisions, stated once:

* **Alerts are raised once per condition.** Each condition of an open option has a
  stable key — ``itm:trade:<id>``, ``risk:medium:trade:<id>``, ``risk:high:trade:<id>``,
  ``expiry:trade:<id>`` — and an alert whose key is stored is never raised again,
  acknowledged or not. ITM and HIGH coincide under today's thresholds (HIGH means
  ITM); both are raised, because they are two settings' conditions and a user may
  watch either. A risk alert is raised for the highest level reached: a position that
  jumps from LOW to HIGH raises no MEDIUM alert, and one that falls back from HIGH to
  MEDIUM raises none either (nothing got worse).
* **Near expiry** is :attr:`~wheel_core.risk.PositionRisk.near_expiry`: at most
  ``settings.risk.expiry_warning_trading_days`` trading days left, counted on the
  market calendar (a holiday is no trading day). The expiry alert's level is the
  position's risk level: an expiring option far out of the money is good news (LOW).
* **Opportunities are one per contract** (symbol, type, strike, expiration). A later
  scan that finds the same contract updates its premium, probability, yield and
  ``last_seen_at`` and keeps ``found_at`` and ``read_at``: the trader is told of a
  contract once, and reads current figures.
* **The scan** recommends puts for every active idle wheel (with the wheel's profile
  and capital) and for every watchlist symbol that no idle wheel covers (with the
  default profile, moderate). A watchlist symbol has no capital of its own, so it is
  sized for one contract of any listed strike: the opportunity's figures are per
  share and do not depend on sizing, and a notional capital would only hide strikes.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import msgspec

from wheel_core.app.commands import AddToWatchlist, RaiseAlert
from wheel_core.app.context import AppContext
from wheel_core.app.failures import failure_text
from wheel_core.app.positions import Positions
from wheel_core.app.recommendations import Recommendations
from wheel_core.app.views import (
    OpportunityScan,
    Page,
    PositionView,
    PriceRefresh,
    RiskScan,
    SymbolFailure,
)
from wheel_core.domain.checks import normalize_symbol
from wheel_core.domain.entities import Alert, Opportunity, WatchlistEntry
from wheel_core.domain.enums import (
    AlertKind,
    OpportunitySource,
    OptionType,
    RiskLevel,
    RiskProfile,
    WheelState,
)
from wheel_core.domain.errors import ConflictError, NotFoundError, ValidationError
from wheel_core.domain.rules import exchange_date
from wheel_core.ports import AlertQuery, OpportunityQuery, UnitOfWork
from wheel_core.recommend import Candidate
from wheel_core.risk import PositionRisk

_ContractKey = tuple[str, OptionType, Decimal, str]


class _Finding(msgspec.Struct, frozen=True, kw_only=True):
    """An alert the monitor would raise, unless its key or one of ``unless`` is stored."""

    alert: Alert
    unless: tuple[str, ...] = ()


class _Target(msgspec.Struct, frozen=True, kw_only=True):
    """One symbol the opportunity scan asks for puts."""

    symbol: str
    source: OpportunitySource
    profile: RiskProfile
    capital: Decimal | None
    wheel_id: int | None = None


def alert_key(condition: str, trade_id: int) -> str:
    """The key of a risk monitor condition on one trade, e.g. ``risk:high:trade:42``."""
    return f"{condition}:trade:{trade_id}"


class Monitoring:
    """Price refresh, risk alerts, watchlist and opportunities; see the module docstring."""

    def __init__(
        self, context: AppContext, positions: Positions, recommendations: Recommendations
    ) -> None:
        self._context = context
        self._positions = positions
        self._recommendations = recommendations

    # ── prices ────────────────────────────────────────────────────────────

    async def refresh_prices(self) -> PriceRefresh:
        """Quote every distinct symbol of the active wheels, so the provider's cache is warm
        when a trader or a job asks; a symbol that fails is reported and the rest go on."""
        as_of = self._context.now()
        async with self._context.read() as uow:
            wheels = await uow.wheels.list(active=True)
        symbols = sorted({wheel.symbol for wheel in wheels})
        market = self._context.require_market()
        failures: list[SymbolFailure] = []
        for symbol in symbols:
            try:
                await market.get_quote(symbol)
            except Exception as error:  # one symbol never fails the batch: see failures.py
                failures.append(SymbolFailure(symbol=symbol, error=failure_text(error, symbol)))
        return PriceRefresh(
            as_of=as_of,
            symbols=symbols,
            refreshed=len(symbols) - len(failures),
            failures=failures,
        )

    # ── risk alerts ───────────────────────────────────────────────────────

    async def monitor_risk(self) -> RiskScan:
        """Assess every active wheel's open option and store an alert for each condition
        met for the first time; the answer holds only those new alerts (to deliver)."""
        located, failures = await self._positions.active(None, open_options_only=True)
        now = self._context.now()
        findings: list[_Finding] = []
        checked = 0
        for _, position in located:
            risk = position.option  # every position here has an open option
            assert risk is not None and risk.trade_id is not None
            checked += 1
            findings.extend(_findings(position, risk, risk.trade_id, now))
        raised: list[Alert] = []
        if findings:
            async with self._context.write() as uow:
                for finding in findings:
                    keys = (finding.alert.key, *finding.unless)
                    if any([await uow.alerts.find_by_key(key) is not None for key in keys]):
                        continue
                    raised.append(await uow.alerts.add(finding.alert))
                await uow.commit()
        await self._context.deliver(raised)
        return RiskScan(checked=checked, alerts=raised, failures=failures)

    async def raise_alert(self, command: RaiseAlert) -> Alert | None:
        """Store an alert unless one with its key exists (then ``None``: already told).

        A ``trade_id`` alone also ties the alert to the trade's wheel, so the alert goes
        when the wheel is deleted.
        """
        async with self._context.write() as uow:
            if await uow.alerts.find_by_key(command.key) is not None:
                return None
            wheel_id = command.wheel_id
            if wheel_id is not None and await uow.wheels.get(wheel_id) is None:
                raise NotFoundError("wheel", wheel_id)
            if command.trade_id is not None:
                trade = await uow.trades.get(command.trade_id)
                if trade is None:
                    raise NotFoundError("trade", command.trade_id)
                if wheel_id is not None and trade.wheel_id != wheel_id:
                    raise ValidationError(
                        f"trade {command.trade_id} belongs to wheel {trade.wheel_id}, "
                        f"not to wheel {wheel_id}"
                    )
                wheel_id = trade.wheel_id
            alert = await uow.alerts.add(
                Alert(
                    kind=command.kind,
                    key=command.key,
                    message=command.message,
                    level=command.level,
                    created_at=self._context.now(),
                    wheel_id=wheel_id,
                    trade_id=command.trade_id,
                )
            )
            await uow.commit()
        await self._context.deliver([alert])
        return alert

    async def list_alerts(self, query: AlertQuery | None = None) -> Page[Alert]:
        """Alerts newest first, filtered; ``total`` counts every match."""
        query = query or AlertQuery()
        async with self._context.read() as uow:
            items = await uow.alerts.search(query)
            total = await uow.alerts.count(query)
        return Page(items=items, total=total, offset=query.offset, limit=query.limit)

    async def get_alert(self, alert_id: int) -> Alert:
        async with self._context.read() as uow:
            return await _alert(uow, alert_id)

    async def acknowledge_alert(self, alert_id: int) -> Alert:
        """Mark an alert seen; acknowledging it again keeps the first acknowledgement."""
        async with self._context.write() as uow:
            alert = await _alert(uow, alert_id)
            if alert.acknowledged_at is None:
                alert.acknowledged_at = self._context.now()
                await uow.alerts.update(alert)
                await uow.commit()
            return alert

    # ── watchlist ─────────────────────────────────────────────────────────

    async def watchlist(self) -> list[WatchlistEntry]:
        """The watched symbols, alphabetically."""
        async with self._context.read() as uow:
            return await uow.watchlist.list()

    async def add_to_watchlist(self, command: AddToWatchlist) -> WatchlistEntry:
        symbol = normalize_symbol(command.symbol)
        async with self._context.write() as uow:
            if await uow.watchlist.get(symbol) is not None:
                raise ConflictError(f"{symbol} is already on the watchlist")
            entry = await uow.watchlist.add(
                WatchlistEntry(
                    symbol=symbol, added_at=self._context.now(), note=command.note.strip()
                )
            )
            await uow.commit()
            return entry

    async def remove_from_watchlist(self, symbol: str) -> None:
        """Stop watching a symbol; the opportunities already found on it stay."""
        ticker = normalize_symbol(symbol)
        async with self._context.write() as uow:
            if await uow.watchlist.get(ticker) is None:
                raise NotFoundError("watchlist symbol", ticker)
            await uow.watchlist.delete(ticker)
            await uow.commit()

    # ── opportunities ─────────────────────────────────────────────────────

    async def scan_opportunities(self) -> OpportunityScan:
        """Recommend puts for the idle wheels and the watchlist and store each candidate as
        an opportunity, one per contract across scans; a symbol that fails is reported."""
        async with self._context.read() as uow:
            wheels = await uow.wheels.list(active=True)
            watched = await uow.watchlist.list()
        targets = [
            _Target(
                symbol=wheel.symbol,
                source=OpportunitySource.WHEEL,
                profile=wheel.profile,
                capital=wheel.capital,
                wheel_id=wheel.id,
            )
            for wheel in wheels
            if wheel.state is WheelState.IDLE
        ]
        covered = {target.symbol for target in targets}
        targets += [
            _Target(
                symbol=entry.symbol,
                source=OpportunitySource.WATCHLIST,
                profile=RiskProfile.MODERATE,
                capital=None,
            )
            for entry in watched
            if entry.symbol not in covered
        ]
        now = self._context.now()
        gathered: list[Opportunity] = []
        failures: list[SymbolFailure] = []
        for target in targets:
            try:
                recommendation = await self._recommendations.for_symbol(
                    target.symbol,
                    OptionType.PUT,
                    profile=target.profile,
                    capital=target.capital,
                )
            except Exception as error:  # one symbol never fails the batch: see failures.py
                failures.append(
                    SymbolFailure(symbol=target.symbol, error=failure_text(error, target.symbol))
                )
                continue
            if recommendation.refusal is not None:
                failures.append(
                    SymbolFailure(symbol=target.symbol, error=recommendation.refusal.message)
                )
                continue
            gathered += [_opportunity(c, target, now) for c in recommendation.candidates]
        found, updated, expired = await self._store_opportunities(gathered, now)
        return OpportunityScan(found=found, updated=updated, expired=expired, failures=failures)

    async def list_opportunities(self, query: OpportunityQuery | None = None) -> Page[Opportunity]:
        """Opportunities newest first, filtered; ``total`` counts every match."""
        query = query or OpportunityQuery()
        if query.symbol is not None:
            query = msgspec.structs.replace(query, symbol=normalize_symbol(query.symbol))
        async with self._context.read() as uow:
            items = await uow.opportunities.search(query)
            total = await uow.opportunities.count(query)
        return Page(items=items, total=total, offset=query.offset, limit=query.limit)

    async def unread_opportunities(self) -> int:
        async with self._context.read() as uow:
            return await uow.opportunities.count(OpportunityQuery(unread_only=True))

    async def mark_opportunity_read(self, opportunity_id: int) -> Opportunity:
        """Mark one opportunity read; marking it again keeps the first time it was read."""
        async with self._context.write() as uow:
            opportunity = await uow.opportunities.get(opportunity_id)
            if opportunity is None:
                raise NotFoundError("opportunity", opportunity_id)
            if opportunity.read_at is None:
                opportunity.read_at = self._context.now()
                await uow.opportunities.update(opportunity)
                await uow.commit()
            return opportunity

    async def mark_all_opportunities_read(self) -> int:
        """Mark every unread opportunity read; how many were unread."""
        async with self._context.write() as uow:
            changed = await uow.opportunities.mark_all_read(self._context.now())
            await uow.commit()
            return changed

    # ── internals ─────────────────────────────────────────────────────────

    async def _store_opportunities(
        self, gathered: list[Opportunity], now: datetime
    ) -> tuple[list[Opportunity], int, int]:
        """Drop the contracts that have expired, add those never seen, refresh the others;
        (the new ones, how many refreshed, how many dropped).

        A contract found twice in one scan (two idle wheels on one symbol) is one row.
        One that expired is of no use to anyone, read or not, so it goes.
        """
        found: dict[_ContractKey, Opportunity] = {}
        refreshed: dict[_ContractKey, Opportunity] = {}
        async with self._context.write() as uow:
            expired = await uow.opportunities.delete_expired(exchange_date(now))
            for opportunity in gathered:
                key = _contract_key(opportunity)
                existing = (
                    found.get(key)
                    or refreshed.get(key)
                    or await uow.opportunities.find(
                        opportunity.symbol,
                        opportunity.option_type,
                        opportunity.strike,
                        opportunity.expiration,
                    )
                )
                if existing is None:
                    found[key] = await uow.opportunities.add(opportunity)
                    continue
                current = msgspec.structs.replace(
                    existing,
                    premium=opportunity.premium,
                    probability_itm=opportunity.probability_itm,
                    annualized_yield=opportunity.annualized_yield,
                    last_seen_at=now,
                )
                await uow.opportunities.update(current)
                (found if key in found else refreshed)[key] = current
            await uow.commit()
        return list(found.values()), len(refreshed), expired


async def _alert(uow: UnitOfWork, alert_id: int) -> Alert:
    alert = await uow.alerts.get(alert_id)
    if alert is None:
        raise NotFoundError("alert", alert_id)
    return alert


def _contract_key(opportunity: Opportunity) -> _ContractKey:
    # normalize() makes 95 and 95.00 one key, as the repositories compare strikes.
    strike = opportunity.strike.normalize()
    return (opportunity.symbol, opportunity.option_type, strike, opportunity.expiration.isoformat())


def _opportunity(candidate: Candidate, target: _Target, now: datetime) -> Opportunity:
    return Opportunity(
        symbol=candidate.symbol,
        option_type=candidate.option_type,
        strike=candidate.strike,
        expiration=candidate.expiration,
        premium=candidate.premium,
        probability_itm=candidate.probability_itm,
        annualized_yield=candidate.annualized_yield,
        found_at=now,
        last_seen_at=now,
        source=target.source,
        wheel_id=target.wheel_id,
    )


def _findings(
    position: PositionView, risk: PositionRisk, trade_id: int, now: datetime
) -> list[_Finding]:
    """The alert conditions an open option meets now (see the module docstring)."""
    contract = f"{risk.symbol} {risk.option_type.value} {risk.strike}"
    option = f"{contract} expiring {risk.expiration}"

    def alert(kind: AlertKind, key: str, level: RiskLevel, message: str) -> Alert:
        return Alert(
            kind=kind.value,
            key=key,
            message=message,
            level=level,
            created_at=now,
            wheel_id=position.wheel_id,
            trade_id=trade_id,
        )

    findings: list[_Finding] = []
    if risk.is_itm:
        side = "below" if risk.option_type is OptionType.PUT else "above"
        findings.append(
            _Finding(
                alert=alert(
                    AlertKind.ITM,
                    alert_key("itm", trade_id),
                    RiskLevel.HIGH,
                    f"{option} is in the money: {risk.symbol} at {risk.current_price} is "
                    f"{side} the strike",
                )
            )
        )
    if risk.risk_level is not RiskLevel.LOW:
        level = risk.risk_level
        distance = (
            f"{-risk.moneyness_pct} % in the money"
            if risk.is_itm
            else f"only {risk.moneyness_pct} % out of the money"
        )
        findings.append(
            _Finding(
                alert=alert(
                    AlertKind.RISK,
                    alert_key(f"risk:{level.value}", trade_id),
                    level,
                    f"{option} is at {level.value.upper()} risk: {distance} "
                    f"({risk.symbol} at {risk.current_price})",
                ),
                unless=((alert_key("risk:high", trade_id),) if level is RiskLevel.MEDIUM else ()),
            )
        )
    if risk.near_expiry:
        if risk.past_expiration:
            when = f"expired on {risk.expiration}; record its outcome"
        elif risk.dte_trading == 0:
            when = "expires at today's close"
        else:
            days = "day" if risk.dte_trading == 1 else "days"
            when = f"expires in {risk.dte_trading} trading {days} ({risk.expiration})"
        standing = (
            f"in the money by {-risk.moneyness_pct} %"
            if risk.is_itm
            else f"{risk.moneyness_pct} % out of the money"
        )
        findings.append(
            _Finding(
                alert=alert(
                    AlertKind.EXPIRY,
                    alert_key("expiry", trade_id),
                    risk.risk_level,
                    f"{contract} {when}; {standing}",
                )
            )
        )
    return findings


__all__ = ["Monitoring", "alert_key"]
