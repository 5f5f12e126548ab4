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


class StorageError(Exception):
    """The database cannot take a write; nothing of the write was kept. ``cause`` says
    why: its disk is full, it is read-only, its file was deleted or replaced under the
    running process, or the disk failed.

    Not a :class:`DomainError`: that is a refusal the core makes on purpose and reports
    per wheel; this is the machine failing, for every wheel at once, until someone
    fixes the disk. Persistence adapters raise it; driving adapters map ``cause`` to
    their own code (HTTP: a 503 ``storage_<cause>``).
    """

    FULL = "full"
    READ_ONLY = "read_only"
    GONE = "gone"
    FAILED = "failed"
    CAUSES = (FULL, READ_ONLY, GONE, FAILED)

    def __init__(self, message: str, *, cause: str) -> None:
        if cause not in self.CAUSES:
            raise ValueError(f"unknown storage failure cause {cause!r}")
        super().__init__(message)
        self.cause = cause

    @property
    def message(self) -> str:
        return str(self.args[0])
