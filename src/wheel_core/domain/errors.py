"""Domain errors: one type per kind of refusal, each with a message for humans.

Adapters map these to HTTP status codes and CLI exit codes in one place each;
the messages are shown to users verbatim, so they say what was wrong and what
to do instead.
"""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """Base of every refusal the core makes on purpose."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else type(self).__name__


class ValidationError(DomainError, ValueError):
    """Input that can never be valid, whatever the state (negative strike, bad date).

    It is also a ``ValueError`` so that msgspec, decoding a command Struct whose
    ``__post_init__`` raises it, reports it as a validation error of the body.
    """


class NotFoundError(DomainError):
    """A referenced portfolio, wheel, trade or snapshot does not exist."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


class ConflictError(DomainError):
    """The request is valid in itself but clashes with what is stored (duplicate name, ...)."""


class InvalidTransitionError(ConflictError):
    """An event the wheel's current state does not allow; nothing was changed."""

    def __init__(self, state: str, action: str, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        options = ", ".join(allowed) if allowed else "none"
        verb = action.replace("_", " ")
        super().__init__(f"cannot {verb} while the wheel is {state}; allowed actions: {options}")
        self.state = state
        self.action = action
        self.allowed = allowed


class RuleViolationError(ConflictError):
    """A wheel rule (cash-secured, covered, date order) refuses the event; nothing was changed."""


class MarketDataError(DomainError):
    """Market data is missing, stale beyond use, or the provider failed."""


class PricingError(DomainError):
    """Option math was asked something it cannot answer honestly (price outside bounds)."""
