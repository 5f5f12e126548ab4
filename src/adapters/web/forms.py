"""The dashboard's form posts: each use case's form, converted to its command and run.

A post that succeeds answers a redirect to the page that shows the result (an
``HX-Redirect`` header for HTMX, a 303 otherwise). A refused one — the command does
not convert, or the core refuses it — answers the same form again with the
domain's message next to it and the values the user typed: a 200 fragment for HTMX
(which swaps only successful answers in), a 422 page without it. The core runs
each command in one transaction, so a refused action has written nothing.
The CSRF token is checked before any handler runs (``mount.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from typing import Any

import msgspec
from litestar import Request, Response, post
from litestar.response import Redirect, Template

from adapters.web.facade import Facade
from adapters.web.pages import wheel_context
from wheel_core.app.commands import CreatePortfolio, ExpireTrade, OpenWheel, RecordTrade
from wheel_core.domain.enums import RiskProfile
from wheel_core.domain.errors import DomainError
from wheel_core.domain.rules import EXCHANGE_TZ

OPENED_AT = time(10, 0)
"""A backfilled trade or wheel opens at 10:00 New York on the day given."""
CLOSED_AT = time(16, 0)
"""A backfilled expiry happens at the close, 16:00 New York, on the day given."""
Answer = Response[Any] | Template | Redirect


async def _fields(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The form's non-empty fields as text (empty ones take the command's default)."""
    form = await request.form()
    return {
        key: value.strip()
        for key, value in form.items()
        if isinstance(value, str) and value.strip() and key != "_csrf_token"
    }


def _dated(values: dict[str, str], key: str, target: str, at: time) -> dict[str, Any]:
    """The fields with the date field ``key`` turned into the command's instant ``target``
    (``at`` New York time that day); without it the core takes now."""
    fields: dict[str, Any] = {k: v for k, v in values.items() if k != key}
    if key in values:
        day = date.fromisoformat(values[key])
        fields[target] = datetime.combine(day, at, tzinfo=EXCHANGE_TZ)
    return fields


def _is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def _done(request: Request[Any, Any, Any], url: str) -> Answer:
    if _is_htmx(request):
        return Response(content=b"", headers={"HX-Redirect": url})
    return Redirect(url, status_code=303)


async def _attempt(
    request: Request[Any, Any, Any],
    template: str,
    context: Callable[[], Awaitable[dict[str, Any]]],
    action: Callable[[dict[str, str]], Awaitable[str]],
) -> Answer:
    """Run ``action`` on the form's fields; its answer is the URL to show next. A
    refusal renders ``template`` (the form) with the message and the typed values."""
    values = await _fields(request)
    try:
        return _done(request, await action(values))
    except (DomainError, msgspec.ValidationError, ValueError) as error:
        message = error.message if isinstance(error, DomainError) else str(error)
    page = {**(await context()), "form_error": message, "values": values}
    if _is_htmx(request):
        return Template(template, context=page)
    return Template("refused.html", context={**page, "form": template}, status_code=422)


@post("/portfolios")
async def create_portfolio(service: Facade, request: Request[Any, Any, Any]) -> Answer:
    async def action(values: dict[str, str]) -> str:
        command = msgspec.convert(values, CreatePortfolio, strict=False)
        portfolio = await service.create_portfolio(command)
        return f"/?portfolio={portfolio.id}"

    async def context() -> dict[str, Any]:
        return {}

    return await _attempt(request, "_form_portfolio.html", context, action)


@post("/wheels")
async def open_wheel(service: Facade, request: Request[Any, Any, Any]) -> Answer:
    async def action(values: dict[str, str]) -> str:
        fields = _dated(values, "opened", "opened_at", OPENED_AT)
        wheel = await service.open_wheel(msgspec.convert(fields, OpenWheel, strict=False))
        return f"/wheels/{wheel.id}"

    async def context() -> dict[str, Any]:
        portfolios = await service.list_portfolios()
        return {"portfolios": portfolios, "profiles": list(RiskProfile)}

    return await _attempt(request, "_form_wheel.html", context, action)


@post("/wheels/{wheel_id:int}/trades")
async def record_trade(service: Facade, request: Request[Any, Any, Any], wheel_id: int) -> Answer:
    async def action(values: dict[str, str]) -> str:
        fields = _dated(values, "opened", "opened_at", OPENED_AT)
        await service.record_trade(wheel_id, msgspec.convert(fields, RecordTrade, strict=False))
        return f"/wheels/{wheel_id}"

    return await _attempt(
        request, "_form_trade.html", lambda: wheel_context(service, wheel_id), action
    )


@post("/trades/{trade_id:int}/expire")
async def expire_trade(service: Facade, request: Request[Any, Any, Any], trade_id: int) -> Answer:
    trade = await service.get_trade(trade_id)

    async def action(values: dict[str, str]) -> str:
        fields = _dated(values, "on", "at", CLOSED_AT)
        await service.expire_trade(trade_id, msgspec.convert(fields, ExpireTrade, strict=False))
        return f"/wheels/{trade.wheel_id}"

    return await _attempt(
        request, "_form_expire.html", lambda: wheel_context(service, trade.wheel_id), action
    )


FORMS = [create_portfolio, open_wheel, record_trade, expire_trade]
